package lockmodel

import (
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
)

// TestPaths: an edge made by several paths keeps the others beside the
// main one, each with the locks held along it, one path per set of sites.
func TestPaths(t *testing.T) {
	testdata, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	results := analysistest.Run(t, testdata, Analyzer, "lockmodel/paths")
	res := results[0].Result.(*Result)
	for _, e := range res.Edges {
		if e.From != "(paths.S).a" || e.To != "(paths.S).b" {
			continue
		}
		if e.Func != "(*paths.S).abGated" || !slices.Equal(e.PathHeld, []string{"(paths.S).a", "(paths.S).g"}) {
			t.Errorf("main path: %s holding %v, want abGated holding a and g", e.Func, e.PathHeld)
		}
		if len(e.Others) != 2 || e.OthersCut {
			t.Fatalf("other paths: %+v (cut %v), want abFree's and abTwice's", e.Others, e.OthersCut)
		}
		for i, fn := range []string{"(*paths.S).abFree", "(*paths.S).abTwice"} {
			if o := e.Others[i]; o.Func != fn || !slices.Equal(o.Held, []string{"(paths.S).a"}) {
				t.Errorf("other path %d: %s holding %v, want %s holding a alone", i, o.Func, o.Held, fn)
			}
		}
		return
	}
	t.Fatal("no edge a -> b")
}
