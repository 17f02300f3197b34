package loop

import (
	"testing"

	"lockorder/xbatch/internal/batch"
)

// A test drives a builder of its own on its own goroutine, one call after
// the other: silent.
func TestFlush(t *testing.T) {
	b := batch.New()
	b.Add("k")
	if len(b.Flush()) != 1 {
		t.Fatal("want one key")
	}
}
