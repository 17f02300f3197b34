package testonly

import (
	"sync"
	"testing"
)

// TestHoldBatch holds a batch while it polls the buffer: batch → buffer,
// against Fail's order, but Fail never runs here.
func TestHoldBatch(t *testing.T) {
	b := &Buffer{batches: []*Batch{{}}}
	b.batches[0].mu.Lock()
	b.mu.Lock()
	b.mu.Unlock()
	b.batches[0].mu.Unlock()
}

type fixture struct{ mu sync.Mutex }
type clock struct{ mu sync.Mutex }

// Inside the tests alone, an inversion is still an inversion.
func TestFixtureClock(t *testing.T) {
	f, c := &fixture{}, &clock{}
	go func() {
		f.mu.Lock()
		c.mu.Lock() // want `lock order inversion: testonly.clock.mu is acquired here while holding testonly.fixture.mu`
		c.mu.Unlock()
		f.mu.Unlock()
	}()
	c.mu.Lock()
	f.mu.Lock()
	f.mu.Unlock()
	c.mu.Unlock()
}

// Two tests take a machine's lock and a node's lock in opposite orders, each
// on objects of its own: tests run one at a time, so the two orders never
// meet (nats-server's raft helpers, raft_helpers_test.go:385).
type node struct{ mu sync.Mutex }

type machine struct {
	mu sync.Mutex
	n  *node
}

func (m *machine) node() *node {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.n
}

func (m *machine) restart() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.n.mu.Lock()
	m.n.mu.Unlock()
}

var machines = []*machine{{n: &node{}}, {n: &node{}}}

func TestRemovePeer(t *testing.T) {
	machines[0].n.mu.Lock()
	_ = machines[1].node()
	machines[0].n.mu.Unlock()
}

func TestRestart(t *testing.T) {
	machines[1].restart()
}

// The same two orders in tests that call t.Parallel run at once: reported.
type pnode struct{ mu sync.Mutex }

type pmachine struct {
	mu sync.Mutex
	n  *pnode
}

func (m *pmachine) node() *pnode {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.n
}

func (m *pmachine) restart() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.n.mu.Lock() // want `lock order inversion: testonly.pnode.mu is acquired here while holding testonly.pmachine.mu`
	m.n.mu.Unlock()
}

var shared = []*pmachine{{n: &pnode{}}, {n: &pnode{}}}

func TestParallelRemovePeer(t *testing.T) {
	t.Parallel()
	shared[0].n.mu.Lock()
	_ = shared[1].node()
	shared[0].n.mu.Unlock()
}

func TestParallelRestart(t *testing.T) {
	t.Parallel()
	shared[1].restart()
}

// A store read twice by one test (etcd's TestConcurrentReadNotBlockingWrite):
// its writer, Compact, never runs while the tests run, so no writer can wait
// between the two read locks.
type store struct {
	mu  sync.RWMutex
	rev int
}

func (s *store) Read() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.rev
}

func (s *store) Compact() {
	s.mu.Lock()
	s.rev = 0
	s.mu.Unlock()
}

func TestReadTwice(t *testing.T) {
	s := &store{}
	done := make(chan struct{})
	go func() {
		_ = s.Read()
		close(done)
	}()
	<-done
	s.mu.RLock()
	_ = s.Read()
	s.mu.RUnlock()
}

// The same with the writer running in a goroutine of the test: reported.
type wstore struct {
	mu  sync.RWMutex
	rev int
}

func (s *wstore) Read() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.rev
}

func (s *wstore) Compact() {
	s.mu.Lock()
	s.rev = 0
	s.mu.Unlock()
}

func TestReadTwiceCompacting(t *testing.T) {
	s := &wstore{}
	go s.Compact()
	s.mu.RLock()
	_ = s.Read() // want `testonly.wstore.mu is read-locked again while this goroutine already read-holds it`
	s.mu.RUnlock()
}

// The test itself compacts the store before and after its two read locks:
// the writer is the test's own goroutine, which cannot be waiting between
// them.
func TestCompactThenReadTwice(t *testing.T) {
	s := &store{}
	s.Compact()
	s.mu.RLock()
	_ = s.Read()
	s.mu.RUnlock()
	defer s.Compact()
}

// State machines behind one interface (nats-server's raft tests): one test
// runs groups of adders, another groups of chains. A chain locks its node
// while applying; the adder test holds a node and asks each member for its
// node, which by the interface could be a chain's (chain.mu after
// rnode.mu). But the adder test never makes a chain, so no chain applies
// while it runs: tests one at a time, not reported.
type sm interface {
	apply()
	node() *rnode
}

type rnode struct{ mu sync.Mutex }

type adder struct {
	mu sync.Mutex
	n  *rnode
}

func (a *adder) apply() {}

func (a *adder) node() *rnode {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n
}

type chain struct {
	mu sync.Mutex
	n  *rnode
}

func (c *chain) apply() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n.mu.Lock()
	c.n.mu.Unlock()
}

func (c *chain) node() *rnode {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func loop(s sm) { s.apply() }

var groups [][]sm

func TestAdders(t *testing.T) {
	g := []sm{&adder{n: &rnode{}}, &adder{n: &rnode{}}}
	groups = append(groups, g)
	go loop(g[0])
	n := g[0].node()
	n.mu.Lock()
	_ = g[1].node()
	n.mu.Unlock()
}

func TestChains(t *testing.T) {
	g := []sm{&chain{n: &rnode{}}}
	groups = append(groups, g)
	loop(g[0])
}

// The same, but one test makes both kinds: a chain may apply while the
// test holds a node and asks the chain for its node. Reported.
type sm2 interface {
	apply()
	node() *rnode2
}

type rnode2 struct{ mu sync.Mutex }

type adder2 struct {
	mu sync.Mutex
	n  *rnode2
}

func (a *adder2) apply() {}

func (a *adder2) node() *rnode2 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n
}

type chain2 struct {
	mu sync.Mutex
	n  *rnode2
}

func (c *chain2) apply() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n.mu.Lock() // want `lock order inversion: testonly.rnode2.mu is acquired here while holding testonly.chain2.mu`
	c.n.mu.Unlock()
}

func (c *chain2) node() *rnode2 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func loop2(s sm2) { s.apply() }

var groups2 [][]sm2

func TestMixedGroup(t *testing.T) {
	g := []sm2{&adder2{n: &rnode2{}}, &chain2{n: &rnode2{}}}
	groups2 = append(groups2, g)
	go loop2(g[1])
	n := g[0].node()
	n.mu.Lock()
	_ = g[1].node()
	n.mu.Unlock()
}
