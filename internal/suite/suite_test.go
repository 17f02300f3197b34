package suite_test

// Bazel's nogo (docs/bazel.md) takes analyzers as go_library targets, each
// of which must export a package variable named Analyzer of type
// *analysis.Analyzer, and runs them with the analysis framework's rules.
// These tests keep the suite in that shape, since nogo cannot run here.

import (
	"go/ast"
	"go/types"
	"path"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/kafkalint/kafkalint/internal/suite"
)

const (
	module       = "github.com/kafkalint/kafkalint"
	analyzerType = "*golang.org/x/tools/go/analysis.Analyzer"
)

// TestValidate: every analyzer (and those it requires) has a valid name, a
// Doc and a Run, fact types are pointers owned by one analyzer, Requires
// has no cycle, and no two analyzers share a name. nogo, go vet and
// golangci-lint all refuse a suite that fails this.
func TestValidate(t *testing.T) {
	analyzers := suite.Analyzers()
	if len(analyzers) == 0 {
		t.Fatal("suite.Analyzers() is empty")
	}
	if err := analysis.Validate(analyzers); err != nil {
		t.Fatal(err)
	}
}

// TestNogoExports checks, from the source, that each element of the list
// suite.Analyzers returns is the exported package variable Analyzer of
// its own package, and that each package analyzers/<name> exports such a
// variable and is in the suite: the nogo target's deps are exactly these
// packages.
func TestNogoExports(t *testing.T) {
	if testing.Short() {
		t.Skip("loads packages with go/packages; skipped with -short")
	}
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax |
			packages.NeedTypes | packages.NeedTypesInfo | packages.NeedImports,
		Tests: false,
	}
	pkgs, err := packages.Load(cfg, ".", "../../analyzers/...")
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("packages did not load")
	}

	var suitePkg *packages.Package
	analyzerDirs := map[string]*packages.Package{} // analyzers/<name> packages by import path
	for _, p := range pkgs {
		switch {
		case p.PkgPath == module+"/internal/suite":
			suitePkg = p
		case path.Dir(p.PkgPath) == module+"/analyzers":
			analyzerDirs[p.PkgPath] = p
		}
	}
	if suitePkg == nil {
		t.Fatal("internal/suite not loaded")
	}

	// Each analyzers/<name> package exports var Analyzer *analysis.Analyzer.
	for pkgPath, p := range analyzerDirs {
		obj := p.Types.Scope().Lookup("Analyzer")
		v, ok := obj.(*types.Var)
		if !ok {
			t.Errorf("%s: no package variable Analyzer (nogo needs `var Analyzer *analysis.Analyzer`)", pkgPath)
			continue
		}
		if got := types.TypeString(v.Type(), nil); got != analyzerType {
			t.Errorf("%s: Analyzer has type %s, want %s", pkgPath, got, analyzerType)
		}
	}

	// Each element of the suite's list is pkg.Analyzer, one per package.
	elems := analyzersList(t, suitePkg)
	if got, want := len(elems), len(suite.Analyzers()); got != want {
		t.Fatalf("found %d elements in the source of suite.Analyzers, it returns %d analyzers", got, want)
	}
	inSuite := map[string]bool{}
	for _, e := range elems {
		pos := suitePkg.Fset.Position(e.Pos())
		sel, ok := e.(*ast.SelectorExpr)
		if !ok {
			t.Errorf("%s: %s is not a package's Analyzer variable (nogo takes packages, not expressions)", pos, types.ExprString(e))
			continue
		}
		v, ok := suitePkg.TypesInfo.Uses[sel.Sel].(*types.Var)
		if !ok || v.Name() != "Analyzer" || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
			t.Errorf("%s: %s is not a package variable named Analyzer", pos, types.ExprString(e))
			continue
		}
		if got := types.TypeString(v.Type(), nil); got != analyzerType {
			t.Errorf("%s: %s has type %s, want %s", pos, types.ExprString(e), got, analyzerType)
		}
		if inSuite[v.Pkg().Path()] {
			t.Errorf("%s: two analyzers from package %s", pos, v.Pkg().Path())
		}
		inSuite[v.Pkg().Path()] = true
	}
	for pkgPath := range analyzerDirs {
		if !inSuite[pkgPath] {
			t.Errorf("%s is not in suite.Analyzers(): no driver runs it", pkgPath)
		}
	}
}

// analyzersList returns the elements of the composite literal that
// suite.Analyzers returns.
func analyzersList(t *testing.T, p *packages.Package) []ast.Expr {
	t.Helper()
	for _, f := range p.Syntax {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Name.Name != "Analyzers" || fn.Body == nil {
				continue
			}
			var lit *ast.CompositeLit
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if ret, ok := n.(*ast.ReturnStmt); ok && len(ret.Results) == 1 {
					if cl, ok := ret.Results[0].(*ast.CompositeLit); ok && lit == nil {
						lit = cl
					}
				}
				return true
			})
			if lit == nil {
				t.Fatalf("suite.Analyzers does not return a composite literal; this test reads the list from the source")
			}
			return lit.Elts
		}
	}
	t.Fatalf("no func Analyzers in %s", strings.Join(p.GoFiles, ", "))
	return nil
}
