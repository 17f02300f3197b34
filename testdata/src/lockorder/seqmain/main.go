// Command seqmain takes a then b in first, b then a in second, and calls
// them one after the other from main: one goroutine, which never runs
// twice at once, takes both orders. Silent.
package main

import "sync"

var a, b sync.Mutex

func main() {
	first()
	second()
}

func first() {
	a.Lock()
	b.Lock()
	b.Unlock()
	a.Unlock()
}

func second() {
	b.Lock()
	a.Lock()
	a.Unlock()
	b.Unlock()
}

// init runs once too, before main.
var c, d sync.Mutex

func init() {
	lockCD()
	lockDC()
}

func lockCD() {
	c.Lock()
	d.Lock()
	d.Unlock()
	c.Unlock()
}

func lockDC() {
	d.Lock()
	c.Lock()
	c.Unlock()
	d.Unlock()
}
