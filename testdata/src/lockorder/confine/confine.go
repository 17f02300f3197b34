// Package confine: an event loop started once per object runs its
// functions on that object's one goroutine. Two lock orders both taken
// there on the object's own locks, or a recursive read lock whose every
// writer runs there, cannot deadlock; the same code reached from another
// goroutine can.
package confine

import "sync"

// Conn's loop is started by its constructor; Do hands work to it over a
// channel. step1 and step2 take mu and state in opposite orders, one after
// the other on the loop: silent.
type Conn struct {
	mu    sync.Mutex
	state sync.Mutex
	reqs  chan func()
}

func NewConn() *Conn {
	c := &Conn{reqs: make(chan func())}
	go c.loop()
	return c
}

func (c *Conn) Do(f func()) { c.reqs <- f }

func (c *Conn) loop() {
	for f := range c.reqs {
		c.step1()
		f()
		c.step2()
	}
}

func (c *Conn) step1() {
	c.mu.Lock()
	c.state.Lock()
	c.state.Unlock()
	c.mu.Unlock()
}

func (c *Conn) step2() {
	c.state.Lock()
	c.mu.Lock()
	c.mu.Unlock()
	c.state.Unlock()
}

// The same loop, but Flush (exported: any goroutine) also runs one side.
type Peer struct {
	mu    sync.Mutex
	state sync.Mutex
}

func NewPeer() *Peer {
	p := &Peer{}
	go p.loop()
	return p
}

func (p *Peer) loop() {
	for {
		p.step1()
	}
}

func (p *Peer) step1() {
	p.mu.Lock()
	p.state.Lock() // want `lock order inversion: confine.Peer.state is acquired here while holding confine.Peer.mu`
	p.state.Unlock()
	p.mu.Unlock()
}

func (p *Peer) Flush() {
	p.state.Lock()
	p.mu.Lock()
	p.mu.Unlock()
	p.state.Unlock()
}

// Start may be called twice on one object: two loops, not confined.
type Worker struct {
	mu    sync.Mutex
	state sync.Mutex
}

func (w *Worker) Start() { go w.loop() }

func (w *Worker) loop() {
	w.mu.Lock()
	w.state.Lock() // want `lock order inversion: confine.Worker.state is acquired here while holding confine.Worker.mu`
	w.state.Unlock()
	w.mu.Unlock()
	w.state.Lock()
	w.mu.Lock()
	w.mu.Unlock()
	w.state.Unlock()
}

// Several workers per object, started in a loop: not confined.
type Pool struct {
	mu    sync.Mutex
	state sync.Mutex
}

func NewPool(n int) *Pool {
	p := &Pool{}
	for i := 0; i < n; i++ {
		go p.work()
	}
	return p
}

func (p *Pool) work() {
	p.mu.Lock()
	p.state.Lock() // want `lock order inversion: confine.Pool.state is acquired here while holding confine.Pool.mu`
	p.state.Unlock()
	p.mu.Unlock()
	p.state.Lock()
	p.mu.Lock()
	p.mu.Unlock()
	p.state.Unlock()
}

// Package locks are not the object's own: two objects' loops share them.
// (With one of the two locks the object's own, the loops would have to be
// one to meet there: silent, as Conn.)
var registryMu, statsMu sync.Mutex

type Session struct{ mu sync.Mutex }

func NewSession() *Session {
	s := &Session{}
	go func() { s.loop() }()
	return s
}

func (s *Session) loop() {
	registryMu.Lock()
	statsMu.Lock() // want `lock order inversion: confine.statsMu is acquired here while holding confine.registryMu`
	statsMu.Unlock()
	registryMu.Unlock()
	s.mu.Lock()
	statsMu.Lock()
	registryMu.Lock()
	registryMu.Unlock()
	statsMu.Unlock()
	s.mu.Unlock()
}

// Cache's loop reads twice (recursive read lock) and is the only writer:
// silent.
type Cache struct {
	mu   sync.RWMutex
	data map[string]int
}

func NewCache() *Cache {
	c := &Cache{data: map[string]int{}}
	go c.run()
	return c
}

func (c *Cache) run() {
	for {
		c.refresh()
		c.read()
	}
}

func (c *Cache) refresh() {
	c.mu.Lock()
	c.data["k"]++
	c.mu.Unlock()
}

func (c *Cache) read() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.data["k"] + c.get("j")
}

func (c *Cache) get(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.data[k]
}

// Store's loop reads twice, but Set (exported) writes from any goroutine.
type Store struct {
	mu   sync.RWMutex
	data map[string]int
}

func NewStore() *Store {
	s := &Store{data: map[string]int{}}
	go s.run()
	return s
}

func (s *Store) run() {
	for {
		s.read()
	}
}

func (s *Store) read() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.data["k"] + s.get("j") // want `recursive-rlock|s.mu is read-locked again`
}

func (s *Store) get(k string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.data[k]
}

func (s *Store) Set(k string, v int) {
	s.mu.Lock()
	s.data[k] = v
	s.mu.Unlock()
}

// The loop started through a closure over the new object: silent.
type Link struct {
	mu    sync.Mutex
	state sync.Mutex
}

func NewLink() *Link {
	l := &Link{}
	go func() { l.loop() }()
	return l
}

func (l *Link) loop() {
	l.mu.Lock()
	l.state.Lock()
	l.state.Unlock()
	l.mu.Unlock()
	l.state.Lock()
	l.mu.Lock()
	l.mu.Unlock()
	l.state.Unlock()
}
