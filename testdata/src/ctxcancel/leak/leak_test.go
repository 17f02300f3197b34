package leak

import (
	"testing"
	"time"
)

// A test that gives up after a second leaves the fetch goroutine behind,
// but only once it has already failed: reported, and said so.
func TestFetchGivesUp(t *testing.T) {
	b := &broker{}
	results := make(chan []Record)
	go func() {
		recs, err := b.fetch()
		if err != nil {
			return
		}
		results <- recs // want `goroutine leak: this send on unbuffered results blocks forever once TestFetchGivesUp leaves its select through a timer \(line \d+\) and fails the test \(line \d+\) without receiving`
	}()
	select {
	case <-results:
	case <-time.After(time.Second):
		t.Errorf("no records after a second")
		return
	}
}

// The same wait that does not fail the test when it gives up: reported
// without the note.
func TestFetchQuietly(t *testing.T) {
	b := &broker{}
	results := make(chan []Record)
	go func() {
		recs, err := b.fetch()
		if err != nil {
			return
		}
		results <- recs // want `goroutine leak: this send on unbuffered results blocks forever once TestFetchQuietly leaves its select through a timer \(line \d+\) without receiving`
	}()
	select {
	case <-results:
	case <-time.After(time.Second):
		t.Log("no records after a second")
		return
	}
}
