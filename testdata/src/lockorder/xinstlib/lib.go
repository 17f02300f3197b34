// Package xinstlib: a wrapper built over the caller's mutex, locked by its
// methods, for xinstuser (lock identity through a constructor, across a
// package boundary: the constructor's fact binds the result's field).
package xinstlib

import "sync"

type Wrapper struct {
	m *sync.Mutex
}

func NewWrapper(m *sync.Mutex) *Wrapper { return &Wrapper{m: m} }

func (w *Wrapper) Lock()   { w.m.Lock() }
func (w *Wrapper) Unlock() { w.m.Unlock() }

// Locker's exported field can be assigned by any package.
type Locker struct {
	M *sync.Mutex
}

func NewLocker(m *sync.Mutex) *Locker { return &Locker{M: m} }

func (l *Locker) Lock()   { l.M.Lock() }
func (l *Locker) Unlock() { l.M.Unlock() }
