// Package ignoredirective defines an analyzer that reports malformed
// //kafkalint:ignore comments: no check names, no reason, an empty name in
// the list, a space after "//", or a name that is no check or analyzer
// (a typo such as double-lcok). A malformed suppression suppresses
// nothing, so without this analyzer the user would only see the diagnostic
// they meant to suppress and wonder why.
//
// It is one analyzer, not a rule inside every analyzer, so each malformed
// comment is reported once.
package ignoredirective

import (
	"fmt"
	"go/ast"

	"golang.org/x/tools/go/analysis"

	"github.com/kafkalint/kafkalint/internal/report"
)

// Analyzer reports malformed //kafkalint:ignore comments.
var Analyzer = &analysis.Analyzer{
	Name: "ignoredirective",
	Doc: `report malformed //kafkalint:ignore comments

A suppression reads //kafkalint:ignore <check>[,<check>] <reason>. One that
lacks the checks or the reason, or names an unknown check, suppresses
nothing; this analyzer says why.`,
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
				ig, ok, err := report.ParseIgnore(c.Text)
				switch {
				case !ok:
				case err != nil:
					reportComment(pass, c, err.Error())
				default:
					for _, name := range ig.Checks {
						if !report.KnownName(name) {
							reportComment(pass, c, unknownName(name))
						}
					}
				}
			}
		}
	}
	return nil, nil
}

func reportComment(pass *analysis.Pass, c *ast.Comment, msg string) {
	pass.Report(analysis.Diagnostic{
		Pos:      c.Slash,
		End:      c.End(),
		Category: report.CategoryIgnoreSyntax,
		Message:  msg,
	})
}

// unknownName is the message for a suppression naming no check or
// analyzer: it suppresses nothing, so a typo would otherwise hide nothing
// and say nothing.
func unknownName(name string) string {
	msg := fmt.Sprintf("kafkalint:ignore names %s, which is no kafkalint check or analyzer: it suppresses nothing", name)
	if near := report.Closest(name); near != "" {
		return msg + fmt.Sprintf(" (did you mean %s?)", near)
	}
	return msg + " (kafkalint help lists the checks)"
}
