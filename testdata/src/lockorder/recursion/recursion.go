// Package recursion: a function that recurses while holding a lock it
// takes on every call locks the same instance again.
package recursion

import (
	"fmt"
	"sync"
)

type tree struct {
	mu       sync.Mutex
	rw       sync.RWMutex
	children []*tree
	child    *tree
	n        int
}

// walk locks t.mu on every call and recurses on t while holding it.
func (t *tree) walk(d int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if d == 0 {
		return
	}
	t.n++
	t.walk(d - 1) // want `t.mu is locked via \(\*recursion.tree\).walk again`
}

// walkChild recurses on another node: hand-over-hand down the tree, not
// the same instance.
func (t *tree) walkChild() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.child != nil {
		t.child.walkChild()
	}
}

// walkUnlocked releases before recursing.
func (t *tree) walkUnlocked(d int) {
	t.mu.Lock()
	t.n++
	t.mu.Unlock()
	if d > 0 {
		t.walkUnlocked(d - 1)
	}
}

// walkTop locks only at the top of the recursion (depth 0); deeper calls
// take no lock.
func (t *tree) walkTop(depth int) {
	if depth == 0 {
		t.mu.Lock()
		defer t.mu.Unlock()
		t.walkTop(depth + 1)
		return
	}
	t.n++
}

// walkFlag passes a lock flag down: the recursive call does not lock.
func (t *tree) walkFlag(locked bool) {
	if !locked {
		t.mu.Lock()
		defer t.mu.Unlock()
	}
	if t.n > 0 {
		t.n--
		t.walkFlag(true)
	}
}

// count read-locks t.rw on every call and recurses on t: a recursive
// read lock, which a waiting writer turns into a deadlock.
func (t *tree) count(d int) int {
	t.rw.RLock()
	defer t.rw.RUnlock()
	if d == 0 {
		return t.n
	}
	return t.n + t.count(d-1) // want `t.rw is read-locked again`
}

func (t *tree) set(n int) {
	t.rw.Lock()
	t.n = n
	t.rw.Unlock()
}

var global sync.Mutex

// visit locks a package lock on every call and recurses.
func visit(n int) {
	global.Lock()
	defer global.Unlock()
	if n > 0 {
		visit(n - 1) // want `global is locked via recursion.visit again`
	}
}

// describe calls a function with no summary (the standard library's)
// while holding the lock it takes on every run: not a recursive call.
func (t *tree) describe() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return fmt.Sprint(t.n)
}

// walkTopVia locks only at the top of the recursion and recurses through
// descend: descend's summary includes walkTopVia's own lock (the two are
// solved together), which is no second acquisition at the call.
func (t *tree) walkTopVia(depth int) {
	if depth == 0 {
		t.mu.Lock()
		defer t.mu.Unlock()
		t.descend(depth + 1)
		return
	}
	t.n++
}

func (t *tree) descend(depth int) { t.walkTopVia(depth) }
