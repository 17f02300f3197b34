package lockorder_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/kafkalint/kafkalint/analyzers/lockorder"
)

// TestCrossPackage: xcoord holds its lock while calling a callback; xclient
// passes a callback that takes the client lock, and elsewhere takes the
// coordinator lock under the client lock. Facts carry xcoord's side.
func TestCrossPackage(t *testing.T) {
	analysistest.Run(t, testdata, lockorder.Analyzer, "lockorder/xcoord", "lockorder/xclient")
}
