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
