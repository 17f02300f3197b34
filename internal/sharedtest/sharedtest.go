// Package sharedtest runs an analyzer once over all the testdata packages
// of a test binary's analysistest tests, and checks each test's packages
// from that one run. Every analysistest.Run loads, type-checks and
// analyses the standard library under its packages again (sync alone
// brings runtime): that was most of a test's time, and lockorder's forty
// tests took 32 s quiet and ten minutes under load. One run does it once.
//
// A test fails with the complaints analysistest makes about its packages'
// files (a missing or unexpected diagnostic or fact), as it would have
// alone, and with any complaint about the run as a whole.
package sharedtest

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// A Run is one analysistest run over Packages, made when a test first asks.
type Run struct {
	dir      string
	analyzer *analysis.Analyzer
	packages []string

	once    sync.Once
	results []*analysistest.Result
	errs    []string
}

// New prepares a run of a over the packages (patterns naming one package
// each) under dir/src, as analysistest.Run(t, dir, a, packages...).
func New(dir string, a *analysis.Analyzer, packages ...string) *Run {
	return &Run{dir: dir, analyzer: a, packages: packages}
}

type recorder struct{ errs *[]string }

func (r recorder) Errorf(format string, args ...any) {
	*r.errs = append(*r.errs, fmt.Sprintf(format, args...))
}

// Check is analysistest.Run(t, dir, a, patterns...) answered from the
// shared run: it reports the run's complaints about the files of patterns'
// packages, and those about no package's file, on t, and returns the
// results of those packages.
func (r *Run) Check(t *testing.T, patterns ...string) []*analysistest.Result {
	t.Helper()
	r.once.Do(func() {
		r.results = analysistest.Run(recorder{&r.errs}, r.dir, r.analyzer, r.packages...)
	})
	for _, p := range patterns {
		if !slices.Contains(r.packages, p) {
			t.Fatalf("%s is not in the shared run: add it to the packages given to sharedtest.New", p)
		}
	}
	for _, e := range r.errs {
		if p := r.packageOf(e); p == "" || slices.Contains(patterns, p) {
			t.Error(e)
		}
	}
	var out []*analysistest.Result
	for _, res := range r.results {
		if slices.Contains(patterns, res.Pass.Pkg.Path()) {
			out = append(out, res)
		}
	}
	return out
}

// packageOf is the package of the run whose directory holds the file a
// complaint names ("lockorder/basic/basic.go:12:3: unexpected …", or the
// file's whole path), "" when it names none.
func (r *Run) packageOf(complaint string) string {
	for _, p := range r.packages {
		dir := filepath.ToSlash(p) + "/"
		for i := 0; ; {
			j := strings.Index(complaint[i:], dir)
			if j < 0 {
				break
			}
			at := i + j
			i = at + 1
			if at > 0 && complaint[at-1] != '/' && complaint[at-1] != filepath.Separator && complaint[at-1] != ' ' {
				continue // the tail of another directory's name
			}
			if file, _, _ := strings.Cut(complaint[at+len(dir):], ":"); !strings.ContainsAny(file, `/\`) {
				return p // a file of p itself, not of a package under it
			}
		}
	}
	return ""
}
