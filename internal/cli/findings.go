package cli

import (
	"cmp"
	"go/token"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/kafkalint/kafkalint/internal/report"
)

// A Finding is one diagnostic as the printers see it.
type Finding struct {
	Package  string // ID of the package it was reported in, e.g. "p [p.test]"
	Analyzer string
	Check    string // the diagnostic's Category, or the analyzer name
	Pos, End token.Position
	Message  string
	Related  []Related
}

// Related is one Diagnostic.Related entry.
type Related struct {
	Pos, End token.Position
	Message  string
}

// collectFindings returns the findings of the root packages, in their
// order, minus unused-ignore reports that another build of the same file
// contradicts (see keepUnusedIgnores).
func collectFindings(results []*rootResult) []Finding {
	var findings []Finding
	for _, r := range results {
		findings = append(findings, r.Findings...)
	}
	return keepUnusedIgnores(results, findings)
}

// selectedFindings drops the findings of analyzers that ran only because a
// selected one requires their result (waitlock reads ctxcancel's): the
// user turned them off (-ctxcancel=false, or -waitlock alone).
func selectedFindings(findings []Finding, selected []*analysis.Analyzer) []Finding {
	names := map[string]bool{}
	for _, a := range selected {
		names[a.Name] = true
	}
	return slices.DeleteFunc(findings, func(f Finding) bool { return !names[f.Analyzer] })
}

// keepUnusedIgnores drops an unused-ignore report unless every analyzed
// package containing the file reported it. A file is compiled into both p
// and p's test variant; a suppression used only when the test files are
// present would otherwise be reported as unused by p alone.
func keepUnusedIgnores(results []*rootResult, findings []Finding) []Finding {
	type analyzerFile struct{ analyzer, file string }
	builds := make(map[analyzerFile]int) // successful root analyses whose package has the file
	for _, r := range results {
		for _, a := range r.OK {
			for _, file := range r.Files {
				builds[analyzerFile{a, file}]++
			}
		}
	}
	type unusedKey struct {
		analyzer string
		pos      token.Position
		message  string
	}
	reported := make(map[unusedKey]int)
	for _, f := range findings {
		if f.Check == report.CategoryUnusedIgnore {
			reported[unusedKey{f.Analyzer, f.Pos, f.Message}]++
		}
	}
	return slices.DeleteFunc(findings, func(f Finding) bool {
		return f.Check == report.CategoryUnusedIgnore &&
			reported[unusedKey{f.Analyzer, f.Pos, f.Message}] < builds[analyzerFile{f.Analyzer, f.Pos.Filename}]
	})
}

// dedupe sorts findings by file, line, column, message (then check and
// related entries, so equal keys still sort the same way every run) and
// drops repeats: the same diagnostic reported for p and p's test variant.
func dedupe(findings []Finding) []Finding {
	findings = slices.Clone(findings)
	slices.SortFunc(findings, compareFindings)
	return slices.CompactFunc(findings, func(a, b Finding) bool {
		return a.Pos == b.Pos && a.Check == b.Check && a.Message == b.Message
	})
}

func compareFindings(a, b Finding) int {
	return cmp.Or(
		comparePos(a.Pos, b.Pos),
		strings.Compare(a.Message, b.Message),
		strings.Compare(a.Check, b.Check),
		slices.CompareFunc(a.Related, b.Related, func(x, y Related) int {
			return cmp.Or(comparePos(x.Pos, y.Pos), strings.Compare(x.Message, y.Message))
		}),
		strings.Compare(a.Package, b.Package),
	)
}

func comparePos(a, b token.Position) int {
	return cmp.Or(
		strings.Compare(a.Filename, b.Filename),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
	)
}

// relPath returns filename relative to dir when it is inside dir, else
// filename unchanged.
func relPath(dir, filename string) string {
	if dir == "" || !filepath.IsAbs(filename) {
		return filename
	}
	rel, err := filepath.Rel(dir, filename)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filename
	}
	return rel
}
