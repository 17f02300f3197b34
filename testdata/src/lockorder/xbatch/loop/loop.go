// Package loop drives its internal batch builder only from its producer's
// event loop (go p.run() once per producer, as pulsar's partition
// producer runs runEventsLoop): Add and Flush never run at once, so the
// builder's recursive read lock cannot meet a writer. Silent.
package loop

import "lockorder/xbatch/internal/batch"

type Producer struct {
	b     batch.Builder
	in    chan string
	flush chan chan []string
}

func NewProducer() *Producer {
	p := &Producer{b: batch.New(), in: make(chan string), flush: make(chan chan []string)}
	go p.run()
	return p
}

// Send and Flush hand their work to the loop.
func (p *Producer) Send(k string) { p.in <- k }

func (p *Producer) Flush() []string {
	ch := make(chan []string)
	p.flush <- ch
	return <-ch
}

func (p *Producer) run() {
	for {
		select {
		case k := <-p.in:
			p.b.Add(k)
			batch.Register(k)
			_ = batch.Lookup(k)
		case ch := <-p.flush:
			ch <- p.flushAll()
		}
	}
}

func (p *Producer) flushAll() []string { return p.b.Flush() }
