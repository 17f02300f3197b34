package batch

import "testing"

// The package's own sequential test is no goroutine of its importers':
// the report stays deferred.
func TestFlush(t *testing.T) {
	b := New()
	b.Add("k")
	b.Flush()
}
