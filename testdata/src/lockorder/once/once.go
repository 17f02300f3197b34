// Package once: sync.Once.Do holds the Once's internal mutex while its
// function runs, and a second Do of the same Once waits until that
// function returns (quic-go #4266, fixed in v0.42.0: Transport.close held
// t.mutex around server.close's closeOnce.Do, whose function, run first
// by Listener.Close on another goroutine, called back into t.mutex).
package once

import "sync"

// Transport → server: the #4266 shape. A lock-cycle between the Once and
// the transport's mutex.
type Transport struct {
	mu  sync.Mutex
	srv *server
}

type server struct {
	once    sync.Once
	onClose func()
}

func (t *Transport) closeServer() {
	t.mu.Lock()
	t.srv = nil
	t.mu.Unlock()
}

// newServer stores the callback its one caller passes (quic-go's
// newServer(..., t.closeServer, ...)): s.onClose calls closeServer.
func newServer(onClose func()) *server {
	return &server{onClose: onClose}
}

func (t *Transport) Listen() *server {
	s := newServer(t.closeServer)
	t.mu.Lock()
	t.srv = s
	t.mu.Unlock()
	return s
}

func (s *server) close() { s.once.Do(func() { s.onClose() }) } // want `once.Transport.mu is acquired here while holding once.server.once`

// Close is goroutine 1: the Once, then t.mu (through onClose).
func (s *server) Close() { s.close() }

// Close is goroutine 2: t.mu, then the Once.
func (t *Transport) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.srv != nil {
		t.srv.close()
	}
}

// The fix (v0.42.0's shape): the callback runs after Do returns, outside
// the Once. Silent.
type FixedTransport struct {
	mu  sync.Mutex
	srv *fixedServer
}

type fixedServer struct {
	once    sync.Once
	onClose func()
}

func (t *FixedTransport) closeServer() {
	t.mu.Lock()
	t.srv = nil
	t.mu.Unlock()
}

func (t *FixedTransport) Listen() *fixedServer {
	s := &fixedServer{onClose: t.closeServer}
	t.mu.Lock()
	t.srv = s
	t.mu.Unlock()
	return s
}

func (s *fixedServer) close() bool {
	first := false
	s.once.Do(func() { first = true })
	return first
}

func (s *fixedServer) Close() {
	if s.close() {
		s.onClose()
	}
}

func (t *FixedTransport) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.srv != nil {
		t.srv.close()
	}
}

// A Do under a lock whose function takes no lock: silent (nothing waits
// on anything the Once's holder wants).
type Lazy struct {
	mu   sync.Mutex
	once sync.Once
	v    map[string]int
}

func (l *Lazy) Get(k string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.once.Do(func() { l.v = map[string]int{} })
	return l.v[k]
}

// A Do whose function takes a lock that is never held around a Do:
// silent (one order only).
type Init struct {
	mu   sync.Mutex
	once sync.Once
	n    int
}

func (i *Init) Start() {
	i.once.Do(func() {
		i.mu.Lock()
		i.n++
		i.mu.Unlock()
	})
}

func (i *Init) N() int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.n
}

// Another Once of the same class inside the function (a parent's Do
// initialising a child): not the same instance, silent.
type Node struct {
	once  sync.Once
	child *Node
}

func (n *Node) Init() {
	n.once.Do(func() {
		if n.child != nil {
			n.child.Init()
		}
	})
}
