// Package concurrent: the default tier of inferred guards (no
// -guardedstate.inferred). An access missing a guard only inferred from
// held sets is reported when it runs only on a goroutine this package
// starts (a go statement, a time.AfterFunc closure) and another goroutine
// writes the field with the guard held; each positive has its silent twin.
package concurrent

import (
	"sync"
	"time"
)

// recBuf is franz-go v1.20.1's linger race: the timer's closure reads
// sink without mu while the metadata goroutine moves the buffer to
// another sink under mu.
type recBuf struct {
	mu     sync.Mutex
	sink   *sink // want sink:`guarded by mu \(held at 3 of 5\)`
	linger *time.Timer
}

type sink struct{ n int }

func (s *sink) maybeDrain() {}

func (r *recBuf) lockedMaybeLinger() { // want lockedMaybeLinger:`holds param0.mu`
	r.linger = time.AfterFunc(time.Millisecond, func() {
		r.sink.maybeDrain() // want `r\.sink read without r\.mu held`
	})
}

func (r *recBuf) migrate(to *sink) {
	r.mu.Lock()
	r.sink = to
	r.mu.Unlock()
}

func (r *recBuf) buffer() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sink.maybeDrain()
	r.lockedMaybeLinger()
}

func (r *recBuf) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sink.n
}

// Unlinger is the same read in a method: its callers may serialize it by
// a protocol the model cannot see (inferred mode reports it).
func (r *recBuf) Unlinger() {
	r.sink.maybeDrain()
}

// fixedBuf is v1.20.2: the closure takes the lock.
type fixedBuf struct {
	mu     sync.Mutex
	sink   *sink // want sink:`guarded by mu \(held at 4 of 4\)`
	linger *time.Timer
}

func (r *fixedBuf) lockedMaybeLinger() { // want lockedMaybeLinger:`holds param0.mu`
	r.linger = time.AfterFunc(time.Millisecond, func() {
		r.mu.Lock()
		r.sink.maybeDrain()
		r.mu.Unlock()
	})
}

func (r *fixedBuf) migrate(to *sink) {
	r.mu.Lock()
	r.sink = to
	r.mu.Unlock()
}

func (r *fixedBuf) buffer() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sink.maybeDrain()
	r.lockedMaybeLinger()
}

func (r *fixedBuf) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sink.n
}

// conn: a loop started with a go statement reads the deadline without
// the lock SetDeadline writes it under.
type conn struct {
	mu       sync.Mutex
	deadline int // want deadline:`guarded by mu \(held at 4 of 5\)`
}

func NewConn() *conn {
	c := &conn{}
	go c.loop()
	return c
}

func (c *conn) loop() {
	for {
		if c.deadline > 0 { // want `c\.deadline read without c\.mu held`
			return
		}
	}
}

func (c *conn) SetDeadline(d int) {
	c.mu.Lock()
	c.deadline = d
	c.mu.Unlock()
}

func (c *conn) Deadline() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.deadline
}

func (c *conn) Extend() {
	c.mu.Lock()
	c.deadline++
	c.mu.Unlock()
}

// pump: the same loop, also called directly by an exported method: it
// runs on callers' goroutines too, so the default tier stays silent.
type pump struct {
	mu       sync.Mutex
	deadline int // want deadline:`guarded by mu \(held at 4 of 5\)`
}

func NewPump() *pump {
	p := &pump{}
	go p.loop()
	return p
}

func (p *pump) Drain() { p.loop() }

func (p *pump) loop() {
	for {
		if p.deadline > 0 {
			return
		}
	}
}

func (p *pump) SetDeadline(d int) {
	p.mu.Lock()
	p.deadline = d
	p.mu.Unlock()
}

func (p *pump) Deadline() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.deadline
}

func (p *pump) Extend() {
	p.mu.Lock()
	p.deadline++
	p.mu.Unlock()
}

// worker: the goroutine writes the field without the lock while an
// exported setter writes it under the lock.
type worker struct {
	mu    sync.Mutex
	state int // want state:`guarded by mu \(held at 4 of 5\)`
}

func (w *worker) Start() {
	go func() {
		w.state = 1 // want `w\.state written without w\.mu held`
	}()
}

func (w *worker) Reset() {
	w.mu.Lock()
	w.state = 0
	w.mu.Unlock()
}

func (w *worker) State() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.state
}

func (w *worker) Bump() {
	w.mu.Lock()
	w.state++
	w.mu.Unlock()
}

// forked: the goroutine is joined by its starter (fork-join): not a
// goroutine of its own.
type forked struct {
	mu    sync.Mutex
	state int // want state:`guarded by mu \(held at 4 of 5\)`
}

func (f *forked) Run() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		f.state = 1
	}()
	wg.Wait()
}

func (f *forked) Reset() {
	f.mu.Lock()
	f.state = 0
	f.mu.Unlock()
}

func (f *forked) State() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.state
}

func (f *forked) Bump() {
	f.mu.Lock()
	f.state++
	f.mu.Unlock()
}

// loner: the guarded writes run on the same goroutine as the unguarded
// read (its only writer): no other goroutine writes it.
type loner struct {
	mu  sync.Mutex
	seq int // want seq:`guarded by mu \(held at 4 of 5\)`
}

func (l *loner) Start() { go l.run() }

func (l *loner) run() {
	for {
		l.advance()
		if l.seq > 10 {
			return
		}
	}
}

func (l *loner) advance() {
	l.mu.Lock()
	l.seq++
	l.mu.Unlock()
}

func (l *loner) Seq() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq
}

func (l *loner) Peek() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq
}

// thin: the guard is held at two accesses only: too little evidence for
// the default tier.
type thin struct {
	mu   sync.Mutex
	seen int // weak: no fact, no report
}

func (t *thin) Start() {
	go func() {
		_ = t.seen
	}()
}

func (t *thin) Set(n int) {
	t.mu.Lock()
	t.seen = n
	t.mu.Unlock()
}

func (t *thin) Get() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.seen
}

// gated: the loop reads the field in a helper it calls, once while
// holding another lock: that lock may be the real protocol (nats-server's
// clMu held by batchStagedDiff.commit's callers), so the default tier is
// silent (inferred mode reports the read).
type gated struct {
	mu    sync.Mutex
	gate  sync.Mutex
	limit int // want limit:`guarded by mu \(held at 4 of 5\)`
}

func NewGated() *gated {
	g := &gated{}
	go g.loop()
	return g
}

func (g *gated) loop() {
	for {
		g.gate.Lock()
		n := g.current()
		g.gate.Unlock()
		if n > 0 || g.current() < 0 {
			return
		}
	}
}

func (g *gated) current() int { return g.limit }

func (g *gated) SetLimit(n int) {
	g.mu.Lock()
	g.limit = n
	g.mu.Unlock()
}

func (g *gated) Limit() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.limit
}

func (g *gated) Raise() {
	g.mu.Lock()
	g.limit++
	g.mu.Unlock()
}

// ungated: the same helper called with no lock held: reported, and the
// start is named.
type ungated struct {
	mu    sync.Mutex
	limit int // want limit:`guarded by mu \(held at 4 of 5\)`
}

func NewUngated() *ungated {
	g := &ungated{}
	go g.loop()
	return g
}

func (g *ungated) loop() {
	for g.current() == 0 {
	}
}

func (g *ungated) current() int { return g.limit } // want `g\.limit read without g\.mu held`

func (g *ungated) SetLimit(n int) {
	g.mu.Lock()
	g.limit = n
	g.mu.Unlock()
}

func (g *ungated) Limit() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.limit
}

func (g *ungated) Raise() {
	g.mu.Lock()
	g.limit++
	g.mu.Unlock()
}

// owner: the loop writes the field under the lock itself (in a method it
// calls) and reads it bare after: it owns the field by a protocol the model cannot see
// (nats-server's internalSendLoop and its client's parse state); only
// inferred mode reports it.
type owner struct {
	mu  sync.Mutex
	hdr int // want hdr:`guarded by mu \(held at 3 of 4\)`
}

func (o *owner) Start() { go o.loop() }

func (o *owner) loop() {
	for {
		o.reset()
		if o.hdr > 0 {
			return
		}
	}
}

func (o *owner) reset() {
	o.mu.Lock()
	o.hdr = -1
	o.mu.Unlock()
}

func (o *owner) SetHeader(n int) {
	o.mu.Lock()
	o.hdr = n
	o.mu.Unlock()
}

func (o *owner) Header() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.hdr
}

// dialer is rabbitmq-stream's connect: the handshake writes the
// negotiated heartbeat under the lock, then heartBeat starts the ticker
// goroutine that reads it bare. The go statement orders the two: silent.
type dialer struct {
	mu        sync.Mutex
	heartbeat int // want heartbeat:`guarded by mu \(held at 3 of 4\)`
}

func (d *dialer) Heartbeat() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.heartbeat
}

func (d *dialer) Connect() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.handshake()
	d.startHeartbeat()
}

func (d *dialer) handshake() { d.heartbeat = 5 } // want handshake:`holds param0.mu`

func (d *dialer) startHeartbeat() { // want startHeartbeat:`holds param0.mu`
	if d.heartbeat <= 0 {
		return
	}
	go func() {
		for d.heartbeat > 0 {
		}
	}()
}

// redialer is the same, but Retune writes the heartbeat again under the
// lock while the ticker runs: reported.
type redialer struct {
	mu        sync.Mutex
	heartbeat int // want heartbeat:`guarded by mu \(held at 4 of 5\)`
}

func (d *redialer) Heartbeat() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.heartbeat
}

func (d *redialer) Connect() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.handshake()
	d.startHeartbeat()
}

func (d *redialer) handshake() { d.heartbeat = 5 } // want handshake:`holds param0.mu`

func (d *redialer) startHeartbeat() { // want startHeartbeat:`holds param0.mu`
	if d.heartbeat <= 0 {
		return
	}
	go func() {
		for d.heartbeat > 0 { // want `d\.heartbeat read without d\.mu held`
		}
	}()
}

func (d *redialer) Retune(n int) {
	d.mu.Lock()
	d.heartbeat = n
	d.mu.Unlock()
}
