// Package iterseq: iterators (iter.Seq) that hold their lock while they
// yield: every lock the loop body takes is ordered after it.
package iterseq

import (
	"iter"
	"sync"
)

type set struct {
	mu    sync.Mutex
	items []int
}

// All yields under s.mu.
func (s *set) All() iter.Seq[int] {
	return func(yield func(int) bool) {
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, x := range s.items {
			if !yield(x) {
				return
			}
		}
	}
}

// Snapshot copies under s.mu and yields without it.
func (s *set) Snapshot() iter.Seq[int] {
	return func(yield func(int) bool) {
		s.mu.Lock()
		items := append([]int(nil), s.items...)
		s.mu.Unlock()
		for _, x := range items {
			if !yield(x) {
				return
			}
		}
	}
}

type registry struct {
	mu    sync.Mutex
	s     *set
	other *set
	n     int
}

// sum takes r.mu in the loop body while All holds set.mu.
func (r *registry) sum() {
	for x := range r.s.All() {
		r.mu.Lock() // want `lock order inversion: iterseq.registry.mu is acquired here while holding iterseq.set.mu`
		r.n += x
		r.mu.Unlock()
	}
}

// add takes set.mu while holding r.mu: the other order.
func (r *registry) add(x int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.s.mu.Lock()
	r.s.items = append(r.s.items, x)
	r.s.mu.Unlock()
}

type counter struct {
	mu sync.Mutex
	s  *set
	n  int
}

// count takes c.mu in the loop body of Snapshot, which yields unlocked.
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
	c.s.mu.Lock()
	c.s.items = append(c.s.items, x)
	c.s.mu.Unlock()
}

// first returns from the loop body while holding c.mu, which the body
// took: the lock leaks.
func (c *counter) first() int {
	for x := range c.s.Snapshot() {
		c.mu.Lock() // want `c.mu is locked here in a range-over-func loop body`
		if x > 0 {
			return x
		}
		c.n += x
		c.mu.Unlock()
	}
	return 0
}

// firstUnlocked unlocks before returning from the loop body.
func (c *counter) firstUnlocked() int {
	for x := range c.s.Snapshot() {
		c.mu.Lock()
		if x > 0 {
			c.mu.Unlock()
			return x
		}
		c.n += x
		c.mu.Unlock()
	}
	return 0
}

// firstBreak leaves the loop holding c.mu and unlocks after it: a break
// is no return.
func (c *counter) firstBreak() int {
	found := 0
	for x := range c.s.Snapshot() {
		c.mu.Lock()
		if x > 0 {
			found = x
			break
		}
		c.n += x
		c.mu.Unlock()
	}
	if found > 0 {
		c.mu.Unlock()
	}
	return found
}

// firstDeferred defers the unlock in the body: the defer runs when
// firstDeferred returns (the model does not follow a body's defers, so
// it says nothing).
func (c *counter) firstDeferred() int {
	for x := range c.s.Snapshot() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if x > 0 {
			return x
		}
		c.n += x
	}
	return 0
}
