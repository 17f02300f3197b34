// Package closures: locks released inside closures that are called through
// a captured func variable (SSA keeps it in a cell), and deferred calls of
// closures' results.
package closures

import (
	"sync"
	"time"
)

type js struct {
	mu   sync.Mutex
	pafs map[string]int
	cb   func()
	dch  chan struct{}
}

func (js *js) handle(id string) {
	js.mu.Lock()
	_, ok := js.pafs[id]
	if !ok {
		js.mu.Unlock()
		return
	}
	closeDchFn := func() func() {
		dch := js.dch
		return func() {
			if dch != nil {
				close(dch)
			}
		}
	}
	doErr := func(err error) {
		cb := js.cb
		js.mu.Unlock()
		if cb != nil {
			cb()
		}
	}
	if len(id) == 0 {
		time.AfterFunc(time.Second, func() {
			js.mu.Lock()
			doErr(nil)
		})
		js.mu.Unlock()
		return
	}
	if len(id) == 1 {
		delete(js.pafs, id)
		defer closeDchFn()()
		doErr(nil)
		return
	}
	delete(js.pafs, id)
	js.mu.Unlock()
}

// handleForgetful forgets to call doErr (which unlocks) on one path.
func (js *js) handleForgetful(id string) {
	js.mu.Lock() // want `js.mu is locked here and still held when \(\*closures.js\).handleForgetful returns`
	doErr := func() {
		js.mu.Unlock()
	}
	go func() { doErr() }()
	if len(id) == 0 {
		return
	}
	doErr()
}

// A func field set and called inside one package is linked to what is
// stored in it, except when the call is guarded by a field that the
// storing function also writes (if !s.async { s.done() } against s.async =
// true; s.done = ...): the author keeps those paths apart (nats.go's
// Subscription.pDone is the real shape).
type sub struct {
	mu    sync.Mutex
	async bool
	done  func()
}

type watcher struct {
	mu sync.Mutex
}

func (s *sub) remove() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.async && s.done != nil {
		s.done()
	}
}

func (w *watcher) watch(s *sub) {
	w.mu.Lock()
	defer w.mu.Unlock()
	s.mu.Lock()
	s.async = true
	s.done = func() {
		w.mu.Lock()
		w.mu.Unlock()
	}
	s.mu.Unlock()
}

// A release through a stored unlock closure that a deferred closure calls
// (unlock := func() { mu.Unlock() }; defer func() { unlock() }()): bump
// returns with r.mu released, so two calls in a row are no double lock.
type reg struct {
	mu sync.Mutex
	n  int
}

func (r *reg) bump() {
	r.mu.Lock()
	unlock := func() { r.mu.Unlock() }
	defer func() { unlock() }()
	r.n++
}

func (r *reg) bumpTwice() {
	r.bump()
	r.bump()
}

// The same shape whose stored closure does not unlock: bumpKeep returns
// holding r.mu, and the second call locks it again.
func (r *reg) bumpKeep() {
	r.mu.Lock()
	note := func() { r.n++ }
	defer func() { note() }()
}

func (r *reg) bumpKeepTwice() {
	r.bumpKeep()
	r.bumpKeep() // want `r.mu is locked via \(\*closures.reg\).bumpKeep again`
}

// A closure stored in the variable it calls (a recursive walk): its free
// call is itself, applied once.
func (r *reg) walkAll(n int) {
	var walk func(int)
	walk = func(d int) {
		if d > 0 {
			walk(d - 1)
		}
	}
	r.mu.Lock()
	defer func() { walk(n) }()
	r.mu.Unlock()
}
