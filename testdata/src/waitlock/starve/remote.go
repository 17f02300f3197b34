package starve

import (
	"sync"
	"time"

	"waitmodel/facts/lib"
)

// A read with no deadline in another package (lib.Conn.ReadFrame, seen
// through its FuncWaits fact) under the lock the heartbeat takes.
type remote struct {
	mu sync.Mutex
	c  *lib.Conn
	n  int
}

func (r *remote) Start() { go r.heartbeatLoop() }

func (r *remote) heartbeatLoop() {
	for range time.Tick(time.Second) {
		r.mu.Lock()
		r.n++
		r.mu.Unlock()
	}
}

func (r *remote) Fetch(b []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.c.ReadFrame(b) // want `Fetch holds r.mu across r.c.ReadFrame\(…\): a network read`
}

// Negative: the other package's function sets a deadline before it reads.
func (r *remote) FetchTimeout(b []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.c.ReadFrameTimeout(b)
}

// A sleep in another package, through its helper.
func (r *remote) Pause() {
	r.mu.Lock()
	defer r.mu.Unlock()
	lib.Nap() // want `Pause holds r.mu across lib.Nap\(…\): a sleep`
}
