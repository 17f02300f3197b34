// Package stale: check-then-act across two critical sections.
package stale

import "sync"

type offsets struct {
	mu        sync.Mutex
	committed int64   // want committed:`guarded by mu \(held at 7 of 7\)`
	pending   []int64 // want pending:`guarded by mu \(held at 4 of 4\)`
}

func fetch() int64 { return 1 }

// advance reads the committed offset, releases the lock for the fetch,
// and writes back from the old read: a lost update.
func (o *offsets) advance() {
	o.mu.Lock()
	cur := o.committed
	o.mu.Unlock()

	n := fetch()

	o.mu.Lock()
	o.committed = cur + n // want `o\.committed is written from a value read at line 18 in an earlier critical section of o\.mu`
	o.mu.Unlock()
}

// advanceChecked re-reads in the second section (silent).
func (o *offsets) advanceChecked() {
	o.mu.Lock()
	cur := o.committed
	o.mu.Unlock()

	n := fetch()

	o.mu.Lock()
	if o.committed == cur {
		o.committed = cur + n
	}
	o.mu.Unlock()
}

// add does it in one section (silent).
func (o *offsets) add(n int64) {
	o.mu.Lock()
	o.committed += n
	o.pending = append(o.pending, n)
	o.mu.Unlock()
}

// queue appends to a slice read in an earlier section.
func (o *offsets) queue(n int64) {
	o.mu.Lock()
	p := o.pending
	o.mu.Unlock()
	o.mu.Lock()
	o.pending = append(p, n) // want `o\.pending is written from a value read at line 54`
	o.mu.Unlock()
}
