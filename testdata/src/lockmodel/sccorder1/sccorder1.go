package sccorder1 // want package:""

// Package sccorder1: Even and Odd call each other and only Odd takes mu.
// Whichever of the two the model meets first, both summaries say they
// acquire it (the model solves a recursive component to a fixpoint); the
// package sccorder2 declares the same functions in the other order and
// gets the same facts.

import "sync"

var (
	mu    sync.Mutex
	count int
)

func Even(n int) { // want Even:"acquires sccorder1.mu locked"
	if n > 0 {
		Odd(n - 1)
	}
}

func Odd(n int) { // want Odd:"acquires sccorder1.mu locked"
	mu.Lock()
	count++
	mu.Unlock()
	if n > 0 {
		Even(n - 1)
	}
}

// Plain calls Even and is no member of the component: its summary comes
// from the solved one.
func Plain() { // want Plain:"acquires sccorder1.mu locked"
	Even(3)
}
