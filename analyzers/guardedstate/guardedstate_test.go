package guardedstate_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/kafkalint/kafkalint/analyzers/guardedstate"
)

var testdata, _ = filepath.Abs(filepath.Join("..", "..", "testdata"))

func TestSession(t *testing.T) {
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/session")
}

func TestRLockWrite(t *testing.T) {
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/rlock")
}

func TestStaleRead(t *testing.T) {
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/stale")
}

func TestAnnotated(t *testing.T) {
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/annotated")
}

func TestCrossPackage(t *testing.T) {
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/crossdef", "guardedstate/crossuse")
}

func TestSilent(t *testing.T) {
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/silent")
}

func TestHelper(t *testing.T) {
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/helper")
}

func TestGoroutines(t *testing.T) {
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/goroutines")
}
