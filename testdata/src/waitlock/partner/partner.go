package partner

import (
	"context"
	"errors"
	"sync"
)

// The sarama v1.25.0 shape (PR 1581): Consume holds the group lock while
// the session's release waits for the heartbeat goroutine to exit; on a
// broker error that goroutine first calls handleError, which takes the
// group lock.
type group struct {
	lock   sync.Mutex
	errors chan error
	report bool
}

type session struct {
	parent      *group
	ctx         context.Context
	cancel      func()
	hbDying     chan struct{}
	hbDead      chan struct{}
	releaseOnce sync.Once
}

func (c *group) Consume(ctx context.Context) error {
	c.lock.Lock()
	defer c.lock.Unlock()
	sess := c.newSession(ctx)
	<-sess.ctx.Done()
	return sess.release() // want `holds c.lock while it waits for s.hbDead, .*heartbeatLoop .* may first take partner.group.lock`
}

func (c *group) newSession(ctx context.Context) *session {
	ctx, cancel := context.WithCancel(ctx)
	s := &session{parent: c, ctx: ctx, cancel: cancel, hbDying: make(chan struct{}), hbDead: make(chan struct{})}
	go s.heartbeatLoop()
	return s
}

func (s *session) release() error {
	s.cancel()
	s.releaseOnce.Do(func() {
		close(s.hbDying)
		<-s.hbDead
	})
	return nil
}

func (s *session) heartbeatLoop() {
	defer close(s.hbDead)
	defer s.cancel()
	for {
		if err := beat(); err != nil {
			s.parent.handleError(err)
			return
		}
		select {
		case <-s.hbDying:
			return
		default:
		}
	}
}

func (c *group) handleError(err error) {
	if !c.report {
		return
	}
	c.lock.Lock()
	defer c.lock.Unlock()
	select {
	case c.errors <- err:
	default:
	}
}

func beat() error { return errors.New("broker down") }

// The v1.26.0 shape: handleError no longer takes the lock. Silent.
type group2 struct {
	lock   sync.Mutex
	errors chan error
}

type session2 struct {
	parent  *group2
	hbDying chan struct{}
	hbDead  chan struct{}
}

func (c *group2) Consume() error {
	c.lock.Lock()
	defer c.lock.Unlock()
	s := &session2{parent: c, hbDying: make(chan struct{}), hbDead: make(chan struct{})}
	go s.heartbeatLoop()
	close(s.hbDying)
	<-s.hbDead
	return nil
}

func (s *session2) heartbeatLoop() {
	defer close(s.hbDead)
	for {
		if err := beat(); err != nil {
			s.parent.handleError(err)
			return
		}
		select {
		case <-s.hbDying:
			return
		default:
		}
	}
}

func (c *group2) handleError(err error) {
	select {
	case c.errors <- err:
	default:
	}
}

// The waiter releases the lock before it waits. Silent.
type group3 struct {
	lock sync.Mutex
	done chan struct{}
}

func (c *group3) Stop() {
	c.lock.Lock()
	c.lock.Unlock()
	<-c.done
}

func (c *group3) Start() {
	c.done = make(chan struct{})
	go c.loop()
}

func (c *group3) loop() {
	defer close(c.done)
	if beat() != nil {
		c.lock.Lock()
		c.lock.Unlock()
	}
}

// Another wake-up runs on the caller's goroutine (an exported Close that
// may be called from anywhere, without the lock): it can end the wait.
// Silent.
type group4 struct {
	lock sync.Mutex
	done chan struct{}
	once sync.Once
}

func (c *group4) Wait() {
	c.lock.Lock()
	defer c.lock.Unlock()
	<-c.done
}

func (c *group4) Start() {
	c.done = make(chan struct{})
	go c.loop()
}

func (c *group4) loop() {
	if beat() != nil {
		c.lock.Lock()
		c.lock.Unlock()
	}
	c.once.Do(func() { close(c.done) })
}

func (c *group4) Close() {
	c.once.Do(func() { close(c.done) })
}

// Read locks on both sides do not exclude each other. Silent.
type group5 struct {
	lock sync.RWMutex
	done chan struct{}
}

func (c *group5) Wait() {
	c.lock.RLock()
	defer c.lock.RUnlock()
	<-c.done
}

func (c *group5) Start() {
	c.done = make(chan struct{})
	go c.loop()
}

func (c *group5) loop() {
	defer close(c.done)
	if beat() != nil {
		c.lock.RLock()
		c.lock.RUnlock()
	}
}
