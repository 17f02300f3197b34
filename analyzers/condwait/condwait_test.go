package condwait_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/kafkalint/kafkalint/analyzers/condwait"
)

var testdata, _ = filepath.Abs(filepath.Join("..", "..", "testdata"))

func TestHandoff(t *testing.T) {
	analysistest.Run(t, testdata, condwait.Analyzer, "condwait/handoff")
}

func TestCond(t *testing.T) {
	analysistest.Run(t, testdata, condwait.Analyzer, "condwait/cond")
}

// TestHandoffStepsNameTheirFunction: a step of the starter's path that is
// inside a function it calls says which (the Lock is in lockAndSet, not in
// Named, whose chain it is).
func TestHandoffStepsNameTheirFunction(t *testing.T) {
	results := analysistest.Run(t, testdata, condwait.Analyzer, "condwait/handoff")
	found := false
	for _, r := range results {
		for _, d := range r.Diagnostics {
			for _, rel := range d.Related {
				if rel.Message == "[(*handoff.waiter).Named] (*handoff.waiter).lockAndSet: locks w.mu without having received from done" {
					found = true
				}
			}
		}
	}
	if !found {
		t.Error("the Lock step of Named's path is not labelled with lockAndSet, the function it is in")
	}
}
