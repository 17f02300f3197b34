package hooks

import "sync"

// A hook of the object itself, run under the lock it takes: the registry
// call locks c.mu again (the stored receiver is the object whose field
// holds the hook: the same instance).
type Cache struct {
	mu      sync.Mutex
	onEvict []func()
	peers   []func()
	n       int
}

func NewCache() *Cache {
	c := &Cache{}
	c.onEvict = append(c.onEvict, c.reset)
	return c
}

func (c *Cache) reset() {
	c.mu.Lock()
	c.n = 0
	c.mu.Unlock()
}

func (c *Cache) Evict() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, f := range c.onEvict {
		f() // want `locked via \(\*hooks.Cache\).reset, stored in hooks.Cache.onEvict\[\] .*again`
	}
}

// peers holds another cache's reset: the same class, another instance.
func (c *Cache) Link(other *Cache) {
	c.peers = append(c.peers, other.reset)
}

func (c *Cache) EvictPeers() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, f := range c.peers {
		f()
	}
}
