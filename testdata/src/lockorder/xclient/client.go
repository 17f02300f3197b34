// Package xclient closes a cycle with xcoord: Poll takes the client lock
// then the coordinator's (through Generation); xcoord's Heartbeat takes
// the coordinator lock then the client's (through the send callback).
package xclient

import (
	"sync"

	"lockorder/xcoord"
)

type Client struct {
	mu    sync.Mutex
	coord *xcoord.Coordinator
	sent  []string
}

func (c *Client) send(msg string) {
	c.mu.Lock()
	c.sent = append(c.sent, msg)
	c.mu.Unlock()
}

func (c *Client) Poll() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.coord.Generation() // want `lock order inversion: xcoord.Coordinator.mu is acquired here while holding xclient.Client.mu`
}

func (c *Client) Run() {
	go c.coord.Heartbeat(c.send)
}

// PollFixed reads the generation before taking the client lock.
func (c *Client) PollFixed() int {
	g := c.coord.Generation()
	c.mu.Lock()
	defer c.mu.Unlock()
	return g + len(c.sent)
}

// Rejoin hands send to a method that calls it after unlocking: no edge.
func (c *Client) Rejoin() { c.coord.Rejoin(c.send) }
