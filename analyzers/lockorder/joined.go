package lockorder

import (
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockgraph"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// Orders separated by a join. A Close that waits for the receive loop to
// exit (wg.Wait() for the loop's deferred wg.Done(), <-done for its
// deferred close(done)) and then takes the locks the loop takes in the
// other order never runs those orders at once with the loop: when one
// edge of a cycle is taken only on one goroutine, and every path of
// another edge runs after a join of that goroutine (the join comes first
// on every path to the path's first acquisition), the cycle cannot close.
// The joins are the wait model's (waitmodel.Result.Joins); which
// goroutines run a function, the call index's.

// joins answers the join questions for one package.
type joins struct {
	ix     *callindex.Index
	fset   *token.FileSet
	byFunc map[*ssa.Function][]waitmodel.Join
}

func newJoins(fset *token.FileSet, ix *callindex.Index, wr *waitmodel.Result) *joins {
	j := &joins{ix: ix, fset: fset, byFunc: map[*ssa.Function][]waitmodel.Join{}}
	for _, jn := range wr.Joins {
		j.byFunc[jn.Func] = append(j.byFunc[jn.Func], jn)
	}
	return j
}

// joinedCycle: the cycle has an edge taken only on one goroutine and
// another taken only after joining it.
func joinedCycle(c cycle, jf func() *joins) bool {
	for i, e := range c {
		g := jf().onlyOn(e)
		if g == nil {
			continue
		}
		for k, other := range c {
			if k != i && jf().after(other, g, e) {
				return true
			}
		}
	}
	return false
}

// onlyOn returns the function started as a goroutine that alone runs
// every witness of e (this package's edge, taken by no dependency), or
// nil.
func (j *joins) onlyOn(e *lockgraph.Edge) *ssa.Function {
	if e.Local == nil || e.Dep || len(e.Local.Witnesses) == 0 {
		return nil
	}
	var g *ssa.Function
	for _, w := range e.Local.Witnesses {
		if w == nil {
			return nil
		}
		roots, ok := j.ix.GoroutineRoots(w, maxConfineFuncs)
		if !ok || len(roots) != 1 || !j.ix.OnlyStarted(roots[0]) || g != nil && roots[0] != g {
			return nil
		}
		g = roots[0]
	}
	return g
}

// after: every path that makes e (all known: this package's edge, not cut)
// runs after a join, in its function, of goroutine g's run of the
// functions that take edge on g.
func (j *joins) after(e *lockgraph.Edge, g *ssa.Function, on *lockgraph.Edge) bool {
	l := e.Local
	if l == nil || e.Dep || l.OthersCut || len(l.Witnesses) == 0 || len(l.OtherFns) != len(l.Others) {
		return false
	}
	fns := append([]*ssa.Function{l.Witnesses[0]}, l.OtherFns...)
	chains := [][]lockmodel.Site{l.FromChain}
	for _, p := range l.Others {
		chains = append(chains, p.FromChain)
	}
	for _, w := range l.Witnesses {
		if !slices.Contains(fns, w) {
			return false // a path not kept: not known to come after the join
		}
	}
	for i, fn := range fns {
		if fn == nil || len(chains[i]) == 0 || !j.joinedBefore(fn, g, on, lockmodel.PosOf(j.fset, chains[i][0])) {
			return false
		}
	}
	return true
}

// joinedBefore: fn joins goroutine g's run of edge on's witnesses on
// every path to the call at pos.
func (j *joins) joinedBefore(fn *ssa.Function, g *ssa.Function, on *lockgraph.Edge, pos token.Pos) bool {
	at := callAt(fn, pos)
	if at == nil {
		return false
	}
	for _, jn := range j.byFunc[fn] {
		if jn.Goroutine == g && comesFirst(jn.At, at) && j.within(on, jn.Exits, g) {
			return true
		}
	}
	return false
}

// within: every witness of e runs on g only inside exits: walking up
// from it through its callers (all known below g) meets exits before g.
func (j *joins) within(e *lockgraph.Edge, exits, g *ssa.Function) bool {
	if exits == g {
		return true
	}
	seen := map[*ssa.Function]bool{}
	work := slices.Clone(e.Local.Witnesses)
	for len(work) > 0 {
		f := work[len(work)-1]
		work = work[:len(work)-1]
		if f == exits || seen[f] {
			continue
		}
		seen[f] = true
		calls, complete := j.ix.Callers(f)
		if f == g || !complete || len(seen) > maxConfineFuncs {
			return false
		}
		for _, c := range calls {
			work = append(work, c.Caller)
		}
	}
	return true
}

// callAt returns fn's call instruction at pos.
func callAt(fn *ssa.Function, pos token.Pos) ssa.Instruction {
	if !pos.IsValid() {
		return nil
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if _, ok := instr.(ssa.CallInstruction); ok && instr.Pos() == pos {
				return instr
			}
		}
	}
	return nil
}

// comesFirst: a runs before b on every path to b (a dominates b).
func comesFirst(a, b ssa.Instruction) bool {
	if a.Block() != b.Block() {
		return a.Block().Dominates(b.Block())
	}
	for _, instr := range a.Block().Instrs {
		switch instr {
		case a:
			return true
		case b:
			return false
		}
	}
	return false
}
