package commiterr

import (
	"fmt"
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
)

// checkRetryLoops reports a commit retried in a loop whose only way out is
// the commit succeeding: no exit on rebalance-class errors, on the context,
// on a retry budget. After a rebalance the old generation's commit never
// succeeds, so the loop spins (or blocks) forever.
func (c *checker) checkRetryLoops() {
	for _, src := range c.errorSources() {
		if src.recv {
			continue
		}
		fn := src.value.Parent()
		for _, l := range c.loopsContaining(fn, src.at) {
			if c.isConsumeLoop(fn, l) {
				break // re-polling between attempts is not retrying the same commit
			}
			if retriesUntilSuccess(fn, l, src.value, c.neverReturns) && sameCommitEachTime(src.call, l) {
				c.report(analysis.Diagnostic{
					Pos:      src.pos,
					Category: catRetryForever,
					Message: fmt.Sprintf("%s is retried until it succeeds, with no way out of the loop: after a rebalance the old generation's commit can never succeed (%s), so this loop spins forever and the consumer stops; leave the loop on rebalance errors (%s) and when the context is done, drop the revoked partitions' state and go back to polling",
						src.from, rebalanceErrors(src.client), classifyHint(src.client)),
					Related: c.loopRelated(src.pos),
				})
				break
			}
			if len(l.Exits()) > 0 {
				break // an outer loop does not retry this commit more than the inner one does
			}
		}
	}
}

// retriesUntilSuccess reports whether the loop leaves only on a nil commit
// error and goes round again on a non-nil one.
func retriesUntilSuccess(fn *ssa.Function, l *callindex.Loop, err ssa.Value, neverReturns func(ssa.Instruction) bool) bool {
	family := errorFamily(l, err)
	var tests []nilTest
	for _, v := range family {
		for _, t := range nilTests(v) {
			if l.Contains(t.block) {
				tests = append(tests, t)
			}
		}
	}
	loopsOnError := false
	for _, t := range tests {
		if l.Contains(t.nonNil) {
			loopsOnError = true
		}
	}
	if !loopsOnError {
		return false
	}
	exits := l.Exits()
	// A call that never returns (a die helper) leaves the loop too.
	for _, b := range fn.Blocks {
		if !l.Contains(b) {
			continue
		}
		for _, instr := range b.Instrs {
			if neverReturns(instr) {
				exits = append(exits, [2]*ssa.BasicBlock{b, nil})
				break
			}
		}
	}
	if len(exits) == 0 {
		return false // an endless loop that does more than retry (or a plain infinite worker)
	}
	for _, ex := range exits {
		from, to := ex[0], ex[1]
		success := false
		for _, t := range tests {
			// The nil side leaves the loop directly, or every path to the
			// exit passes it in this iteration. A nil side that is the
			// header itself just starts the next iteration (a range loop
			// committing one message after another).
			if (from == t.block && to == t.nilSide) ||
				(t.nilSide != l.Header && l.Contains(t.nilSide) && t.nilSide.Dominates(from)) {
				success = true
				break
			}
		}
		if !success {
			return false
		}
	}
	return true
}

// errorFamily returns err and the φ-nodes of the loop it flows into (the
// variable carrying the last attempt's error, as in `for err != nil`).
func errorFamily(l *callindex.Loop, err ssa.Value) []ssa.Value {
	family := []ssa.Value{err}
	seen := map[ssa.Value]bool{err: true}
	for i := 0; i < len(family); i++ {
		for _, r := range *family[i].Referrers() {
			if phi, ok := r.(*ssa.Phi); ok && !seen[phi] && l.Contains(phi.Block()) {
				seen[phi] = true
				family = append(family, phi)
			}
		}
	}
	return family
}

// loopRelated points at the innermost for statement around the commit.
func (c *checker) loopRelated(pos token.Pos) []analysis.RelatedInformation {
	for _, n := range c.pathTo(pos) {
		switch n := n.(type) {
		case *ast.ForStmt:
			return []analysis.RelatedInformation{{Pos: n.For, Message: "the retry loop"}}
		case *ast.RangeStmt:
			return []analysis.RelatedInformation{{Pos: n.For, Message: "the retry loop"}}
		}
	}
	return nil
}

// sameCommitEachTime reports whether every argument of the commit (the
// receiver and contexts aside) is the same on each iteration of the loop:
// committing the next message each time round is not a retry.
func sameCommitEachTime(call *ssa.Call, l *callindex.Loop) bool {
	if call == nil {
		return false
	}
	args := call.Call.Args
	if !call.Call.IsInvoke() && call.Call.Signature().Recv() != nil && len(args) > 0 {
		args = args[1:]
	}
	for _, a := range args {
		if callindex.IsContext(a.Type()) {
			continue
		}
		if loopVariant(a, l, map[ssa.Value]bool{}) {
			return false
		}
	}
	return true
}

// loopVariant reports whether v may differ from one iteration of l to the
// next (conservatively: anything computed in the loop, except packing
// loop-invariant values into a variadic slice).
func loopVariant(v ssa.Value, l *callindex.Loop, seen map[ssa.Value]bool) bool {
	if seen[v] {
		return false
	}
	seen[v] = true
	instr, ok := v.(ssa.Instruction)
	if !ok || !l.Contains(instr.Block()) {
		return false // a constant, parameter, global, or computed before the loop
	}
	switch v := v.(type) {
	case *ssa.MakeInterface:
		return loopVariant(v.X, l, seen)
	case *ssa.ChangeType:
		return loopVariant(v.X, l, seen)
	case *ssa.ChangeInterface:
		return loopVariant(v.X, l, seen)
	case *ssa.Slice:
		alloc, ok := v.X.(*ssa.Alloc)
		if !ok || alloc.Comment != "varargs" {
			return true
		}
		for _, r := range *alloc.Referrers() {
			ia, ok := r.(*ssa.IndexAddr)
			if !ok {
				continue
			}
			for _, u := range *ia.Referrers() {
				if st, ok := u.(*ssa.Store); ok && st.Addr == ia && loopVariant(st.Val, l, seen) {
					return true
				}
			}
		}
		return false
	}
	return true
}
