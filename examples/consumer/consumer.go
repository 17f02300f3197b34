// Package consumer is a small Kafka-style group consumer: Poll fetches
// records while a background goroutine sends heartbeats. It is shaped like a
// real client and has real deadlocks in it, for kafkalint to find; each bug
// is marked BUG in a comment, next to code that does the same thing right.
package consumer

import (
	"context"
	"time"

	"github.com/kafkalint/kafkalint/examples/consumer/internal/client"
	"github.com/kafkalint/kafkalint/examples/consumer/internal/coordinator"
)

// Consumer reads from one broker as a member of a group.
type Consumer struct {
	client *client.Client
	coord  *coordinator.Coordinator
}

// New returns a consumer of the broker at addr, in group.
func New(addr, group string) *Consumer {
	c := client.New(addr)
	return &Consumer{client: c, coord: coordinator.New(c, group)}
}

// Start connects and starts heartbeating.
func (c *Consumer) Start(ctx context.Context) error {
	if err := c.client.Connect(ctx); err != nil {
		return err
	}
	c.coord.Start(3 * time.Second)
	return nil
}

// Poll fetches the next batch of records.
//
// BUG (lockorder, lock-order inversion; the other half is the coordinator's
// heartbeatLoop): Poll holds the client lock for the whole fetch, and
// EnsureActive takes the coordinator lock inside it. The heartbeat goroutine
// holds the coordinator lock and then takes the client lock in Send.
func (c *Consumer) Poll() ([]byte, error) {
	c.client.Lock()
	defer c.client.Unlock()
	if err := c.coord.EnsureActive(); err != nil { // kafkalint reports here: takes co.mu under the client lock
		return nil, err
	}
	if err := c.client.SendLocked(client.Request{API: "Fetch"}); err != nil {
		return nil, err
	}
	return c.client.ReadLocked()
}

// Commit commits offset.
func (c *Consumer) Commit(offset int64) error {
	return c.coord.Commit(offset)
}

// Close leaves the group and closes the connection.
func (c *Consumer) Close() error {
	c.coord.Stop()
	c.coord.Leave()
	return c.client.Close()
}
