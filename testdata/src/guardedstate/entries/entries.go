// Package entries: locks callers hold on entry, through recursion, public
// methods and package variables reached by pointer. Each silent case has
// a positive beside it.
package entries

import (
	"sync"
	"time"
)

// --- mutual recursion keeps the outer caller's lock ---
// sarama's (Shopify v1.38.1) Consume holds c.lock across newSession, which
// retries through retryNewSession, which calls newSession again.

type group struct {
	lock     sync.Mutex
	memberID string // want memberID:`guarded by lock \(held at 3 of 4\)`
}

func (c *group) Consume() {
	c.lock.Lock()
	defer c.lock.Unlock()
	c.newSession(3)
}

func (c *group) newSession(retries int) { // want newSession:`holds param0.lock`
	c.joinRequest() // c.lock held: by Consume, and through the recursion
	if retries > 0 {
		c.retryNewSession(retries)
	}
}

func (c *group) retryNewSession(retries int) { // want retryNewSession:`holds param0.lock`
	c.newSession(retries - 1)
}

func (c *group) joinRequest() { // want joinRequest:`holds param0.lock`
	_ = c.memberID // silent: every path here holds c.lock
}

func (c *group) Leave() {
	c.lock.Lock()
	c.memberID = ""
	c.lock.Unlock()
}

func (c *group) MemberID() string {
	c.lock.Lock()
	defer c.lock.Unlock()
	return c.memberID
}

func (c *group) Peek() string {
	return c.memberID // want `unguarded-access|c\.memberID read without c\.lock held`
}

// --- public methods: every call this package makes holds the lock ---
// sarama's GSSAPIKerberosAuth.Authorize reads broker.conn; only the
// broker calls it, under b.lock. etcd's leaseCache.Update (an exported
// method of an unexported type) is called only under lc.mu.

type Broker struct {
	lock sync.Mutex
	conn int // want conn:`guarded by lock \(held at 4 of 5\)`
	auth Auth
}

type Auth struct{}

func (a *Auth) Authorize(b *Broker) int {
	return b.conn // silent: the package's only call holds b.lock
}

func (b *Broker) Open() {
	b.lock.Lock()
	defer b.lock.Unlock()
	b.conn = 1
	b.auth.Authorize(b)
}

func (b *Broker) Close() {
	b.lock.Lock()
	defer b.lock.Unlock()
	b.conn = 0
}

func (b *Broker) Conn() int {
	b.lock.Lock()
	defer b.lock.Unlock()
	return b.conn
}

func (b *Broker) Connected() bool {
	return b.conn != 0 // want `b\.conn read without b\.lock held`
}

type cache struct {
	mu      sync.Mutex
	entries map[string]int // want entries:`guarded by mu \(held at 3 of 5\)`
}

func (lc *cache) Update(k string) {
	lc.entries[k] = 1 // silent: its only caller holds lc.mu
}

func (lc *cache) Get(k string) int {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.entries[k]
}

func (lc *cache) put(k string) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	lc.Update(k)
}

// Evict is public and called from nowhere here: its bare write is reported.
func (lc *cache) Evict(k string) {
	delete(lc.entries, k) // want `lc\.entries written`
}

// --- a package variable reached through a pointer to it ---
// go-metrics' meterArbiter: NewMeter locks arbiter (the variable),
// tickMeters locks ma (a pointer to it): one object, one lock.

type arbiterT struct {
	sync.RWMutex
	started bool
	meters  map[int]bool // want meters:`guarded by RWMutex \(held at 3 of 5\)`
}

var arbiter = arbiterT{meters: map[int]bool{}}

func NewMeter(m int) {
	arbiter.Lock()
	defer arbiter.Unlock()
	arbiter.meters[m] = true
	if !arbiter.started {
		arbiter.started = true
		go arbiter.tick()
	}
}

func (ma *arbiterT) tick() {
	for {
		ma.tickMeters()
	}
}

func (ma *arbiterT) tickMeters() {
	ma.RLock()
	defer ma.RUnlock()
	for range ma.meters { // silent: ma is arbiter, and its lock is held
	}
}

func Meters() int {
	arbiter.RLock()
	defer arbiter.RUnlock()
	return len(arbiter.meters)
}

func StopMeter(m int) {
	delete(arbiter.meters, m) // want `arbiter\.meters written`
}

// --- a new object decoded by a method an interface names ---
// sarama's MetadataResponse.decode: r.Brokers[i] = new(Broker), then
// r.Brokers[i].decode(pd) fills it in before anyone can see it.

type decoder interface{ decode(v int) }

type node struct {
	lock sync.Mutex
	addr string // want addr:`guarded by lock \(held at 3 of 4\)`
}

func (n *node) decode(v int) {
	n.addr = "x" // silent: every call here decodes a new node
}

type nodes struct{ list []*node }

func (r *nodes) decodeAll(k int, d decoder) {
	r.list = make([]*node, k)
	for i := range k {
		r.list[i] = new(node)
		r.list[i].decode(i)
	}
	d.decode(k)
}

func (n *node) Addr() string {
	n.lock.Lock()
	defer n.lock.Unlock()
	return n.addr
}

func (n *node) SetAddr(a string) {
	n.lock.Lock()
	defer n.lock.Unlock()
	n.addr = a
}

func (n *node) Host() string {
	n.lock.Lock()
	defer n.lock.Unlock()
	return n.addr[:1]
}

func (n *node) Rename(a string) {
	n.addr = a // want `n\.addr written without n\.lock held`
}

// --- a new object made in a loop ---
// go-cache's sharded cache: each iteration makes a shard, fills it, then
// stores it; the store of the previous iteration published another shard.

type shard struct {
	mu    sync.Mutex
	items map[string]int // want items:`guarded by mu \(held at 3 of 4\)`
}

func newShards(n int) []*shard {
	out := make([]*shard, n)
	for i := range n {
		s := &shard{}
		s.items = map[string]int{} // silent: this iteration's shard is not published yet
		out[i] = s
	}
	return out
}

func (s *shard) Get(k string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.items[k]
}

func (s *shard) Set(k string, v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items[k] = v
}

func (s *shard) Flush() {
	s.items = map[string]int{} // want `s\.items written without s\.mu held`
}

// --- goroutines joined through a WaitGroup in a callee ---
// compress's zstd Encoder: Close and Reset call shutdownJobWorkers, which
// waits for the flusher (defer flusherWg.Done()); the error it wrote
// under js.mu is then read and reset without the lock.

type jobs struct {
	mu        sync.Mutex
	flusherWg sync.WaitGroup
	results   chan int
	err       error // reached from Encoder.js (no fact: not its own struct's)
}

type Encoder struct{ js jobs }

func (e *Encoder) start() { // want start:`holds param0.js.mu`
	e.js.results = make(chan int)
	e.js.flusherWg.Add(1)
	go e.flusher()
}

func (e *Encoder) flusher() {
	defer e.js.flusherWg.Done()
	for range e.js.results {
		e.js.mu.Lock()
		e.js.err = nil
		e.js.mu.Unlock()
	}
}

func (e *Encoder) shutdown() {
	close(e.js.results)
	e.js.flusherWg.Wait()
}

func (e *Encoder) Write() error {
	e.js.mu.Lock()
	defer e.js.mu.Unlock()
	if e.js.err == nil {
		e.start()
	}
	return e.js.err
}

func (e *Encoder) Close() error {
	e.shutdown()
	return e.js.err // silent: the flusher is done
}

func (e *Encoder) Reset() {
	e.shutdown()
	e.js.err = nil // silent: the flusher is done
}

func (e *Encoder) Err() error {
	return e.js.err // want `e\.js\.err read without e\.js\.mu held`
}

// --- an exported method called here only on new objects ---
// kafka-go's Batch: ReadBatch makes a batch and calls its Read; users call
// Read and Err on batches they share. The new batch at the package's own
// call says nothing about theirs: Err is reported.

type Batch struct {
	mutex sync.Mutex
	err   error // want err:`guarded by mutex \(held at 3 of 4\)`
}

func (b *Batch) Read() error {
	b.mutex.Lock()
	defer b.mutex.Unlock()
	b.err = nil
	return b.err
}

func (b *Batch) Close() error {
	b.mutex.Lock()
	defer b.mutex.Unlock()
	return b.err
}

func ReadBatch() *Batch {
	b := &Batch{}
	b.Read()
	return b
}

func (b *Batch) Err() error {
	return b.err // want `b\.err read without b\.mutex held`
}

// --- a function value run by a wrapper that holds the lock ---
// nats-server's wrapChk(f) returns func() { s.mu.Lock(); ...; f();
// s.mu.Unlock() }, handed to time.AfterFunc: heartbeatStatsz and
// checkRemoteServers read s.sys under s.mu, taken by the wrapper.

type events struct {
	mu   sync.Mutex
	sys  *int // want sys:`guarded by mu \(held at 4 of 5\)`
	tick int  // want tick:`guarded by mu \(held at 4 of 5\)`
}

func (s *events) wrapChk(f func()) func() {
	return func() {
		s.mu.Lock()
		f()
		s.mu.Unlock()
	}
}

func (s *events) withLock(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

func (s *events) startTimer() {
	time.AfterFunc(time.Second, s.wrapChk(s.heartbeat))
}

func (s *events) heartbeat() { // want heartbeat:`holds param0.mu`
	_ = s.sys // silent: the wrapper's closure holds s.mu
}

func (s *events) sweep() {
	s.withLock(func() {
		_ = s.sys // silent: withLock holds s.mu around the call
		s.tick++
	})
}

// unwrapped: the wrapper that runs f takes no lock.
func (s *events) unwrapped(f func()) func() {
	return func() { f() }
}

func (s *events) startBare() {
	time.AfterFunc(time.Second, s.unwrapped(s.bare))
}

func (s *events) bare() {
	_ = s.sys // want `unguarded-access|s\.sys read without s\.mu held`
}

func (s *events) Shutdown() {
	s.mu.Lock()
	s.sys = nil
	s.tick = 0
	s.mu.Unlock()
}

func (s *events) Tick() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	_ = s.sys
	return s.tick
}

func (s *events) TickBare() int {
	return s.tick // want `unguarded-access|s\.tick read without s\.mu held`
}

// --- a transaction holds its owner's lock from begin to end ---
// bbolt's DB.beginTx read-locks db.mmaplock and returns the Tx; its
// Rollback read-unlocks it. etcd's storeTxnRead the same with s.mu.

type db struct {
	mmaplock sync.RWMutex
	data     []byte // want data:`guarded by mmaplock \(held at 4 of 7\)`
}

type tx struct {
	db *db
}

func (d *db) beginTx() *tx {
	d.mmaplock.RLock()
	return &tx{db: d}
}

func (t *tx) Rollback() { // want Rollback:`holds param0.db.mmaplock`
	t.db.mmaplock.RUnlock()
}

func (t *tx) page(i int) byte {
	return t.db.data[i] // silent: the tx holds t.db.mmaplock from beginTx to Rollback
}

func (d *db) mmap(n int) {
	d.mmaplock.Lock()
	d.data = make([]byte, n)
	d.mmaplock.Unlock()
}

func (d *db) Size() int {
	d.mmaplock.RLock()
	defer d.mmaplock.RUnlock()
	return len(d.data)
}

func (d *db) Grow() {
	d.mmaplock.Lock()
	d.data = append(d.data, 0)
	d.mmaplock.Unlock()
}

// cursor holds no lock of its own: its reads are bare.
type cursor struct {
	db *db
}

func (c *cursor) first() byte {
	return c.db.data[0] // want `unguarded-access|c\.db\.data read without c\.db\.mmaplock held`
}

// conn releases its owner's lock too, but no function hands a conn out
// holding it (nats-server's Server releases s.gateway's lock in helpers):
// not a transaction, its reads are bare.
type conn struct {
	d *db
}

func (c *conn) unlockOwner() { // want unlockOwner:`holds param0.d.mmaplock`
	c.d.mmaplock.Unlock()
}

func (c *conn) read() byte {
	return c.d.data[1] // want `unguarded-access|c\.d\.data read without c\.d\.mmaplock held`
}
