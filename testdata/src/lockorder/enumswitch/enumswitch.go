// Package enumswitch: a switch over a closed enum that names every value
// cannot fall out through its default (rocketmq-client-go's
// remoteBrokerOffsetStore.readWithException: readType has three
// constants, every caller passes one, and the return after the switch is
// never reached holding the read lock). An enum another package, a
// conversion or a missing case can give another value keeps the report.
package enumswitch

import "sync"

type readType int

const (
	readFromMemory readType = iota
	readMemoryThenStore
	readFromStore
)

type store struct {
	mu sync.RWMutex
	m  map[int]int
}

// Negative: every readType value has a case that unlocks and returns.
func (s *store) read(k int, t readType) int {
	s.mu.RLock()
	switch t {
	case readFromMemory, readMemoryThenStore:
		v := s.m[k]
		s.mu.RUnlock()
		return v
	case readFromStore:
		s.mu.RUnlock()
		return 0
	default:
	}
	return -1
}

// Positive: readFromStore has no case, so the default is reached.
func (s *store) readMissing(k int, t readType) int {
	s.mu.RLock() // want `lock-leak|s.mu is locked here and still held`
	switch t {
	case readFromMemory, readMemoryThenStore:
		v := s.m[k]
		s.mu.RUnlock()
		return v
	default:
	}
	return -1
}

func (s *store) use() int { return s.read(1, readFromMemory) + s.read(2, readFromStore) + s.readMissing(3, readFromStore) }

// mode starts at 1: its zero value is a value no case names.
type mode int

const (
	modeA mode = iota + 1
	modeB
)

// Positive: a mode's zero value falls out of the switch.
func (s *store) byMode(m mode) int {
	s.mu.Lock() // want `lock-leak|s.mu is locked here and still held`
	switch m {
	case modeA:
		s.mu.Unlock()
		return 1
	case modeB:
		s.mu.Unlock()
		return 2
	}
	return 0
}

// Negative: the zero value has a case of its own.
func (s *store) byModeZero(m mode) int {
	s.mu.Lock()
	switch m {
	case 0:
		s.mu.Unlock()
		return 0
	case modeA:
		s.mu.Unlock()
		return 1
	case modeB:
		s.mu.Unlock()
		return 2
	}
	return -1
}

// kind is converted from an int below: any value is possible.
type kind int

const (
	kindA kind = iota
	kindB
)

// Positive: kind(n) can be neither constant.
func (s *store) byKind(n int) int {
	k := kind(n)
	s.mu.Lock() // want `lock-leak|s.mu is locked here and still held`
	switch k {
	case kindA:
		s.mu.Unlock()
		return 0
	case kindB:
		s.mu.Unlock()
		return 1
	}
	return -1
}

// level is a parameter of an exported function: another package can pass
// any untyped constant.
type level int

const (
	levelLow level = iota
	levelHigh
)

func Level(s *Store, l level) int { return s.s.byLevel(l) }

type Store struct{ s *store }

// Positive: level is not closed.
func (s *store) byLevel(l level) int {
	s.mu.Lock() // want `lock-leak|s.mu is locked here and still held`
	switch l {
	case levelLow:
		s.mu.Unlock()
		return 0
	case levelHigh:
		s.mu.Unlock()
		return 1
	}
	return -1
}
