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
