package cli

import (
	"go/token"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/kafkalint/kafkalint/internal/report"
)

// TestUnusedIgnoreAcrossVariants: a file compiled into p and into p's test
// variant keeps an unused-ignore report only if both builds made it.
func TestUnusedIgnoreAcrossVariants(t *testing.T) {
	a := &analysis.Analyzer{Name: "lockorder"}
	fset := token.NewFileSet()
	file := fset.AddFile("/src/p/p.go", -1, 1000)
	file.SetLinesForContent(make([]byte, 999))
	pos := file.Pos(10)
	unused := analysis.Diagnostic{Pos: pos, Category: report.CategoryUnusedIgnore, Message: "kafkalint:ignore lock-cycle suppresses nothing here"}
	other := analysis.Diagnostic{Pos: pos, Category: "lock-cycle", Message: "lock order inversion"}

	result := func(id string, files []string, diags []analysis.Diagnostic) *rootResult {
		r := &rootResult{ID: id, Files: files, OK: []string{a.Name}}
		for _, d := range diags {
			r.Findings = append(r.Findings, toFinding(fset, id, a, d))
		}
		return r
	}
	graph := func(pDiags, testDiags []analysis.Diagnostic) []*rootResult {
		return []*rootResult{
			result("p", []string{"/src/p/p.go"}, pDiags),
			result("p [p.test]", []string{"/src/p/p.go", "/src/p/p_test.go"}, testDiags),
		}
	}

	// Used in the test build only (it suppressed a diagnostic found with
	// the test files): not reported.
	if got := collectFindings(graph([]analysis.Diagnostic{unused}, nil)); len(got) != 0 {
		t.Errorf("suppression used by the test build reported as unused: %+v", got)
	}
	// Unused in both builds: reported (twice, one per build; dedupe merges them).
	got := collectFindings(graph([]analysis.Diagnostic{unused}, []analysis.Diagnostic{unused}))
	if len(got) != 2 || len(dedupe(got)) != 1 {
		t.Errorf("suppression unused in both builds: got %d findings, %d after dedupe; want 2, 1", len(got), len(dedupe(got)))
	}
	// Other diagnostics are never dropped.
	if got := collectFindings(graph([]analysis.Diagnostic{other}, nil)); len(got) != 1 {
		t.Errorf("ordinary diagnostic dropped: %+v", got)
	}
}

func TestDedupeSortsDeterministically(t *testing.T) {
	at := func(file string, line, col int) token.Position {
		return token.Position{Filename: file, Line: line, Column: col}
	}
	findings := []Finding{
		{Package: "p [p.test]", Check: "c", Pos: at("b.go", 1, 1), Message: "m"},
		{Package: "p", Check: "c", Pos: at("a.go", 10, 1), Message: "m"},
		{Package: "p", Check: "c", Pos: at("a.go", 2, 5), Message: "z"},
		{Package: "p", Check: "c", Pos: at("a.go", 2, 5), Message: "a"},
		{Package: "p", Check: "c", Pos: at("b.go", 1, 1), Message: "m"},
	}
	got := dedupe(findings)
	want := []string{"a.go:2:5 a", "a.go:2:5 z", "a.go:10:1 m", "b.go:1:1 m"}
	if len(got) != len(want) {
		t.Fatalf("dedupe gave %d findings, want %d: %+v", len(got), len(want), got)
	}
	for i, f := range got {
		if s := f.Pos.String() + " " + f.Message; s != want[i] {
			t.Errorf("finding %d = %s, want %s", i, s, want[i])
		}
	}
	if got[3].Package != "p" {
		t.Errorf("of two equal findings, dedupe kept %q; want the first package ID in order, p", got[3].Package)
	}
}

func TestRelPath(t *testing.T) {
	cwd := filepath.FromSlash("/work/repo")
	for _, tc := range []struct{ in, want string }{
		{"/work/repo/a/b.go", "a/b.go"},
		{"/work/repo", "."},
		{"/work/repository/x.go", "/work/repository/x.go"},
		{"/usr/lib/go/src/sync/mutex.go", "/usr/lib/go/src/sync/mutex.go"},
		{"relative.go", "relative.go"},
	} {
		if got := relPath(cwd, filepath.FromSlash(tc.in)); got != filepath.FromSlash(tc.want) {
			t.Errorf("relPath(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestInvokedByVet(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"-V=full"}, true},
		{[]string{"-flags"}, true},
		{[]string{"-lockorder.check-ignores", "/tmp/go-build/vet.cfg"}, true},
		{[]string{"./..."}, false},
		{[]string{"-json", "./..."}, false},
		{nil, false},
	} {
		if got := InvokedByVet(tc.args); got != tc.want {
			t.Errorf("InvokedByVet(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

func TestOutputFormat(t *testing.T) {
	for _, tc := range []struct {
		opts options
		want string // "" for an error
	}{
		{options{format: "text"}, "text"},
		{options{format: "text", json: true}, "json"},
		{options{format: "text", sarif: true}, "sarif"},
		{options{format: "sarif", sarif: true}, "sarif"},
		{options{format: "json", sarif: true}, ""},
		{options{format: "text", json: true, sarif: true}, ""},
		{options{format: "xml"}, ""},
	} {
		got, err := tc.opts.outputFormat()
		if (err == nil) != (tc.want != "") || got != tc.want {
			t.Errorf("%+v: got %q, %v; want %q", tc.opts, got, err, tc.want)
		}
	}
}
