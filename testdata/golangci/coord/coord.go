// Package coord is the first half of two cross-package lock-order cycles:
// its methods take the coordinator's lock and call back into the caller's
// code while holding it.
package coord

import "sync"

// Coordinator is a group coordinator: a generation guarded by mu.
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

// Registry holds the member list, guarded by its own lock.
type Registry struct {
	mu      sync.Mutex
	members []string
}

// Each calls visit for every member while holding the registry lock.
func (r *Registry) Each(visit func(string)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range r.members {
		visit(m)
	}
}

// Size takes the registry lock alone.
func (r *Registry) Size() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.members)
}
