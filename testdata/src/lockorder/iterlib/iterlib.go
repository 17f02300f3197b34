package iterlib

// Package iterlib: a library whose iterators a user package ranges over.
// All yields while holding s.mu; Snapshot copies under it and yields
// without it. Their facts say so (the iterators are closures, which have
// no facts of their own).

import (
	"iter"
	"sync"
)

type Set struct {
	mu    sync.Mutex
	items []int
}

func (s *Set) All() iter.Seq[int] {
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

func (s *Set) Snapshot() iter.Seq[int] {
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

func (s *Set) Add(x int) {
	s.mu.Lock()
	s.items = append(s.items, x)
	s.mu.Unlock()
}
