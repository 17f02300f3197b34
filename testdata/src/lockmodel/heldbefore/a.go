package heldbefore

import "sync"

func probe() {}

type T struct {
	mu sync.Mutex
	rw sync.RWMutex
	c  *sync.Cond
}

func (t *T) plain() {
	probe() // want `held none`
	t.mu.Lock()
	probe() // want `held t.mu\(locked\)`
	t.mu.Unlock()
	probe() // want `held none`
}

func (t *T) deferred() {
	t.rw.RLock()
	defer t.rw.RUnlock()
	probe() // want `held t.rw\(read-locked\)`
}

// Held on one path only: not held on every path.
func (t *T) somePaths(b bool) {
	if b {
		t.mu.Lock()
	}
	probe() // want `held none`
	if b {
		t.mu.Unlock()
	}
}

// Through a callee's summary: lockIt returns holding t.mu.
func (t *T) lockIt() { t.mu.Lock() }

func (t *T) viaCallee() {
	t.lockIt()
	probe() // want `held t.mu\(locked\)`
	t.mu.Unlock()
}

// A helper that releases its caller's lock before it waits.
func (t *T) unlockForCaller(ch chan int) {
	t.mu.Unlock()
	probe() // want `held none released heldbefore.T.mu`
	<-ch
	t.mu.Lock()
}

func (t *T) tryLock() {
	if t.mu.TryLock() {
		probe() // want `held t.mu\(locked\)`
		t.mu.Unlock()
	}
}
