// Package client closes a lock-order cycle with coord: Poll takes the
// client lock and then the coordinator's; the heartbeat goroutine takes the
// coordinator lock and then the client's (through send).
package client

import (
	"sync"

	"example.com/gcltest/coord"
)

// Client is a consumer client.
type Client struct {
	mu    sync.Mutex
	coord *coord.Coordinator
	sent  []string
}

func (c *Client) send(msg string) {
	c.mu.Lock()
	c.sent = append(c.sent, msg)
	c.mu.Unlock()
}

// Poll holds the client lock while it asks the coordinator.
func (c *Client) Poll() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.coord.Generation()
}

// Run starts the heartbeat goroutine.
func (c *Client) Run() {
	go c.coord.Heartbeat(c.send)
}
