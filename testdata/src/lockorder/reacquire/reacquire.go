// Package reacquire: a cycle of two edges where one edge is taken while
// the other lock of the cycle is itself held is one goroutine taking a
// lock again on one call chain: a double lock, not two goroutines.
package reacquire

import "sync"

type Entry struct {
	mu  sync.Mutex
	idx sync.Mutex
}

var registry = map[string]*Entry{}

func lookup(name string) *Entry { return registry[name] }

func (e *Entry) touch() {
	e.mu.Lock()
	e.mu.Unlock()
}

// e.mu, then e.idx, then (through lookup, which may return e itself) an
// Entry's mu again, with both held: entry.mu → idx → entry.mu on one chain.
func (e *Entry) Rename(name string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.idx.Lock()
	defer e.idx.Unlock()
	lookup(name).touch() // want `double-lock|reacquire.Entry.mu is locked via \(\*reacquire.Entry\).touch again .*after taking reacquire.Entry.idx`
}

// The same with read locks: a recursive read lock, reported with its
// writer.
type Table struct {
	mu   sync.RWMutex
	meta sync.Mutex
}

var tables = map[string]*Table{}

func (t *Table) size() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return 0
}

func (t *Table) Join(other string) int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	t.meta.Lock()
	defer t.meta.Unlock()
	return tables[other].size() // want `recursive-rlock|reacquire.Table.mu is read-locked again .*after taking reacquire.Table.meta`
}

func (t *Table) Put() {
	t.mu.Lock()
	t.mu.Unlock()
}

// Two goroutines in opposite orders, neither holding the other lock of the
// cycle twice: a lock-order inversion as before.
type Conn struct{ mu sync.Mutex }
type Pool struct{ mu sync.Mutex }

func (p *Pool) Get(c *Conn) {
	p.mu.Lock()
	c.mu.Lock() // want `lock order inversion: reacquire.Conn.mu is acquired here while holding reacquire.Pool.mu`
	c.mu.Unlock()
	p.mu.Unlock()
}

func (c *Conn) Release(p *Pool) {
	c.mu.Lock()
	p.mu.Lock()
	p.mu.Unlock()
	c.mu.Unlock()
}

// The model already knows the instance (the receiver) and reports the
// double lock itself: one report, not a second one from the cycle.
type Node struct {
	mu    sync.Mutex
	state sync.Mutex
}

func (n *Node) lockMu() {
	n.mu.Lock()
	n.mu.Unlock()
}

func (n *Node) Step() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.state.Lock()
	defer n.state.Unlock()
	n.lockMu() // want `double-lock|n.mu is locked via \(\*reacquire.Node\).lockMu again`
}
