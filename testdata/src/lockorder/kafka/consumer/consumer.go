// Package consumer wires client and coordinator the way kafka-python's
// KafkaConsumer did: poll takes the client lock, then (inside the network
// poll) the coordinator lock; the heartbeat goroutine takes the
// coordinator lock, then the client lock. The inversion is closed here.
package consumer

import (
	"sync"

	"lockorder/kafka/client"
	"lockorder/kafka/coordinator"
)

type Consumer struct {
	client *client.Client
	coord  *coordinator.Coordinator
	stop   chan struct{}
}

func New() *Consumer {
	cl := client.New()
	c := &Consumer{client: cl, coord: coordinator.New(cl), stop: make(chan struct{})}
	go c.coord.HeartbeatLoop(c.stop)
	return c
}

// Poll: client lock (client.Poll) → coordinator lock (OnComplete callback).
func (c *Consumer) Poll() {
	c.coord.EnsureActiveGroup()
	c.client.Poll(c.coord.OnComplete) // want `lock order inversion: coordinator.Coordinator.mu is acquired here while holding client.Client.mu`
}

// PollFixed runs the callback after the client lock is released.
func (c *Consumer) PollFixed() {
	c.coord.EnsureActiveGroup()
	c.client.PollDetached(c.coord.OnComplete)
}

// FixedConsumer pairs PollFixed with the fixed heartbeat loop.
type FixedConsumer struct {
	client *client.Client
	coord  *coordinator.Coordinator
	stop   chan struct{}
	once   sync.Once
}

func NewFixed() *FixedConsumer {
	cl := client.New()
	c := &FixedConsumer{client: cl, coord: coordinator.New(cl), stop: make(chan struct{})}
	go c.coord.HeartbeatLoopFixed(c.stop)
	return c
}

func (c *FixedConsumer) Poll() {
	c.coord.EnsureActiveGroup()
	c.client.PollDetached(c.coord.OnComplete)
}

func (c *FixedConsumer) Close() { c.once.Do(func() { close(c.stop) }) }
