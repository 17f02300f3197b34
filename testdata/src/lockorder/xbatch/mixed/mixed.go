// Package mixed flushes from its producer's event loop, but Send adds
// from the caller's goroutine: a writer can come between the loop's two
// read locks. Reported.
package mixed

import "lockorder/xbatch/internal/batch"

type Producer struct {
	b    batch.Builder
	tick chan struct{}
}

func NewProducer() *Producer {
	p := &Producer{b: batch.New(), tick: make(chan struct{})}
	go p.run()
	return p
}

func (p *Producer) Send(k string) { p.b.Add(k) }

func (p *Producer) run() {
	for range p.tick {
		p.b.Flush() // want `recursive-rlock|via Flush: b.l is read-locked again`
	}
}
