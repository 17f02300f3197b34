// Package handoff renders franz-go's produce hand-off (v1.17.1, fixed in
// v1.18.0): a helper goroutine waits for buffer space on a Cond, exits
// still holding the producer lock on purpose and closes a channel; the
// caller selects on that channel and on ctx.Done().
package handoff

import (
	"context"
	"sync"
)

type producer struct {
	mu       sync.Mutex
	c        *sync.Cond
	buffered int
	max      int
}

func newProducer() *producer {
	p := &producer{max: 10}
	p.c = sync.NewCond(&p.mu)
	return p
}

// ProduceV1171 is the bug: on cancellation drain locks p.mu to wake the
// helper, but when both select cases are ready the helper may already have
// exited holding p.mu, and that Lock never returns.
func (p *producer) ProduceV1171(ctx context.Context) error {
	p.mu.Lock()
	if p.buffered < p.max {
		p.buffered++
		p.mu.Unlock()
		return nil
	}
	p.mu.Unlock()

	wait := make(chan struct{})
	var quit bool
	go func() {
		defer close(wait)
		p.mu.Lock()
		for !quit && p.buffered >= p.max {
			p.c.Wait()
		}
		// exits holding p.mu: the caller takes it over
	}()

	drain := func() {
		p.mu.Lock() // want `p.mu is acquired here, but the goroutine started at line \d+ \(ProduceV1171\$1\) exits holding it and then closes wait`
		quit = true
		p.mu.Unlock()
		p.c.Broadcast()
		<-wait
		p.mu.Unlock()
	}

	select {
	case <-wait:
	case <-ctx.Done():
		drain()
		return ctx.Err()
	}
	p.buffered++
	p.mu.Unlock()
	return nil
}

// ProduceV1180 is the fix: the wake-up runs in a new goroutine, so this
// one only receives from wait and then unlocks what the helper left held.
func (p *producer) ProduceV1180(ctx context.Context) error {
	p.mu.Lock()
	if p.buffered < p.max {
		p.buffered++
		p.mu.Unlock()
		return nil
	}
	p.mu.Unlock()

	wait := make(chan struct{})
	var quit bool
	go func() {
		defer close(wait)
		p.mu.Lock()
		for !quit && p.buffered >= p.max {
			p.c.Wait()
		}
	}()

	drain := func() {
		go func() {
			p.mu.Lock()
			quit = true
			p.mu.Unlock()
			p.c.Broadcast()
		}()
		<-wait
		p.mu.Unlock()
	}

	select {
	case <-wait:
	case <-ctx.Done():
		drain()
		return ctx.Err()
	}
	p.buffered++
	p.mu.Unlock()
	return nil
}

// Flush is the shape of franz-go's Flush and pause: the goroutine defers
// its unlock, so it never exits holding p.mu and the cancel branch may lock.
func (p *producer) Flush(ctx context.Context) error {
	quit := false
	done := make(chan struct{})
	go func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		defer close(done)
		for !quit && p.buffered > 0 {
			p.c.Wait()
		}
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		p.mu.Lock()
		quit = true
		p.mu.Unlock()
		p.c.Broadcast()
		return ctx.Err()
	}
}

// ProduceDirect locks in the cancel branch itself, not through a closure.
func (p *producer) ProduceDirect(ctx context.Context) error {
	wait := make(chan struct{})
	go func() {
		defer close(wait)
		p.mu.Lock()
		for p.buffered >= p.max {
			p.c.Wait()
		}
	}()
	select {
	case <-wait:
		p.buffered++
		p.mu.Unlock()
		return nil
	case <-ctx.Done():
		p.mu.Lock() // want `p.mu is acquired here, but the goroutine started at line \d+ \(ProduceDirect\$1\) exits holding it`
		p.c.Broadcast()
		p.mu.Unlock()
		return ctx.Err()
	}
}

// ReceiveFirst receives the exit signal before locking on every path:
// the goroutine's lock is taken over, never waited for.
func (p *producer) ReceiveFirst() {
	wait := make(chan struct{})
	go func() {
		defer close(wait)
		p.mu.Lock()
		for p.buffered >= p.max {
			p.c.Wait()
		}
	}()
	<-wait
	p.buffered++
	p.mu.Unlock()
	p.mu.Lock()
	p.buffered--
	p.mu.Unlock()
}

// waiter is a named helper: it returns holding w.mu and sends on done.
type waiter struct {
	mu    sync.Mutex
	ready bool
}

func (w *waiter) hold(done chan<- bool) {
	w.mu.Lock()
	done <- true
}

func (w *waiter) Named(ctx context.Context) {
	done := make(chan bool)
	go w.hold(done)
	select {
	case <-done:
		w.mu.Unlock()
	case <-ctx.Done():
		w.lockAndSet() // want `w.mu is acquired here \(through lockAndSet\), but the goroutine started at line \d+ \(hold\) exits holding it and then sends on done`
	}
}

func (w *waiter) lockAndSet() {
	w.mu.Lock()
	w.ready = true
	w.mu.Unlock()
}

// OtherInstance locks another waiter's lock: not the handed-off one.
func (w *waiter) OtherInstance(ctx context.Context, other *waiter) {
	done := make(chan bool)
	go w.hold(done)
	select {
	case <-done:
		w.mu.Unlock()
	case <-ctx.Done():
		other.lockAndSet()
	}
}

// Suppressed: the same shape as ProduceDirect, accepted with a reason.
func (p *producer) ProduceSuppressed(ctx context.Context) error {
	wait := make(chan struct{})
	go func() {
		defer close(wait)
		p.mu.Lock()
		for p.buffered >= p.max {
			p.c.Wait()
		}
	}()
	select {
	case <-wait:
		p.buffered++
		p.mu.Unlock()
		return nil
	case <-ctx.Done():
		//kafkalint:ignore lock-handoff test: a suppression with a reason silences the report
		p.mu.Lock()
		p.c.Broadcast()
		p.mu.Unlock()
		return ctx.Err()
	}
}

// holder is built over its creator's lock (newHolder(&w.mu)): its lock is
// the creator's instance.
type holder struct {
	m *sync.Mutex
}

func newHolder(m *sync.Mutex) *holder { return &holder{m: m} }

func (h *holder) hold(done chan<- bool) {
	h.m.Lock()
	done <- true
}

// Through a constructor: the goroutine exits holding w.mu (h.m is w.mu).
func (w *waiter) ThroughHolder(ctx context.Context) {
	done := make(chan bool)
	h := newHolder(&w.mu)
	go h.hold(done)
	select {
	case <-done:
		w.mu.Unlock()
	case <-ctx.Done():
		w.lockAndSet() // want `lock-handoff|through lockAndSet`
	}
}

// A holder over another waiter's lock: not the lock taken here.
func (w *waiter) OtherHolder(ctx context.Context, other *waiter) {
	done := make(chan bool)
	h := newHolder(&other.mu)
	go h.hold(done)
	select {
	case <-done:
		other.mu.Unlock()
	case <-ctx.Done():
		w.lockAndSet()
	}
}
