// Package localmu: mutexes that are local variables, captured by the
// closures (goroutines) that share them.
package localmu

import "sync"

// run's goroutine takes a then b; run itself takes b then a: the two
// locals are the same instances in both, a lock-order inversion.
func run(work func()) {
	var a, b sync.Mutex
	go func() {
		a.Lock()
		b.Lock() // want `lock order inversion: localmu.run.b is acquired here while holding localmu.run.a`
		work()
		b.Unlock()
		a.Unlock()
	}()
	b.Lock()
	a.Lock()
	work()
	a.Unlock()
	b.Unlock()
}

// runOrdered takes them in one order on both sides.
func runOrdered(work func()) {
	var a, b sync.Mutex
	go func() {
		a.Lock()
		b.Lock()
		work()
		b.Unlock()
		a.Unlock()
	}()
	a.Lock()
	b.Lock()
	work()
	b.Unlock()
	a.Unlock()
}
