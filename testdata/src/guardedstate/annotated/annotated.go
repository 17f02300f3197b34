// Package annotated: gVisor checklocks annotations, accepted verbatim.
package annotated

import "sync"

type conn struct {
	mu sync.Mutex
	// +checklocks:mu
	state int // want state:`guarded by mu \(annotated\)`
	// +checklocks:mu
	// +checklocksignore
	debug int
	addr  string
}

func (c *conn) setState(s int) {
	c.mu.Lock()
	c.state = s
	c.mu.Unlock()
}

func (c *conn) peek() int {
	return c.state // want `c\.state read without c\.mu held, but its \+checklocks annotation`
}

func (c *conn) peekIgnored() int {
	return c.state // +checklocksignore
}

func (c *conn) debugInfo() int {
	return c.debug // the field is +checklocksignore (silent)
}

// +checklocks:c.mu
func (c *conn) bump() { // want bump:`holds param0.mu \(annotated\)`
	c.state++ // held on entry, by annotation (silent)
}

func (c *conn) callBump() {
	c.mu.Lock()
	c.bump()
	c.mu.Unlock()
	c.bump() // want `\(\*annotated\.conn\)\.bump is called without c\.mu held; its \+checklocks annotation`
}

// +checklocksignore
func (c *conn) unchecked() int {
	return c.state
}

// Bump is exported and annotated: callers in other packages are checked.
//
// +checklocks:c.mu
func (c *conn) Bump() { // want Bump:`holds param0.mu \(annotated\)`
	c.state++
}

// +checklocksread:c.mu
func (c *conn) read() int { // want read:`read-holds param0.mu \(annotated\)`
	return c.state
}

func newConn() *conn {
	c := &conn{}
	c.state = 1 // before publication (silent)
	c.bump()    // before publication (silent)
	return c
}
