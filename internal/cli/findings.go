package cli

import (
	"cmp"
	"go/token"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis/checker"

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

// collectFindings returns the diagnostics of the graph's root actions, one
// Finding per diagnostic per package, minus unused-ignore reports that
// another build of the same file contradicts (see keepUnusedIgnores).
func collectFindings(graph *checker.Graph) []Finding {
	var findings []Finding
	for _, act := range graph.Roots {
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			f := Finding{
				Package:  act.Package.ID,
				Analyzer: act.Analyzer.Name,
				Check:    report.CheckName(act.Analyzer, d),
				Pos:      fset.Position(d.Pos),
				End:      fset.Position(cmp.Or(d.End, d.Pos)),
				Message:  d.Message,
			}
			for _, r := range d.Related {
				f.Related = append(f.Related, Related{
					Pos:     fset.Position(r.Pos),
					End:     fset.Position(cmp.Or(r.End, r.Pos)),
					Message: r.Message,
				})
			}
			findings = append(findings, f)
		}
	}
	return keepUnusedIgnores(graph, findings)
}

// keepUnusedIgnores drops an unused-ignore report unless every analyzed
// package containing the file reported it. A file is compiled into both p
// and p's test variant; a suppression used only when the test files are
// present would otherwise be reported as unused by p alone.
func keepUnusedIgnores(graph *checker.Graph, findings []Finding) []Finding {
	type analyzerFile struct{ analyzer, file string }
	builds := make(map[analyzerFile]int) // successful root actions whose package has the file
	for _, act := range graph.Roots {
		if act.Err != nil {
			continue
		}
		for _, file := range act.Package.CompiledGoFiles {
			builds[analyzerFile{act.Analyzer.Name, file}]++
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
