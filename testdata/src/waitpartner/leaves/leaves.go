package leaves

import (
	"context"
	"errors"
	"io"
)

func fetch(string) error { return errors.New("x") }

// --- the receiver returns on the first error --------------------------------

// 0chain/0chain PR 1248 (getAllocationBlobbers): goroutines started in a
// loop send on an unbuffered errorCh; the receiver returns on the first
// error and the rest block forever. Fixed by a buffer.
func fetchAll(urls []string) error {
	errc := make(chan error)
	for _, u := range urls {
		go func() {
			errc <- fetch(u) // want `partner leaves first: this send on unbuffered errc blocks forever once fetchAll returns`
		}()
	}
	for range urls {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// The fix: room for every send.
func fetchAllBuffered(urls []string) error {
	errc := make(chan error, len(urls))
	for _, u := range urls {
		go func() {
			errc <- fetch(u)
		}()
	}
	for range urls {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// Keeps receiving: remembers the first error, takes every send.
func fetchAllDrain(urls []string) error {
	errc := make(chan error)
	for _, u := range urls {
		go func() {
			errc <- fetch(u)
		}()
	}
	var first error
	for range urls {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}

type result struct {
	n   int
	err error
}

// A struct result, a counted loop: the same shape.
func sum(parts []string) (int, error) {
	ch := make(chan result)
	for _, p := range parts {
		go func() {
			err := fetch(p)
			ch <- result{1, err} // want `partner leaves first: this send on unbuffered ch`
		}()
	}
	total := 0
	for i := 0; i < len(parts); i++ {
		r := <-ch
		if r.err != nil {
			return 0, r.err
		}
		total += r.n
	}
	return total, nil
}

// A start and a receive per iteration: nothing is pending at the return.
func sequential(urls []string) error {
	errc := make(chan error)
	for _, u := range urls {
		go func() {
			errc <- fetch(u)
		}()
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// The loop is left by counting, not by a received value.
func counted(urls []string) int {
	ch := make(chan int)
	for range urls {
		go func() {
			ch <- 1
		}()
	}
	n := 0
	for {
		n += <-ch
		if n == len(urls) {
			return n
		}
	}
}

// The senders can give up (a select with ctx.Done()): not stuck.
func fetchAllCtx(ctx context.Context, urls []string) error {
	errc := make(chan error)
	for _, u := range urls {
		go func() {
			select {
			case errc <- fetch(u):
			case <-ctx.Done():
			}
		}()
	}
	for range urls {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// --- one receive, more senders ----------------------------------------------

// kubevirt/kubevirt PR 6168: two proxy copy goroutines send their error on
// one unbuffered channel that is read once.
func proxy(a, b io.ReadWriter) error {
	errc := make(chan error)
	go func() {
		_, err := io.Copy(a, b)
		errc <- err // want `partner leaves first: this send on unbuffered errc blocks forever: proxy receives from errc once`
	}()
	go func() {
		_, err := io.Copy(b, a)
		errc <- err // want `partner leaves first: this send on unbuffered errc blocks forever: proxy receives from errc once`
	}()
	return <-errc
}

// The fix: a buffer for both.
func proxyBuffered(a, b io.ReadWriter) error {
	errc := make(chan error, 2)
	go func() {
		_, err := io.Copy(a, b)
		errc <- err
	}()
	go func() {
		_, err := io.Copy(b, a)
		errc <- err
	}()
	return <-errc
}

// One goroutine, one send, one receive.
func one() error {
	errc := make(chan error)
	go func() { errc <- fetch("") }()
	return <-errc
}

// --- a ready channel closed only on success ---------------------------------

// The goroutine returns on a setup error without closing ready.
func start(addr string) {
	ready := make(chan struct{})
	go func() {
		if err := fetch(addr); err != nil {
			return
		}
		close(ready)
	}()
	<-ready // want `partner leaves first: this receive from ready blocks forever when the goroutine started at line \d+`
}

// The fix: close on every path.
func startDefer(addr string) {
	ready := make(chan struct{})
	go func() {
		defer close(ready)
		if err := fetch(addr); err != nil {
			return
		}
	}()
	<-ready
}

// --- a returned channel the caller drops ------------------------------------

func watch(key string) <-chan error {
	ch := make(chan error)
	go func() {
		ch <- fetch(key) // want `partner leaves first: this send on unbuffered ch blocks forever when touch drops the channel watch returns`
	}()
	return ch
}

func touch() {
	watch("a")
}

func waitWatch() error {
	return <-watch("b")
}

// --- a channel passed to a callee that never uses it ------------------------

func run(done chan struct{}) { _ = fetch("") }

func runAndWait() {
	done := make(chan struct{})
	go run(done)
	<-done // want `no partner: this receive from done`
}

func runCloses(done chan struct{}) {
	defer close(done)
	_ = fetch("")
}

func runAndWaitClosed() {
	done := make(chan struct{})
	go runCloses(done)
	<-done
}

// kafka-go's testConnWriteReadConcurrently: a receive per send, both in
// loops of the same length; the goroutine's return without a send is the
// loop run zero times, when the waiter waits zero times too.
func counting(msgs []string) {
	written := make(chan struct{}, 1)
	go func() {
		for _, m := range msgs {
			_ = fetch(m)
			written <- struct{}{}
		}
	}()
	for range msgs {
		<-written
	}
}

// etcd raft's TestNodeProposeAddLearnerNode: an event loop sends once per
// event and returns on a stop its starter closes after its waits; neither
// the receive nor the loop's send is a ready signal or a pending sender.
func eventLoop(events chan int) {
	stop := make(chan struct{})
	done := make(chan struct{})
	applied := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case e := <-events:
				if e > 0 {
					applied <- struct{}{}
				}
			}
		}
	}()
	<-applied
	close(stop)
	<-done
}
