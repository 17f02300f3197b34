package stdcalls

import (
	"sort"
	"sync"
)

type S struct {
	mu   sync.Mutex
	once sync.Once
	xs   []int
}

// Init takes mu inside once.Do's callback.
func (s *S) Init() {
	s.once.Do(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.xs = nil
	})
}

// Sort takes mu inside sort.Slice's less: a double lock.
func (s *S) Sort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	sort.Slice(s.xs, func(i, j int) bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.xs[i] < s.xs[j]
	})
}
