package waitmodel_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// TestFacts: the FuncWaits facts a package exports for its callers.
func TestFacts(t *testing.T) {
	testdata, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	analysistest.Run(t, testdata, waitmodel.Analyzer, "waitmodel/facts/lib")
}
