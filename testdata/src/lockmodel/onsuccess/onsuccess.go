package onsuccess // want package:""

// Package onsuccess: an acquire-on-success function's fact says which lock
// it holds when its error is nil; one that holds it on an error return too
// says nothing of the kind.

import (
	"errors"
	"sync"
)

type Conn struct {
	mu     sync.Mutex
	closed bool
}

var errClosed = errors.New("closed")

func (c *Conn) LockOpen() error { // want LockOpen:"acquires \\(onsuccess.Conn\\).mu locked\\(param0.mu\\); returns holding on success \\(onsuccess.Conn\\).mu\\(param0.mu\\)"
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return errClosed
	}
	return nil
}

func (c *Conn) LockAlways() error { // want LockAlways:"acquires \\(onsuccess.Conn\\).mu locked\\(param0.mu\\); returns holding \\(onsuccess.Conn\\).mu\\(param0.mu\\)$"
	c.mu.Lock()
	if c.closed {
		return errClosed
	}
	return nil
}
