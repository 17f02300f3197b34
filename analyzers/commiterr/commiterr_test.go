package commiterr_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/kafkalint/kafkalint/analyzers/commiterr"
)

func testdata(t *testing.T) string {
	dir, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestFranzGo(t *testing.T) {
	analysistest.Run(t, testdata(t), commiterr.Analyzer, "commiterr_franz")
}
