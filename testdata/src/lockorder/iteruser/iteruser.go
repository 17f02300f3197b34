// Package iteruser ranges over iterlib's iterators: a loop body over All
// runs under iterlib.Set.mu, so the lock it takes is ordered after it.
package iteruser

import (
	"sync"

	"lockorder/iterlib"
)

type registry struct {
	mu sync.Mutex
	s  *iterlib.Set
	n  int
}

// sum takes r.mu in the body of a loop over All, which holds Set.mu.
func (r *registry) sum() {
	for x := range r.s.All() {
		r.mu.Lock() // want `lock order inversion: iteruser.registry.mu is acquired here while holding iterlib.Set.mu`
		r.n += x
		r.mu.Unlock()
	}
}

// add takes Set.mu while holding r.mu: the other order.
func (r *registry) add(x int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.s.Add(x)
}

type counter struct {
	mu sync.Mutex
	s  *iterlib.Set
	n  int
}

// count loops over Snapshot, which yields without Set.mu: no order.
func (c *counter) count() {
	for x := range c.s.Snapshot() {
		c.mu.Lock()
		c.n += x
		c.mu.Unlock()
	}
}

func (c *counter) add(x int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.Add(x)
}
