package report_test

import (
	"go/ast"
	"go/types"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/kafkalint/kafkalint/internal/report"
)

// calltarget reports every call to a function of the package, with the
// callee's declaration as related information.
var calltarget = &analysis.Analyzer{
	Name: "calltarget",
	Doc:  "report calls, related to the callee",
	Run: func(pass *analysis.Pass) (any, error) {
		r := report.New(pass)
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				id, ok := call.Fun.(*ast.Ident)
				if !ok {
					return true
				}
				if fn, ok := pass.TypesInfo.Uses[id].(*types.Func); ok {
					r.Report(analysis.Diagnostic{
						Pos:      call.Pos(),
						Category: "call-target",
						Message:  "call-target: call to " + fn.Name(),
						Related:  []analysis.RelatedInformation{{Pos: fn.Pos(), Message: "declared here"}},
					})
				}
				return true
			})
		}
		r.Finish()
		return nil, nil
	},
}

// TestGeneratedMoves: a diagnostic in generated code whose related
// information reaches hand-written code is reported there; one wholly in
// generated code is dropped.
func TestGeneratedMoves(t *testing.T) {
	results := analysistest.Run(t, testdata(), calltarget, "reportgenerated")
	for _, res := range results {
		for _, d := range res.Diagnostics {
			last := d.Related[len(d.Related)-1]
			if res.Pass.Fset.Position(d.Pos).Line == 3 && last.Message != "found at gen.go:8, in generated code; reported at the first hand-written step" {
				t.Errorf("moved diagnostic does not say where it was found: %q", last.Message)
			}
		}
	}
}
