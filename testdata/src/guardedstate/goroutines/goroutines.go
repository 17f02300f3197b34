// Package goroutines: which goroutine runs an access, approximated from go
// statements and calls. Each silent case has a positive beside it.
package goroutines

import (
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// --- the field's only writer goroutine (franz-go's sink.drain) ---

type sink struct {
	mu      sync.Mutex
	seq     uint32 // want seq:`guarded by mu \(held at 3 of 4\)`
	backoff bool
	stats   int // want stats:`guarded by mu \(held at 3 of 4\)`
}

func (s *sink) start() {
	go s.drain()
}

// drain is the only goroutine that writes s.seq (through clear), so its
// own unlocked reads (in produce) see its own writes.
func (s *sink) drain() {
	for {
		s.clear()
		s.produce()
	}
}

func (s *sink) clear() {
	s.mu.Lock()
	s.seq++
	s.stats++
	s.mu.Unlock()
}

func (s *sink) produce() {
	_ = s.seq // silent: on the writer's goroutine
}

func (s *sink) Seq() uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seq
}

// Stats runs on its caller's goroutine, not drain's.
func (s *sink) Stats() int {
	return s.stats // want `s\.stats read without s\.mu held`
}

func (s *sink) statsLocked() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// --- after a join: the writers' goroutine closed a channel on exit ---

type client struct {
	mu      sync.Mutex
	conns   map[int]string // want conns:`guarded by mu \(held at 3 of 4\)`
	done    chan struct{}
	pending int // want pending:`guarded by mu \(held at 3 of 4\)`
}

func (c *client) start() {
	go c.loop()
}

func (c *client) loop() {
	defer close(c.done)
	for i := 0; ; i++ {
		c.mu.Lock()
		c.conns[i] = ""
		c.pending = i
		c.mu.Unlock()
	}
}

func (c *client) Conns() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.conns) + c.pending
}

// Close waits for the loop to exit: no writer is left.
func (c *client) Close() int {
	<-c.done
	return len(c.conns) // silent: after the join
}

// Pending does not wait.
func (c *client) Pending() int {
	return c.pending // want `c\.pending read without c\.mu held`
}

// --- functions handed to a loop goroutine over a channel ---

type meta struct {
	mu     sync.Mutex
	topics map[string]int
	fns    chan func()
	gen    int // want gen:`guarded by mu \(held at 3 of 6\)`
}

func (m *meta) startLoop() {
	go m.loop()
}

// loop runs the functions it receives, and is the only writer of gen.
func (m *meta) loop() {
	for {
		select {
		case fn := <-m.fns:
			fn()
		case <-time.After(time.Second):
			m.bump()
		}
	}
}

func (m *meta) bump() {
	m.mu.Lock()
	m.gen++
	m.topics = map[string]int{}
	m.mu.Unlock()
}

// blocking hands fn to the loop and waits (franz-go's blockingMetadataFn).
func (m *meta) blocking(fn func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	m.fns <- func() {
		defer wg.Done()
		fn()
	}
	wg.Wait()
}

func (m *meta) Gen() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.gen + len(m.topics)
}

// purge's closure runs on the loop's goroutine, the writer's (silent).
func (m *meta) purge() {
	m.blocking(func() {
		_ = m.gen
	})
}

// peek's closure runs on a goroutine of its own.
func (m *meta) peek() {
	go func() {
		_ = m.gen // want `m\.gen read without m\.mu held`
	}()
}

// --- closures handed to code this package cannot follow ---

type registry struct {
	mu        sync.Mutex
	callbacks []func() // want callbacks:`guarded by mu \(held at 3 of 3\)`
	count     int      // want count:`guarded by mu \(held at 3 of 3\)`
}

func (r *registry) on(fn func()) {
	r.mu.Lock()
	r.callbacks = append(r.callbacks, fn)
	r.mu.Unlock()
}

func (r *registry) fire() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, fn := range r.callbacks {
		fn()
	}
	r.count++
}

func (r *registry) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.count
}

// setup's closure is stored and run by fire, under r.mu: who runs it is
// not followed, so it is not reported.
func (r *registry) setup() {
	r.on(func() {
		r.count = 0 // silent: run by code that is not followed
	})
}

// --- a helper whose callers hold a lock it cannot name ---

type owner struct {
	mu    sync.Mutex
	batch *batch
}

type batch struct {
	mu    sync.Mutex
	tries int // want tries:`guarded by mu \(held at 3 of 5\)`
}

func (b *batch) retry() {
	b.mu.Lock()
	b.tries++
	b.mu.Unlock()
}

func (b *batch) Tries() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.tries
}

// reset is called only with the owner's lock held: the owner's lock may
// be the protocol here (franz-go's recBatch under recBuf.mu).
func (b *batch) reset() {
	b.tries = 0 // silent: every caller holds a lock
}

func (o *owner) fail() {
	o.mu.Lock()
	o.batch.reset()
	o.mu.Unlock()
}

func (o *owner) drop() {
	o.batch.tries = 0 // want `o\.batch\.tries written without o\.batch\.mu held`
}

// --- a constructor that hands the new object to hooks first ---

type hook interface{ OnNew(*conn) }

type conn struct {
	mu    sync.Mutex
	state int // want state:`guarded by mu \(held at 3 of 4\)`
}

func newConn(hooks []hook) *conn {
	c := &conn{}
	for _, h := range hooks {
		h.OnNew(c)
	}
	c.init() // no goroutine started yet (silent)
	go c.run()
	return c
}

func (c *conn) init() {
	c.state = 1
}

func (c *conn) run() {
	c.mu.Lock()
	c.state = 2
	c.mu.Unlock()
}

func (c *conn) State() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

func (c *conn) Reset() {
	c.state = 0 // want `c\.state written without c\.mu held`
}

// More guarded accesses, so each guard above has the evidence it needs.

func (c *client) pendingLocked() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pending
}

func (c *conn) setState(v int) {
	c.mu.Lock()
	c.state = v
	c.mu.Unlock()
}

// purgeForked's closure forks a goroutine and waits for it: the forked
// goroutine runs on the loop's behalf (franz-go's PurgeTopicsFromClient).
func (m *meta) purgeForked() {
	m.blocking(func() {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = m.gen // silent: the loop waits for it
		}()
		wg.Wait()
	})
}

// --- a lock handed over by a goroutine that exits holding it ---

type producer struct {
	mu       sync.Mutex
	buffered int // want buffered:`guarded by mu \(held at 6 of 7\)`
}

func (p *producer) produce() { // want produce:`holds param0.mu`
	wait := make(chan struct{})
	go func() {
		p.mu.Lock()
		close(wait) // exits holding p.mu: produce takes it over
	}()
	<-wait
	p.buffered++ // silent: p.mu is held (handed over), and released below
	p.mu.Unlock()
}

func (p *producer) Buffered() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buffered
}

func (p *producer) flush() {
	p.mu.Lock()
	p.buffered = 0
	p.mu.Unlock()
}

func (p *producer) drop() {
	p.mu.Lock()
	p.buffered--
	p.mu.Unlock()
}

func (p *producer) reset() {
	p.buffered = 0 // want `p\.buffered written without p\.mu held`
}

// --- writes before an errgroup's Go: the goroutines see them ---
// pebble v2.1.7 replay.Runner.Run sets r.dbMetrics, then starts
// refreshMetrics with r.errgroup.Go.

type runner struct {
	mu      sync.Mutex
	metrics int // want metrics:`guarded by mu \(held at 3 of 4\)`
	g       errgroup.Group
}

func (r *runner) Run() {
	r.metrics = 1 // silent: before the goroutines start
	r.g.Go(func() error { r.refresh(); return nil })
	r.metrics = 2 // want `r\.metrics written without`
}

func (r *runner) refresh() {
	r.mu.Lock()
	r.metrics++
	r.mu.Unlock()
}

func (r *runner) Metrics() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.metrics
}

// --- a new object filled by an errgroup's goroutines, read after Wait ---
// go-ethereum v1.17.10 triedb/pathdb trienodeReader.readOptimized: the
// queue is new, the group's goroutines set it under its lock, and it is
// read after eg.Wait().

type resultQueue struct {
	lock sync.Mutex
	data []int // want data:`guarded by lock \(held at 3 of 3\)`
}

func newResultQueue() *resultQueue { return &resultQueue{} }

func (q *resultQueue) set(i, v int) {
	q.lock.Lock()
	q.data[i] = v
	q.lock.Unlock()
}

func (q *resultQueue) Len() int {
	q.lock.Lock()
	defer q.lock.Unlock()
	return len(q.data)
}

func readAll() int {
	queue := newResultQueue()
	var eg errgroup.Group
	eg.Go(func() error { queue.set(0, 1); return nil })
	eg.Wait()
	return queue.data[0] // silent: a new queue, its goroutines joined
}
