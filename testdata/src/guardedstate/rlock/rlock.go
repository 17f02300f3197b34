// Package rlock: writes under only a read lock.
package rlock

import "sync"

type cache struct {
	mu      sync.RWMutex
	entries map[string]int // want entries:`guarded by mu \(held at 8 of 8\)`
	order   []string       // want order:`guarded by mu \(held at 5 of 5\)`
	hits    int            // want hits:`guarded by mu \(held at 4 of 4\)`
}

func (c *cache) get(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.entries[k]
	if !ok {
		c.entries[k] = 0 // want `c\.entries written \(a map element.*only a read lock of c\.mu`
	}
	return v
}

func (c *cache) forget(k string) {
	c.mu.RLock()
	delete(c.entries, k) // want `c\.entries written \(a map element.*only a read lock of c\.mu`
	c.mu.RUnlock()
}

func (c *cache) touch(i int) {
	c.mu.RLock()
	c.order[i] = "" // want `c\.order written \(an element\) with only a read lock`
	c.hits++        // want `c\.hits written with only a read lock`
	c.mu.RUnlock()
}

// put is right: the write lock for writes.
func (c *cache) put(k string, v int) {
	c.mu.Lock()
	c.entries[k] = v
	c.order = append(c.order, k)
	c.hits = 0
	c.mu.Unlock()
}

func (c *cache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries) + len(c.order) + c.hits
}

// stats has its own mutex for its map, taken under the read lock of the
// other: the map's guard is statsMu, held in write mode (silent).
type stats struct {
	mu      sync.RWMutex
	statsMu sync.Mutex
	counts  map[string]int // want counts:`guarded by statsMu \(held at 3 of 3\)`
}

func (s *stats) inc(k string) {
	s.mu.RLock()
	s.statsMu.Lock()
	s.counts[k]++
	s.statsMu.Unlock()
	s.mu.RUnlock()
}

func (s *stats) get(k string) int {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	return s.counts[k]
}
