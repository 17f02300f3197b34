package callindex_test

import (
	"fmt"
	"go/types"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
)

// probe reports, at each function of the package, what the index says of
// it: "calls N complete|open", "started go|Go", "escapes", "via sync.Once.Do".
var probe = &analysis.Analyzer{
	Name:     "callindexprobe",
	Doc:      "test: reports the call index's answers at each function",
	Requires: []*analysis.Analyzer{callindex.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		ix := pass.ResultOf[callindex.Analyzer].(*callindex.Index)
		for _, fn := range ix.Funcs() {
			if fn.Synthetic != "" || fn.Name() == "init" {
				continue
			}
			calls, complete := ix.Callers(fn)
			words := []string{fmt.Sprintf("calls %d", len(calls))}
			if complete {
				words = append(words, "complete")
			} else {
				words = append(words, "open")
			}
			for _, c := range calls {
				if c.Via != "" {
					words = append(words, "via "+c.Via)
				}
			}
			for _, st := range ix.StartsOf(fn) {
				words = append(words, map[callindex.StartKind]string{callindex.GoStmt: "started go", callindex.GoMethod: "started Go"}[st.Kind])
			}
			if ix.Escapes(fn) {
				words = append(words, "escapes")
			}
			if roots, ok := ix.GoroutineRoots(fn, 100); ok {
				var names []string
				for _, r := range roots {
					names = append(names, r.Name())
				}
				words = append(words, "roots "+strings.Join(names, ","))
			}
			if _, ok := ix.OnlyStart(fn); ok {
				words = append(words, "only started")
			}
			pass.Reportf(fn.Pos(), "%s", strings.Join(words, " "))
		}
		return nil, nil
	},
}

func TestIndex(t *testing.T) {
	testdata, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	analysistest.Run(t, testdata, probe, "callindex/a")
}

// reachProbe reports, at each function, the reach graph's answers: what it
// may run, what of that it starts or hands on, and what may run it.
var reachProbe = &analysis.Analyzer{
	Name:     "reachprobe",
	Doc:      "test: reports the reach graph's answers at each function",
	Requires: []*analysis.Analyzer{callindex.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		ix := pass.ResultOf[callindex.Analyzer].(*callindex.Index)
		names := func(fns []*ssa.Function) string {
			var out []string
			for _, f := range fns {
				n := f.Name()
				if recv := f.Signature.Recv(); recv != nil {
					n = types.TypeString(recv.Type(), func(*types.Package) string { return "" }) + "." + n
				}
				out = append(out, n)
			}
			if len(out) == 0 {
				return "-"
			}
			return strings.Join(out, ",")
		}
		for _, fn := range ix.Funcs() {
			if fn.Synthetic != "" || fn.Name() == "init" {
				continue
			}
			pass.Reportf(fn.Pos(), "runs %s spawns %s by %s", names(ix.Runs(fn)), names(ix.Spawns(fn)), names(ix.RunBy(fn)))
		}
		return nil, nil
	},
}

func TestReach(t *testing.T) {
	testdata, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	analysistest.Run(t, testdata, reachProbe, "callindex/reach")
}

// usesProbe reports the index's FuncUses, Invokes and GoStmts at their
// instructions: "uses NAME" (the function value's), "invokes METHOD",
// "go statement".
var usesProbe = &analysis.Analyzer{
	Name:     "usesprobe",
	Doc:      "test: reports FuncUses, Invokes and GoStmts",
	Requires: []*analysis.Analyzer{callindex.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		ix := pass.ResultOf[callindex.Analyzer].(*callindex.Index)
		for _, fn := range ix.Funcs() {
			for _, u := range ix.FuncUses(fn) {
				f, _ := callindex.FuncValue(u.Value)
				pass.Reportf(u.Instr.Pos(), "uses %s", f.Name())
			}
			for _, c := range ix.Invokes(fn) {
				pass.Reportf(c.Pos(), "invokes %s", c.Method.Name())
			}
			for _, g := range ix.GoStmts(fn) {
				pass.Reportf(g.Pos(), "go statement")
			}
		}
		return nil, nil
	},
}

func TestFuncUses(t *testing.T) {
	testdata, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	analysistest.Run(t, testdata, usesProbe, "callindex/uses")
}
