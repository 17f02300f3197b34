package iterfact // want package:""

// Package iterfact: the facts of an iterator library (lockorder/iterlib).
// All yields while holding s.mu; Snapshot copies under it and yields
// without it: All's fact says it yields under s.mu, Snapshot has none (the
// iterators are closures, which have no facts of their own).

import (
	"iter"
	"sync"
)

type Set struct {
	mu    sync.Mutex
	items []int
}

func (s *Set) All() iter.Seq[int] { // want All:"yields under \\(iterfact.Set\\).mu locked$"
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

func (s *Set) Add(x int) { // want Add:"acquires \\(iterfact.Set\\).mu locked"
	s.mu.Lock()
	s.items = append(s.items, x)
	s.mu.Unlock()
}
