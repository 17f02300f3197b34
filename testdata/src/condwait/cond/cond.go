// Package cond holds condwait's sync.Cond cases: each positive has a
// negative beside it.
package cond

import (
	"context"
	"sync"
	"sync/atomic"
)

type queue struct {
	mu     sync.Mutex
	c      *sync.Cond
	items  []int
	closed bool
	count  atomic.Int32
}

func newQueue() *queue {
	q := &queue{}
	q.c = sync.NewCond(&q.mu)
	return q
}

// --- cond-wait-unlocked -----------------------------------------------------

// GetUnlockedFirst unlocks before waiting: Wait then unlocks an unlocked mutex.
func (q *queue) GetUnlockedFirst() int {
	q.mu.Lock()
	for len(q.items) == 0 {
		q.mu.Unlock()
		q.c.Wait() // want `q.c.Wait\(\) is called without q.mu held`
		q.mu.Lock()
	}
	it := q.items[0]
	q.mu.Unlock()
	return it
}

// Get is the correct shape.
func (q *queue) Get() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.c.Wait()
	}
	if q.closed {
		return -1
	}
	return q.items[0]
}

// waitLocked expects its caller to hold q.mu: not reported.
func (q *queue) waitLocked() {
	for len(q.items) == 0 && !q.closed {
		q.c.Wait()
	}
}

func (q *queue) GetViaLocked() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.waitLocked()
	return len(q.items)
}

// StartWatcher's goroutine starts with nothing held and never locks.
func (q *queue) StartWatcher() {
	go func() {
		for !q.closed {
			q.c.Wait() // want `q.c.Wait\(\) is called without q.mu held \(this goroutine never locks it\)`
		}
	}()
}

// WaitCtx hands the lock it holds to a goroutine that waits for it (jackc/puddle
// v1's Acquire turning Cond.Wait into a channel): the Wait is under the
// starter's lock, so the goroutine need not lock it. Silent.
func (q *queue) WaitCtx(ctx context.Context) bool {
	q.mu.Lock()
	for len(q.items) == 0 {
		woken := make(chan struct{}, 1)
		go func() {
			q.c.Wait()
			woken <- struct{}{}
		}()
		select {
		case <-ctx.Done():
			go func() {
				<-woken
				q.c.Signal()
				q.mu.Unlock()
			}()
			return false
		case <-woken:
		}
	}
	q.mu.Unlock()
	return true
}

// StartWatcherUnlocked starts the same goroutine after unlocking: reported.
func (q *queue) StartWatcherUnlocked() {
	q.mu.Lock()
	q.items = nil
	q.mu.Unlock()
	go func() {
		q.c.Wait() // want `q.c.Wait\(\) is called without q.mu held \(this goroutine never locks it\)`
	}()
}

// StartWatcherLocked's goroutine locks first.
func (q *queue) StartWatcherLocked() {
	go func() {
		q.mu.Lock()
		defer q.mu.Unlock()
		for !q.closed {
			q.c.Wait()
		}
	}()
}

// LocalCond: a Cond made over a local mutex.
func LocalCond(ready func() bool) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	go func() {
		mu.Lock()
		c.Broadcast()
		mu.Unlock()
	}()
	for !ready() {
		c.Wait() // want `c.Wait\(\) is called without mu held`
	}
	mu.Lock()
	mu.Unlock()
}

func LocalCondLocked(ready func() bool) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	mu.Lock()
	for !ready() {
		c.Wait()
	}
	mu.Unlock()
}

// --- cond-wait-no-loop ------------------------------------------------------

func (q *queue) GetOnce() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		q.c.Wait() // want `q.c.Wait\(\) is not in a loop`
	}
	return q.items[0]
}

// waitOnce is a wrapper that waits unconditionally; its callers loop.
func (q *queue) waitOnce() { q.c.Wait() }

func (q *queue) GetLoopingCaller() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.waitOnce()
	}
	return q.items[0]
}

// GetEarlyReturn returns instead of waiting on one branch: the wait is
// not skipped-and-joined, so it is left alone.
func (q *queue) GetEarlyReturn() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return -1
	}
	q.c.Wait()
	return len(q.items)
}

// --- cond-wait-shutdown -----------------------------------------------------

// pool's Close sets closed and broadcasts, but Acquire's loop never checks
// closed: after Close, waiters sleep forever.
type pool struct {
	mu     sync.Mutex
	c      *sync.Cond
	free   int
	closed bool
}

func newPool() *pool {
	p := &pool{}
	p.c = sync.NewCond(&p.mu)
	return p
}

func (p *pool) Acquire() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.free == 0 {
		p.c.Wait() // want `this p.c.Wait\(\) loop re-checks only p.free; Close changes p.closed and broadcasts p.c, but the loop never reads it`
	}
	p.free--
}

func (p *pool) Release() {
	p.mu.Lock()
	p.free++
	p.mu.Unlock()
	p.c.Signal()
}

func (p *pool) Close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.c.Broadcast()
}

// AcquireOrClosed checks closed too: Close ends its wait.
func (p *pool) AcquireOrClosed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.free == 0 && !p.closed {
		p.c.Wait()
	}
	return !p.closed
}

// AcquireChecked reads closed through a method.
func (p *pool) AcquireChecked() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.free == 0 && !p.isClosed() {
		p.c.Wait()
	}
}

func (p *pool) isClosed() bool { return p.closed }

// Close of queue broadcasts after setting closed, and queue's loops
// check closed (Get above): silent.
func (q *queue) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.c.Broadcast()
}

// counter's Stop stores an atomic flag that the loop loads: silent.
type counter struct {
	mu      sync.Mutex
	c       *sync.Cond
	n       int
	stopped atomic.Bool
}

func newCounter() *counter {
	k := &counter{}
	k.c = sync.NewCond(&k.mu)
	return k
}

func (k *counter) WaitZero() {
	k.mu.Lock()
	defer k.mu.Unlock()
	for k.n > 0 && !k.stopped.Load() {
		k.c.Wait()
	}
}

func (k *counter) Stop() {
	k.stopped.Store(true)
	k.c.Broadcast()
}

// flusher: the cancel branch of a select on ctx.Done() in the same
// function sets quit and broadcasts; the waiting goroutine checks quit in
// one version and forgets it in the other.
type flusher struct {
	mu       sync.Mutex
	c        *sync.Cond
	buffered int
}

func newFlusher() *flusher {
	f := &flusher{}
	f.c = sync.NewCond(&f.mu)
	return f
}

func (f *flusher) Flush(ctx context.Context) error {
	quit := false
	done := make(chan struct{})
	go func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		defer close(done)
		for !quit && f.buffered > 0 {
			f.c.Wait()
		}
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		f.mu.Lock()
		quit = true
		f.mu.Unlock()
		f.c.Broadcast()
		return ctx.Err()
	}
}

func (f *flusher) FlushForgetsQuit(ctx context.Context) error {
	quit := false
	done := make(chan struct{})
	go func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		defer close(done)
		_ = quit
		for f.buffered > 0 {
			f.c.Wait() // want `this f.c.Wait\(\) loop re-checks only f.buffered; FlushForgetsQuit changes quit and broadcasts f.c`
		}
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		f.mu.Lock()
		quit = true
		f.mu.Unlock()
		f.c.Broadcast()
		return ctx.Err()
	}
}

// batchQueue locks through c.L (kafka-go's shape): held, not reported.
type batchQueue struct {
	cond   *sync.Cond
	queue  []int
	closed bool
}

func newBatchQueue() *batchQueue {
	return &batchQueue{cond: sync.NewCond(&sync.Mutex{})}
}

func (b *batchQueue) Get() int {
	b.cond.L.Lock()
	defer b.cond.L.Unlock()
	for len(b.queue) == 0 && !b.closed {
		b.cond.Wait()
	}
	return len(b.queue)
}

// tracker's lock is bound with NewCond(&t.mu), and Wait is reached with
// t.cond.L locked: held, not reported.
type tracker struct {
	mu   sync.Mutex
	cond *sync.Cond
	n    int
}

func newTracker() *tracker {
	t := &tracker{}
	t.cond = sync.NewCond(&t.mu)
	return t
}

func (t *tracker) WaitZero() {
	t.cond.L.Lock()
	for t.n > 0 {
		t.cond.Wait()
	}
	t.cond.L.Unlock()
}

// An `||` loop condition is two blocks: the close path's write to
// last.closed is read by the first operand (pebble wal failover writer).
type orWriter struct {
	mu   sync.Mutex
	cond *sync.Cond
	n    int
}

type orState struct {
	index  int
	closed bool
	err    error
}

func newOrWriter() *orWriter {
	w := &orWriter{}
	w.cond = sync.NewCond(&w.mu)
	return w
}

func (w *orWriter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	var last orState
	go func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		last.closed = true
		last.err = nil
		w.cond.Signal()
	}()
	for !last.closed || w.n > last.index+1 {
		w.cond.Wait()
	}
	return last.err
}

// grantLockedAndUnlock is called with g.mu held and releases it (pebble's
// compaction scheduler): its Wait runs under the caller's lock.
type granter struct {
	mu struct {
		sync.Mutex
		busy bool
		cond *sync.Cond
	}
}

func newGranter() *granter {
	g := &granter{}
	g.mu.cond = sync.NewCond(&g.mu.Mutex)
	return g
}

func (g *granter) io() error { return nil }

func (g *granter) grantLockedAndUnlock() {
	defer g.mu.Unlock()
	for g.mu.busy {
		g.mu.cond.Wait()
	}
	g.mu.busy = true
	g.mu.Unlock()
	_ = g.io()
	g.mu.Lock()
	g.mu.busy = false
}

func (g *granter) Done() {
	g.mu.Lock()
	g.grantLockedAndUnlock()
}
