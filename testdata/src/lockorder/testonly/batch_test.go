package testonly

import (
	"sync"
	"testing"
)

// TestHoldBatch holds a batch while it polls the buffer: batch → buffer,
// against Fail's order, but Fail never runs here.
func TestHoldBatch(t *testing.T) {
	b := &Buffer{batches: []*Batch{{}}}
	b.batches[0].mu.Lock()
	b.mu.Lock()
	b.mu.Unlock()
	b.batches[0].mu.Unlock()
}

type fixture struct{ mu sync.Mutex }
type clock struct{ mu sync.Mutex }

// Inside the tests alone, an inversion is still an inversion.
func TestFixtureClock(t *testing.T) {
	f, c := &fixture{}, &clock{}
	go func() {
		f.mu.Lock()
		c.mu.Lock() // want `lock order inversion: testonly.clock.mu is acquired here while holding testonly.fixture.mu`
		c.mu.Unlock()
		f.mu.Unlock()
	}()
	c.mu.Lock()
	f.mu.Lock()
	f.mu.Unlock()
	c.mu.Unlock()
}
