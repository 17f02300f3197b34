// Package crossdef declares annotated state that crossuse accesses.
package crossdef

import "sync"

type Conn struct {
	Mu sync.Mutex
	// +checklocks:Mu
	State int // want State:`guarded by Mu \(annotated\)`
}

// +checklocks:c.Mu
func (c *Conn) Bump() { // want Bump:`holds param0.Mu \(annotated\)`
	c.State++
}

func (c *Conn) Set(s int) {
	c.Mu.Lock()
	c.State = s
	c.Mu.Unlock()
}
