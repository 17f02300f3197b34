package lockmodel_test

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// probe reports, at every call of a function named probe, what
// Result.HeldBefore says is held there, and the caller-held locks released
// on the way (LocksBefore): "held c.mu(W)" or "held none".
var probe = &analysis.Analyzer{
	Name:     "heldprobe",
	Doc:      "test: reports HeldBefore at calls of probe()",
	Requires: []*analysis.Analyzer{lockmodel.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		res := pass.ResultOf[lockmodel.Analyzer].(*lockmodel.Result)
		var probes []*ssa.Call
		for _, fn := range res.Program().SrcFuncs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					if c, ok := instr.(*ssa.Call); ok {
						if callee := c.Call.StaticCallee(); callee != nil && callee.Name() == "probe" {
							probes = append(probes, c)
						}
					}
				}
			}
		}
		// Ask from several goroutines at once: HeldBefore is safe for
		// concurrent use (run with -race to see it).
		out := make([]string, len(probes))
		var wg sync.WaitGroup
		for i, c := range probes {
			wg.Go(func() {
				var words []string
				for _, h := range res.HeldBefore(c) {
					words = append(words, h.Lock+"("+h.Mode.String()+")")
				}
				if len(words) == 0 {
					words = append(words, "none")
				}
				if st, ok := res.LocksBefore(c); ok {
					for _, r := range st.Released {
						words = append(words, "released "+lockmodel.ShortClass(r.Class))
					}
				}
				out[i] = "held " + strings.Join(words, " ")
			})
		}
		wg.Wait()
		for i, c := range probes {
			pass.Reportf(c.Pos(), "%s", out[i])
		}
		return nil, nil
	},
}

func TestHeldBefore(t *testing.T) {
	testdata, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	analysistest.Run(t, testdata, probe, "lockmodel/heldbefore")
}

// noLockProbe reports, at the package clause, Result.NoneTakesLock over the
// package's functions.
var noLockProbe = &analysis.Analyzer{
	Name:     "nolockprobe",
	Doc:      "test: reports NoneTakesLock for the package",
	Requires: []*analysis.Analyzer{lockmodel.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		res := pass.ResultOf[lockmodel.Analyzer].(*lockmodel.Result)
		msg := "some function takes a lock"
		if res.NoneTakesLock(res.Program().SrcFuncs) {
			msg = "none takes a lock"
		}
		pass.Reportf(pass.Files[0].Name.Pos(), "%s", msg)
		return nil, nil
	},
}

func TestNoneTakesLock(t *testing.T) {
	testdata, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	analysistest.Run(t, testdata, noLockProbe, "lockmodel/nolock/pure", "lockmodel/nolock/pool", "lockmodel/nolock/once", "lockmodel/nolock/locks")
}
