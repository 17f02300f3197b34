// Package selectloop holds cancel-leak cases where the select sits in a
// loop: a case that leaves the select but stays in the loop is not a way
// out while the function returns only through a condition that counts what
// the loop received (corpus root cause L, fasthttp TestShutdown). Each
// negative sits beside a positive.
package selectloop

import (
	"context"
	"testing"
	"time"
)

// WaitAll returns only once it has received from all three channels, each
// of which gets exactly one send: leaving the select through <-client
// goes back to the select, so serve's send still finds its receiver.
func WaitAll() {
	serve := make(chan struct{})
	client := make(chan struct{})
	shutdown := make(chan struct{})
	go func() { serve <- struct{}{} }()
	go func() { client <- struct{}{} }()
	go func() { shutdown <- struct{}{} }()
	done := 0
	for {
		select {
		case <-serve:
			done++
		case <-client:
			done++
		case <-shutdown:
			done++
		}
		if done == 3 {
			return
		}
	}
}

// WaitAllTimeout is WaitAll with a timeout case that returns at once: the
// senders not yet received from then block forever.
func WaitAllTimeout(d time.Duration) {
	serve := make(chan struct{})
	client := make(chan struct{})
	go func() {
		serve <- struct{}{} // want `goroutine leak: this send on unbuffered serve blocks forever once WaitAllTimeout leaves its select through a timer \(line \d+\) without receiving`
	}()
	go func() {
		client <- struct{}{} // want `goroutine leak: this send on unbuffered client blocks forever once WaitAllTimeout leaves its select through a timer`
	}()
	done := 0
	for {
		select {
		case <-time.After(d):
			return
		case <-serve:
			done++
		case <-client:
			done++
		}
		if done == 2 {
			return
		}
	}
}

// WaitAllCancel leaves by ctx.Done() in the same loop: a leak.
func WaitAllCancel(ctx context.Context) error {
	serve := make(chan struct{})
	client := make(chan struct{})
	go func() {
		serve <- struct{}{} // want `this send on unbuffered serve blocks forever once WaitAllCancel leaves its select through <-ctx.Done\(\)`
	}()
	go func() {
		client <- struct{}{} // want `this send on unbuffered client blocks forever once WaitAllCancel leaves its select through <-ctx.Done\(\)`
	}()
	for done := 0; done < 2; {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-serve:
			done++
		case <-client:
			done++
		}
	}
	return nil
}

// WaitBoth counts iterations in the loop statement: two selects, two
// channels each sent to once. The loop ends only after both receives.
func WaitBoth() {
	a := make(chan int)
	b := make(chan int)
	go func() { a <- 1 }()
	go func() { b <- 2 }()
	for i := 0; i < 2; i++ {
		select {
		case <-a:
		case <-b:
		}
	}
}

// WaitFlagged sets a flag per channel and returns once both are set.
func WaitFlagged() {
	a := make(chan int)
	b := make(chan int)
	go func() { a <- 1 }()
	go func() { b <- 2 }()
	gotA, gotB := false, false
	for {
		select {
		case <-a:
			gotA = true
		case <-b:
			gotB = true
		}
		if gotA && gotB {
			return
		}
	}
}

// PollDeadline stays in the loop on every tick, but returns once a
// deadline passes: a condition that receiving does not change. The send
// then blocks forever.
func PollDeadline(start time.Time, d time.Duration) []int {
	results := make(chan []int)
	go func() {
		results <- []int{1} // want `this send on unbuffered results blocks forever once PollDeadline leaves its select through a timer`
	}()
	var all []int
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case r := <-results:
			all = append(all, r...)
		case <-tick.C:
			if time.Since(start) > d {
				return all
			}
		}
	}
}

// PollRetries counts ticks, and the receive returns at once: the count
// says nothing about the receive, so the last tick leaks the send.
func PollRetries() []int {
	results := make(chan []int)
	go func() {
		results <- []int{1} // want `this send on unbuffered results blocks forever once PollRetries leaves its select through a timer`
	}()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for tries := 0; ; tries++ {
		select {
		case r := <-results:
			return r
		case <-tick.C:
			if tries > 10 {
				return nil
			}
		}
	}
}

// CountForever: one goroutine sends in a loop, so a count of two may be two
// receives from it and none from other; both senders can be left blocked.
func CountForever() {
	results := make(chan int)
	other := make(chan int)
	go func() {
		for i := 0; ; i++ {
			results <- i // want `this send on unbuffered results blocks forever once CountForever leaves its select through <-other`
		}
	}()
	go func() {
		other <- 1 // want `this send on unbuffered other blocks forever once CountForever leaves its select through <-results`
	}()
	n := 0
	for {
		select {
		case <-results:
			n++
		case <-other:
			n++
		}
		if n == 2 {
			return
		}
	}
}

// EarlyError returns from the loop as soon as the second channel brings an
// error: the first channel's sender may not have been received from.
func EarlyError() error {
	a := make(chan int)
	errc := make(chan error)
	go func() {
		a <- 1 // want `this send on unbuffered a blocks forever once EarlyError leaves its select through <-errc`
	}()
	go func() { errc <- nil }()
	for i := 0; i < 2; i++ {
		select {
		case <-a:
		case err := <-errc:
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// PollTicks counts loop turns, and every tick is a turn: the count can run
// out before the receive. A leak.
func PollTicks() []int {
	results := make(chan []int)
	go func() {
		results <- []int{1} // want `this send on unbuffered results blocks forever once PollTicks leaves its select through a timer`
	}()
	var all []int
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for tries := 0; tries < 10; tries++ {
		select {
		case r := <-results:
			all = append(all, r...)
		case <-tick.C:
		}
	}
	return all
}

// WaitEachCase checks the count in every case, and keeps it in a variable
// a closure captures (a heap cell, stored to and loaded).
func WaitEachCase() int {
	a := make(chan int)
	b := make(chan int)
	go func() { a <- 1 }()
	go func() { b <- 2 }()
	done := 0
	report := func() int { return done }
	for {
		select {
		case <-a:
			done++
			if done == 2 {
				return report()
			}
		case <-b:
			done++
			if done == 2 {
				return report()
			}
		}
	}
}

// WaitAllFatal is fasthttp's TestShutdown: the timeout case ends the test
// (t.Fatal does not return), every other way out passes the count.
func WaitAllFatal(t *testing.T) {
	serve := make(chan struct{})
	client := make(chan struct{})
	go func() { serve <- struct{}{} }()
	go func() { client <- struct{}{} }()
	done := 0
	for {
		select {
		case <-time.After(time.Second):
			t.Fatal("took too long")
		case <-serve:
			done++
		case <-client:
			done++
		}
		if done == 2 {
			return
		}
	}
}
