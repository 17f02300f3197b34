// Package mayheld: locks held on some paths only, where those paths meet
// others: a loop iteration that continues holding its lock, and a break
// that leaves a loop holding it before the one return.
package mayheld

import (
	"errors"
	"sync"
	"time"
)

var errBad = errors.New("bad")

type queue struct {
	mu    sync.Mutex
	items []int
	sync  bool
	ready bool
}

// drain continues without unlocking: the next iteration locks q.mu again.
func (q *queue) drain(xs []int) {
	for _, x := range xs {
		q.mu.Lock() // want `q.mu is locked again by the next loop iteration`
		if x < 0 {
			continue
		}
		q.items = append(q.items, x)
		q.mu.Unlock()
	}
}

// drainOK unlocks before continuing.
func (q *queue) drainOK(xs []int) {
	for _, x := range xs {
		q.mu.Lock()
		if x < 0 {
			q.mu.Unlock()
			continue
		}
		q.items = append(q.items, x)
		q.mu.Unlock()
	}
}

// drainSometimes locks only when asked and unlocks under the same
// condition: the path that locks and skips the unlock does not exist.
func (q *queue) drainSometimes(xs []int) {
	for _, x := range xs {
		if q.sync {
			q.mu.Lock()
		}
		q.items = append(q.items, x)
		if q.sync {
			q.mu.Unlock()
		}
	}
}

// push breaks out of the loop holding q.mu and returns the error: the
// next push blocks forever.
func (q *queue) push(xs []int) error {
	var err error
	for _, x := range xs {
		q.mu.Lock() // want `q.mu is locked here and still held when \(\*mayheld.queue\).push returns`
		if x < 0 {
			err = errBad
			break
		}
		q.items = append(q.items, x)
		q.mu.Unlock()
	}
	return err
}

// pushOK unlocks before breaking.
func (q *queue) pushOK(xs []int) error {
	var err error
	for _, x := range xs {
		q.mu.Lock()
		if x < 0 {
			err = errBad
			q.mu.Unlock()
			break
		}
		q.items = append(q.items, x)
		q.mu.Unlock()
	}
	return err
}

// acquireReady returns holding q.mu exactly when it returns true (it
// breaks out with the lock once the queue is ready): acquire on success.
func (q *queue) acquireReady(tries int) bool {
	ok := false
	for i := 0; i < tries; i++ {
		q.mu.Lock()
		if q.ready {
			ok = true
			break
		}
		q.mu.Unlock()
	}
	return ok
}

// flagged unlocks at the end exactly when it locked at the start.
func (q *queue) flagged(x int) {
	locked := false
	if q.sync {
		q.mu.Lock()
		locked = true
	}
	q.items = append(q.items, x)
	if locked {
		q.mu.Unlock()
	}
}

// waitResponse breaks out holding q.mu and returns it to the caller, who
// unlocks it (kafka-go's Conn.waitResponse yields the read lock this way).
func (q *queue) waitResponse(id int) (lock *sync.Mutex, err error) {
	for {
		q.mu.Lock()
		if len(q.items) == 0 {
			err = errBad
			q.mu.Unlock()
			break
		}
		if q.items[0] == id {
			lock = &q.mu
			break
		}
		q.mu.Unlock()
	}
	return
}

// commitLoop hands the unlock to a callback on one path (franz-go's
// groupConsumer.loopCommit): whoever runs the callback releases q.mu.
func (q *queue) commitLoop(done chan struct{}, commit func(func())) {
	for {
		select {
		case <-done:
			return
		default:
		}
		q.mu.Lock()
		if len(q.items) == 0 {
			q.mu.Unlock()
		} else {
			commit(func() { q.mu.Unlock() })
		}
	}
}

// publisher's retry callback locks p.mu on its error path and hands it to
// fail, a closure of the enclosing function that unlocks it (nats.go's
// handleAsyncReply: doErr called from a time.AfterFunc callback). No leak.
type publisher struct {
	mu   sync.Mutex
	errs []error
}

func (p *publisher) send() error { return nil }

func (p *publisher) reply(retry bool) {
	p.mu.Lock()
	fail := func(err error) {
		p.errs = append(p.errs, err)
		p.mu.Unlock()
	}
	if retry {
		time.AfterFunc(time.Second, func() {
			p.mu.Lock()
			n := len(p.errs)
			p.mu.Unlock()
			if err := p.send(); err != nil && n > 0 {
				p.mu.Lock()
				fail(err)
			}
		})
		p.mu.Unlock()
		return
	}
	fail(errBad)
}

// asyncPub's fail also runs the stored error callback on pd.pub, which
// the retry callback does not capture (nats.go's doErr calling
// js.opts.aecb(paf.js, ...), set by a test to a callback that read-locks
// js.mu): the callback escapes to time.AfterFunc, so fail is applied with
// that lock by class, and its unlock of p.mu still counts. No leak.
type asyncPub struct {
	mu    sync.Mutex
	onErr func(*asyncPub, error)
}

type pendingPub struct{ pub *asyncPub }

func (p *asyncPub) send() error { return nil }

func (p *asyncPub) pending() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return 0
}

func (p *asyncPub) pendingLocked() int { return 1 }

func newAsyncPub() *asyncPub {
	p := &asyncPub{}
	p.onErr = func(q *asyncPub, err error) { q.pending() }
	return p
}

func (p *asyncPub) reply(pd *pendingPub, retry bool) {
	p.mu.Lock()
	fail := func(err error) {
		cb := p.onErr
		p.mu.Unlock()
		if cb != nil {
			cb(pd.pub, err)
		}
	}
	if retry {
		time.AfterFunc(time.Second, func() {
			p.mu.Lock()
			n := p.pendingLocked()
			p.mu.Unlock()
			if err := p.send(); err != nil && n > 0 {
				p.mu.Lock()
				fail(err)
			}
		})
		p.mu.Unlock()
		return
	}
	fail(errBad)
}

// replyKeep's closure only records the error: the callback's error path
// returns holding p.mu.
func (p *publisher) replyKeep() {
	note := func(err error) {
		p.errs = append(p.errs, err)
	}
	time.AfterFunc(time.Second, func() {
		p.mu.Lock()
		n := len(p.errs)
		p.mu.Unlock()
		if err := p.send(); err != nil && n > 0 {
			p.mu.Lock() // want `p.mu is locked here and still held when func literal in \(\*mayheld.publisher\).replyKeep`
			note(err)
		}
	})
}
