package lockorder_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/kafkalint/kafkalint/analyzers/lockorder"
)

var testdata, _ = filepath.Abs(filepath.Join("..", "..", "testdata"))

func TestBasic(t *testing.T) {
	analysistest.Run(t, testdata, lockorder.Analyzer, "lockorder/basic")
}

func TestFeatures(t *testing.T) {
	analysistest.Run(t, testdata, lockorder.Analyzer, "lockorder/features")
}

func TestClosures(t *testing.T) {
	analysistest.Run(t, testdata, lockorder.Analyzer, "lockorder/closures")
}

func TestTestOnly(t *testing.T) {
	analysistest.Run(t, testdata, lockorder.Analyzer, "lockorder/testonly")
}

func TestFresh(t *testing.T) {
	analysistest.Run(t, testdata, lockorder.Analyzer, "lockorder/fresh")
}

func TestGuards(t *testing.T) {
	analysistest.Run(t, testdata, lockorder.Analyzer, "lockorder/guards")
}

func TestEntryHeld(t *testing.T) {
	analysistest.Run(t, testdata, lockorder.Analyzer, "lockorder/entryheld")
}

func TestOneEdge(t *testing.T) {
	analysistest.Run(t, testdata, lockorder.Analyzer, "lockorder/oneedge")
}

func TestCallerGate(t *testing.T) {
	analysistest.Run(t, testdata, lockorder.Analyzer, "lockorder/callergate")
}

func TestWrapper(t *testing.T) {
	analysistest.Run(t, testdata, lockorder.Analyzer, "lockorder/wrapper")
}
