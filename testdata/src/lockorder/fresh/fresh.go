// Package fresh: locks of an object the function has just allocated and
// not yet published order nothing (vault NewClient, nats-server
// createGateway); once published, they do.
package fresh

import (
	"errors"
	"sync"
)

type Config struct {
	mu      sync.RWMutex
	timeout int
}

type Client struct {
	mu      sync.RWMutex
	config  *Config
	headers map[string]string
}

func NewClient(c *Config) *Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	cl := &Client{config: c, headers: map[string]string{}}
	cl.AddHeader("a", "b")
	return cl
}

func (c *Client) AddHeader(k, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.headers[k] = v
}

func (c *Client) Timeout() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.config.mu.RLock()
	defer c.config.mu.RUnlock()
	return c.config.timeout
}

// A fresh connection locked before the server lock: nobody else can hold it.
type Server struct {
	mu    sync.RWMutex
	conns []*Conn
}

type Conn struct {
	mu  sync.Mutex
	srv *Server
}

func (s *Server) Create() *Conn {
	c := &Conn{srv: s}
	c.mu.Lock()
	s.mu.RLock()
	s.mu.RUnlock()
	c.mu.Unlock()
	s.mu.Lock()
	s.conns = append(s.conns, c)
	s.mu.Unlock()
	return c
}

// Once published (stored in s.conns), it is shared: the order counts.
func (s *Server) CreatePublished() *Conn {
	c := &Conn{srv: s}
	s.mu.Lock()
	s.conns = append(s.conns, c)
	s.mu.Unlock()
	c.mu.Lock()
	s.mu.RLock() // want `lock order inversion: fresh.Server.mu is acquired here while holding fresh.Conn.mu`
	s.mu.RUnlock()
	c.mu.Unlock()
	return c
}

func (s *Server) CloseAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		c.mu.Lock()
		c.mu.Unlock()
	}
}

// Clone holds the config lock while NewClient configures a new client: the
// new client's lock is private to NewClient then, so no edge reaches Clone.
func (c *Client) Clone() *Client {
	c.config.mu.RLock()
	defer c.config.mu.RUnlock()
	return newClientLocked(c.config)
}

func newClientLocked(cfg *Config) *Client {
	cl := &Client{config: cfg, headers: map[string]string{}}
	cl.AddHeader("x", "y")
	return cl
}

// A constructor in the middle: the clone is configured through the value
// the constructor returned, still private to cloneVia.
func (c *Client) CloneVia() (*Client, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.config.mu.RLock()
	defer c.config.mu.RUnlock()
	return c.cloneVia()
}

func (c *Client) cloneVia() (*Client, error) {
	cl, err := newClient(c.config)
	if err != nil {
		return nil, err
	}
	cl.AddHeader("k", "v")
	return cl, nil
}

func newClient(cfg *Config) (*Client, error) {
	if cfg == nil {
		return nil, errNoConfig
	}
	return &Client{config: cfg, headers: map[string]string{}}, nil
}

var errNoConfig = errors.New("no config")

// A constructor with defers returns through a result cell, here with two
// results (vault's NewClient): the session it returns is still private to
// Clone, so tagging it under the settings lock orders nothing.
type Settings struct {
	mu sync.RWMutex
	n  int
}

type Session struct {
	mu       sync.RWMutex
	settings *Settings
	tags     map[string]string
}

func newSession(s *Settings) (*Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n < 0 {
		return nil, errNoConfig
	}
	return &Session{settings: s, tags: map[string]string{}}, nil
}

func (s *Session) Tag(k, v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tags[k] = v
}

func (s *Session) N() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.settings.mu.RLock()
	defer s.settings.mu.RUnlock()
	return s.settings.n
}

func (s *Session) Clone() (*Session, error) {
	s.settings.mu.RLock()
	defer s.settings.mu.RUnlock()
	cl, err := newSession(&Settings{n: s.settings.n})
	if err != nil {
		return nil, err
	}
	cl.Tag("a", "b")
	return cl, nil
}

// The same constructor that also registers the new session before it
// returns: others can lock it at once, so the order counts.
type SharedSettings struct {
	mu sync.RWMutex
	n  int
}

type SharedSession struct {
	mu       sync.RWMutex
	settings *SharedSettings
	tags     map[string]string
}

var registry []*SharedSession

func newSharedSession(s *SharedSettings) (*SharedSession, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n < 0 {
		return nil, errNoConfig
	}
	ss := &SharedSession{settings: s, tags: map[string]string{}}
	registry = append(registry, ss)
	return ss, nil
}

func (s *SharedSession) Tag(k, v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tags[k] = v
}

func (s *SharedSession) N() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.settings.mu.RLock() // want `lock order inversion: fresh.SharedSettings.mu is acquired here while holding fresh.SharedSession.mu`
	defer s.settings.mu.RUnlock()
	return s.settings.n
}

func (s *SharedSession) Clone() (*SharedSession, error) {
	s.settings.mu.RLock()
	defer s.settings.mu.RUnlock()
	cl, err := newSharedSession(&SharedSettings{n: s.settings.n})
	if err != nil {
		return nil, err
	}
	cl.Tag("a", "b")
	return cl, nil
}
