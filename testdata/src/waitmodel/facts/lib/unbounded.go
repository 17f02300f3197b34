package lib

import (
	"net"
	"time"
)

// Conn reads frames from a network connection.
type Conn struct {
	nc net.Conn
}

// ReadFrame reads with no deadline: it blocks until the peer sends.
func (c *Conn) ReadFrame(b []byte) (int, error) { // want ReadFrame:`waits\(unbounded read\)`
	return c.nc.Read(b)
}

// ReadFrameTimeout sets a deadline first: no fact.
func (c *Conn) ReadFrameTimeout(b []byte) (int, error) {
	c.nc.SetReadDeadline(time.Now().Add(time.Second))
	return c.nc.Read(b)
}

// Nap sleeps, through a helper.
func Nap() { nap() } // want Nap:`waits\(unbounded sleep\)`

// nap is unexported: no other package can call it, so no fact.
func nap() { time.Sleep(time.Second) }
