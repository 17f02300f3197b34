// Package public is the same connection in a package anyone may import:
// any two goroutines may call Write and Reset at once, so the cycle is
// reported here, in the package that holds the locks.
package public

import "sync"

type Conn struct {
	mu      sync.Mutex
	stateMu sync.Mutex
	pending []string
	state   int
}

func (c *Conn) Write(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending = append(c.pending, s)
	c.setState(1) // want `lock-cycle|lock order inversion: public.Conn.stateMu`
}

func (c *Conn) setState(n int) {
	c.stateMu.Lock()
	c.state = n
	c.stateMu.Unlock()
}

func (c *Conn) Reset() {
	c.stateMu.Lock()
	defer c.stateMu.Unlock()
	c.state = 0
	c.mu.Lock()
	c.pending = nil
	c.mu.Unlock()
}
