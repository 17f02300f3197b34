// Package session has one lock, taken by the other packages.
package session

import "sync"

// Session is a consumer group session. Callers lock Mu themselves.
type Session struct {
	Mu         sync.Mutex
	generation int
}

// Touch bumps the generation under the session lock.
func (s *Session) Touch() {
	s.Mu.Lock()
	s.generation++
	s.Mu.Unlock()
}
