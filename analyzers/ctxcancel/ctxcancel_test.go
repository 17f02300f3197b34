package ctxcancel_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/kafkalint/kafkalint/analyzers/ctxcancel"
)

var testdata, _ = filepath.Abs(filepath.Join("..", "..", "testdata"))

func TestLeak(t *testing.T) {
	analysistest.Run(t, testdata, ctxcancel.Analyzer, "ctxcancel/leak")
}

func TestBlind(t *testing.T) {
	analysistest.Run(t, testdata, ctxcancel.Analyzer, "ctxcancel/blind")
}

func TestWaitLock(t *testing.T) {
	analysistest.Run(t, testdata, ctxcancel.Analyzer, "ctxcancel/waitlock")
}

// TestCondLocks: a Cond over an RWMutex's read side, or over a lock also
// kept in a pointer field, releases that lock while it waits.
func TestCondLocks(t *testing.T) {
	analysistest.Run(t, testdata, ctxcancel.Analyzer, "ctxcancel/condlocks")
}

// TestSelectLoop: a case that leaves a select but stays in its loop is not
// a way out while the loop returns only once it has counted the receive
// (corpus root cause L); a case or condition that returns regardless is.
func TestSelectLoop(t *testing.T) {
	analysistest.Run(t, testdata, ctxcancel.Analyzer, "ctxcancel/selectloop")
}

// TestWaitStepsNameTheirFunction: the wait of a wait-holding-lock chain,
// one call below the function holding the lock, is labelled with the
// function it is in.
func TestWaitStepsNameTheirFunction(t *testing.T) {
	found := false
	for _, r := range analysistest.Run(t, testdata, ctxcancel.Analyzer, "ctxcancel/waitlock") {
		for _, d := range r.Diagnostics {
			for _, rel := range d.Related {
				if rel.Message == "[(*waitlock.Drainer).Stop] (*waitlock.Drainer).waitWorkers: calls d.wg.Wait() while holding d.mu" {
					found = true
				}
			}
		}
	}
	if !found {
		t.Error("the wait in waitWorkers is not labelled with its function in Stop's chain")
	}
}

// TestWaitLockAcrossPackages: a wait in another package (its FuncWaits
// fact) under this package's lock, woken by a call of another function of
// that package (its fact) that needs the lock first.
func TestWaitLockAcrossPackages(t *testing.T) {
	analysistest.Run(t, testdata, ctxcancel.Analyzer, "waitmodel/facts/user")
}
