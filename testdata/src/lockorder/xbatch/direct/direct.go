// Package direct calls its internal batch builder from exported methods:
// Send on one goroutine can write-lock between Flush's two read locks on
// another. Reported here, at the call of the reading entry.
package direct

import "lockorder/xbatch/internal/batch"

type Producer struct{ b batch.Builder }

func New() *Producer { return &Producer{b: batch.New()} }

func (p *Producer) Send(k string) { p.b.Add(k) }

func (p *Producer) Flush() []string {
	return p.b.Flush() // want `recursive-rlock|via Flush: b.l is read-locked again`
}

// Quiet's report was suppressed in batch: silent here too.
func Quiet() int {
	q := &batch.Quiet{}
	q.Set(1)
	return q.Get()
}
