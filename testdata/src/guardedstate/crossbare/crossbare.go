// Package crossbare takes no lock anywhere: what it reports comes from
// annotations alone, crossdef's (by their facts) and its own.
package crossbare

import (
	"sync"

	"guardedstate/crossdef"
)

func peek(c *crossdef.Conn) int {
	c.Bump()       // want `\(\*crossdef\.Conn\)\.Bump is called without c\.Mu held`
	return c.State // want `c\.State read without c\.Mu held, but its \+checklocks`
}

// stats is annotated but never locked here.
type stats struct {
	mu sync.Mutex
	// +checklocks:mu
	hits int // want hits:`guarded by mu \(annotated\)`
	// misses has no annotation: no lock guards it.
	misses int
}

func (s *stats) hit() {
	s.hits++ // want `s\.hits read without s\.mu held, but its \+checklocks`
}

func (s *stats) miss() {
	s.misses++ // no guard: silent
}
