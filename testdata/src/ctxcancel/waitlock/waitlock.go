// Package waitlock holds ctxcancel's wait-holding-lock cases: a lock held
// while waiting for something whose wake-up needs that lock, each positive
// beside a negative.
package waitlock

import (
	"context"
	"sync"
	"time"
)

// --- the consumer-group Close shape ------------------------------------------

// Consumer.Consume holds c.mu for the whole session and waits for it to
// end; the session ends when its context is cancelled, and only Close
// cancels it, after taking c.mu.
type Consumer struct {
	mu      sync.Mutex
	session *session
}

type session struct {
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
}

func newSession(parent context.Context) *session {
	s := &session{done: make(chan struct{})}
	s.ctx, s.cancel = context.WithCancel(parent)
	return s
}

func (s *session) run() {
	defer close(s.done)
	<-s.ctx.Done()
}

func (c *Consumer) Consume(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := newSession(ctx)
	c.session = s
	go s.run()
	<-s.done // want `c.mu is held while Consume waits for s.done, but every send on or close of s.done \(close\(s.done\) in run, line \d+\) first waits for <-s.ctx.Done\(\), and every cancel of s.ctx \(c.session.cancel\(\) in Close, line \d+\) first locks c.mu`
	return nil
}

func (c *Consumer) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.session != nil {
		c.session.cancel()
	}
	return nil
}

// Group is the fix: Consume keeps the session under the lock but waits
// without it, so Close can take the lock and cancel.
type Group struct {
	mu      sync.Mutex
	session *gsession
}

type gsession struct {
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
}

func newGSession(parent context.Context) *gsession {
	s := &gsession{done: make(chan struct{})}
	s.ctx, s.cancel = context.WithCancel(parent)
	return s
}

func (s *gsession) run() {
	defer close(s.done)
	<-s.ctx.Done()
}

func (g *Group) Consume(ctx context.Context) error {
	g.mu.Lock()
	s := newGSession(ctx)
	g.session = s
	g.mu.Unlock()
	go s.run()
	<-s.done
	return nil
}

func (g *Group) Close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.session != nil {
		g.session.cancel()
	}
	return nil
}

// --- WaitGroup.Wait under a lock the workers take ----------------------------

type Fetcher struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	fetched int
}

func (f *Fetcher) worker() {
	defer f.wg.Done()
	f.mu.Lock()
	f.fetched++
	f.mu.Unlock()
}

func (f *Fetcher) Start(n int) {
	for i := 0; i < n; i++ {
		f.wg.Add(1)
		go f.worker()
	}
}

func (f *Fetcher) Stop() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.wg.Wait() // want `f.mu is held while Stop waits for f.wg, but every f.wg.Done\(\) \(f.wg.Done\(\) in worker, line \d+\) first locks f.mu`
	return f.fetched
}

// StopUnlocked waits first, then locks: fine.
func (f *Fetcher) StopUnlocked() int {
	f.wg.Wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fetched
}

// Counter's workers count without its lock: waiting under it is fine.
type Counter struct {
	mu    sync.Mutex
	wg    sync.WaitGroup
	state int
}

func (c *Counter) work() {
	defer c.wg.Done()
}

func (c *Counter) Start() {
	c.wg.Add(1)
	go c.work()
}

func (c *Counter) Stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wg.Wait()
	c.state = 0
}

// --- heartbeat: a channel receive under the lock the sender needs -----------

type Heartbeat struct {
	mu     sync.Mutex
	member string
	beats  chan string
}

func NewHeartbeat() *Heartbeat { return &Heartbeat{beats: make(chan string)} }

func (h *Heartbeat) loop() {
	for {
		h.mu.Lock()
		m := h.member
		h.mu.Unlock()
		h.beats <- m
		time.Sleep(time.Second)
	}
}

func (h *Heartbeat) Start() { go h.loop() }

// NextLocked waits for a beat while holding h.mu, which the loop takes
// before every send.
func (h *Heartbeat) NextLocked() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return <-h.beats // want `h.mu is held while NextLocked waits for h.beats, but every send on or close of h.beats \(sends on h.beats in loop, line \d+\) first locks h.mu`
}

// NextTimeout may also give up on a timer: never stuck for good.
func (h *Heartbeat) NextTimeout() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case m := <-h.beats:
		return m
	case <-time.After(time.Second):
		return ""
	}
}

// --- read locks on both sides do not exclude each other ------------------

type Registry struct {
	mu    sync.RWMutex
	ready chan struct{}
	names []string
}

func NewRegistry() *Registry { return &Registry{ready: make(chan struct{})} }

func (r *Registry) load() {
	r.mu.RLock()
	_ = len(r.names)
	r.mu.RUnlock()
	close(r.ready)
}

func (r *Registry) Start() { go r.load() }

func (r *Registry) WaitReady() {
	r.mu.RLock()
	defer r.mu.RUnlock()
	<-r.ready
}

// --- a Cond.Wait releases its own lock: the normal pattern ---------------

type Queue struct {
	mu    sync.Mutex
	c     *sync.Cond
	items []int
}

func NewQueue() *Queue {
	q := &Queue{}
	q.c = sync.NewCond(&q.mu)
	return q
}

func (q *Queue) Put(i int) {
	q.mu.Lock()
	q.items = append(q.items, i)
	q.mu.Unlock()
	q.c.Signal()
}

func (q *Queue) Get() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.c.Wait()
	}
	it := q.items[0]
	q.items = q.items[1:]
	return it
}

// batchQueue's Cond is made over an anonymous mutex and locked through
// c.L (kafka-go's writer): Wait releases that lock; not a cycle.
type batchQueue struct {
	cond  *sync.Cond
	queue []int
}

func newBatchQueue() *batchQueue {
	return &batchQueue{cond: sync.NewCond(&sync.Mutex{})}
}

func (b *batchQueue) Put(i int) {
	b.cond.L.Lock()
	defer b.cond.L.Unlock()
	b.queue = append(b.queue, i)
	b.cond.Broadcast()
}

func (b *batchQueue) Get() int {
	b.cond.L.Lock()
	defer b.cond.L.Unlock()
	for len(b.queue) == 0 {
		b.cond.Wait()
	}
	return b.queue[0]
}

// Pipeline waits on a Cond over another lock while holding p.mu, and the
// Signal comes after taking p.mu.
type Pipeline struct {
	mu    sync.Mutex
	qmu   sync.Mutex
	ready *sync.Cond
	n     int
}

func NewPipeline() *Pipeline {
	p := &Pipeline{}
	p.ready = sync.NewCond(&p.qmu)
	return p
}

func (p *Pipeline) Wait() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.qmu.Lock()
	for p.n == 0 {
		p.ready.Wait() // want `p.mu is held while Wait waits for p.ready, but every p.ready.Signal\(\) or Broadcast\(\) \(p.ready.Signal\(\) in Add, line \d+\) first locks p.mu`
	}
	p.qmu.Unlock()
}

func (p *Pipeline) Add() {
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
	p.qmu.Lock()
	p.ready.Signal()
	p.qmu.Unlock()
}

// Broker.Close closes responses itself, under b.lock, and then waits for
// the reader to drain them and close done (sarama's Broker.Close): the
// waiter performed the wake-up the reader needed, no cycle.
type Broker struct {
	lock      sync.Mutex
	responses chan int
	done      chan struct{}
}

func NewBroker() *Broker {
	b := &Broker{responses: make(chan int), done: make(chan struct{})}
	go b.responseReceiver()
	return b
}

func (b *Broker) responseReceiver() {
	for r := range b.responses {
		_ = r
	}
	close(b.done)
}

func (b *Broker) Send(r int) {
	b.lock.Lock()
	defer b.lock.Unlock()
	b.responses <- r
}

func (b *Broker) Close() {
	b.lock.Lock()
	defer b.lock.Unlock()
	close(b.responses)
	<-b.done
}

// Pool starts some workers with wg.Go, whose Done the graph cannot follow:
// the wait may end without p.mu, so nothing is reported (even though the
// worker started with Add/Done here does need p.mu).
type Pool struct {
	mu sync.Mutex
	wg sync.WaitGroup
	n  int
}

func (p *Pool) counted() {
	defer p.wg.Done()
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
}

func (p *Pool) Start() {
	p.wg.Add(1)
	go p.counted()
	p.wg.Go(func() {})
}

func (p *Pool) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.wg.Wait()
}

// --- the wait one call down: the chain says which function waits ----------

type Drainer struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	drained int
}

func (d *Drainer) worker() {
	defer d.wg.Done()
	d.mu.Lock()
	d.drained++
	d.mu.Unlock()
}

func (d *Drainer) Start() {
	d.wg.Add(1)
	go d.worker()
}

func (d *Drainer) waitWorkers() { d.wg.Wait() }

func (d *Drainer) Stop() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.waitWorkers() // want `d.mu is held while Stop waits for d.wg`
	return d.drained
}

// StopUnlocked waits first, then locks: fine.
func (d *Drainer) StopUnlocked() int {
	d.waitWorkers()
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.drained
}

// A helper that unlocks its caller's lock right before it waits and locks
// it again after: the caller does not hold the lock across the wait.
// Silent (the loop's close needs h.mu, but h.mu is free while waiting).
type unlocker struct {
	mu   sync.Mutex
	done chan struct{}
	n    int
}

func (h *unlocker) Run() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.done = make(chan struct{})
	go h.loop()
	h.waitUnlocked()
}

func (h *unlocker) waitUnlocked() {
	h.mu.Unlock()
	<-h.done
	h.mu.Lock()
}

func (h *unlocker) loop() {
	h.mu.Lock()
	h.n++
	h.mu.Unlock()
	close(h.done)
}
