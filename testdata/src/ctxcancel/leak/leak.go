// Package leak holds ctxcancel's cancel-leak cases: a fetch goroutine
// leaking on cancellation and its fixes, each positive beside a negative.
package leak

import (
	"context"
	"errors"
	"time"
)

type Record struct{ Value []byte }

type broker struct{}

func (b *broker) fetch() ([]Record, error) { return nil, nil }

// Fetch leaks its goroutine when ctx is cancelled first: the send on the
// unbuffered results channel has no receiver any more.
func Fetch(ctx context.Context, b *broker) ([]Record, error) {
	results := make(chan []Record)
	go func() {
		recs, err := b.fetch()
		if err != nil {
			return
		}
		results <- recs // want `once Fetch leaves its select through <-ctx.Done\(\) \(line \d+\) without receiving.*, or send in a select with <-ctx.Done\(\)$`
	}()
	select {
	case recs := <-results:
		return recs, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// FetchBuffered is the fix: one slot for the one send.
func FetchBuffered(ctx context.Context, b *broker) ([]Record, error) {
	results := make(chan []Record, 1)
	go func() {
		recs, err := b.fetch()
		if err != nil {
			return
		}
		results <- recs
	}()
	select {
	case recs := <-results:
		return recs, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// FetchSelectSend is the other fix: the goroutine gives up with ctx.
func FetchSelectSend(ctx context.Context, b *broker) ([]Record, error) {
	results := make(chan []Record)
	go func() {
		recs, _ := b.fetch()
		select {
		case results <- recs:
		case <-ctx.Done():
		}
	}()
	select {
	case recs := <-results:
		return recs, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type result struct {
	recs []Record
	err  error
}

// FetchTimeout leaves by a timer: same leak.
func FetchTimeout(b *broker, d time.Duration) ([]Record, error) {
	out := make(chan result)
	go func() {
		recs, err := b.fetch()
		out <- result{recs, err} // want `this send on unbuffered out blocks forever once FetchTimeout leaves its select through a timer`
	}()
	select {
	case r := <-out:
		return r.recs, r.err
	case <-time.After(d):
		return nil, errors.New("timeout")
	}
}

// FetchTimeoutDrained drains the channel after the timeout: no leak.
func FetchTimeoutDrained(b *broker, d time.Duration) ([]Record, error) {
	out := make(chan result)
	go func() {
		recs, err := b.fetch()
		out <- result{recs, err}
	}()
	select {
	case r := <-out:
		return r.recs, r.err
	case <-time.After(d):
		<-out
		return nil, errors.New("timeout")
	}
}

// FetchTwoSends: a buffer of one is not room for two sends.
func FetchTwoSends(ctx context.Context, b *broker) error {
	errc := make(chan error, 1)
	go func() {
		_, err := b.fetch()
		errc <- err
		_, err = b.fetch()
		errc <- err // want `this send on full errc blocks forever once FetchTwoSends leaves its select through <-ctx.Done\(\)`
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Commit waits for the goroutine to take the request; the goroutine waits
// to receive it and blocks forever when Commit gives up.
func Commit(ctx context.Context, offsets []int64) error {
	reqs := make(chan []int64)
	go func() {
		o := <-reqs // want `goroutine leak: this receive from reqs blocks forever once Commit leaves its select through <-ctx.Done\(\) \(line \d+\) without sending`
		_ = o
	}()
	select {
	case reqs <- offsets:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// CommitClosing closes reqs when it returns: the receive ends.
func CommitClosing(ctx context.Context, offsets []int64) error {
	reqs := make(chan []int64)
	defer close(reqs)
	go func() {
		o := <-reqs
		_ = o
	}()
	select {
	case reqs <- offsets:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// FetchClosing closes results when it returns (jaeger-client-go's
// TestUDPTransport: defer close(c), then a select on c and a timer): the
// goroutine's send then panics on the closed channel, it does not block
// forever. No leak (the panic is another bug).
func FetchClosing(ctx context.Context, b *broker) ([]Record, error) {
	results := make(chan []Record)
	defer close(results)
	go func() {
		recs, _ := b.fetch()
		results <- recs
	}()
	select {
	case recs := <-results:
		return recs, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Loop: the select sits in a loop that goes back to receiving after a
// tick: only the ctx case leaves, and that is the leak.
func Loop(ctx context.Context, b *broker) []Record {
	results := make(chan []Record)
	go func() {
		for {
			recs, _ := b.fetch()
			results <- recs // want `this send on unbuffered results blocks forever once Loop leaves its select through <-ctx.Done\(\)`
		}
	}()
	var all []Record
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case recs := <-results:
			all = append(all, recs...)
		case <-tick.C:
		case <-ctx.Done():
			return all
		}
	}
}

// Stored: the channel escapes into a struct; other code may drain it.
type poller struct{ results chan []Record }

func (p *poller) Stored(ctx context.Context, b *broker) {
	results := make(chan []Record)
	p.results = results
	go func() {
		recs, _ := b.fetch()
		results <- recs
	}()
	select {
	case <-results:
	case <-ctx.Done():
	}
}

// Lookup sends at most once per run (every send is followed by return):
// one slot each is room enough (kafka-go's LookupPartition shape).
func Lookup(ctx context.Context, b *broker) (Record, error) {
	recc := make(chan Record, 1)
	errc := make(chan error, 1)
	go func() {
		for attempt := 0; ; attempt++ {
			recs, err := b.fetch()
			if err != nil {
				if attempt < 3 {
					continue
				}
				errc <- err
				return
			}
			if len(recs) > 0 {
				recc <- recs[0]
				return
			}
			if attempt > 10 {
				break
			}
		}
		errc <- errors.New("not found")
	}()
	select {
	case r := <-recc:
		return r, nil
	case err := <-errc:
		return Record{}, err
	case <-ctx.Done():
		return Record{}, ctx.Err()
	}
}

// FetchSuppressed is Fetch, accepted with a reason.
func FetchSuppressed(ctx context.Context, b *broker) ([]Record, error) {
	results := make(chan []Record)
	go func() {
		recs, _ := b.fetch()
		results <- recs //kafkalint:ignore cancel-leak test: a suppression with a reason silences the report
	}()
	select {
	case recs := <-results:
		return recs, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// The context is named as written (grpc's tests wait on testCtx).
func FetchWithin(parent context.Context, b *broker) ([]Record, error) {
	testCtx, cancel := context.WithCancel(parent)
	defer cancel()
	results := make(chan []Record)
	go func() {
		recs, err := b.fetch()
		if err != nil {
			return
		}
		results <- recs // want `goroutine leak: this send on unbuffered results blocks forever once FetchWithin leaves its select through <-testCtx.Done\(\) \(line \d+\) without receiving`
	}()
	select {
	case recs := <-results:
		return recs, nil
	case <-testCtx.Done():
		return nil, testCtx.Err()
	}
}
