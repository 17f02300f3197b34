// Package testonly: a test takes the package's locks in the order opposite
// to production code to force an interleaving. Mixed test/production cycles
// are not reported; cycles wholly inside the tests are.
package testonly

import "sync"

type Batch struct{ mu sync.Mutex }

type Buffer struct {
	mu      sync.Mutex
	batches []*Batch
}

// Fail holds the buffer, then each batch: buffer → batch.
func (b *Buffer) Fail() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, bt := range b.batches {
		bt.mu.Lock()
		bt.mu.Unlock()
	}
}
