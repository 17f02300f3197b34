// Package xcoord is the first half of a cross-package cycle: it takes its
// own lock, then calls back into a sender while holding it. The cycle is
// closed (and reported) in xclient, which imports it.
package xcoord

import "sync"

type Sender interface{ Send(msg string) }

type Coordinator struct {
	mu         sync.Mutex
	generation int
}

// Heartbeat holds the coordinator lock while it sends through the client.
func (c *Coordinator) Heartbeat(send func(string)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.generation++
	send("heartbeat")
}

// Generation takes the coordinator lock alone.
func (c *Coordinator) Generation() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.generation
}

// Rejoin releases before calling out: no edge from c.mu.
func (c *Coordinator) Rejoin(send func(string)) {
	c.mu.Lock()
	c.generation = 0
	c.mu.Unlock()
	send("join")
}
