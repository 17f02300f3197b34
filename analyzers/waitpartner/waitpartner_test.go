package waitpartner_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/kafkalint/kafkalint/analyzers/waitpartner"
)

var testdata, _ = filepath.Abs(filepath.Join("..", "..", "testdata"))

// TestNoPartner: waits nothing can end (no-partner, done-skipped), each
// beside the negative that must stay silent.
func TestNoPartner(t *testing.T) {
	analysistest.Run(t, testdata, waitpartner.Analyzer, "waitpartner/nopartner")
}

// TestLeaves: goroutine sends (and waits) whose partner leaves first
// (partner-leaves), each beside the fix that must stay silent.
func TestLeaves(t *testing.T) {
	analysistest.Run(t, testdata, waitpartner.Analyzer, "waitpartner/leaves")
}
