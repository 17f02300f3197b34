// Package blind holds ctxcancel's ctx-blind-wait cases.
package blind

import (
	"context"
	"errors"
)

type conn struct{}

func (c *conn) read(ctx context.Context) ([]byte, error) { return nil, nil }

// ReadOne waits for a goroutine that returns early on error without
// sending: the receive hangs and ctx cannot end it.
func ReadOne(ctx context.Context, c *conn) []byte {
	out := make(chan []byte)
	go func() {
		b, err := c.read(ctx)
		if err != nil {
			return
		}
		out <- b
	}()
	return <-out // want `this receive from out cannot be interrupted by the context, and the goroutine started at line \d+ \(ReadOne\$1\) can return at line \d+ without sending on or closing out`
}

// ReadOneSelect also selects on ctx.Done(): fine.
func ReadOneSelect(ctx context.Context, c *conn) ([]byte, error) {
	out := make(chan []byte, 1)
	go func() {
		b, err := c.read(ctx)
		if err != nil {
			return
		}
		out <- b
	}()
	select {
	case b := <-out:
		return b, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// ReadOneAlways sends on every path: fine.
func ReadOneAlways(ctx context.Context, c *conn) ([]byte, error) {
	type res struct {
		b   []byte
		err error
	}
	out := make(chan res)
	go func() {
		b, err := c.read(ctx)
		out <- res{b, err}
	}()
	r := <-out
	return r.b, r.err
}

// ReadOneOrErr: the goroutine sends on one channel or the other, and the
// select waits for both: every path delivers.
func ReadOneOrErr(ctx context.Context, c *conn) ([]byte, error) {
	out := make(chan []byte)
	errc := make(chan error)
	go func() {
		b, err := c.read(ctx)
		if err != nil {
			errc <- err
			return
		}
		out <- b
	}()
	select {
	case b := <-out:
		return b, nil
	case err := <-errc:
		return nil, err
	}
}

// ReadOneGivesUp: the goroutine gives up with ctx, but the receive does not.
func ReadOneGivesUp(ctx context.Context, c *conn) []byte {
	out := make(chan []byte)
	go func() {
		b, _ := c.read(ctx)
		select {
		case out <- b:
		case <-ctx.Done():
		}
	}()
	return <-out // want `this receive from out cannot be interrupted by the context, and the goroutine started at line \d+ \(ReadOneGivesUp\$1\) can return`
}

// Drain ranges over a channel the goroutine closes only on success.
func Drain(ctx context.Context, c *conn) int {
	out := make(chan []byte)
	go func() {
		for i := 0; i < 3; i++ {
			b, err := c.read(ctx)
			if err != nil {
				return
			}
			out <- b
		}
		close(out)
	}()
	n := 0
	for b := range out { // want `this receive loop over out cannot be interrupted by the context, and the goroutine started at line \d+ \(Drain\$1\) can return at line \d+ without closing out`
		n += len(b)
	}
	return n
}

// DrainDeferred closes with defer: every path closes.
func DrainDeferred(ctx context.Context, c *conn) int {
	out := make(chan []byte)
	go func() {
		defer close(out)
		for i := 0; i < 3; i++ {
			b, err := c.read(ctx)
			if err != nil {
				return
			}
			out <- b
		}
	}()
	n := 0
	for b := range out {
		n += len(b)
	}
	return n
}

// NoContext: the same wait without a context parameter is not this
// check's business.
func NoContext(c *conn) []byte {
	out := make(chan []byte)
	go func() {
		b, err := c.read(context.Background())
		if err != nil {
			return
		}
		out <- b
	}()
	return <-out
}

var errClosed = errors.New("closed")
