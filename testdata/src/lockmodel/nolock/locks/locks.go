// Package locks takes a lock in one function (through a helper).
package locks // want `some function takes a lock`

import "sync"

type T struct {
	mu sync.Mutex
	n  int
}

func (t *T) lock() { t.mu.Lock() }

func (t *T) inc() {
	t.lock()
	t.n++
	t.mu.Unlock()
}

func pure(x int) int { return x + 1 }
