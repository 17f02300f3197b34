// Package coordinator is the group coordinator: its lock guards the
// generation and membership. The heartbeat goroutine holds it while it
// sends through the client (coordinator lock → client lock).
package coordinator

import (
	"sync"
	"time"

	"lockorder/kafka/client"
)

type Coordinator struct {
	mu         sync.Mutex
	client     *client.Client
	generation int32
	memberID   string
}

func New(c *client.Client) *Coordinator { return &Coordinator{client: c} }

// EnsureActiveGroup rejoins the group if needed; takes the coordinator lock.
func (c *Coordinator) EnsureActiveGroup() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.memberID == "" {
		c.memberID = "member-1"
		c.generation++
	}
}

// OnComplete handles a completed request (a poll callback).
func (c *Coordinator) OnComplete(r client.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r.API == "Heartbeat" {
		c.generation++
	}
}

// HeartbeatLoop sends heartbeats with the coordinator lock held.
func (c *Coordinator) HeartbeatLoop(stop <-chan struct{}) {
	t := time.NewTicker(3 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			c.mu.Lock()
			c.sendHeartbeat()
			c.mu.Unlock()
		}
	}
}

func (c *Coordinator) sendHeartbeat() {
	c.client.Send(0, client.Request{API: "Heartbeat"})
}

// HeartbeatLoopFixed copies what it needs under the lock and sends after.
func (c *Coordinator) HeartbeatLoopFixed(stop <-chan struct{}) {
	t := time.NewTicker(3 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			c.mu.Lock()
			gen := c.generation
			c.mu.Unlock()
			if gen > 0 {
				c.sendHeartbeat()
			}
		}
	}
}
