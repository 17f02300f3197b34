package nopartner

import (
	"context"
	"errors"
	"log"
	"sync"
	"time"
)

func work() error { return errors.New("x") }

// --- receives ---------------------------------------------------------------

// A done channel the goroutine forgets to close.
func forgotClose() {
	done := make(chan struct{})
	go func() {
		_ = work()
	}()
	<-done // want `no partner:.*nothing ever sends on or closes done`
}

// Closed: the receive ends.
func closes() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = work()
	}()
	<-done
}

// Sent to in a select case: a partner (though the goroutine may leave
// by quit first: partner-leaves).
func sendsInSelect(quit chan struct{}) {
	res := make(chan int)
	go func() {
		select {
		case res <- 1:
		case <-quit:
		}
	}()
	<-res // want `partner leaves first: this receive from res`
}

// The channel escapes (returned): others may send.
func escapes() chan int {
	ch := make(chan int)
	go func() { <-ch }()
	return ch
}

// Passed to another package's function (signal.Notify style): unknown.
func passedOut() {
	ch := make(chan int)
	log.Println(ch)
	<-ch
}

// --- sends ------------------------------------------------------------------

// An unbuffered send nobody receives; the close does not complete it.
func sendNoReceiver() {
	ch := make(chan error)
	go func() {
		ch <- work() // want `no partner:.*nothing ever receives from ch \(the close at line`
	}()
	close(ch)
}

// Buffered: the send may complete without a receiver.
func bufferedSend() {
	ch := make(chan error, 1)
	go func() {
		ch <- work()
	}()
}

// Received with range: a partner.
func ranged() {
	ch := make(chan int)
	go func() {
		ch <- 1
		close(ch)
	}()
	for range ch {
	}
}

// --- fields -----------------------------------------------------------------

type server struct {
	stopped  chan struct{} // every store a fresh make, used only here
	results  chan int
	notify   chan int // passed out: unknown world
	Exported chan int
}

func newServer() *server {
	return &server{stopped: make(chan struct{}), results: make(chan int), notify: make(chan int), Exported: make(chan int)}
}

func (s *server) Wait() {
	<-s.stopped // want `no partner:.*unexported field`
}

func (s *server) Stop() {
	s.results <- 1
}

func (s *server) Collect() int {
	return <-s.results
}

func (s *server) Notify() {
	<-s.notify
	<-s.Exported
}

func (s *server) Hand() chan int { return s.notify }

// --- Conds ------------------------------------------------------------------

type queue struct {
	mu    sync.Mutex
	ready *sync.Cond // nothing signals it
	items []int
}

func newQueue() *queue {
	q := &queue{}
	q.ready = sync.NewCond(&q.mu)
	return q
}

func (q *queue) Pop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.ready.Wait() // want `no partner:.*Signal\(\) or`
	}
	return q.items[0]
}

type signalled struct {
	mu    sync.Mutex
	ready *sync.Cond
	items []int
}

func newSignalled() *signalled {
	q := &signalled{}
	q.ready = sync.NewCond(&q.mu)
	return q
}

func (q *signalled) Pop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.ready.Wait()
	}
	return q.items[0]
}

func (q *signalled) Push(x int) {
	q.mu.Lock()
	q.items = append(q.items, x)
	q.mu.Unlock()
	q.ready.Signal()
}

// A local Cond nothing signals.
func localCond() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	mu.Lock()
	c.Wait() // want `no partner:.*c.Wait\(\) blocks forever`
	mu.Unlock()
}

// A local Cond broadcast through a method value handed away: unknown.
func localCondHanded(register func(func())) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	register(c.Broadcast)
	mu.Lock()
	c.Wait()
	mu.Unlock()
}

// --- WaitGroups -------------------------------------------------------------

// trickstercache/trickster PR 356 ("Patch waitgroup leak on multiple
// return"): a goroutine's early return skipped wg.Done(); fixed by defer.
func skipsDone(urls []string) {
	var wg sync.WaitGroup
	for range urls {
		wg.Add(1)
		go func() {
			if err := work(); err != nil {
				return // want `Done skipped:.*without calling wg.Done`
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// The fix: defer wg.Done().
func defersDone(urls []string) {
	var wg sync.WaitGroup
	for range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := work(); err != nil {
				return
			}
		}()
	}
	wg.Wait()
}

// nats-server's gateway_test.go stress goroutines: the loop over a
// ticker's channel ends only by the Done-and-return inside it, since the
// runtime never closes a Ticker's C: no path skips Done.
func tickerLoop(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		for range time.NewTicker(time.Millisecond).C {
			select {
			case <-ctx.Done():
				wg.Done()
				return
			default:
			}
			work()
		}
	}()
	wg.Wait()
}

// The same loop over a channel its sender closes does end: the path out of
// the range skips Done.
func closedLoop(ctx context.Context, ticks chan struct{}) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		for range ticks {
			select {
			case <-ctx.Done():
				wg.Done()
				return
			default:
			}
			work()
		}
	}() // want `Done skipped:.*without calling wg.Done`
	go func() { close(ticks) }()
	wg.Wait()
}

// Every path calls Done (or dies).
func everyPath() {
	wg := &sync.WaitGroup{}
	wg.Add(1)
	go func() {
		if err := work(); err != nil {
			log.Fatal(err)
		}
		wg.Done()
	}()
	wg.Add(1)
	go func() {
		if err := work(); err != nil {
			wg.Done()
			return
		}
		wg.Done()
	}()
	wg.Wait()
}

// Passed to a helper: the world is not known.
func helper(wg *sync.WaitGroup) { wg.Done() }

func passed() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if work() != nil {
			return
		}
		helper(&wg)
	}()
	wg.Wait()
}

// etcd's raft node: the channel is made as a local, sent on through it,
// and handed over in a field: the field's world is not the whole world.
type toApply struct {
	notifyc chan struct{}
}

func raftNode(applyc chan toApply) {
	notifyc := make(chan struct{}, 1)
	applyc <- toApply{notifyc: notifyc}
	notifyc <- struct{}{}
}

func applyAll(ap toApply) {
	<-ap.notifyc
}
