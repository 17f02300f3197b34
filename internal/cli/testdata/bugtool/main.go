// Command bugtool is kafkalint's driver (internal/cli) with a test analyzer
// instead of the real suite, so the driver tests do not depend on what the
// lock analyzers find. It is built and run by internal/cli's tests.
package main

import (
	"fmt"
	"go/ast"
	"go/types"
	"os"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/kafkalint/kafkalint/analyzers/ignoredirective"
	"github.com/kafkalint/kafkalint/internal/cli"
	"github.com/kafkalint/kafkalint/internal/report"
)

func main() {
	analyzers := []*analysis.Analyzer{bugcall, ignoredirective.Analyzer, bugcount}
	if cli.InvokedByVet(os.Args[1:]) {
		cli.RunVet(analyzers)
	}
	os.Exit(cli.Main(os.Args[1:], analyzers, os.Stdout, os.Stderr))
}

// bugcall reports calls to a function named bug (bug-call) and calls to
// functions of other packages that call bug (bug-caller). The second needs
// the callsBug fact exported by the callee's package: under go vet it
// crosses process boundaries.
var bugcall = &analysis.Analyzer{
	Name:      "bugcall",
	Doc:       "report calls to bug, and calls to functions of other packages that call bug",
	Run:       run,
	FactTypes: []analysis.Fact{new(callsBug)},
}

func init() {
	report.Register(bugcall,
		report.Check{Name: "bug-call", Title: "call to bug", Doc: "A call to a function named bug."},
		report.Check{Name: "bug-caller", Title: "call to a function that calls bug", Doc: "A call to a function of another package that calls bug."},
	)
}

// bugcount requires bugcall, as waitlock requires ctxcancel's result, and
// reports nothing itself: selected alone (-bugcount), bugcall runs only
// as its prerequisite and its findings are not printed.
var bugcount = &analysis.Analyzer{
	Name:     "bugcount",
	Doc:      "require bugcall; report nothing",
	Run:      func(*analysis.Pass) (any, error) { return nil, nil },
	Requires: []*analysis.Analyzer{bugcall},
}

// callsBug marks a function whose body calls bug.
type callsBug struct{}

func (*callsBug) AFact()         {}
func (*callsBug) String() string { return "callsBug" }

func run(pass *analysis.Pass) (any, error) {
	r := report.New(pass)
	for _, file := range pass.Files {
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				callee, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
				if !ok {
					return true
				}
				switch {
				case callee.Name() == "bug":
					r.Reportf(call.Pos(), "bug-call", "call to bug")
					if obj, ok := pass.TypesInfo.Defs[fn.Name].(*types.Func); ok {
						pass.ExportObjectFact(obj, new(callsBug))
					}
				case callee.Pkg() != pass.Pkg && pass.ImportObjectFact(callee, new(callsBug)):
					name := callee.Pkg().Name() + "." + callee.Name()
					r.Report(analysis.Diagnostic{
						Pos:      call.Pos(),
						Category: "bug-caller",
						Message:  fmt.Sprintf("call to %s, which calls bug", name),
						Related: append(
							report.Chain("caller", report.Step{Pos: call.Pos(), Message: fn.Name.Name + " calls " + name}),
							report.Chain("callee", report.Step{Pos: callee.Pos(), Message: name + " calls bug"})...),
					})
				}
				return true
			})
		}
	}
	r.Finish()
	return nil, nil
}
