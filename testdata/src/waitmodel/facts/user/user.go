// Package user waits, under its own lock, on resources of package lib
// that lib's facts describe.
package user

import (
	"sync"

	"waitmodel/facts/lib"
)

// Consume holds g.mu while lib's Release waits for the session's dead
// channel; the only wake-up, lib's Loop called by loop, needs g.mu first.
type Group struct {
	mu sync.Mutex
	s  *lib.Session
	n  int
}

func (g *Group) Consume() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.s.Release() // want `g.mu is held while Consume waits for lib.Session.dead`
}

func (g *Group) Start() {
	go g.loop()
}

func (g *Group) loop() {
	g.mu.Lock()
	g.n++
	g.mu.Unlock()
	g.s.Loop()
}

// The same shape on lib's Worker, whose stopped channel a goroutine of lib
// also closes (a wake-up no fact shows): it may end the wait. Silent.
type Pool struct {
	mu sync.Mutex
	w  *lib.Worker
	n  int
}

func (p *Pool) Drain() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.w.Wait()
}

func (p *Pool) Start() {
	go p.loop()
}

func (p *Pool) loop() {
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
	p.w.Stop()
}

// Start holds s.mu while lib's Use waits for a token; the only sends on
// the token channel are Use's own, on this very call: no other goroutine
// has to take s.mu to put a token back. Silent (go-ethereum's p2p Server
// Start → enode.OpenDB, prometheus wlog under w.mtx → zstd).
type Server struct {
	mu sync.Mutex
	t  *lib.Tokens
}

func (s *Server) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setup()
}

func (s *Server) setup() {
	s.t.Use()
}
