// Package inferredoff: without -guardedstate.inferred, an access that
// misses a guard only inferred from held sets is not reported; one that
// misses an annotated guard is.
package inferredoff

import "sync"

type session struct {
	mu    sync.Mutex
	epoch int // want epoch:`guarded by mu \(held at 4 of 6\)`
	// +checklocks:mu
	id int // want id:`guarded by mu \(annotated\)`
}

func (s *session) bump() {
	s.mu.Lock()
	s.epoch++
	s.id++
	s.mu.Unlock()
}

func (s *session) reset() {
	s.mu.Lock()
	s.epoch = 0
	s.id = 0
	s.mu.Unlock()
}

func (s *session) build() (int, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.id, s.epoch
}

// handle moves both forward without the lock: only the annotated field is
// reported by default.
func (s *session) handle(id int) {
	s.id = id // want `s\.id written without s\.mu held, but its \+checklocks annotation`
	s.epoch++
}
