// Package wrapper: decorators of one interface, each holding its own lock
// while it calls the object it wraps (zap's BufferedWriteSyncer and
// lockedWriteSyncer). By class the calls form a cycle, but a deadlock needs
// an object that wraps itself: not reported. A cycle with one ordinary
// edge is.
package wrapper

import "sync"

type Syncer interface {
	Write([]byte) (int, error)
	Sync() error
}

type Locked struct {
	sync.Mutex
	ws Syncer
}

func (s *Locked) Write(b []byte) (int, error) {
	s.Lock()
	defer s.Unlock()
	return s.ws.Write(b)
}

func (s *Locked) Sync() error {
	s.Lock()
	defer s.Unlock()
	return s.ws.Sync()
}

type Buffered struct {
	mu sync.Mutex
	WS Syncer
}

func (s *Buffered) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(b), nil
}

func (s *Buffered) Sync() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.WS.Sync()
}

// The same decorators, plus a method that holds a Tee's lock and calls a
// Guard it was handed (not the object it wraps): that edge is ordinary, and
// with the Guard's delegation to a Tee it is a real inversion.
type Sink interface {
	Put([]byte) error
}

type Guard struct {
	mu   sync.Mutex
	next Sink
}

func (g *Guard) Put(b []byte) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.next.Put(b) // want `lock order inversion: wrapper.Tee.mu is acquired here while holding wrapper.Guard.mu`
}

type Tee struct {
	mu  sync.Mutex
	out Sink
}

func (t *Tee) Put(b []byte) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return nil
}

// NewGuard makes a Tee the Sink a Guard writes to.
func NewGuard(t *Tee) *Guard {
	return &Guard{next: t}
}

func (t *Tee) Drain(g *Guard) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return g.Put(nil)
}
