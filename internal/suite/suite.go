// Package suite lists every kafkalint analyzer, in the order drivers run and
// document them. The CLI, the vet tool mode and the golangci-lint plugin all
// read this one list, so a new analyzer is added here and nowhere else.
package suite

import (
	"golang.org/x/tools/go/analysis"

	"github.com/kafkalint/kafkalint/analyzers/commiterr"
	"github.com/kafkalint/kafkalint/analyzers/condwait"
	"github.com/kafkalint/kafkalint/analyzers/ctxcancel"
	"github.com/kafkalint/kafkalint/analyzers/guardedstate"
	"github.com/kafkalint/kafkalint/analyzers/ignoredirective"
	"github.com/kafkalint/kafkalint/analyzers/lockorder"
	"github.com/kafkalint/kafkalint/analyzers/waitgroup"
	"github.com/kafkalint/kafkalint/analyzers/waitlock"
	"github.com/kafkalint/kafkalint/analyzers/waitpartner"
)

// Analyzers returns the analyzers kafkalint runs, in a fixed order.
func Analyzers() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		lockorder.Analyzer,
		condwait.Analyzer,
		ctxcancel.Analyzer,
		waitpartner.Analyzer,
		waitlock.Analyzer,
		waitgroup.Analyzer,
		commiterr.Analyzer,
		guardedstate.Analyzer,
		ignoredirective.Analyzer,
	}
}
