// Package conventions: functions that say their callers hold the lock (by
// name or doc comment), and constructors' results. Each silent case has a
// positive beside it.
package conventions

import "sync"

// --- etcd's Unsafe* methods: the caller holds t.mu ---
// etcd server v3.7.3 storage/backend/batch_tx.go: UnsafePut reads t.tx,
// which commit writes under t.Lock(); callers in other packages lock first.

type batchTx struct {
	mu sync.Mutex
	tx *int // want tx:`guarded by mu \(held at 5 of 10\)`
}

func (t *batchTx) Commit() {
	t.mu.Lock()
	t.tx = new(int)
	t.mu.Unlock()
}

func (t *batchTx) Reset() {
	t.mu.Lock()
	t.tx = nil
	t.mu.Unlock()
}

func (t *batchTx) Tx() *int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.tx
}

func (t *batchTx) UnsafePut() int {
	return *t.tx // silent: Unsafe* says the caller holds t.mu
}

func (t *batchTx) Put() int {
	return *t.tx // want `unguarded-access|t\.tx read without t\.mu`
}

func (t *batchTx) Unsafer() *int {
	return t.tx // want `unguarded-access|t\.tx read without t\.mu`
}

// pulsar-client-go's blockingQueue.IterateUnsafe: the suffix says the
// same.
func (t *batchTx) PeekUnsafe() *int {
	return t.tx // silent: ...Unsafe says the caller holds t.mu
}

func (t *batchTx) Unsafe() *int {
	return t.tx // want `unguarded-access|t\.tx read without t\.mu`
}

func (t *batchTx) Rollback() {
	t.mu.Lock()
	t.tx = nil
	t.mu.Unlock()
}

func (t *batchTx) Abort() {
	t.mu.Lock()
	t.tx = nil
	t.mu.Unlock()
}

// --- doc comments: "Lock should be held." (nats-server's convention) ---

type server struct {
	mu  sync.Mutex
	sys *int // want sys:`guarded by mu \(held at 5 of 9\)`
}

func (s *server) SetSys(p *int) {
	s.mu.Lock()
	s.sys = p
	s.mu.Unlock()
}

func (s *server) Shutdown() {
	s.mu.Lock()
	s.sys = nil
	s.mu.Unlock()
}

func (s *server) Sys() *int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sys
}

func (s *server) HasSys() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sys != nil
}

func (s *server) SysValue() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.sys
}

// SendStatsz sends the statz update.
// Lock should be held.
func (s *server) SendStatsz() *int {
	return s.sys // silent: the doc says the caller holds the lock
}

// Append adds a sample. It is unsafe to call this concurrently with
// s.Iterator() without holding the series lock.
func (s *server) Append() *int {
	return s.sys // silent: prometheus' memSeries.appendHistogram shape
}

// CheckSys reads sys. Lock should not be held.
func (s *server) CheckSys() *int {
	return s.sys // want `unguarded-access|s\.sys read without s\.mu`
}

// Transfer holds only its own lock while it reads another's sys.
func (s *server) Transfer(o *server) *int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return o.sys // want `unguarded-access|o\.sys read without o\.mu`
}

// --- constructors' results: not shared until returned ---
// etcd's v2store: newStore's object points back to itself (s.root =
// newDir(s)), so the model does not prove it fresh; Clone fills the new
// store before anyone sees it.

type store struct {
	mu    sync.RWMutex
	index int // want index:`guarded by mu \(held at 5 of 6\)`
	root  *dir
}

type dir struct{ st *store }

func newStore() *store {
	s := new(store)
	s.root = &dir{st: s}
	return s
}

func (s *store) Index() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.index
}

func (s *store) Set(i int) {
	s.mu.Lock()
	s.index = i
	s.mu.Unlock()
}

func (s *store) Bump() {
	s.mu.Lock()
	s.index++
	s.mu.Unlock()
}

func (s *store) Clone() *store {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := newStore()
	c.index = s.index // silent: c is the constructor's new store
	return c
}

// newRunningStore starts a goroutine on what it makes: shared already.
func newRunningStore() *store {
	s := new(store)
	s.root = &dir{st: s}
	go s.Bump()
	return s
}

func Restart() *store {
	c := newRunningStore()
	c.index = 1 // want `c\.index written without`
	return c
}

// --- Init methods ready their receiver before it is shared ---
// pebble v2.1.7 internal/problemspans: "Init must be called before using
// the ByLevel."; wal's managers' init runs at Open.

type byLevel struct {
	mu     sync.Mutex
	levels []int // want levels:`guarded by mu \(held at 4 of 6\)`
}

// Init must be called before using the byLevel.
func (bl *byLevel) Init(n int) {
	bl.levels = make([]int, n) // silent: not shared yet
}

func (bl *byLevel) Add(i int) {
	bl.mu.Lock()
	bl.levels[i]++
	bl.mu.Unlock()
}

func (bl *byLevel) Reset() {
	bl.mu.Lock()
	bl.levels = nil
	bl.mu.Unlock()
}

func (bl *byLevel) Len() int {
	bl.mu.Lock()
	defer bl.mu.Unlock()
	return len(bl.levels)
}

// Initialized is no initializer: it asks.
func (bl *byLevel) Initialized() bool {
	return bl.levels != nil // want `bl\.levels read without`
}

// Reinit reuses a shared byLevel.
func (bl *byLevel) Reinit(n int) {
	bl.levels = make([]int, n) // want `bl\.levels written without`
}

// initID is no initializer of its receiver: Shopify/sarama v1.38.1's
// txnmgr.initProducerId runs again on each epoch bump.
type txnmgr struct {
	mu         sync.Mutex
	producerID int // want producerID:`guarded by mu`
}

func (t *txnmgr) initProducerID() {
	t.mu.Lock()
	t.producerID++
	t.mu.Unlock()
}

func (t *txnmgr) bump() {
	t.mu.Lock()
	t.producerID = 0
	t.mu.Unlock()
}

func (t *txnmgr) ID() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.producerID
}

func (t *txnmgr) initID(id int) {
	t.producerID = id // want `t\.producerID written without`
}
