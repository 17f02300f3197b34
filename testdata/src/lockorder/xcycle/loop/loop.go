// Package loop drives its internal connection only from its producer's
// event loop (go p.run() once per producer): Write and Reset never run at
// once, so the connection's lock cycle cannot close. Silent.
package loop

import "lockorder/xcycle/internal/conn"

type Producer struct {
	c     *conn.Conn
	in    chan string
	reset chan struct{}
}

func NewProducer() *Producer {
	p := &Producer{c: conn.New(), in: make(chan string), reset: make(chan struct{})}
	go p.run()
	return p
}

// Send and Reset hand their work to the loop.
func (p *Producer) Send(s string) { p.in <- s }

func (p *Producer) Reset() { p.reset <- struct{}{} }

func (p *Producer) run() {
	for {
		select {
		case s := <-p.in:
			p.c.Write(s)
		case <-p.reset:
			p.resetConn()
		}
	}
}

func (p *Producer) resetConn() { p.c.Reset() }
