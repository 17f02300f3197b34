// Package paths: edges made by several paths. The report shows, for each
// edge, a path that shares no lock with the other side's (a shared lock
// is a gate: those two paths never run at once), not merely the first
// path found; a cycle whose every combination of paths shares a gate is
// not reported.
package paths

import "sync"

type S struct{ a, b, g sync.Mutex }

// abGated is found first, but g keeps it apart from ba.
func (s *S) abGated() {
	s.g.Lock()
	s.a.Lock()
	s.b.Lock()
	s.b.Unlock()
	s.a.Unlock()
	s.g.Unlock()
}

// abFree takes a then b with no other lock: it deadlocks with ba.
func (s *S) abFree() {
	s.a.Lock()
	s.b.Lock() // want `lock order inversion: paths.S.b .*\(in \(\*paths.S\).abFree\)`
	s.b.Unlock()
	s.a.Unlock()
}

func (s *S) ba() {
	s.g.Lock()
	s.b.Lock()
	s.a.Lock()
	s.a.Unlock()
	s.b.Unlock()
	s.g.Unlock()
}

// T: each path of a → b shares a gate with the one path of b → a (g with
// one, h with the other), so no two of them run at once: silent, though
// no single lock is held on every path.
type T struct{ a, b, g, h sync.Mutex }

func (t *T) abUnderG() {
	t.g.Lock()
	t.a.Lock()
	t.b.Lock()
	t.b.Unlock()
	t.a.Unlock()
	t.g.Unlock()
}

func (t *T) abUnderH() {
	t.h.Lock()
	t.a.Lock()
	t.b.Lock()
	t.b.Unlock()
	t.a.Unlock()
	t.h.Unlock()
}

func (t *T) baUnderBoth() {
	t.g.Lock()
	t.h.Lock()
	t.b.Lock()
	t.a.Lock()
	t.a.Unlock()
	t.b.Unlock()
	t.h.Unlock()
	t.g.Unlock()
}

// U: like T, but the b → a side has a second path under no gate: the
// cycle closes (abUnderG with baFree), reported at the first a → b path
// as found.
type U struct{ a, b, g, h sync.Mutex }

func (u *U) abUnderG() {
	u.g.Lock()
	u.a.Lock()
	u.b.Lock() // want `lock order inversion: paths.U.b .*\(in \(\*paths.U\).abUnderG\)`
	u.b.Unlock()
	u.a.Unlock()
	u.g.Unlock()
}

func (u *U) baUnderG() {
	u.g.Lock()
	u.b.Lock()
	u.a.Lock()
	u.a.Unlock()
	u.b.Unlock()
	u.g.Unlock()
}

func (u *U) baFree() {
	u.b.Lock()
	u.a.Lock()
	u.a.Unlock()
	u.b.Unlock()
}
