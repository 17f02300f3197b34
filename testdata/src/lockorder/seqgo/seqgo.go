// Package seqgo: the same two orders, where another goroutine can run
// one of them. Reported.
package seqgo

import "sync"

var a, b sync.Mutex

func first() {
	a.Lock()
	b.Lock() // want `lock order inversion`
	b.Unlock()
	a.Unlock()
}

func second() {
	b.Lock()
	a.Lock()
	a.Unlock()
	b.Unlock()
}

// Start runs first here and second on a goroutine of its own.
func Start() {
	go second()
	first()
}

// Do calls them one after the other, but it is exported: two goroutines
// calling Do at once can be one in lockCD, the other in lockDC.
var c, d sync.Mutex

func Do() {
	lockCD()
	lockDC()
}

func lockCD() {
	c.Lock()
	d.Lock() // want `lock order inversion`
	d.Unlock()
	c.Unlock()
}

func lockDC() {
	d.Lock()
	c.Lock()
	c.Unlock()
	d.Unlock()
}
