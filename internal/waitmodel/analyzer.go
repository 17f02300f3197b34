// Package waitmodel is kafkalint's wait model: what blocks (channel
// operations, WaitGroup.Wait, Cond.Wait, context waits), what can end each
// wait (close, send, Done, Signal, cancel) and what its goroutine must do
// first. It sits beside the lock model (internal/lockmodel) and asks it
// what is held before an instruction; it never re-runs the lock dataflow.
//
// Analyzer computes it once per package; condwait, ctxcancel and the wait
// checks Require it and read its *Result.
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

// Result is the wait model of one package: its answers, in source order.
type Result struct {
	// Model answers questions about the package's waits; nil for packages
	// the lock model skips (the standard library).
	Model *Model
	// Cycles: locks held while waiting for what needs the lock (every
	// wake-up, on every path).
	Cycles []WaitCycle
	// LockedWaits: waits under a lock some of whose wakers (or their
	// callers) may take that lock first, on some path.
	LockedWaits []LockedWait
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
	w := &Waits{pass: pass, res: lm}
	res := &Result{
		Model: w.model(),
	}
	if wm := w.model(); wm != nil {
		g := newWaitGraph(wm)
		res.LockedBlocks, res.PeriodicLocks = g.heartbeatStarvation()
		res.Cycles = g.cycles()
		res.LockedWaits = g.lockedWaits()
		res.WaitGroupOps = g.wgOps
		res.Joins = g.joins()
		g.exportFacts(pass)
	}
	return res, nil
}
