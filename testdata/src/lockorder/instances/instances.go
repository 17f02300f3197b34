// Package instances: one lock instance reached through a constructor's
// result or a struct field that points at it (lock identity through
// fields bound at construction), and the look-alikes that are not one
// instance.
package instances

import "sync"

type Store struct {
	mu sync.Mutex
	n  int
}

// wrapper locks the mutex it was built over.
type wrapper struct {
	m *sync.Mutex
}

func newWrapper(m *sync.Mutex) *wrapper { return &wrapper{m: m} }

func (w *wrapper) lock()   { w.m.Lock() }
func (w *wrapper) unlock() { w.m.Unlock() }

// conn points at its pool's lock.
type conn struct {
	mu *sync.Mutex
	id int
}

// Positive: the wrapper's lock is s.mu.
func (s *Store) wrapped() {
	w := newWrapper(&s.mu)
	w.lock()
	s.mu.Lock() // want `double-lock|s.mu is locked again`
	s.n++
	s.mu.Unlock()
	w.unlock()
}

// Positive: the other order, the second acquisition through the wrapper.
func (s *Store) wrappedSecond() {
	w := newWrapper(&s.mu)
	s.mu.Lock()
	w.lock() // want `double-lock|via \(\*instances.wrapper\).lock again`
	w.unlock()
	s.mu.Unlock()
}

// Negative: the wrapper is unlocked before s.mu is taken.
func (s *Store) wrappedReleased() {
	w := newWrapper(&s.mu)
	w.lock()
	s.n++
	w.unlock()
	s.mu.Lock()
	s.mu.Unlock()
}

// Positive: a struct literal's field points at p.mu.
func (s *Store) field() {
	c := &conn{mu: &s.mu, id: 1}
	c.mu.Lock()
	s.mu.Lock() // want `double-lock|s.mu is locked again`
	s.mu.Unlock()
	c.mu.Unlock()
}

// Positive: the other order; the report names the lock as written at the
// second Lock and says which instance it is.
func (s *Store) fieldSecond() {
	c := &conn{mu: &s.mu, id: 1}
	s.mu.Lock()
	c.mu.Lock() // want `c.mu, which is s.mu stored by fieldSecond, is locked again`
	c.mu.Unlock()
	s.mu.Unlock()
}

// Negative: two different objects' fields.
func twoStores(a, b *Store) {
	w := newWrapper(&a.mu)
	w.lock()
	b.mu.Lock()
	b.mu.Unlock()
	w.unlock()
}

// Negative: a constructor that allocates a fresh mutex.
func newOwnWrapper() *wrapper { return &wrapper{m: new(sync.Mutex)} }

func (s *Store) ownMutex() {
	w := newOwnWrapper()
	w.lock()
	s.mu.Lock()
	s.mu.Unlock()
	w.unlock()
}

// Negative: the field is assigned again before the lock.
func reassigned(a, b *Store) {
	c := &conn{mu: &a.mu}
	c.mu = &b.mu
	c.mu.Lock()
	a.mu.Lock()
	a.mu.Unlock()
	c.mu.Unlock()
}

// Negative: which mutex is stored depends on a condition (may-alias).
func chosen(a, b *Store, first bool) {
	m := &a.mu
	if first {
		m = &b.mu
	}
	w := newWrapper(m)
	w.lock()
	a.mu.Lock()
	a.mu.Unlock()
	w.unlock()
}

// Negative: a constructor that picks which mutex to store (may-alias in
// the constructor: no binding in its summary).
func newEither(a, b *sync.Mutex, first bool) *wrapper {
	w := &wrapper{m: a}
	if first {
		w = &wrapper{m: b}
	}
	return w
}

func (s *Store) either(t *Store, first bool) {
	w := newEither(&s.mu, &t.mu, first)
	w.lock()
	s.mu.Lock()
	s.mu.Unlock()
	w.unlock()
}

// rebound's field is assigned again by a method: no object of its type
// keeps the field it was built with.
type rebound struct {
	m *sync.Mutex
}

func newRebound(m *sync.Mutex) *rebound { return &rebound{m: m} }

func (r *rebound) set(m *sync.Mutex) { r.m = m }

// Negative: set may have pointed it elsewhere.
func (s *Store) reboundField(t *Store) {
	r := newRebound(&s.mu)
	r.set(&t.mu)
	r.m.Lock()
	s.mu.Lock()
	s.mu.Unlock()
	r.m.Unlock()
}

// pool hands its lock to the connections it makes.
type pool struct {
	mu    sync.Mutex
	conns []*conn
}

// newConn is a constructor binding the result's mu to p.mu.
func (p *pool) newConn(id int) *conn {
	return &conn{mu: &p.mu, id: id}
}

// Positive: the connection's lock is the pool's, through the method
// constructor, and the unlock through either name releases it.
func (p *pool) add(id int) {
	c := p.newConn(id)
	c.mu.Lock()
	p.conns = append(p.conns, c)
	p.mu.Unlock()
	p.mu.Lock()
	c.mu.Lock() // want `c.mu, which is p.mu stored by newConn, is locked again`
	c.mu.Unlock()
}

// Negative: the unlock through the pool's name releases the connection's
// lock (one instance), so the Lock after it waits for nobody.
func (p *pool) addReleased(id int) {
	c := p.newConn(id)
	c.mu.Lock()
	p.conns = append(p.conns, c)
	p.mu.Unlock()
	c.mu.Lock()
	c.mu.Unlock()
}
