// Package direct calls its internal connection from exported methods:
// Send on one goroutine and Reset on another take the connection's two
// locks in opposite orders. Reported here once, at the first call.
package direct

import "lockorder/xcycle/internal/conn"

type Producer struct{ c *conn.Conn }

func New() *Producer { return &Producer{c: conn.New()} }

func (p *Producer) Send(s string) {
	p.c.Write(s) // want `lock-cycle|via \(\*conn.Conn\).Write: lock order inversion`
}

func (p *Producer) Reset() { p.c.Reset() }

func (p *Producer) ResetTwice() {
	p.c.Reset()
	p.c.Reset()
}
