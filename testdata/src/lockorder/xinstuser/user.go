// Package xinstuser locks its own mutex through xinstlib's wrapper.
package xinstuser

import (
	"sync"

	"lockorder/xinstlib"
)

type Service struct {
	mu    sync.Mutex
	other sync.Mutex
}

// Positive: the wrapper's lock is s.mu (NewWrapper's fact).
func (s *Service) Flush() {
	w := xinstlib.NewWrapper(&s.mu)
	w.Lock()
	defer w.Unlock()
	s.mu.Lock() // want `double-lock|s.mu is locked again`
	s.mu.Unlock()
}

// Negative: the wrapper is over another mutex.
func (s *Service) FlushOther() {
	w := xinstlib.NewWrapper(&s.other)
	w.Lock()
	defer w.Unlock()
	s.mu.Lock()
	s.mu.Unlock()
}

// Negative: this package assigns the exported field after construction.
func (s *Service) Repoint() {
	l := xinstlib.NewLocker(&s.mu)
	l.M = &s.other
	l.Lock()
	s.mu.Lock()
	s.mu.Unlock()
	l.Unlock()
}
