// Package app wires a broker and a session, and closes the cycle.
package app

import (
	"sync"

	"example.com/lockgraph/broker"
	"example.com/lockgraph/session"
)

// Config is reloaded at run time.
type Config struct {
	mu      sync.Mutex
	version int
}

// Expire holds the session lock while it resets the broker:
// Session.Mu → Broker.mu, the other order of broker.Flush.
func Expire(s *session.Session, b *broker.Broker) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	b.Reset()
}

// Reload holds the config lock while it touches the session:
// Config.mu → Session.Mu, an edge into the cycle but not part of it.
func Reload(c *Config, s *session.Session) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.version++
	s.Touch()
}
