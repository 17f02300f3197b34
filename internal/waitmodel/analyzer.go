// Package waitmodel is kafkalint's wait model: what blocks (channel
// operations, WaitGroup.Wait, Cond.Wait, context waits), what can end each
// wait (close, send, Done, Signal, cancel) and what its goroutine must do
// first. It sits beside the lock model (internal/lockmodel) and asks it
// what is held before an instruction; it never re-runs the lock dataflow.
//
// Analyzer computes it once per package; condwait, ctxcancel, waitpartner,
// waitlock and waitgroup Require it and ask its *Result questions. The
// model holds no checks: which answers are bugs is each analyzer's rule.
package waitmodel

import (
	"github.com/kafkalint/kafkalint/internal/callindex"
	"reflect"

	"golang.org/x/tools/go/analysis"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// Analyzer computes the wait model. It reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:       "waitmodel",
	Doc:        "compute kafkalint's wait model (what blocks, what wakes it, what the waker needs first); reports nothing",
	Run:        run,
	Requires:   []*analysis.Analyzer{lockmodel.Analyzer, callindex.Analyzer},
	ResultType: reflect.TypeOf((*Result)(nil)),
	FactTypes:  []analysis.Fact{(*FuncWaits)(nil), (*PackageWaits)(nil)},
}

// Result is the wait model of one package. The analyzers that report
// (condwait, ctxcancel, waitpartner, waitlock, waitgroup) ask Model and
// Graph their questions and decide themselves what is a bug.
type Result struct {
	// Model answers questions about the package's waits; nil for packages
	// the lock model skips (the standard library).
	Model *Model
	// Graph is the wait graph: waits, their wake-ups and what each wake-up
	// needs first; nil when Model is.
	Graph *Graph
	// LockedBlocks: operations with no bound of their own (network I/O
	// without a deadline, time.Sleep, a channel receive, a Kafka poll)
	// made while holding a lock that some periodic goroutine takes.
	LockedBlocks []LockedBlock
	// PeriodicLocks: loops on a timer, in goroutines the package starts,
	// and the locks they take on their way round.
	PeriodicLocks []PeriodicLock
	// WaitGroupOps: every Add, Done, Wait and Go on the package's own
	// WaitGroups, in source order.
	WaitGroupOps []WaitGroupOp
	// Joins: waits that end only once one goroutine has exited.
	Joins []Join
}

func run(pass *analysis.Pass) (any, error) {
	lm := pass.ResultOf[lockmodel.Analyzer].(*lockmodel.Result)
	wm := newWaitModel(pass, lm)
	res := &Result{Model: wm}
	if wm != nil {
		g := newWaitGraph(wm)
		bm := newBlockModel(g)
		res.LockedBlocks, res.PeriodicLocks = g.heartbeatStarvation(bm)
		res.WaitGroupOps = g.wgOps
		res.Joins = g.joins()
		g.exportFacts(pass, bm)
		res.Graph = &Graph{g: g}
	}
	return res, nil
}
