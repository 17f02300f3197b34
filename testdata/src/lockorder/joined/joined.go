// Package joined: Close waits for the receive loop to exit, then takes the
// locks the loop takes in the other order. The two orders never run at
// once: no lock-cycle. Without the join, or with it on one path only, the
// cycle is reported.
package joined

import "sync"

// R joins its loop with a WaitGroup the loop marks done at exit.
type R struct {
	a, b sync.Mutex
	wg   sync.WaitGroup
	in   chan int
}

func NewR() *R {
	r := &R{in: make(chan int)}
	r.wg.Add(1)
	go r.loop()
	return r
}

func (r *R) loop() {
	defer r.wg.Done()
	for range r.in {
		r.b.Lock()
		r.a.Lock()
		r.a.Unlock()
		r.b.Unlock()
	}
}

func (r *R) Close() {
	close(r.in)
	r.wg.Wait()
	r.a.Lock()
	r.b.Lock()
	r.b.Unlock()
	r.a.Unlock()
}

// D joins its loop on a channel the loop closes at exit.
type D struct {
	a, b sync.Mutex
	done chan struct{}
	in   chan int
}

func NewD() *D {
	d := &D{in: make(chan int), done: make(chan struct{})}
	go d.loop()
	return d
}

func (d *D) loop() {
	defer close(d.done)
	for range d.in {
		d.b.Lock()
		d.a.Lock()
		d.a.Unlock()
		d.b.Unlock()
	}
}

func (d *D) Close() {
	close(d.in)
	<-d.done
	d.a.Lock()
	d.b.Lock()
	d.b.Unlock()
	d.a.Unlock()
}

// S: Close does not wait for the loop: reported.
type S struct {
	a, b sync.Mutex
	wg   sync.WaitGroup
	in   chan int
}

func NewS() *S {
	s := &S{in: make(chan int)}
	s.wg.Add(1)
	go s.loop()
	return s
}

func (s *S) loop() {
	defer s.wg.Done()
	for range s.in {
		s.b.Lock()
		s.a.Lock() // want `lock order inversion: joined.S.a .*\(in goroutine \(\*joined.S\).loop`
		s.a.Unlock()
		s.b.Unlock()
	}
}

func (s *S) Close() {
	close(s.in)
	s.a.Lock()
	s.b.Lock()
	s.b.Unlock()
	s.a.Unlock()
}

// P: Close waits for the loop on one path only: reported.
type P struct {
	a, b sync.Mutex
	wg   sync.WaitGroup
	in   chan int
}

func NewP() *P {
	p := &P{in: make(chan int)}
	p.wg.Add(1)
	go p.loop()
	return p
}

func (p *P) loop() {
	defer p.wg.Done()
	for range p.in {
		p.b.Lock()
		p.a.Lock() // want `lock order inversion: joined.P.a .*\(in goroutine \(\*joined.P\).loop`
		p.a.Unlock()
		p.b.Unlock()
	}
}

func (p *P) Close(wait bool) {
	close(p.in)
	if wait {
		p.wg.Wait()
	}
	p.a.Lock()
	p.b.Lock()
	p.b.Unlock()
	p.a.Unlock()
}

// Q: the WaitGroup is also marked done outside the loop's exit (Flush):
// the wait does not prove the loop has exited: reported.
type Q struct {
	a, b sync.Mutex
	wg   sync.WaitGroup
	in   chan int
}

func NewQ() *Q {
	q := &Q{in: make(chan int)}
	q.wg.Add(1)
	go q.loop()
	return q
}

func (q *Q) loop() {
	defer q.wg.Done()
	for range q.in {
		q.b.Lock()
		q.a.Lock() // want `lock order inversion: joined.Q.a .*\(in goroutine \(\*joined.Q\).loop`
		q.a.Unlock()
		q.b.Unlock()
	}
}

func (q *Q) Flush() { q.wg.Done() }

func (q *Q) Close() {
	close(q.in)
	q.wg.Wait()
	q.a.Lock()
	q.b.Lock()
	q.b.Unlock()
	q.a.Unlock()
}

// Y is yamux's Session (v0.1.2 session.go:295): the goroutine recv calls
// recvLoop, whose deferred close(y.recvDone) announces its exit; recvLoop
// reaches the function that takes the locks through a package table of
// method expressions (handlers[t](y, v)). Close waits for recvDone, then
// takes the locks in the other order: once recvLoop has returned, nothing
// on recv takes them. Silent.
type Y struct {
	a, b     sync.Mutex
	recvDone chan struct{}
	in       chan int
}

var yHandlers = []func(*Y, int) error{
	0: (*Y).handleData,
	1: (*Y).handlePing,
}

func NewY() *Y {
	y := &Y{in: make(chan int), recvDone: make(chan struct{})}
	go y.recv()
	return y
}

func (y *Y) recv() {
	if err := y.recvLoop(); err != nil {
		y.Close() // recv closes the session once its loop has exited
	}
}

func (y *Y) recvLoop() error {
	defer close(y.recvDone)
	for v := range y.in {
		if err := yHandlers[v%2](y, v); err != nil {
			return err
		}
	}
	return nil
}

func (y *Y) handleData(v int) error {
	y.b.Lock()
	y.a.Lock()
	y.a.Unlock()
	y.b.Unlock()
	return nil
}

func (y *Y) handlePing(v int) error { return nil }

func (y *Y) Close() {
	<-y.recvDone
	y.a.Lock()
	y.b.Lock()
	y.b.Unlock()
	y.a.Unlock()
}

// YN: the same, but Close does not wait for the loop: reported.
type YN struct {
	a, b     sync.Mutex
	recvDone chan struct{}
	in       chan int
}

var ynHandlers = []func(*YN, int) error{(*YN).handleData}

func NewYN() *YN {
	y := &YN{in: make(chan int), recvDone: make(chan struct{})}
	go y.recv()
	return y
}

func (y *YN) recv() {
	if err := y.recvLoop(); err != nil {
		y.Close()
	}
}

func (y *YN) recvLoop() error {
	defer close(y.recvDone)
	for v := range y.in {
		if err := ynHandlers[0](y, v); err != nil {
			return err
		}
	}
	return nil
}

func (y *YN) handleData(v int) error {
	y.b.Lock()
	y.a.Lock()
	y.a.Unlock()
	y.b.Unlock()
	return nil
}

func (y *YN) Close() {
	y.a.Lock()
	y.b.Lock() // want `lock-cycle|inversion: joined.YN.b`
	y.b.Unlock()
	y.a.Unlock()
}

// YA: Close waits for recvLoop, but recv takes the locks again after the
// loop has returned (its drain): the join does not cover that. Reported.
type YA struct {
	a, b     sync.Mutex
	recvDone chan struct{}
	in       chan int
}

var yaHandlers = []func(*YA, int) error{(*YA).handleData}

func NewYA() *YA {
	y := &YA{in: make(chan int), recvDone: make(chan struct{})}
	go y.recv()
	return y
}

func (y *YA) recv() {
	_ = y.recvLoop()
	y.drain()
}

func (y *YA) recvLoop() error {
	defer close(y.recvDone)
	for v := range y.in {
		if err := yaHandlers[0](y, v); err != nil {
			return err
		}
	}
	return nil
}

func (y *YA) handleData(v int) error {
	y.b.Lock()
	y.a.Lock()
	y.a.Unlock()
	y.b.Unlock()
	return nil
}

func (y *YA) drain() {
	y.b.Lock()
	y.a.Lock() // want `lock-cycle|inversion: joined.YA.a`
	y.a.Unlock()
	y.b.Unlock()
}

func (y *YA) Close() {
	<-y.recvDone
	y.a.Lock()
	y.b.Lock()
	y.b.Unlock()
	y.a.Unlock()
}
