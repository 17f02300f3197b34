// Package silent pairs each case guardedstate must stay silent on with a
// positive beside it.
package silent

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// --- constructors before publication ---

type client struct {
	mu    sync.Mutex
	id    int
	state int // want state:`guarded by mu \(held at 3 of 4\)`
	ch    chan int
	wg    sync.WaitGroup
	cond  *sync.Cond
	inner sync.Mutex
	n     atomic.Int64
	raw   int64
}

func newClient() *client {
	c := &client{}
	c.id = 1    // not yet published (silent)
	c.state = 1 // not yet published (silent)
	c.ch = make(chan int)
	c.cond = sync.NewCond(&c.mu)
	go c.run()
	c.state = 2 // want `c\.state written without c\.mu held`
	return c
}

func (c *client) run() {
	c.mu.Lock()
	c.state = 3
	c.mu.Unlock()
}

func (c *client) State() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state + c.id // id: read-only after newClient (silent)
}

func (c *client) ID() int {
	return c.id // read-only after newClient (silent)
}

// --- channels, WaitGroups, Conds, locks, atomics ---

func (c *client) reset() {
	c.mu.Lock()
	c.ch = make(chan int) // a channel field: not state here
	c.cond = sync.NewCond(&c.mu)
	c.raw = 0
	c.mu.Unlock()
}

func (c *client) signal() {
	close(c.ch) // silent: channels are not checked
	c.wg.Done()
	c.cond.Broadcast()
	c.n.Add(1)                   // atomic type (silent)
	atomic.AddInt64(&c.raw, 1)   // sync/atomic on the field (silent)
	_ = atomic.LoadInt64(&c.raw) // silent
}

// --- fields written only before the goroutines start ---

type server struct {
	mu      sync.Mutex
	addr    string
	conns   int  // want conns:`guarded by mu \(held at 3 of 3\)`
	started bool // want started:`guarded by mu \(held at 3 of 4\)`
}

func (s *server) Start(addr string) {
	s.addr = addr // before the go statement (silent)
	go s.serve()
	s.started = true // want `s\.started written without s\.mu held`
}

func (s *server) serve() {
	_ = s.addr // read-only once serving (silent)
	s.mu.Lock()
	s.conns++
	s.started = false
	s.mu.Unlock()
}

func (s *server) Conns() (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns, s.started
}

// --- written by helpers Start calls before its goroutine starts ---
// go-ethereum's p2p.Server.Start locks srv.lock, calls setupLocalNode
// and setupDiscovery, then go srv.run(): run and the getters read what
// they wrote without the lock.

type p2pServer struct {
	lock      sync.Mutex
	running   bool
	localnode *int
	peers     int // want peers:`guarded by lock \(held at 3 of 4\)`
}

func (srv *p2pServer) Start() {
	srv.lock.Lock()
	defer srv.lock.Unlock()
	srv.running = true
	srv.setupLocalNode()
	go srv.run()
	srv.setupPeers() // after the go statement: run may be reading
}

func (srv *p2pServer) setupLocalNode() { // want setupLocalNode:`holds param0.lock`
	srv.localnode = new(int) // before go srv.run() (silent)
}

func (srv *p2pServer) setupPeers() { // want setupPeers:`holds param0.lock`
	srv.peers = 0
}

func (srv *p2pServer) run() {
	_ = srv.localnode // silent: written before this goroutine started
	_ = srv.peers     // want `unguarded-access|srv\.peers read without srv\.lock held`
}

func (srv *p2pServer) LocalNode() *int {
	return srv.localnode // silent
}

func (srv *p2pServer) Peers() int {
	srv.lock.Lock()
	defer srv.lock.Unlock()
	_ = srv.localnode
	return srv.peers
}

func (srv *p2pServer) Reset() {
	srv.lock.Lock()
	srv.peers = 0
	_ = srv.localnode
	srv.lock.Unlock()
}

// --- sync.Once ---

type lazy struct {
	once  sync.Once
	mu    sync.Mutex
	table map[string]int
	count int // want count:`guarded by mu \(held at 3 of 4\)`
}

func (l *lazy) init() {
	l.once.Do(func() {
		l.table = map[string]int{} // inside Once.Do (silent)
		l.count = 0
	})
}

func (l *lazy) lookup(k string) int {
	l.init()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.count++
	return l.table[k]
}

func (l *lazy) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.count + len(l.table)
}

func (l *lazy) drop() {
	l.count = 0 // want `l\.count written without l\.mu held`
}

// --- per-instance locks: another object's lock guards nothing here ---

type account struct {
	mu      sync.Mutex
	balance int // want balance:`guarded by mu \(held at 9 of 11\)`
}

func (a *account) Balance() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance
}

func (a *account) deposit(n int) {
	a.mu.Lock()
	a.balance += n
	a.mu.Unlock()
}

// transfer locks both: silent.
func transfer(from, to *account, n int) {
	from.mu.Lock()
	to.mu.Lock()
	from.balance -= n
	to.balance += n
	to.mu.Unlock()
	from.mu.Unlock()
}

// badTransfer holds only from's lock while writing to's balance.
func badTransfer(from, to *account, n int) {
	from.mu.Lock()
	from.balance -= n
	to.balance += n // want `to\.balance written without to\.mu held`
	from.mu.Unlock()
}

// --- a field consistently guarded by another lock ---

type metrics struct {
	mu      sync.Mutex
	statsMu sync.Mutex
	reqs    int // want reqs:`guarded by statsMu \(held at 4 of 6\)`
}

func (m *metrics) inc() {
	m.mu.Lock()
	m.statsMu.Lock()
	m.reqs++
	m.statsMu.Unlock()
	m.mu.Unlock()
}

func (m *metrics) get() int {
	m.statsMu.Lock()
	defer m.statsMu.Unlock()
	return m.reqs
}

func (m *metrics) peek() int {
	m.statsMu.Lock()
	defer m.statsMu.Unlock()
	return m.reqs
}

func (m *metrics) bad() {
	m.reqs = 0 // want `m\.reqs written without m\.statsMu held`
}

// underMu holds another lock than the guard: another protocol may guard
// the field here, so only an access under no lock at all is reported.
func (m *metrics) underMu() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.reqs
}

// --- reads on the field's only writer goroutine ---

type loop struct {
	mu    sync.Mutex
	state int // want state:`guarded by mu \(held at 3 of 4\)`
	other int // want other:`guarded by mu \(held at 3 of 4\)`
}

// run is the only writer: its own unlocked reads see its own writes.
func (l *loop) run() {
	for {
		l.mu.Lock()
		l.state++
		l.other++
		l.mu.Unlock()
		if l.state > 10 { // silent
			return
		}
	}
}

func (l *loop) State() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.state + l.other
}

func (l *loop) Other() int {
	return l.other // want `l\.other read without l\.mu held`
}

// --- closures: run synchronously under the caller's lock, or later ---

type buf struct {
	mu     sync.Mutex
	items  []int // want items:`guarded by mu \(held at 5 of 5\)`
	sink   *int  // want sink:`guarded by mu \(held at 3 of 4\)`
	timer  *time.Timer
	closed bool // want closed:`guarded by mu \(held at 3 of 3\)`
}

func (b *buf) sorted() {
	b.mu.Lock()
	sort.Slice(b.items, func(i, j int) bool { return b.items[i] < b.items[j] }) // runs now, under b.mu (silent)
	b.mu.Unlock()
}

func (b *buf) add(x int) {
	b.mu.Lock()
	b.items = append(b.items, x)
	b.mu.Unlock()
}

func (b *buf) setSink(s *int) {
	b.mu.Lock()
	b.sink = s
	b.mu.Unlock()
}

func (b *buf) drain() *int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sink
}

// linger is franz-go v1.20.1's recBuf.lockedMaybeLinger: the timer's
// closure runs later, on the timer's goroutine, without b.mu.
func (b *buf) linger() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.timer = time.AfterFunc(time.Second, func() {
		_ = *b.sink // want `b\.sink read without b\.mu held`
	})
}

// closeLocked's deferred closure runs while b.mu is still held (the
// Unlock was deferred first, so it runs last).
func (b *buf) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	defer func() {
		b.closed = true // silent: b.mu is held when it runs
	}()
}

func (b *buf) isClosed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}

func (b *buf) reopen() {
	b.mu.Lock()
	b.closed = false
	b.mu.Unlock()
}

// More guarded accesses, so each guard above has the evidence it needs.

func (c *client) setState(v int) {
	c.mu.Lock()
	c.state = v
	c.mu.Unlock()
}

func (s *server) Started() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.started
}

func (b *buf) sinkLocked() *int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sink
}

// --- an object just taken from a sync.Pool ---
// go-redis' getFDBlockingBatch resets the batch it got from the pool
// without its lock: no one else holds it yet.

type batch struct {
	mu   sync.Mutex
	gids []int // want gids:`guarded by mu \(held at 3 of 4\)`
}

var batchPool = sync.Pool{New: func() any { return new(batch) }}

func getBatch() *batch {
	b := batchPool.Get().(*batch)
	b.gids = nil // silent: taken from the pool, not shared yet
	return b
}

func (b *batch) reset() {
	b.gids = nil // want `unguarded-access|b\.gids written without b\.mu held`
}

func (b *batch) add(g int) {
	b.mu.Lock()
	b.gids = append(b.gids, g)
	b.mu.Unlock()
}

func (b *batch) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.gids)
}
