// Package guards: locking switched by a bool parameter (nats-server's
// needLock/doLock/hasLock idiom). A caller passing the constant that turns
// the lock off takes no lock; one passing the other constant, or its own
// flag set that way, does.
package guards

import "sync"

type Sublist struct {
	sync.RWMutex
	n int
}

func (s *Sublist) match(doLock bool) int {
	if doLock {
		s.RLock()
		defer s.RUnlock()
	}
	return s.n
}

func (s *Sublist) matchNoLock() int { return s.match(false) }

func (s *Sublist) Insert() {
	s.Lock()
	defer s.Unlock()
	s.n = s.matchNoLock() + 1
}

func (s *Sublist) InsertWrong() {
	s.Lock()
	defer s.Unlock()
	s.n = s.match(true) + 1 // want `s.RWMutex is read-locked via \(\*guards.Sublist\).match again while already locked`
}

// hasLock: the negated form.
type Account struct {
	mu   sync.Mutex
	subs int
}

func (a *Account) count(hasLock bool) int {
	if !hasLock {
		a.mu.Lock()
		defer a.mu.Unlock()
	}
	return a.subs
}

// forward passes its own flag on: the guard follows it to Add's constant.
func (a *Account) forward(hasLock bool) int { return a.count(hasLock) + 1 }

func (a *Account) Add() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.subs = a.forward(true)
}

func (a *Account) AddWrong() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.subs = a.forward(false) // want `a.mu is locked via \(\*guards.Account\).forward → \(\*guards.Account\).count again while already locked`
}

// The flag captured by helper closures (nats-server's fileStore.removeMsg).
type Store struct {
	mu   sync.Mutex
	msgs int
}

func (s *Store) remove(needLock bool) int {
	lock := func() {
		if needLock {
			s.mu.Lock()
		}
	}
	unlock := func() {
		if needLock {
			s.mu.Unlock()
		}
	}
	lock()
	defer unlock()
	s.msgs--
	return s.msgs
}

func (s *Store) removeViaLimits() int { return s.remove(false) }

func (s *Store) Expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.removeViaLimits()
}

func (s *Store) ExpireWrong() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remove(true) // want `s.mu is locked via \(\*guards.Store\).remove → func literal in \(\*guards.Store\).remove \(guards.go:\d+\) again while already locked`
}
