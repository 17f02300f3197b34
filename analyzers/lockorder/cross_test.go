package lockorder_test

import (
	"regexp"
	"strings"
	"testing"
)

// TestCrossPackage: xcoord holds its lock while calling a callback; xclient
// passes a callback that takes the client lock, and elsewhere takes the
// coordinator lock under the client lock. Facts carry xcoord's side.
func TestCrossPackage(t *testing.T) {
	shared.Check(t, "lockorder/xcoord", "lockorder/xclient")
}

// TestKafkaPollHeartbeat is a Go rendition of kafka-python's poll/heartbeat
// deadlock, over three packages: the client runs poll callbacks under its
// lock; the coordinator's heartbeat goroutine sends through the client
// under the coordinator lock; the consumer wires the callback in.
func TestKafkaPollHeartbeat(t *testing.T) {
	shared.Check(t, "lockorder/kafka/client", "lockorder/kafka/coordinator", "lockorder/kafka/consumer")
}

// TestLibraryCallbacks: a library runs user callbacks (an option-stored
// func and a handler interface) under its lock; the user package supplies
// callbacks that take its own locks and closes the open calls.
func TestLibraryCallbacks(t *testing.T) {
	shared.Check(t, "lockorder/callbacklib", "lockorder/callbackuser")
}

// TestCallbackStepNamesParameter: the chain step where xcoord calls the
// callback it was given names the parameter as written (calls send), not
// its index.
func TestCallbackStepNamesParameter(t *testing.T) {
	results := shared.Check(t, "lockorder/xcoord", "lockorder/xclient")
	found := false
	for _, r := range results {
		for _, d := range r.Diagnostics {
			for _, rel := range d.Related {
				if strings.Contains(rel.Message, "(*xcoord.Coordinator).Heartbeat: calls send") {
					found = true
				}
				if regexp.MustCompile(`: calls \d+$`).MatchString(rel.Message) {
					t.Errorf("a chain step names a callback by its index: %q", rel.Message)
				}
			}
		}
	}
	if !found {
		t.Error("no chain step says (*xcoord.Coordinator).Heartbeat: calls send")
	}
}

// TestConfinedAcrossPackages: an internal batch builder's recursive read
// lock is left to its importers (a package fact); the one that calls it
// only from its producer's event loop is silent, the ones that call it
// from exported methods report it at their call; the same builder in a
// package anyone may import reports it itself.
func TestConfinedAcrossPackages(t *testing.T) {
	shared.Check(t, "lockorder/xbatch/internal/batch",
		"lockorder/xbatch/loop", "lockorder/xbatch/direct", "lockorder/xbatch/mixed", "lockorder/xbatch/public")
}

// TestImportedIterator: iteruser ranges over iterlib's iterators; All's
// fact says it yields under Set.mu, so the loop body's lock is ordered
// after it (a cycle with add); Snapshot yields unlocked.
func TestImportedIterator(t *testing.T) {
	shared.Check(t, "lockorder/iterlib", "lockorder/iteruser")
}

// TestCycleConfinedAcrossPackages: an internal connection's lock cycle is
// left to its importers (the Deferred fact); the one that calls it only
// from its producer's event loop is silent, the one that calls both
// orders from exported methods reports it once, the one that calls one
// order only is silent; the same connection in a package anyone may
// import reports it itself. A cycle on a goroutine the internal package
// starts, or of package variables, is reported there.
func TestCycleConfinedAcrossPackages(t *testing.T) {
	shared.Check(t, "lockorder/xcycle/internal/conn",
		"lockorder/xcycle/loop", "lockorder/xcycle/direct", "lockorder/xcycle/onlywrite", "lockorder/xcycle/public")
}

// TestInstancesAcrossPackages: xinstlib's constructor fact binds its
// result's field to the caller's mutex, so xinstuser locking it through
// the wrapper and directly is one instance; an exported field xinstuser
// assigns after construction is not.
func TestInstancesAcrossPackages(t *testing.T) {
	shared.Check(t, "lockorder/xinstlib", "lockorder/xinstuser")
}
