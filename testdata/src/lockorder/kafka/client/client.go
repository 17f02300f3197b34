// Package client is the network client of a Go rendition of kafka-python's
// poll/heartbeat deadlock (KafkaConsumer.poll vs HeartbeatThread): the
// client lock guards the connections and in-flight requests.
package client

import "sync"

type Request struct{ API string }

type Client struct {
	mu       sync.Mutex
	inFlight map[int32][]Request
}

func New() *Client { return &Client{inFlight: map[int32][]Request{}} }

// Send queues a request for a broker, under the client lock.
func (c *Client) Send(node int32, r Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inFlight[node] = append(c.inFlight[node], r)
}

// Poll runs network I/O under the client lock and hands completed
// requests to onComplete while still holding it.
func (c *Client) Poll(onComplete func(Request)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for node, rs := range c.inFlight {
		for _, r := range rs {
			onComplete(r)
		}
		delete(c.inFlight, node)
	}
}

// PollDetached collects completions under the lock and runs the callback
// after releasing it: the fixed shape.
func (c *Client) PollDetached(onComplete func(Request)) {
	c.mu.Lock()
	var done []Request
	for node, rs := range c.inFlight {
		done = append(done, rs...)
		delete(c.inFlight, node)
	}
	c.mu.Unlock()
	for _, r := range done {
		onComplete(r)
	}
}
