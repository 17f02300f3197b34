package lockorder

import (
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
)

// Sequential calls. Two edges of a cycle taken one after the other on one
// goroutine (f() then g(), f taking A then B and g B then A) deadlock only
// when two goroutines run them at once. When the function that calls them
// can itself run on two goroutines (an exported Do() that calls f() then
// g()), one can be in f while the other is in g: that deadlocks, and is
// reported. So a cycle is left out only when every goroutine that can take
// any of its edges is one that never runs twice at once: main.main, the
// package initializer, and tests that run alone (no t.Parallel), each on
// its own goroutine (a goroutine they start is another root, and keeps the
// report).

// sequentialCycle: every edge is this package's, and every goroutine root
// that reaches a function taking one runs alone.
func sequentialCycle(c cycle, ix *callindex.Index, tr func() *testRoots) bool {
	for _, e := range c {
		if e.Local == nil || e.Dep || len(e.Local.Witnesses) == 0 {
			return false
		}
		for _, w := range e.Local.Witnesses {
			if w == nil {
				return false // a witness the model cannot name
			}
			roots, ok := ix.GoroutineRoots(w, maxConfineFuncs)
			if !ok || len(roots) == 0 {
				return false
			}
			for _, root := range roots {
				if !runsAlone(ix, tr, root) {
					return false
				}
			}
		}
	}
	return true
}

// runsAlone: root is main.main, the package initializer or a test that
// runs alone, and is only ever run as that (never started, never handed
// out).
func runsAlone(ix *callindex.Index, tr func() *testRoots, root *ssa.Function) bool {
	if root.Parent() != nil || root.Signature.Recv() != nil || len(ix.StartsOf(root)) > 0 || ix.Escapes(root) {
		return false
	}
	switch {
	case root.Name() == "main" && root.Pkg != nil && root.Pkg.Pkg.Name() == "main" && root.Synthetic == "":
		return true
	case root.Name() == "init" && root.Synthetic != "", strings.HasPrefix(root.Name(), "init#"): // the package initializer, a func init
		return true
	}
	return sequentialTest(ix, tr, root)
}
