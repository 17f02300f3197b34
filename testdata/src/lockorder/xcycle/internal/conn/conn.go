package conn // want package:"deferred lock-cycle conn.Conn.mu → conn.Conn.stateMu: path 1 ..conn.Conn..Write; path 2 ..conn.Conn..Reset"

// conn is a connection whose Write holds its write lock while it marks
// the state, and whose Reset holds the state lock while it drops the
// pending writes: the two orders of mu and stateMu. It starts no
// goroutine and is internal: whether Write and Reset can run at once is
// up to the importers that call them, so it leaves the cycle to them.

import "sync"

type Conn struct {
	mu      sync.Mutex
	stateMu sync.Mutex
	pending []string
	state   int
}

func New() *Conn { return &Conn{} }

func (c *Conn) Write(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending = append(c.pending, s)
	c.setState(1)
}

func (c *Conn) setState(n int) {
	c.stateMu.Lock()
	c.state = n
	c.stateMu.Unlock()
}

func (c *Conn) Reset() {
	c.stateMu.Lock()
	defer c.stateMu.Unlock()
	c.state = 0
	c.mu.Lock()
	c.pending = nil
	c.mu.Unlock()
}

// Pinger starts its own goroutine, which takes the two locks in one order
// while Ping takes them in the other: the goroutine runs at once with any
// caller of Ping, whatever the importers do. Reported here.
type Pinger struct {
	a, b sync.Mutex
	tick chan struct{}
}

func (p *Pinger) Start() { go p.loop() }

func (p *Pinger) loop() {
	for range p.tick {
		p.a.Lock()
		p.b.Lock() // want `lock-cycle|lock order inversion: conn.Pinger.b`
		p.b.Unlock()
		p.a.Unlock()
	}
}

func (p *Pinger) Ping() {
	p.b.Lock()
	p.a.Lock()
	p.a.Unlock()
	p.b.Unlock()
}

// Package variables' locks are shared by every importer's objects: two
// producers' loops can take them in the two orders at once. Reported here.
var (
	regMu   sync.Mutex
	statsMu sync.Mutex
)

func Register() {
	regMu.Lock()
	statsMu.Lock() // want `lock-cycle|lock order inversion: conn.statsMu`
	statsMu.Unlock()
	regMu.Unlock()
}

func Stats() {
	statsMu.Lock()
	regMu.Lock()
	regMu.Unlock()
	statsMu.Unlock()
}
