package callindex_test

import (
	"go/ast"
	"go/types"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/kafkalint/kafkalint/internal/callindex"
)

// closedProbe reports, at each unexported non-interface type of the
// package, whether its values stay in it (Closed), and, at each method of
// such a type, what ConfinedRoots finds above it.
var closedProbe = &analysis.Analyzer{
	Name:     "closedprobe",
	Doc:      "test: reports Closed at each unexported type, ConfinedRoots at its methods",
	Requires: []*analysis.Analyzer{callindex.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		ix := pass.ResultOf[callindex.Analyzer].(*callindex.Index)
		for _, f := range pass.Files {
			for _, d := range f.Decls {
				gd, ok := d.(*ast.GenDecl)
				if !ok {
					continue
				}
				for _, s := range gd.Specs {
					ts, ok := s.(*ast.TypeSpec)
					if !ok || ts.Name.IsExported() {
						continue
					}
					n, ok := pass.TypesInfo.Defs[ts.Name].Type().(*types.Named)
					if !ok || types.IsInterface(n) {
						continue
					}
					word := "leaks"
					if ix.Closed(n) {
						word = "closed"
					}
					pass.Reportf(ts.Pos(), "%s", word)
				}
			}
		}
		for _, fn := range ix.Funcs() {
			if fn.Signature.Recv() == nil || fn.Synthetic != "" {
				continue
			}
			if roots, ok := ix.ConfinedRoots(fn, 100); ok {
				var ns []string
				for _, r := range roots {
					ns = append(ns, r.Name())
				}
				pass.Reportf(fn.Pos(), "roots %s", strings.Join(ns, ","))
			}
		}
		return nil, nil
	},
}

func TestClosed(t *testing.T) {
	testdata, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	analysistest.Run(t, testdata, closedProbe, "callindex/closed")
}
