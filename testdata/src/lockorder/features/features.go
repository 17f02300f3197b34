// Package features covers the language features the lock model must see
// through: embedded mutexes, package variables, closures (called, deferred),
// generics, range-over-func, Cond.Wait, sync.Locker, interface calls and
// wrapper types. Each positive has a negative beside it.
package features

import (
	"iter"
	"sync"
)

// --- embedded mutex, package variable ------------------------------------

type Registry struct {
	sync.Mutex
	names map[string]int
}

var configMu sync.Mutex

func (r *Registry) Add(name string) {
	r.Lock()
	defer r.Unlock()
	configMu.Lock() // want `lock order inversion: features.configMu is acquired here while holding features.Registry.Mutex`
	r.names[name] = len(r.names)
	configMu.Unlock()
}

func Reload(r *Registry) {
	configMu.Lock()
	defer configMu.Unlock()
	r.Lock()
	r.names = map[string]int{}
	r.Unlock()
}

// --- closures ---------------------------------------------------------------

type Fetcher struct {
	mu      sync.Mutex
	pending int
}

type Buffer struct {
	mu   sync.Mutex
	data []byte
}

func (f *Fetcher) Fetch(b *Buffer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fill := func() {
		b.mu.Lock()
		b.data = append(b.data, 1)
		b.mu.Unlock()
	}
	fill() // want `lock order inversion: features.Buffer.mu is acquired here while holding features.Fetcher.mu`
}

func (b *Buffer) Drain(f *Fetcher) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f.mu.Lock()
	f.pending = 0
	f.mu.Unlock()
}

// A closure that is defined under the lock but only called after it.
func (f *Fetcher) FetchLater(b *Buffer) func() {
	f.mu.Lock()
	defer f.mu.Unlock()
	return func() {
		b.mu.Lock()
		b.mu.Unlock()
	}
}

// --- generics -----------------------------------------------------------------

type Store[T any] struct {
	mu    sync.Mutex
	items []T
}

func (s *Store[T]) Put(v T) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = append(s.items, v)
}

func (s *Store[T]) PutTwice(v T) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Put(v) // want `s.mu is locked via \(\*features.Store\).Put again while already locked`
}

func UseStore(s *Store[int]) {
	s.mu.Lock()
	s.Put(1) // want `s.mu is locked via \(\*features.Store\).Put again while already locked`
	s.mu.Unlock()
	s.Put(2)
}

// --- range-over-func ------------------------------------------------------------

type Topic struct {
	mu         sync.Mutex
	partitions []int
}

type Metrics struct {
	mu    sync.Mutex
	count int
}

func (t *Topic) All() iter.Seq[int] {
	return func(yield func(int) bool) {
		for _, p := range t.partitions {
			if !yield(p) {
				return
			}
		}
	}
}

func (m *Metrics) CountPartitions(t *Topic) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for range t.All() {
		t.mu.Lock() // want `lock order inversion: features.Topic.mu is acquired here while holding features.Metrics.mu`
		m.count++
		t.mu.Unlock()
	}
}

func (t *Topic) Report(m *Metrics) {
	t.mu.Lock()
	defer t.mu.Unlock()
	m.mu.Lock()
	m.count = len(t.partitions)
	m.mu.Unlock()
}

// --- Cond.Wait re-acquires its lock ----------------------------------------------

type Batch struct {
	mu    sync.Mutex
	cond  *sync.Cond
	ready bool
}

func NewBatch() *Batch {
	b := &Batch{}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// Wait releases b.mu inside cond.Wait: the lock is taken again after, and
// no double lock is reported.
func (b *Batch) Wait() {
	b.mu.Lock()
	for !b.ready {
		b.cond.Wait()
	}
	b.mu.Unlock()
}

func (b *Batch) Done() {
	b.cond.L.Lock()
	b.ready = true
	b.cond.L.Unlock()
	b.cond.Broadcast()
}

// cond.L is b.mu: locking both is a double lock.
func (b *Batch) DoneTwice() {
	b.mu.Lock()
	b.cond.L.Lock() // want `b.mu is locked again while already locked`
	b.cond.L.Unlock()
	b.mu.Unlock()
}

// --- sync.Locker ---------------------------------------------------------------------

func withLock(l sync.Locker, f func()) {
	l.Lock()
	defer l.Unlock()
	f()
}

type Session struct {
	mu  sync.Mutex
	gen int
}

func (s *Session) Bump() {
	withLock(&s.mu, func() { s.gen++ })
}

func (s *Session) BumpTwice() {
	s.mu.Lock()
	defer s.mu.Unlock()
	withLock(&s.mu, func() { s.gen++ }) // want `s.mu is locked via features.withLock again while already locked`
}

// --- interface calls resolved inside the package (CHA) ------------------------------

type Committer interface{ Commit() }

type offsetCommitter struct {
	mu      sync.Mutex
	offsets map[int]int
}

func (o *offsetCommitter) Commit() {
	o.mu.Lock()
	o.offsets = nil
	o.mu.Unlock()
}

type Loop struct {
	mu sync.Mutex
	c  Committer
}

func (l *Loop) Tick() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.c.Commit() // want `lock order inversion: features.offsetCommitter.mu is acquired here while holding features.Loop.mu`
}

func (o *offsetCommitter) Stop(l *Loop) {
	o.mu.Lock()
	defer o.mu.Unlock()
	l.mu.Lock()
	l.c = nil
	l.mu.Unlock()
}

// NewLoop makes an offsetCommitter a Committer: l.c.Commit() can run it.
func NewLoop() *Loop {
	return &Loop{c: &offsetCommitter{}}
}

// fileCommitter has Commit too, but nothing here makes it a Committer: a
// call through the interface cannot run it (the flow condition).
type fileCommitter struct {
	mu   sync.Mutex
	path string
}

func (f *fileCommitter) Commit() {
	f.mu.Lock()
	f.path = ""
	f.mu.Unlock()
}

func (f *fileCommitter) Stop(l *Loop) {
	f.mu.Lock()
	defer f.mu.Unlock()
	l.mu.Lock()
	l.c = nil
	l.mu.Unlock()
}

// --- read locks: a read-only cycle needs a writer ---------------------------------

type Catalog struct {
	mu    sync.RWMutex
	names []string
}

type Schema struct {
	mu     sync.RWMutex
	fields []string
}

// Both sides only read-lock both: with no writer anywhere these never
// block each other.
func ReadCS(c *Catalog, s *Schema) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(c.names) + len(s.fields)
}

func ReadSC(c *Catalog, s *Schema) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.names) + len(s.fields)
}

// --- wrapper types: methods that return holding a lock ---------------------------

type guard struct{ mu sync.Mutex }

func (g *guard) acquire() { g.mu.Lock() }
func (g *guard) release() { g.mu.Unlock() }

type Producer struct {
	g     guard
	state int
}

type Txn struct {
	mu sync.Mutex
}

func (p *Producer) Begin(t *Txn) {
	p.g.acquire()
	defer p.g.release()
	t.mu.Lock() // want `lock order inversion: features.Txn.mu is acquired here while holding features.guard.mu`
	p.state++
	t.mu.Unlock()
}

func (t *Txn) Abort(p *Producer) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p.g.acquire()
	p.state = 0
	p.g.release()
}

// rl is mu's read side: two Locks through it are two RLocks (franz-go's
// xsync TestRLocker shape). Without a writer of this class, no report.
func ReadTwice() {
	var mu sync.RWMutex
	rl := mu.RLocker()
	rl.Lock()
	rl.Lock()
	rl.Unlock()
	rl.Unlock()
}

// With a writer of the class, taking the read side twice is a recursive
// read lock.
type Dir struct {
	mu    sync.RWMutex
	names []string
}

func (d *Dir) ReadTwice() {
	rl := d.mu.RLocker()
	rl.Lock()
	rl.Lock() // want `d.mu is read-locked again while this goroutine already read-holds it`
	rl.Unlock()
	rl.Unlock()
}

func (d *Dir) Add(n string) {
	d.mu.Lock()
	d.names = append(d.names, n)
	d.mu.Unlock()
}

// The read locker captured by a goroutine (franz-go's copy of std's
// TestRLocker): its Locks are read locks, so no double lock; its class is
// not followed through the capture, so no recursive-rlock either.
func ReadTwiceInGoroutine(d *Dir) {
	rl := d.mu.RLocker()
	done := make(chan bool)
	go func() {
		rl.Lock()
		rl.Lock()
		rl.Unlock()
		rl.Unlock()
		done <- true
	}()
	<-done
}
