package commiterr

import (
	"fmt"
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
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
			if retriesUntilSuccess(fn, l, src.value) {
				c.report(analysis.Diagnostic{
					Pos:      src.pos,
					Category: catRetryForever,
					Message: fmt.Sprintf("%s is retried until it succeeds, with no way out of the loop: after a rebalance the old generation's commit can never succeed (%s), so this loop spins forever and the consumer stops; leave the loop on rebalance errors (%s) and when the context is done, drop the revoked partitions' state and go back to polling",
						src.from, rebalanceErrors(src.client), classifyHint(src.client)),
					Related: c.loopRelated(src.pos),
				})
				break
			}
			if len(l.exits(fn)) > 0 {
				break // an outer loop does not retry this commit more than the inner one does
			}
		}
	}
}

// retriesUntilSuccess reports whether the loop leaves only on a nil commit
// error and goes round again on a non-nil one.
func retriesUntilSuccess(fn *ssa.Function, l *loop, err ssa.Value) bool {
	family := errorFamily(l, err)
	var tests []nilTest
	for _, v := range family {
		for _, t := range nilTests(v) {
			if l.contains(t.block) {
				tests = append(tests, t)
			}
		}
	}
	loopsOnError := false
	for _, t := range tests {
		if l.contains(t.nonNil) {
			loopsOnError = true
		}
	}
	if !loopsOnError {
		return false
	}
	exits := l.exits(fn)
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
				(t.nilSide != l.header && l.contains(t.nilSide) && t.nilSide.Dominates(from)) {
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
func errorFamily(l *loop, err ssa.Value) []ssa.Value {
	family := []ssa.Value{err}
	seen := map[ssa.Value]bool{err: true}
	for i := 0; i < len(family); i++ {
		for _, r := range *family[i].Referrers() {
			if phi, ok := r.(*ssa.Phi); ok && !seen[phi] && l.contains(phi.Block()) {
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
