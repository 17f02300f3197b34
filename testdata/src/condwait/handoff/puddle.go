package handoff

// jackc/puddle v1.0.0's Acquire (fixed in v1.1.0, PR 2): under p.cond.L it
// turns p.cond.Wait into a channel with a goroutine that is handed the
// lock (Go mutexes belong to no goroutine): Wait releases it, takes it
// again when signalled, and the goroutine exits holding it after sending
// on waitChan. The ctx.Done case locks p.cond.L: if the waiter has already
// been signalled and exited (waitChan has room), that Lock never returns.

import (
	"context"
	"sync"
)

type pool struct {
	cond      *sync.Cond
	idle      int
	cancelled int
}

func newPool() *pool {
	return &pool{cond: sync.NewCond(new(sync.Mutex))}
}

// AcquireV100 is the bug: the goroutine that receives from waitChan and
// unlocks is started only after the Lock.
func (p *pool) AcquireV100(ctx context.Context) error {
	p.cond.L.Lock()
	for p.idle == 0 {
		waitChan := make(chan struct{}, 1)
		go func() {
			p.cond.Wait()
			waitChan <- struct{}{}
		}()

		select {
		case <-ctx.Done():
			p.cond.L.Lock() // want `p.cond.L is acquired here, but the goroutine started at line \d+ \(AcquireV100\$1\) exits holding it and then sends on waitChan`
			p.cancelled++
			p.cond.L.Unlock()

			go func() {
				<-waitChan
				p.cond.Signal()
				p.cond.L.Unlock()
			}()
			return ctx.Err()
		case <-waitChan:
		}
	}
	p.idle--
	p.cond.L.Unlock()
	return nil
}

// AcquireV110 is the fix: the goroutine that receives from waitChan and
// unlocks what the waiter left held is started before the Lock, which
// then waits only for that unlock.
func (p *pool) AcquireV110(ctx context.Context) error {
	p.cond.L.Lock()
	for p.idle == 0 {
		waitChan := make(chan struct{}, 1)
		go func() {
			p.cond.Wait()
			waitChan <- struct{}{}
		}()

		select {
		case <-ctx.Done():
			go func() {
				<-waitChan
				p.cond.Signal()
				p.cond.L.Unlock()
			}()

			p.cond.L.Lock()
			p.cancelled++
			p.cond.L.Unlock()
			return ctx.Err()
		case <-waitChan:
		}
	}
	p.idle--
	p.cond.L.Unlock()
	return nil
}

// AcquireReleaser: the waiter unlocks after its Wait before it signals: it
// never exits holding p.cond.L, so the cancel branch may lock.
func (p *pool) AcquireReleaser(ctx context.Context) error {
	p.cond.L.Lock()
	waitChan := make(chan struct{}, 1)
	go func() {
		p.cond.Wait()
		p.cond.L.Unlock()
		waitChan <- struct{}{}
	}()
	select {
	case <-ctx.Done():
		p.cond.L.Lock()
		p.cancelled++
		p.cond.L.Unlock()
		return ctx.Err()
	case <-waitChan:
		p.cond.L.Lock()
		p.idle--
		p.cond.L.Unlock()
		return nil
	}
}

// AcquireNoLock: the cancel branch does not lock; it leaves the unlock to
// a goroutine that receives from waitChan first.
func (p *pool) AcquireNoLock(ctx context.Context) error {
	p.cond.L.Lock()
	waitChan := make(chan struct{}, 1)
	go func() {
		p.cond.Wait()
		waitChan <- struct{}{}
	}()
	select {
	case <-ctx.Done():
		go func() {
			<-waitChan
			p.cond.L.Unlock()
		}()
		return ctx.Err()
	case <-waitChan:
	}
	p.idle--
	p.cond.L.Unlock()
	return nil
}

// AcquireUnlockedStart starts the waiter without holding p.cond.L: it is
// handed nothing (cond-wait-unlocked's business, not a hand-off).
func (p *pool) AcquireUnlockedStart(ctx context.Context) error {
	waitChan := make(chan struct{}, 1)
	go func() {
		p.cond.Wait() // want `cond-wait-unlocked|never locks`
		waitChan <- struct{}{}
	}()
	select {
	case <-ctx.Done():
		p.cond.L.Lock()
		p.cancelled++
		p.cond.L.Unlock()
		return ctx.Err()
	case <-waitChan:
	}
	return nil
}

// AcquireOtherRelease: a goroutine started before the Lock receives from
// waitChan but does not unlock: the Lock can still wait forever.
func (p *pool) AcquireOtherRelease(ctx context.Context) error {
	p.cond.L.Lock()
	waitChan := make(chan struct{}, 1)
	go func() {
		p.cond.Wait()
		waitChan <- struct{}{}
	}()
	select {
	case <-ctx.Done():
		go func() {
			<-waitChan
			p.cond.Signal()
		}()
		p.cond.L.Lock() // want `p.cond.L is acquired here, but the goroutine started at line \d+ \(AcquireOtherRelease\$1\) exits holding it and then sends on waitChan`
		p.cancelled++
		p.cond.L.Unlock()
		return ctx.Err()
	case <-waitChan:
	}
	p.idle--
	p.cond.L.Unlock()
	return nil
}

