// Package onlywrite calls the connection's Write from anywhere but never
// Reset: the other order is never taken here, so the cycle is not this
// package's to report. Silent.
package onlywrite

import "lockorder/xcycle/internal/conn"

type Producer struct{ c *conn.Conn }

func New() *Producer { return &Producer{c: conn.New()} }

func (p *Producer) Send(s string) { p.c.Write(s) }

func (p *Producer) SendAsync(s string) { go p.c.Write(s) }
