// Package oneedge: one wrong edge (client → server) closes several cycles;
// it is reported once, not once per cycle through it.
package oneedge

import "sync"

type Client struct{ mu sync.Mutex }
type Server struct{ mu sync.Mutex }
type Account struct{ mu sync.Mutex }

// The wrong order: client, then server.
func Register(c *Client, s *Server) {
	c.mu.Lock()
	s.mu.Lock() // want `lock order inversion: oneedge.Server.mu is acquired here while holding oneedge.Client.mu`
	s.mu.Unlock()
	c.mu.Unlock()
}

// server → client: closes the 2-cycle.
func Broadcast(s *Server, c *Client) {
	s.mu.Lock()
	c.mu.Lock()
	c.mu.Unlock()
	s.mu.Unlock()
}

// server → account → client: a 3-cycle through the same wrong edge.
func Charge(s *Server, a *Account) {
	s.mu.Lock()
	a.mu.Lock()
	a.mu.Unlock()
	s.mu.Unlock()
}

func Notify(a *Account, c *Client) {
	a.mu.Lock()
	c.mu.Lock()
	c.mu.Unlock()
	a.mu.Unlock()
}
