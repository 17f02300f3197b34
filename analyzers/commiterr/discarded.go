package commiterr

import (
	"fmt"
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/kafkaapi"
)

// checkDiscarded reports commits whose error result is discarded: a call
// statement, `_ =`, `_, _ =`, a value never read, a go or defer statement.
func (c *checker) checkDiscarded() {
	for _, call := range c.callsOf(kafkaapi.Commit) {
		e := call.entry
		if e.Error != kafkaapi.InResult {
			continue
		}
		sig := call.callee.Signature()
		idx := errorResult(sig)
		if idx < 0 {
			continue // the table says result, the function has none: a stale user line
		}
		if e.WhenReturnErrors && !c.switchedOn(e.Client) {
			continue // nothing is ever sent to Errors(), so Close returns nil
		}
		var how string
		switch instr := call.instr.(type) {
		case *ssa.Go:
			how = "discarded by the go statement"
		case *ssa.Defer:
			how = "discarded by the defer statement"
		case *ssa.Call:
			v := resultValue(instr, idx)
			if v != nil && isRead(v) {
				continue
			}
			how = c.discardedHow(instr.Pos(), idx)
		}
		c.report(analysis.Diagnostic{
			Pos:      call.instr.Pos(),
			Category: catDropped,
			Message:  fmt.Sprintf("error from %s is %s: %s", label(call.callee), how, droppedAdvice(call)),
		})
	}
}

// discardedHow describes, from the syntax, how the error result at index idx
// of the call whose Lparen is at pos was dropped.
func (c *checker) discardedHow(pos token.Pos, idx int) string {
	path := c.pathTo(pos)
	var call *ast.CallExpr
	for _, n := range path {
		if ce, ok := n.(*ast.CallExpr); ok && ce.Lparen == pos {
			call = ce
			break
		}
	}
	if call == nil {
		return "never read"
	}
	for i, n := range path {
		if n != call {
			continue
		}
		if i+1 >= len(path) {
			break
		}
		switch parent := path[i+1].(type) {
		case *ast.ExprStmt:
			return "discarded (the call's result is not used)"
		case *ast.AssignStmt:
			lhs := parent.Lhs
			target := -1
			if len(parent.Rhs) == 1 && len(lhs) > 1 {
				target = idx
			} else {
				for j, r := range parent.Rhs {
					if ast.Unparen(r) == call {
						target = j
					}
				}
			}
			if target >= 0 && target < len(lhs) {
				if id, ok := lhs[target].(*ast.Ident); ok {
					if id.Name == "_" {
						return "assigned to _"
					}
					return fmt.Sprintf("assigned to %s but never read", id.Name)
				}
			}
		case *ast.ValueSpec:
			if len(parent.Names) > idx && parent.Names[idx].Name == "_" {
				return "assigned to _"
			}
			if len(parent.Values) == 1 && len(parent.Names) > idx {
				return fmt.Sprintf("assigned to %s but never read", parent.Names[idx].Name)
			}
		}
		break
	}
	return "never read"
}

// pathTo returns the syntax path from the innermost node at pos to its file.
func (c *checker) pathTo(pos token.Pos) []ast.Node {
	for _, f := range c.pass.Files {
		if f.FileStart <= pos && pos < f.FileEnd {
			path, _ := astutil.PathEnclosingInterval(f, pos, pos+1)
			return path
		}
	}
	return nil
}
