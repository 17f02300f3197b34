// Package ignoredirective defines an analyzer that reports malformed
// //kafkalint:ignore comments: no check names, no reason, an empty name in
// the list, or a space after "//". A malformed suppression suppresses
// nothing, so without this analyzer the user would only see the diagnostic
// they meant to suppress and wonder why.
//
// It is one analyzer, not a rule inside every analyzer, so each malformed
// comment is reported once.
package ignoredirective

import (
	"golang.org/x/tools/go/analysis"

	"github.com/kafkalint/kafkalint/internal/report"
)

// Analyzer reports malformed //kafkalint:ignore comments.
var Analyzer = &analysis.Analyzer{
	Name: "ignoredirective",
	Doc: `report malformed //kafkalint:ignore comments

A suppression reads //kafkalint:ignore <check>[,<check>] <reason>. One that
lacks the checks or the reason suppresses nothing; this analyzer says why.`,
	URL:              "https://github.com/kafkalint/kafkalint/blob/main/docs/suppress.md",
	Run:              run,
	RunDespiteErrors: true,
}

func run(pass *analysis.Pass) (any, error) {
	for _, f := range pass.Files {
		if report.IsGenerated(f) {
			continue // no diagnostics in generated files, as everywhere in kafkalint
		}
		for _, group := range f.Comments {
			for _, c := range group.List {
				if _, ok, err := report.ParseIgnore(c.Text); ok && err != nil {
					pass.Report(analysis.Diagnostic{
						Pos:      c.Slash,
						End:      c.End(),
						Category: report.CategoryIgnoreSyntax,
						Message:  err.Error(),
					})
				}
			}
		}
	}
	return nil, nil
}
