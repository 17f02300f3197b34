package report_test

import (
	"fmt"
	"go/ast"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/kafkalint/kafkalint/internal/report"
)

// bugcall is a test analyzer that reports every call to a function named
// bug (check bug-call) or bug2 (check bug2-call), through a Reporter.
var bugcall = &analysis.Analyzer{
	Name:     "bugcall",
	Doc:      "report calls to bug and bug2",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		r := report.New(pass)
		insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		insp.Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
			call := n.(*ast.CallExpr)
			if id, ok := call.Fun.(*ast.Ident); ok {
				switch id.Name {
				case "bug":
					r.Reportf(call.Pos(), "bug-call", "call to bug")
				case "bug2":
					r.Reportf(call.Pos(), "bug2-call", "call to bug2")
				}
			}
		})
		r.Finish()
		return nil, nil
	},
}

func init() {
	report.Register(bugcall,
		report.Check{Name: "bug-call", Title: "call to bug", Doc: "Calls to bug are bugs."},
		report.Check{Name: "bug2-call", Title: "call to bug2", Doc: "Calls to bug2 are bugs too."},
	)
}

func testdata() string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		panic(err)
	}
	return dir
}

func setCheckIgnores(t *testing.T, on string) {
	t.Helper()
	if err := bugcall.Flags.Set(report.CheckIgnoresFlag, on); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bugcall.Flags.Set(report.CheckIgnoresFlag, "false") })
}

// TestSuppression: suppressed diagnostics vanish (no want), others stay,
// generated files report nothing.
func TestSuppression(t *testing.T) {
	analysistest.Run(t, testdata(), bugcall, "reportignore")
}

// TestCheckIgnores: with -check-ignores, suppressions of the analyzer's
// checks that suppress nothing are reported.
func TestCheckIgnores(t *testing.T) {
	setCheckIgnores(t, "true")
	analysistest.Run(t, testdata(), bugcall, "reportunused")
}

// TestCheckIgnoresOff: without the flag, the same package reports nothing,
// so exactly its three unused-ignore expectations go unmatched.
func TestCheckIgnoresOff(t *testing.T) {
	var rec recorder
	results := analysistest.Run(&rec, testdata(), bugcall, "reportunused")
	for _, res := range results {
		for _, d := range res.Diagnostics {
			t.Errorf("without -check-ignores got diagnostic %q, want none", d.Message)
		}
	}
	if len(rec.errors) != 3 {
		t.Errorf("got %d unmatched expectations, want the 3 unused-ignore ones: %q", len(rec.errors), rec.errors)
	}
}

// recorder is an analysistest.Testing that keeps the errors.
type recorder struct{ errors []string }

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestRegisterAddsFlag(t *testing.T) {
	if bugcall.Flags.Lookup(report.CheckIgnoresFlag) == nil {
		t.Fatalf("Register did not add -%s", report.CheckIgnoresFlag)
	}
	c, ok := report.LookupCheck("bug-call")
	if !ok || c.Analyzer != "bugcall" || c.Title != "call to bug" {
		t.Errorf("LookupCheck(bug-call) = %+v, %v", c, ok)
	}
	if got := report.ChecksOf("bugcall"); len(got) != 2 || got[0].Name != "bug-call" || got[1].Name != "bug2-call" {
		t.Errorf("ChecksOf(bugcall) = %+v", got)
	}
}

func TestRegisterRejectsDuplicates(t *testing.T) {
	for _, tc := range []struct {
		name  string
		a     *analysis.Analyzer
		check report.Check
	}{
		{"check of another analyzer", &analysis.Analyzer{Name: "dup1"}, report.Check{Name: "bug-call"}},
		{"analyzer registered twice", bugcall, report.Check{Name: "fresh-check"}},
		{"malformed name", &analysis.Analyzer{Name: "dup2"}, report.Check{Name: "Bad Name"}},
		{"check named like an analyzer", &analysis.Analyzer{Name: "dup3"}, report.Check{Name: "bugcall"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("Register did not panic")
				}
			}()
			report.Register(tc.a, tc.check)
		})
	}
}

func TestExplain(t *testing.T) {
	text, ok := report.Explain("bug-call", nil)
	if !ok || text != "bug-call: call to bug\nReported by the bugcall analyzer. Suppress with //kafkalint:ignore bug-call <reason>.\n\nCalls to bug are bugs.\n" {
		t.Errorf("Explain(bug-call) = %q, %v", text, ok)
	}
	text, ok = report.Explain("bugcall", []*analysis.Analyzer{bugcall})
	if !ok {
		t.Fatal("Explain(bugcall) not found")
	}
	for _, want := range []string{"bugcall (analyzer)", "report calls to bug and bug2", "bug2-call", "-bugcall.check-ignores"} {
		if !strings.Contains(text, want) {
			t.Errorf("Explain(bugcall) lacks %q:\n%s", want, text)
		}
	}
	if _, ok := report.Explain("no-such-check", []*analysis.Analyzer{bugcall}); ok {
		t.Error("Explain(no-such-check) found something")
	}
	if _, ok := report.Explain(report.CategoryUnusedIgnore, nil); !ok {
		t.Error("the reporting layer's own check unused-ignore has no documentation")
	}
}
