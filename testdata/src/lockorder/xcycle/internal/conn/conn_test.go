package conn

import "testing"

// The package's own sequential test is no goroutine of its importers':
// the cycle stays deferred.
func TestWriteReset(t *testing.T) {
	c := New()
	c.Write("x")
	c.Reset()
}
