package budget // want package:"budget"

// Package budget has a function with enough blocks to exceed a tiny
// dataflow budget (the test lowers it to 3 steps); the summary is then
// partial (the lock is still seen: the budget stops the fixpoint, not the
// final pass).

import "sync"

var mu sync.Mutex

func Branchy(a, b, c bool) int { // want Branchy:"acquires budget.mu"
	n := 0
	mu.Lock()
	if a {
		n++
	}
	if b {
		n += 2
	}
	if c {
		n += 3
	}
	mu.Unlock()
	return n
}
