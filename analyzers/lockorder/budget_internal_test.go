package lockorder

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
)

// With the test-root budget spent, "these tests never run at once" is not
// known, and the cycle the testonly package shows silent is reported.
func TestTestRootBudget(t *testing.T) {
	old := maxTestRootSteps
	maxTestRootSteps = 1
	defer func() { maxTestRootSteps = old }()
	testdata, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, testdata, Analyzer, "lockorder/testbudget")
}
