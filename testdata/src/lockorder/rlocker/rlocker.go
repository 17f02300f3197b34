// Package rlocker: a sync.Cond over an RWMutex's read side
// (sync.NewCond(rw.RLocker())): c.L.Lock() is rw.RLock(), and Wait
// re-acquires in read mode.
package rlocker

import "sync"

type feed struct {
	rw sync.RWMutex
	c  *sync.Cond
	n  int
}

func newFeed() *feed {
	f := &feed{}
	f.c = sync.NewCond(f.rw.RLocker())
	return f
}

func (f *feed) wait() {
	f.c.L.Lock()
	for f.n == 0 {
		f.c.Wait()
	}
	f.c.L.Unlock()
}

// waitTwice holds the read side and waits again through the Cond: two
// read locks of one goroutine, a deadlock once set's writer waits between.
func (f *feed) waitTwice() {
	f.rw.RLock()
	defer f.rw.RUnlock()
	f.wait() // want `f.rw is read-locked again`
}

// readAfter takes the read side after the Cond's read lock is released.
func (f *feed) readAfter() int {
	f.wait()
	f.rw.RLock()
	defer f.rw.RUnlock()
	return f.n
}

func (f *feed) set(n int) {
	f.rw.Lock()
	f.n = n
	f.rw.Unlock()
	f.c.Broadcast()
}
