// Package broker takes its own lock, then the session's: one half of the
// ABBA cycle that package app closes.
package broker

import (
	"sync"

	"example.com/lockgraph/session"
)

// Broker is a connection to one broker.
type Broker struct {
	mu      sync.Mutex
	pending int
}

var (
	statsMu sync.Mutex
	flushed int
)

// Flush holds the broker lock while it touches the session:
// Broker.mu → Session.Mu.
func (b *Broker) Flush(s *session.Session) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending = 0
	s.Touch()
}

// Stats holds the broker lock while it takes the stats lock:
// Broker.mu → statsMu, an edge in no cycle.
func (b *Broker) Stats() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	statsMu.Lock()
	defer statsMu.Unlock()
	flushed += b.pending
	return flushed
}

// Reset takes the broker lock alone.
func (b *Broker) Reset() {
	b.mu.Lock()
	b.pending = 0
	b.mu.Unlock()
}
