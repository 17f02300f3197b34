// Package gatepairs: a gate lock held on two paths of a cycle keeps those
// two from running at once, so the cycle cannot close even when the third
// path does not hold the gate.
package gatepairs

import "sync"

type Store struct {
	gate sync.Mutex
	a    sync.Mutex
	b    sync.Mutex
	c    sync.Mutex
}

// a → b and b → c both under gate; c → a without it: silent.
func (s *Store) AB() {
	s.gate.Lock()
	defer s.gate.Unlock()
	s.a.Lock()
	s.b.Lock()
	s.b.Unlock()
	s.a.Unlock()
}

func (s *Store) BC() {
	s.gate.Lock()
	defer s.gate.Unlock()
	s.b.Lock()
	s.c.Lock()
	s.c.Unlock()
	s.b.Unlock()
}

func (s *Store) CA() {
	s.c.Lock()
	s.a.Lock()
	s.a.Unlock()
	s.c.Unlock()
}

// The gate on one path only serializes nothing: reported.
type Cache struct {
	gate sync.Mutex
	x    sync.Mutex
	y    sync.Mutex
	z    sync.Mutex
}

func (c *Cache) XY() {
	c.gate.Lock()
	defer c.gate.Unlock()
	c.x.Lock()
	c.y.Lock() // want `lock order cycle: gatepairs.Cache.x → gatepairs.Cache.y → gatepairs.Cache.z → gatepairs.Cache.x`
	c.y.Unlock()
	c.x.Unlock()
}

func (c *Cache) YZ() {
	c.y.Lock()
	c.z.Lock()
	c.z.Unlock()
	c.y.Unlock()
}

func (c *Cache) ZX() {
	c.z.Lock()
	c.x.Lock()
	c.x.Unlock()
	c.z.Unlock()
}
