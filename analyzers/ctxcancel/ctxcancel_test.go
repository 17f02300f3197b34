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
