// Package callbacklib is a Kafka-client-shaped library that runs user
// callbacks while holding its own lock: an option stores a func in a
// config field, and a handler interface is called during rebalances.
package callbacklib

import "sync"

type cfg struct {
	onRevoked func(partitions []int32)
}

type Opt func(*cfg)

// OnPartitionsRevoked stores fn; the group calls it under the group lock.
func OnPartitionsRevoked(fn func([]int32)) Opt {
	return func(c *cfg) { c.onRevoked = fn }
}

// Handler is called by the group for each claim.
type Handler interface {
	Setup(generation int32) error
	Cleanup(generation int32) error
}

type Group struct {
	mu      sync.Mutex
	cfg     cfg
	handler Handler
	owned   []int32
	gen     int32
}

func NewGroup(h Handler, opts ...Opt) *Group {
	g := &Group{handler: h}
	for _, o := range opts {
		o(&g.cfg)
	}
	return g
}

// Revoke runs the revoke callback with the group lock held.
func (g *Group) Revoke() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cfg.onRevoked != nil {
		g.cfg.onRevoked(g.owned)
	}
	g.owned = nil
}

// Rebalance calls the handler's Setup under the group lock.
func (g *Group) Rebalance() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.gen++
	return g.handler.Setup(g.gen)
}

// Finish calls Cleanup after unlocking: no lock is held around it.
func (g *Group) Finish() error {
	g.mu.Lock()
	gen := g.gen
	g.mu.Unlock()
	return g.handler.Cleanup(gen)
}

// Assigned reads the owned partitions under the group lock.
func (g *Group) Assigned() []int32 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]int32(nil), g.owned...)
}
