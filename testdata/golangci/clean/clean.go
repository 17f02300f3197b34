// Package clean takes its locks in one order and releases them before
// calling out: kafkalint reports nothing here.
package clean

import (
	"sync"

	"example.com/gcltest/coord"
)

// Session keeps the generation it last saw.
type Session struct {
	mu         sync.Mutex
	coord      *coord.Coordinator
	generation int
}

// Sync asks the coordinator first, then takes the session lock.
func (s *Session) Sync() {
	g := s.coord.Generation()
	s.mu.Lock()
	s.generation = g
	s.mu.Unlock()
}

func (s *Session) record(string) {
	s.mu.Lock()
	s.generation++
	s.mu.Unlock()
}

// Run sends heartbeats: coordinator lock, then session lock — the only
// order this package uses.
func (s *Session) Run() {
	go s.coord.Heartbeat(s.record)
}
