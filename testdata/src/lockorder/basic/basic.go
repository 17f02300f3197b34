// Package basic holds lockorder's single-package cases: each positive has a
// negative beside it.
package basic

import (
	"errors"
	"sync"
)

// --- lock-order inversion -------------------------------------------------

type Account struct {
	mu      sync.Mutex
	balance int
}

type Ledger struct {
	mu      sync.Mutex
	entries []int
}

type Bank struct {
	acct   *Account
	ledger *Ledger
}

func (b *Bank) Deposit(n int) {
	b.acct.mu.Lock()
	defer b.acct.mu.Unlock()
	b.acct.balance += n
	b.ledger.mu.Lock() // want `lock order inversion: basic.Ledger.mu is acquired here while holding basic.Account.mu`
	b.ledger.entries = append(b.ledger.entries, n)
	b.ledger.mu.Unlock()
}

func (b *Bank) Audit() int {
	b.ledger.mu.Lock()
	defer b.ledger.mu.Unlock()
	return b.balanceLocked()
}

// balanceLocked takes the account lock: called with the ledger lock held,
// it closes the cycle through a call.
func (b *Bank) balanceLocked() int {
	b.acct.mu.Lock()
	defer b.acct.mu.Unlock()
	return b.acct.balance
}

// --- negative: one after the other, never nested --------------------------

type Cache struct{ mu sync.Mutex }
type Index struct{ mu sync.Mutex }

func Sequential(c *Cache, i *Index) {
	c.mu.Lock()
	c.mu.Unlock()
	i.mu.Lock()
	i.mu.Unlock()
}

func SequentialReverse(c *Cache, i *Index) {
	i.mu.Lock()
	i.mu.Unlock()
	c.mu.Lock()
	c.mu.Unlock()
}

func NestedOneOrder(c *Cache, i *Index) {
	c.mu.Lock()
	i.mu.Lock()
	i.mu.Unlock()
	c.mu.Unlock()
}

// --- negative: hand-over-hand over instances of one type -----------------

type Node struct {
	mu   sync.Mutex
	next *Node
	val  int
}

func Walk(n *Node) int {
	sum := 0
	n.mu.Lock()
	for n.next != nil {
		next := n.next
		next.mu.Lock()
		sum += n.val
		n.mu.Unlock()
		n = next
	}
	n.mu.Unlock()
	return sum
}

func Transfer(a, b *Account) {
	a.mu.Lock()
	b.mu.Lock()
	a.balance--
	b.balance++
	b.mu.Unlock()
	a.mu.Unlock()
}

// --- negative: a goroutine does not inherit its parent's locks -----------

type Pool struct{ mu sync.Mutex }
type Stats struct{ mu sync.Mutex }

func StartUnderLock(p *Pool, s *Stats) {
	p.mu.Lock()
	go func() {
		s.mu.Lock()
		p.mu.Lock() // want `lock order inversion: basic.Pool.mu is acquired here while holding basic.Stats.mu \(in goroutine started in basic.StartUnderLock \(basic.go:\d+\)\)`
		p.mu.Unlock()
		s.mu.Unlock()
	}()
	p.mu.Unlock()
}

// The goroutine above does not inherit p.mu from StartUnderLock; but it
// takes s then p itself, so with this function (p then s) it IS a real
// inversion, reported once, at the goroutine.
func PoolThenStats(p *Pool, s *Stats) {
	p.mu.Lock()
	s.mu.Lock()
	s.mu.Unlock()
	p.mu.Unlock()
}

// --- negative: TryLock never waits ---------------------------------------

type Queue struct{ mu sync.Mutex }
type Sink struct{ mu sync.Mutex }

func QueueThenSink(q *Queue, s *Sink) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if s.mu.TryLock() {
		s.mu.Unlock()
	}
}

func SinkThenQueue(q *Queue, s *Sink) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !q.mu.TryLock() {
		return
	}
	q.mu.Unlock()
}

// --- negative: a common gate lock serializes the cycle --------------------

var gate sync.Mutex

type Left struct{ mu sync.Mutex }
type Right struct{ mu sync.Mutex }

func GatedLR(l *Left, r *Right) {
	gate.Lock()
	defer gate.Unlock()
	l.mu.Lock()
	r.mu.Lock()
	r.mu.Unlock()
	l.mu.Unlock()
}

func GatedRL(l *Left, r *Right) {
	gate.Lock()
	defer gate.Unlock()
	r.mu.Lock()
	l.mu.Lock()
	l.mu.Unlock()
	r.mu.Unlock()
}

// --- negative: unlock in a deferred closure -------------------------------

type Conn struct {
	mu     sync.Mutex
	closed bool
}

func (c *Conn) Close() error {
	c.mu.Lock()
	defer func() {
		c.mu.Unlock()
	}()
	if c.closed {
		return errors.New("closed")
	}
	c.closed = true
	return nil
}

func (c *Conn) CloseTwice() {
	c.Close()
	c.Close()
}

// --- double lock -----------------------------------------------------------

type Group struct {
	mu      sync.Mutex
	members []string
}

func (g *Group) Join(m string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.members = append(g.members, m)
	g.rebalance() // want `g.mu is locked via \(\*basic.Group\).rebalance again while already locked`
}

func (g *Group) rebalance() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.members = g.members[:0]
}

func (g *Group) Leave(m string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.rebalanceLocked()
}

func (g *Group) rebalanceLocked() { g.members = g.members[:0] }

func Direct(g *Group) {
	g.mu.Lock()
	g.mu.Lock() // want `g.mu is locked again while already locked`
	g.mu.Unlock()
}

// Two different groups: not the same instance.
func Merge(a, b *Group) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b.rebalance()
}

// --- recursive read lock ----------------------------------------------------

type Table struct {
	mu   sync.RWMutex
	rows map[string]int
}

func (t *Table) Get(k string) int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.rows[k]
}

func (t *Table) GetTwo(a, b string) int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.rows[a] + t.Get(b) // want `t.mu is read-locked again while this goroutine already read-holds it`
}

func (t *Table) Put(k string, v int) {
	t.mu.Lock()
	t.rows[k] = v
	t.mu.Unlock()
}

// No writer of View.mu exists: nested read locks cannot deadlock.
type View struct {
	mu   sync.RWMutex
	rows map[string]int
}

func (v *View) Get(k string) int {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.rows[k]
}

func (v *View) GetTwo(a, b string) int {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.rows[a] + v.Get(b)
}

// Read-then-write upgrade done right: release the read lock first.
func (t *Table) Upsert(k string) {
	t.mu.RLock()
	_, ok := t.rows[k]
	t.mu.RUnlock()
	if !ok {
		t.mu.Lock()
		t.rows[k] = 0
		t.mu.Unlock()
	}
}

// --- lock leaked on a return path -----------------------------------------

type Offsets struct {
	mu   sync.Mutex
	next map[int32]int64
}

var errUnknown = errors.New("unknown partition")

func (o *Offsets) Advance(p int32) error {
	o.mu.Lock() // want `o.mu is locked here and still held when \(\*basic.Offsets\).Advance returns at line \d+, while it is not held at the return at line \d+`
	n, ok := o.next[p]
	if !ok {
		return errUnknown
	}
	o.next[p] = n + 1
	o.mu.Unlock()
	return nil
}

func (o *Offsets) AdvanceDeferred(p int32) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	n, ok := o.next[p]
	if !ok {
		return errUnknown
	}
	o.next[p] = n + 1
	return nil
}

func (o *Offsets) AdvanceExplicit(p int32) error {
	o.mu.Lock()
	n, ok := o.next[p]
	if !ok {
		o.mu.Unlock()
		return errUnknown
	}
	o.next[p] = n + 1
	o.mu.Unlock()
	return nil
}

// lock is a wrapper: it always returns holding the lock.
func (o *Offsets) lock() { o.mu.Lock() }

func (o *Offsets) unlock() { o.mu.Unlock() }

func (o *Offsets) Reset() {
	o.lock()
	defer o.unlock()
	o.next = nil
}

// lockIfOpen is a conditional acquire: the bool says whether it holds.
func (o *Offsets) lockIfOpen() bool {
	o.mu.Lock()
	if o.next == nil {
		o.mu.Unlock()
		return false
	}
	return true
}

// lockOrErr holds the lock exactly when it returns nil.
func (o *Offsets) lockOrErr() error {
	o.mu.Lock()
	if o.next == nil {
		o.mu.Unlock()
		return errUnknown
	}
	return nil
}

// resetAndUnlock is started as a goroutine with o.mu held and releases it:
// a hand-off, not a leak.
func (o *Offsets) resetAndUnlock() {
	o.next = map[int32]int64{}
	o.mu.Unlock()
}

func (o *Offsets) Restart(p int32) {
	o.mu.Lock()
	if o.next == nil {
		o.mu.Unlock()
		return
	}
	go o.resetAndUnlock()
}

// RestartForgetful starts a goroutine that does not unlock: a leak.
func (o *Offsets) resetOnly() { o.next = map[int32]int64{} }

func (o *Offsets) RestartForgetful(p int32) {
	o.mu.Lock() // want `o.mu is locked here and still held when \(\*basic.Offsets\).RestartForgetful returns`
	if o.next == nil {
		o.mu.Unlock()
		return
	}
	go o.resetOnly()
}

// An `if false` branch never runs (nats-server's noDeferUnlock keeps one
// to quiet staticcheck's empty critical section check): no leak.
func noDeferUnlock(mu *sync.Mutex) {
	mu.Lock()
	if false {
		return
	}
	mu.Unlock()
}

func BenchUnlock(mu *sync.Mutex) { noDeferUnlock(mu) }

// `if true` always runs: the return after it holds the lock.
func alwaysReturn(mu *sync.Mutex, n int) int {
	mu.Lock() // want `mu is locked here and still held when basic.alwaysReturn returns`
	if n > 0 {
		mu.Unlock()
		return n
	}
	if true {
		return 0
	}
	mu.Unlock()
	return -1
}

func UseAlways(mu *sync.Mutex) int { return alwaysReturn(mu, 1) }

// A Cond over a mutex made in place (mongo's pool: sync.NewCond(&sync.Mutex{}))
// is named by its type and where it was made.
type connPool struct {
	idleMu sync.Mutex
	cond   *sync.Cond
}

func newConnPool() *connPool {
	return &connPool{cond: sync.NewCond(&sync.Mutex{})}
}

func (p *connPool) prune() {
	p.idleMu.Lock()
	p.cond.L.Lock() // want `lock order inversion: basic.newConnPool.new\(sync.Mutex\) is acquired here while holding basic.connPool.idleMu`
	p.cond.L.Unlock()
	p.idleMu.Unlock()
}

func (p *connPool) clear() {
	p.cond.L.Lock()
	p.idleMu.Lock()
	p.idleMu.Unlock()
	p.cond.L.Unlock()
}

func RunPool() {
	p := newConnPool()
	go p.prune()
	p.clear()
}

// Two calls that lock b.mu again under one held b.mu are one bug: one
// report, at the first, listing the second (apimachinery backoffManager).
type backoff struct {
	mu sync.Mutex
	n  int
}

func (b *backoff) Step() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.n++
	return b.n
}

func (b *backoff) Backoff() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.n > 3 {
		return b.Step() // want `b.mu is locked via \(\*basic.backoff\).Step again while already locked`
	}
	return b.Step()
}
