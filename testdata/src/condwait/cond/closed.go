package cond

import (
	"sync"
	"sync/atomic"
)

// --- a close path that wakes nobody, while every wake-up is skipped once poolClosed ---

const (
	poolOpened = iota
	poolClosed
)

// antsPool is ants v2.4.2's shape: Release stores poolClosed and broadcasts
// nothing; put returns early and the purge loop breaks once poolClosed, so a
// get blocked in Wait when Release runs never returns.
type antsPool struct {
	mu      sync.Mutex
	cond    *sync.Cond
	state   int32
	free    []int
	running int32
}

func newAntsPool() *antsPool {
	p := &antsPool{}
	p.cond = sync.NewCond(&p.mu)
	return p
}

func (p *antsPool) get() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.free) == 0 {
		p.cond.Wait() // want `p.cond.Wait\(\) can wait forever once Release runs`
	}
	w := p.free[0]
	p.free = p.free[1:]
	return w
}

func (p *antsPool) put(w int) bool {
	if atomic.LoadInt32(&p.state) == poolClosed {
		return false
	}
	p.mu.Lock()
	p.free = append(p.free, w)
	p.cond.Signal()
	p.mu.Unlock()
	return true
}

func (p *antsPool) purge(tick <-chan struct{}) {
	for range tick {
		if atomic.LoadInt32(&p.state) == poolClosed {
			break
		}
		if atomic.LoadInt32(&p.running) == 0 {
			p.cond.Broadcast()
		}
	}
}

func (p *antsPool) Release() {
	atomic.StoreInt32(&p.state, poolClosed)
	p.mu.Lock()
	p.free = nil
	p.mu.Unlock()
}

// fixedPool is v2.7.5: Release broadcasts after closing. Silent.
type fixedPool struct {
	mu    sync.Mutex
	cond  *sync.Cond
	state int32
	free  []int
}

func (p *fixedPool) get() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.free) == 0 && atomic.LoadInt32(&p.state) != poolClosed {
		p.cond.Wait()
	}
	if len(p.free) == 0 {
		return -1
	}
	return p.free[0]
}

func (p *fixedPool) put(w int) {
	if atomic.LoadInt32(&p.state) == poolClosed {
		return
	}
	p.mu.Lock()
	p.free = append(p.free, w)
	p.cond.Signal()
	p.mu.Unlock()
}

func (p *fixedPool) Release() {
	if !atomic.CompareAndSwapInt32(&p.state, poolOpened, poolClosed) {
		return
	}
	p.mu.Lock()
	p.free = nil
	p.mu.Unlock()
	p.cond.Broadcast()
}

// openWakePool has a wake-up that does not look at the state (its workers
// return what they hold even after Release): the waiters are still woken.
// Silent.
type openWakePool struct {
	mu    sync.Mutex
	cond  *sync.Cond
	state int32
	free  []int
}

func (p *openWakePool) get() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.free) == 0 {
		p.cond.Wait()
	}
	return p.free[0]
}

func (p *openWakePool) put(w int) {
	p.mu.Lock()
	p.free = append(p.free, w)
	p.cond.Signal()
	p.mu.Unlock()
}

func (p *openWakePool) Close() {
	atomic.StoreInt32(&p.state, poolClosed)
}

// otherValuePool skips its wake-up on a value Close never stores
// (draining, not poolClosed). Silent.
type otherValuePool struct {
	mu    sync.Mutex
	cond  *sync.Cond
	state int32
	free  []int
}

func (p *otherValuePool) get() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.free) == 0 {
		p.cond.Wait()
	}
	return p.free[0]
}

func (p *otherValuePool) put(w int) {
	if atomic.LoadInt32(&p.state) == poolClosed+1 {
		return
	}
	p.mu.Lock()
	p.free = append(p.free, w)
	p.cond.Signal()
	p.mu.Unlock()
}

func (p *otherValuePool) Close() {
	atomic.StoreInt32(&p.state, poolClosed)
}

// deferWakePool's Release has a wake-up of its own, in a helper it defers:
// the check reports only close paths with none (the wait model's
// SignalsFrom counts what a close path defers or starts). Here the helper
// is skipped once closed, so the waiters do hang: a known miss, kept for
// precision (a close path that wakes is usually the fix). Silent.
type deferWakePool struct {
	mu    sync.Mutex
	cond  *sync.Cond
	state int32
	free  []int
}

func (p *deferWakePool) get() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.free) == 0 {
		p.cond.Wait()
	}
	return p.free[0]
}

func (p *deferWakePool) wake() {
	if atomic.LoadInt32(&p.state) == poolClosed {
		return
	}
	p.cond.Broadcast()
}

func (p *deferWakePool) Release() {
	defer p.wake()
	atomic.StoreInt32(&p.state, poolClosed)
}

// goWakePool's Release has a wake-up in a goroutine it starts (guarded as
// deferWakePool's). Silent.
type goWakePool struct {
	mu    sync.Mutex
	cond  *sync.Cond
	state int32
	free  []int
}

func (p *goWakePool) get() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.free) == 0 {
		p.cond.Wait()
	}
	return p.free[0]
}

func (p *goWakePool) wake() {
	if atomic.LoadInt32(&p.state) == poolClosed {
		return
	}
	p.cond.Broadcast()
}

func (p *goWakePool) Release() {
	atomic.StoreInt32(&p.state, poolClosed)
	go func() { p.wake() }()
}
