// Package roots: chains start where a reader enters the code. produce is
// unexported and called only by Produce, so its path starts at Produce; the
// other side runs in a func literal started as a goroutine by Start, named
// by where it is written, not as Start$1.
package roots

import "sync"

type C struct{ a, b sync.Mutex }

func (c *C) Produce() {
	c.produce()
}

func (c *C) produce() {
	c.a.Lock()
	c.b.Lock() // want `lock order inversion: roots.C.b .*\(in \(\*roots.C\).produce\); goroutine started in \(\*roots.C\).Start \(roots.go:\d+\) acquires`
	c.b.Unlock()
	c.a.Unlock()
}

func (c *C) Start() {
	go func() {
		c.b.Lock()
		c.a.Lock()
		c.a.Unlock()
		c.b.Unlock()
	}()
}

// D: the edge's function is exported, an entry point itself: the chain
// starts there.
type D struct{ a, b sync.Mutex }

func (d *D) Flush() {
	d.a.Lock()
	d.b.Lock() // want `lock order inversion: roots.D.b .*\(in \(\*roots.D\).Flush\)`
	d.b.Unlock()
	d.a.Unlock()
}

func (d *D) Close() {
	d.b.Lock()
	d.a.Lock()
	d.a.Unlock()
	d.b.Unlock()
}

// E: a double lock and a leak in unexported helpers: their chains start
// at the exported methods that reach them (Reset, Put); Direct's own
// double lock needs no entry chain.
type E struct {
	mu sync.Mutex
	n  int
}

func (e *E) Reset() { e.reset() }

func (e *E) reset() {
	e.mu.Lock()
	e.mu.Lock() // want `e.mu is locked again`
	e.mu.Unlock()
	e.mu.Unlock()
}

func (e *E) Put(x int) error { return e.put(x) }

func (e *E) put(x int) error {
	e.mu.Lock() // want `e.mu is locked here and still held when \(\*roots.E\).put returns`
	if x < 0 {
		return nil
	}
	e.n = x
	e.mu.Unlock()
	return nil
}

func (e *E) Direct() {
	e.mu.Lock()
	e.mu.Lock() // want `e.mu is locked again`
	e.mu.Unlock()
	e.mu.Unlock()
}
