// Package rlock: writes under only a read lock.
package rlock

import "sync"

type cache struct {
	mu      sync.RWMutex
	entries map[string]int // want entries:`guarded by mu \(held at 8 of 8\)`
	order   []string       // want order:`guarded by mu \(held at 5 of 5\)`
	hits    int            // want hits:`guarded by mu \(held at 4 of 4\)`
}

func (c *cache) get(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.entries[k]
	if !ok {
		c.entries[k] = 0 // want `c\.entries written \(a map element.*only a read lock of c\.mu`
	}
	return v
}

func (c *cache) forget(k string) {
	c.mu.RLock()
	delete(c.entries, k) // want `c\.entries written \(a map element.*only a read lock of c\.mu`
	c.mu.RUnlock()
}

func (c *cache) touch(i int) {
	c.mu.RLock()
	c.order[i] = "" // want `c\.order written \(an element\) with only a read lock`
	c.hits++        // want `c\.hits written with only a read lock`
	c.mu.RUnlock()
}

// put is right: the write lock for writes.
func (c *cache) put(k string, v int) {
	c.mu.Lock()
	c.entries[k] = v
	c.order = append(c.order, k)
	c.hits = 0
	c.mu.Unlock()
}

func (c *cache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries) + len(c.order) + c.hits
}

// stats has its own mutex for its map, taken under the read lock of the
// other: the map's guard is statsMu, held in write mode (silent).
type stats struct {
	mu      sync.RWMutex
	statsMu sync.Mutex
	counts  map[string]int // want counts:`guarded by statsMu \(held at 3 of 3\)`
}

func (s *stats) inc(k string) {
	s.mu.RLock()
	s.statsMu.Lock()
	s.counts[k]++
	s.statsMu.Unlock()
	s.mu.RUnlock()
}

func (s *stats) get(k string) int {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	return s.counts[k]
}

// pubsub: Publish read-locks subscribersLock and writes persisted under
// persistedLock's write lock; persisted is read under subscribersLock in
// more places than under its own lock, but the write lock of another lock
// keeps its writers apart (watermill's gochannel.Publish): silent.
type pubsub struct {
	subscribersLock sync.RWMutex
	persistedLock   sync.RWMutex
	persisted       map[string]int // want persisted:`guarded by subscribersLock \(held at 7 of 7\)`
	subscribers     map[string]int // want subscribers:`guarded by subscribersLock \(held at 5 of 5\)`
}

func (g *pubsub) Publish(topic string) {
	g.subscribersLock.RLock()
	defer g.subscribersLock.RUnlock()
	g.persistedLock.Lock()
	if _, ok := g.persisted[topic]; !ok {
		g.persisted[topic] = 0 // silent: persistedLock is write-locked
	}
	g.persisted[topic]++ // silent
	g.persistedLock.Unlock()
}

func (g *pubsub) Subscribe(topic string) int {
	g.subscribersLock.Lock()
	defer g.subscribersLock.Unlock()
	g.subscribers[topic]++
	return g.persisted[topic]
}

func (g *pubsub) Count(topic string) int {
	g.subscribersLock.RLock()
	defer g.subscribersLock.RUnlock()
	return g.persisted[topic] + g.subscribers[topic]
}

func (g *pubsub) Unsubscribe(topic string) {
	g.subscribersLock.RLock()
	defer g.subscribersLock.RUnlock()
	g.subscribers[topic]-- // want `write-under-rlock|g\.subscribers written \(a map element`
}

// agent: truncate runs only on the goroutine run starts, under the read
// lock (Close takes the write lock); deleted is only touched there: no
// second reader to race with the write (prometheus' tsdb/agent DB.gc):
// silent.
type agent struct {
	mtx     sync.RWMutex
	deleted map[int]int // want deleted:`guarded by mtx \(held at 5 of 5\)`
}

func newAgent() *agent {
	db := &agent{deleted: map[int]int{}}
	go db.run()
	return db
}

func (db *agent) run() {
	for {
		db.truncate()
	}
}

func (db *agent) truncate() {
	db.mtx.RLock()
	defer db.mtx.RUnlock()
	for k := range db.deleted {
		delete(db.deleted, k) // silent: one goroutine
	}
	db.gc()
}

func (db *agent) gc() { // want gc:`read-holds param0.mtx`
	db.deleted[1] = 1 // silent: one goroutine
}

func (db *agent) Close() {
	db.mtx.Lock()
	defer db.mtx.Unlock()
}

// ticker: the same shape, but Tick is exported: any goroutine runs it.
type ticker struct {
	mtx  sync.RWMutex
	seen map[int]int // want seen:`guarded by mtx \(held at 3 of 3\)`
}

func (t *ticker) Tick() {
	t.mtx.RLock()
	defer t.mtx.RUnlock()
	t.seen[0]++ // want `write-under-rlock|t\.seen written \(a map element`
}

func (t *ticker) Close() {
	t.mtx.Lock()
	defer t.mtx.Unlock()
	t.seen = nil
}

// recordQueue: pebble v2.1.7 wal/failover_writer.go. push's calls never
// overlap (its doc says so); the read lock only keeps the buffer swap out.
type recordQueue struct {
	mu      sync.RWMutex
	buffer  []int // want buffer:`guarded by mu`
	lastLen int   // want lastLen:`guarded by mu`
}

// push adds an entry.
// NB: externally synchronized, i.e., no concurrent push calls.
func (q *recordQueue) push(v int) {
	q.mu.RLock()
	q.buffer[0] = v // silent: push's calls are serialized
	q.lastLen = v   // silent
	q.mu.RUnlock()
}

func (q *recordQueue) grow() {
	q.mu.Lock()
	q.buffer = append(q.buffer, 0)
	q.lastLen = len(q.buffer)
	q.mu.Unlock()
}

func (q *recordQueue) Snapshot() ([]int, int) {
	q.mu.RLock()
	defer q.mu.RUnlock()
	return q.buffer, q.lastLen
}

// anyQueue: the same, without the promise: pushes from any goroutine.
type anyQueue struct {
	mu      sync.RWMutex
	buffer  []int // want buffer:`guarded by mu`
	lastLen int   // want lastLen:`guarded by mu`
}

// push adds an entry.
func (q *anyQueue) push(v int) {
	q.mu.RLock()
	q.buffer[0] = v // want `write-under-rlock|q\.buffer written \(an element`
	q.lastLen = v   // want `write-under-rlock|q\.lastLen written with only`
	q.mu.RUnlock()
}

func (q *anyQueue) grow() {
	q.mu.Lock()
	q.buffer = append(q.buffer, 0)
	q.lastLen = len(q.buffer)
	q.mu.Unlock()
}

func (q *anyQueue) Snapshot() ([]int, int) {
	q.mu.RLock()
	defer q.mu.RUnlock()
	return q.buffer, q.lastLen
}
