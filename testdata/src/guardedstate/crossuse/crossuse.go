// Package crossuse uses crossdef's annotated field and function.
package crossuse

import "guardedstate/crossdef"

func use(c *crossdef.Conn) int {
	c.Mu.Lock()
	c.Bump()
	n := c.State
	c.Mu.Unlock()
	c.Bump()           // want `\(\*crossdef\.Conn\)\.Bump is called without c\.Mu held`
	return n + c.State // want `c\.State read without c\.Mu held, but its \+checklocks`
}
