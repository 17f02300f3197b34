package waitmodel_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// joinProbe reports each join at its wait: the goroutine joined and the
// function whose return the wait waits for.
var joinProbe = &analysis.Analyzer{
	Name:     "joinprobe",
	Doc:      "test: reports the wait model's joins",
	Requires: []*analysis.Analyzer{waitmodel.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		for _, jn := range pass.ResultOf[waitmodel.Analyzer].(*waitmodel.Result).Joins {
			pass.Reportf(jn.At.Pos(), "joins %s exits %s", jn.Goroutine.Name(), jn.Exits.Name())
		}
		return nil, nil
	},
}

// TestJoins: a wait whose wake-ups are all deferred in a function that
// runs once on one goroutine (the goroutine's own function, or one it
// calls once outside any loop) is a join; one called in a loop, or from
// two places, is not.
func TestJoins(t *testing.T) {
	testdata, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	analysistest.Run(t, testdata, joinProbe, "waitmodel/joins")
}
