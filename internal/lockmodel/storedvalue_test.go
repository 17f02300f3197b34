package lockmodel_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

const storedSrc = `package p

func f(p *int) func() int {
	once := 1
	twice := 1
	twice = 2
	return func() int { return once + twice + *p }
}
`

// TestStoredValue: a captured variable's cell stored once gives that
// value, a captured parameter's spill gives the parameter, a variable
// assigned twice gives nil.
func TestStoredValue(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", storedSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := ssautil.BuildPackage(&types.Config{Importer: importer.Default()}, fset, types.NewPackage("p", ""), []*ast.File{f}, ssa.SanityCheckFunctions)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, b := range pkg.Func("f").Blocks {
		for _, instr := range b.Instrs {
			if a, ok := instr.(*ssa.Alloc); ok {
				if v := lockmodel.StoredValue(a); v != nil {
					got[a.Comment] = v.String()
				} else {
					got[a.Comment] = "nil"
				}
			}
		}
	}
	want := map[string]string{"once": "1:int", "twice": "nil", "p": "parameter p : *int"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("StoredValue(%s) = %q, want %q (all: %v)", k, got[k], w, got)
		}
	}
}
