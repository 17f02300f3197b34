package waitlock

import "sync"

// --- the waker takes the lock before the waiter exists -------------------------

// Shared's lock is taken by the starter only before it starts (or hands
// out) the goroutine that sends under it: that goroutine cannot hold the
// lock yet, and the starter receives without it.
type Shared struct {
	mu sync.Mutex
	n  int
}

// StartedUnderLock starts the sender while holding s.mu: the sender waits
// for the Unlock, then sends; the receive needs no lock. Silent.
func StartedUnderLock(s *Shared) int {
	ch := make(chan int)
	s.mu.Lock()
	go func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		ch <- s.n
	}()
	s.mu.Unlock()
	return <-ch
}

// RegisteredUnderLock hands its callback out under the lock the callback
// sends under (stan.go's stan-pub example: glock around PublishAsync).
// Silent.
func RegisteredUnderLock(s *Shared, publish func(cb AckHandler)) {
	ch := make(chan bool)
	cb := func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		ch <- true
	}
	s.mu.Lock()
	publish(cb)
	s.mu.Unlock()
	<-ch
}

// AckHandler is a named callback type: handing a literal to it converts it.
type AckHandler func()

// LockedAfterStart takes s.mu after the sender runs: the sender may hold
// it, blocked on the send, while the receiver waits for it.
func LockedAfterStart(s *Shared) int {
	ch := make(chan int)
	go func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		ch <- s.n // want `s.mu is held while LockedAfterStart\$1 waits for ch`
	}()
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	return <-ch
}

// LockedAgain starts the sender under the lock, then locks again before
// the receive: the second Lock can meet the sender holding it.
func LockedAgain(s *Shared) int {
	ch := make(chan int)
	s.mu.Lock()
	go func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		ch <- s.n // want `s.mu is held while LockedAgain\$1 waits for ch`
	}()
	s.mu.Unlock()
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	return <-ch
}
