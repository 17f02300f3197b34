package resultfields // want package:""

// Package resultfields: a constructor's fact says which of its result's
// fields are an input's lock (set at construction, never after); one that
// allocates a fresh mutex, or whose field is assigned later, says nothing
// of the kind.

import "sync"

type wrapper struct {
	m *sync.Mutex
}

func newWrapper(m *sync.Mutex) *wrapper { // want newWrapper:"^result0.m is param0$"
	return &wrapper{m: m}
}

func newFresh() *wrapper { // want newFresh:"^$"
	return &wrapper{m: new(sync.Mutex)}
}

type pool struct {
	mu   sync.Mutex
	idle sync.Mutex
}

type conn struct {
	p  *pool
	mu *sync.Mutex
}

// newConn binds both fields: conn.p to the receiver, conn.mu to its mu.
func (p *pool) newConn() *conn { // want newConn:"^result0.p is param0; result0.mu is param0.mu$"
	return &conn{p: p, mu: &p.mu}
}

// viaWrapper binds through another constructor.
func viaWrapper(p *pool) *wrapper { // want viaWrapper:"^result0.m is param0.idle$"
	return newWrapper(&p.idle)
}

type moved struct {
	m *sync.Mutex
}

func newMoved(m *sync.Mutex) *moved { // want newMoved:"^$"
	return &moved{m: m}
}

func (v *moved) move(m *sync.Mutex) { v.m = m }
