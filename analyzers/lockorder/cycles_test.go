package lockorder_test

import "testing"

// The shortest cycle is reported, write locks before read locks; the read
// note names every lock read-held on both sides.
func TestCycleChoice(t *testing.T) {
	shared.Check(t, "lockorder/choice")
}

// A two-edge cycle on one goroutine's call chain is a double lock.
func TestReacquire(t *testing.T) {
	shared.Check(t, "lockorder/reacquire")
}

// A gate shared by two paths of a cycle is enough.
func TestGatePairs(t *testing.T) {
	shared.Check(t, "lockorder/gatepairs")
}

// Goroutine confinement: an object's one event loop cannot deadlock with
// itself.
func TestConfine(t *testing.T) {
	shared.Check(t, "lockorder/confine")
}

// Sequential calls: two orders taken one after the other by main, init or
// a test that runs alone are silent; the same orders where another
// goroutine, or a second call of an exported function, can run one of
// them are reported.
func TestSequentialCalls(t *testing.T) {
	shared.Check(t, "lockorder/seqmain", "lockorder/seqgo", "lockorder/seqtest")
}
