package client

import (
	"sync"

	"example.com/gcltest/coord"
)

// Cache mirrors the member registry. It has the same cycle as Client, but
// its owner accepted it, and says why.
type Cache struct {
	mu       sync.Mutex
	registry *coord.Registry
	names    []string
}

func (c *Cache) add(name string) {
	c.mu.Lock()
	c.names = append(c.names, name)
	c.mu.Unlock()
}

// Len holds the cache lock while it asks the registry.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	//kafkalint:ignore lock-cycle Refresh runs once at startup, before any caller can reach Len
	return c.registry.Size()
}

// Refresh runs in its own goroutine at startup.
func (c *Cache) Refresh() {
	go c.registry.Each(c.add)
}
