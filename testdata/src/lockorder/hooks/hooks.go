// Package hooks: func values stored in fields, slices and maps of one
// package and called later under a lock (hook registries). A stored call
// runs only the functions stored in that field somewhere in the package.
package hooks

import "sync"

// Client runs its poll hooks under its lock; the coordinator registers
// ensureActive as one, and its heartbeat takes the client lock under its
// own: client.lock → coord.mu (through the hook) and coord.mu → client.lock.
type Client struct {
	lock  sync.Mutex
	hooks []func()
	quiet []func()
}

type Coord struct {
	mu sync.Mutex
	c  *Client
	n  int
}

func NewCoord(c *Client) *Coord {
	co := &Coord{c: c}
	c.lock.Lock()
	c.hooks = append(c.hooks, co.ensureActive)
	c.quiet = append(c.quiet, co.count)
	c.lock.Unlock()
	return co
}

func (co *Coord) ensureActive() {
	co.mu.Lock()
	co.n++
	co.mu.Unlock()
}

func (co *Coord) count() { co.n++ }

func (c *Client) Poll() {
	c.lock.Lock()
	defer c.lock.Unlock()
	for _, h := range c.hooks {
		h() // want `lock order inversion: hooks.Coord.mu`
	}
}

func (co *Coord) Heartbeat() {
	co.mu.Lock()
	defer co.mu.Unlock()
	co.c.lock.Lock()
	co.c.lock.Unlock()
}

// quiet holds only functions that take no lock: calling them under the
// client lock orders nothing.
func (c *Client) PollQuiet() {
	c.lock.Lock()
	defer c.lock.Unlock()
	for _, h := range c.quiet {
		h()
	}
}

// A map registry: handlers stored by name, run under the router's lock.
type Router struct {
	mu       sync.Mutex
	handlers map[string]func()
	others   map[string]func()
}

type Store struct {
	mu sync.Mutex
	r  *Router
}

func (s *Store) Register() {
	s.r.mu.Lock()
	s.r.handlers["flush"] = s.flush
	s.r.mu.Unlock()
}

func (s *Store) flush() {
	s.mu.Lock()
	s.mu.Unlock()
}

func (r *Router) Dispatch(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if h, ok := r.handlers[name]; ok {
		h() // want `lock order inversion: hooks.Store.mu`
	}
}

// Others holds nothing that locks (nothing is ever stored in it).
func (r *Router) DispatchOthers(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, h := range r.others {
		h()
	}
}

func (s *Store) Save() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.r.mu.Lock()
	s.r.mu.Unlock()
}

// A single func field set in one package.
type Conn struct {
	mu      sync.Mutex
	onClose func()
}

type Pool struct {
	mu    sync.Mutex
	conns []*Conn
}

func (p *Pool) Add(c *Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.conns = append(p.conns, c)
	c.mu.Lock() // want `lock order inversion: hooks.Conn.mu .*via \(\*hooks.Pool\).remove, stored in hooks.Conn.onClose`
	c.onClose = p.remove
	c.mu.Unlock()
}

func (p *Pool) remove() {
	p.mu.Lock()
	p.mu.Unlock()
}

func (c *Conn) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.onClose != nil {
		c.onClose()
	}
}

// A func field called only in one mode of its object, stored by a function
// that makes the other mode (nats.go's Subscription.pDone: stored in async
// subscriptions, called for sync ones): the mode the object was given
// decides, so a guard on another field of the object keeps the link off.
type Sub struct {
	mu    sync.Mutex
	typ   int
	pDone func()
}

type Watcher struct {
	mu sync.Mutex
}

const asyncSub = 1

func (w *Watcher) Watch() *Sub {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := &Sub{typ: asyncSub}
	s.mu.Lock()
	s.pDone = w.done
	s.mu.Unlock()
	return s
}

func (w *Watcher) done() {
	w.mu.Lock()
	w.mu.Unlock()
}

func (w *Watcher) Subscribe(s *Sub) {
	w.mu.Lock()
	defer w.mu.Unlock()
	s.mu.Lock()
	s.mu.Unlock()
}

func (s *Sub) Remove() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.typ != asyncSub {
		if done := s.pDone; done != nil {
			done()
		}
	}
}
