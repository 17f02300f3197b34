// Package handaway: a lock whose release is handed to a callback or a
// goroutine on success, and acquire-on-success functions whose callers
// drop the error.
package handaway

import (
	"errors"
	"sync"
)

var errEmpty = errors.New("nothing to commit")

type Group struct {
	mu   sync.RWMutex
	offs map[string]int
}

// commit runs done on a goroutine of its own, later.
func (g *Group) commit(offs map[string]int, done func(error)) {
	go func() { done(nil) }()
}

// Commit hands the read lock's release to the commit callback, but the
// early return on an empty map never reaches it (franz-go's CommitOffsets
// shape, with the early return unlocking forgotten).
func (g *Group) Commit(onDone func(error)) error {
	g.mu.RLock() // want `g.mu is locked here and still held when \(\*handaway.Group\).Commit returns .*unlock is handed to a callback`
	if len(g.offs) == 0 {
		return errEmpty
	}
	g.commit(g.offs, func(err error) {
		g.mu.RUnlock()
		onDone(err)
	})
	return nil
}

// CommitOK unlocks on the early return itself.
func (g *Group) CommitOK(onDone func(error)) error {
	g.mu.RLock()
	if len(g.offs) == 0 {
		g.mu.RUnlock()
		return errEmpty
	}
	g.commit(g.offs, func(err error) {
		g.mu.RUnlock()
		onDone(err)
	})
	return nil
}

// Flush hands the lock to a goroutine on success.
func (g *Group) Flush() error {
	g.mu.Lock() // want `g.mu is locked here and still held when \(\*handaway.Group\).Flush returns .*unlock is handed to a callback or goroutine`
	if g.offs == nil {
		return errEmpty
	}
	go func() {
		defer g.mu.Unlock()
		g.offs = nil
	}()
	return nil
}

// FlushOK hands it on every path.
func (g *Group) FlushOK() error {
	g.mu.Lock()
	go func() {
		defer g.mu.Unlock()
		g.offs = nil
	}()
	if g.offs == nil {
		return errEmpty
	}
	return nil
}

// Conn.lockOpen is an acquire on success: it returns holding c.mu when
// its error is nil, and unlocks before returning an error.
type Conn struct {
	mu     sync.Mutex
	closed bool
	n      int
}

var errClosed = errors.New("closed")

func (c *Conn) lockOpen() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return errClosed
	}
	return nil
}

// Bump drops the error and never unlocks: c.mu stays held.
func (c *Conn) Bump() {
	c.lockOpen() // want `\(\*handaway.Conn\).lockOpen returns holding c.mu when its error is nil, and this call drops the error`
	c.n++
}

// BumpChecked checks the error and unlocks on success.
func (c *Conn) BumpChecked() error {
	if err := c.lockOpen(); err != nil {
		return err
	}
	defer c.mu.Unlock()
	c.n++
	return nil
}

// BumpUnchecked drops the error but unlocks after: not a leak (on the
// error path the unlock is of an unlocked mutex, another bug, not a hang).
func (c *Conn) BumpUnchecked() {
	_ = c.lockOpen()
	c.n++
	c.mu.Unlock()
}

// Broker.Open hands its lock to a goroutine that unlocks it and then makes
// a request that locks and unlocks it again (Shopify/sarama's Broker.Open,
// go withRecover(func() { … }):
// the deferred unlock, then ApiVersions): the release is still handed on,
// so a caller that drops Open's error leaks nothing, and its next request
// is no double lock.
type Broker struct {
	lock   sync.Mutex
	opened bool
	err    error
}

func (b *Broker) Open() error {
	if b.opened {
		return errClosed
	}
	b.lock.Lock()
	go withRecover(func() {
		defer func() {
			b.lock.Unlock()
			b.ping()
		}()
		b.err = nil
	})
	return nil
}

func withRecover(fn func()) {
	defer func() { _ = recover() }()
	fn()
}

func (b *Broker) ping() {
	b.lock.Lock()
	b.lock.Unlock()
}

func useBroker(b *Broker) {
	_ = b.Open()
	b.ping()
}
