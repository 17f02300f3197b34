// Package client is the consumer's connection to its broker: one connection,
// one request at a time.
package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
)

// Request is one request to the broker.
type Request struct {
	API  string // "Fetch", "Heartbeat", "JoinGroup", ...
	Body []byte
}

var errNotConnected = errors.New("client: not connected")

// Client is a connection to one broker.
//
// The embedded Mutex guards conn. Send takes it; a caller that issues several
// requests in a row holds it itself and uses the *Locked methods.
type Client struct {
	sync.Mutex
	addr   string
	dialer net.Dialer
	conn   net.Conn
}

// New returns a client for the broker at addr; Connect dials it.
func New(addr string) *Client {
	return &Client{addr: addr}
}

// Connect dials the broker.
//
// BUG (lockorder, lock leaked on an error return): when the dial fails,
// Connect returns with c still locked, and the next Send, heartbeat or Poll
// blocks forever. Reconnect below is the same code done right.
func (c *Client) Connect(ctx context.Context) error {
	c.Lock() // kafkalint reports here: held at the error return below
	conn, err := c.dialer.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", c.addr, err) // c is still locked here
	}
	c.conn = conn
	c.Unlock()
	return nil
}

// Reconnect replaces the connection. Correct: the deferred Unlock releases c
// on every return.
func (c *Client) Reconnect(ctx context.Context) error {
	c.Lock()
	defer c.Unlock()
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
	conn, err := c.dialer.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return fmt.Errorf("reconnect to %s: %w", c.addr, err)
	}
	c.conn = conn
	return nil
}

// Send writes one request; it takes c's lock for the time of the write.
func (c *Client) Send(req Request) error {
	c.Lock()
	defer c.Unlock()
	return c.SendLocked(req)
}

// SendLocked writes one request. The caller holds c.
func (c *Client) SendLocked(req Request) error {
	if c.conn == nil {
		return errNotConnected
	}
	if _, err := fmt.Fprintf(c.conn, "%s %d\n", req.API, len(req.Body)); err != nil {
		return err
	}
	_, err := c.conn.Write(req.Body)
	return err
}

// ReadLocked reads one response. The caller holds c.
func (c *Client) ReadLocked() ([]byte, error) {
	if c.conn == nil {
		return nil, errNotConnected
	}
	buf := make([]byte, 64<<10)
	n, err := c.conn.Read(buf)
	return buf[:n], err
}

// Close closes the connection.
func (c *Client) Close() error {
	c.Lock()
	defer c.Unlock()
	if c.conn == nil {
		return nil
	}
	err := c.conn.Close()
	c.conn = nil
	return err
}
