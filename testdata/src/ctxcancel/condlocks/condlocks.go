// Package condlocks: Conds whose lock is the read side of an RWMutex, or a
// lock also kept in a pointer field. Wait releases that lock, so waiting
// while "holding" it is not holding it (client-go shared_informer,
// go-ethereum tracers).
package condlocks

import "sync"

type P struct {
	mu      sync.RWMutex
	cond    *sync.Cond
	started bool
}

func New() *P {
	p := &P{}
	p.cond = sync.NewCond(p.mu.RLocker())
	return p
}

func (p *P) Distribute() {
	p.mu.RLock()
	defer p.mu.RUnlock()
	for !p.started {
		p.cond.Wait()
	}
}

func (p *P) Run() {
	p.mu.Lock()
	p.started = true
	p.cond.Signal()
	p.mu.Unlock()
}

type T struct {
	cond *sync.Cond
	lock *sync.RWMutex
	n    int
}

func NewT() *T {
	lock := new(sync.RWMutex)
	return &T{cond: sync.NewCond(lock), lock: lock}
}

func (t *T) Release() {
	t.lock.Lock()
	defer t.lock.Unlock()
	t.n--
	t.cond.Broadcast()
}

func (t *T) Wait(limit int) {
	t.lock.Lock()
	defer t.lock.Unlock()
	for t.n >= limit {
		t.cond.Wait()
	}
}

// Q: the Cond's lock is the read side of mu, but the waiter also holds
// other, which the signaller needs first: that one is really held.
type Q struct {
	mu      sync.RWMutex
	other   sync.Mutex
	cond    *sync.Cond
	started bool
}

func NewQ() *Q {
	q := &Q{}
	q.cond = sync.NewCond(q.mu.RLocker())
	return q
}

func (q *Q) Distribute() {
	q.other.Lock()
	defer q.other.Unlock()
	q.mu.RLock()
	defer q.mu.RUnlock()
	for !q.started {
		q.cond.Wait() // want `q.other is held while Distribute waits for q.cond`
	}
}

func (q *Q) Run() {
	q.other.Lock()
	q.mu.Lock()
	q.started = true
	q.cond.Signal()
	q.mu.Unlock()
	q.other.Unlock()
}
