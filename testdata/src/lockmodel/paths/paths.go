package paths // want package:".paths.S..a -> .paths.S..b .\\+2 paths.; .paths.S..g -> .paths.S..b;"

// Package paths: the edge a → b is made by three paths; the package fact
// keeps the others beside the main one (with the locks held on each), so
// a report can show the one that shares no lock with the other side.

import "sync"

type S struct{ a, b, g sync.Mutex }

func (s *S) abGated() { // want abGated:"acquires"
	s.g.Lock()
	s.a.Lock()
	s.b.Lock()
	s.b.Unlock()
	s.a.Unlock()
	s.g.Unlock()
}

func (s *S) abFree() { // want abFree:"acquires"
	s.a.Lock()
	s.b.Lock()
	s.b.Unlock()
	s.a.Unlock()
}

// Two ways through one function with the same sites are one path, holding
// what both hold (a alone).
func (s *S) abTwice(x bool) { // want abTwice:"acquires"
	s.a.Lock()
	if x {
		s.g.Lock()
		s.g.Unlock()
	}
	s.b.Lock()
	s.b.Unlock()
	s.a.Unlock()
}
