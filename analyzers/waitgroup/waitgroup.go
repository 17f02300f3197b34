// Package waitgroup reports sync.WaitGroup misuse that makes a Wait return
// early or run the goroutines it waits for one at a time: Add called
// inside the goroutine it counts, racing the starter's Wait (kafka-go's
// v0.4.26 fix, PR 805, is of this family), and Wait inside the very loop
// that starts the goroutines.
//
// It reads the WaitGroup operations of the wait model (internal/waitmodel)
// and the goroutine starts of the call index (internal/callindex).
package waitgroup

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// Analyzer is the waitgroup analyzer.
var Analyzer = &analysis.Analyzer{
	Name:     "waitgroup",
	Doc:      doc,
	URL:      "https://github.com/kafkalint/kafkalint/blob/main/docs/waitgroup.md",
	Run:      run,
	Requires: []*analysis.Analyzer{waitmodel.Analyzer, callindex.Analyzer},
}

// Diagnostic categories (check names).
const (
	CheckAddInGoroutine = "wg-add-in-goroutine"
	CheckWaitInLoop     = "wg-wait-in-loop"
)

func init() {
	report.Register(Analyzer, checks...)
}

func run(pass *analysis.Pass) (any, error) {
	wm := pass.ResultOf[waitmodel.Analyzer].(*waitmodel.Result)
	ix := pass.ResultOf[callindex.Analyzer].(*callindex.Index)
	if len(wm.WaitGroupOps) == 0 {
		return nil, nil
	}
	r := report.New(pass)
	byNode := map[string][]waitmodel.WaitGroupOp{}
	for _, op := range wm.WaitGroupOps {
		byNode[op.Node] = append(byNode[op.Node], op)
	}
	for _, op := range wm.WaitGroupOps {
		switch op.Op {
		case "Add":
			if d, ok := addInGoroutine(pass, ix, op, byNode[op.Node]); ok {
				r.Report(d)
			}
		case "Wait":
			if d, ok := waitInLoop(pass, ix, op, byNode[op.Node]); ok {
				r.Report(d)
			}
		}
	}
	r.Finish()
	return nil, nil
}

// addInGoroutine: op adds to the counter inside a goroutine whose starter
// waits on the same WaitGroup afterwards and has not counted the goroutine
// itself (no Add of its own before the go statement) nor received anything
// in between: the Wait may run before the Add and return at once.
func addInGoroutine(pass *analysis.Pass, ix *callindex.Index, op waitmodel.WaitGroupOp, ops []waitmodel.WaitGroupOp) (analysis.Diagnostic, bool) {
	if op.Delta <= 0 {
		return analysis.Diagnostic{}, false
	}
	g := op.Instr.Parent()
	if !ix.OnlyStarted(g) {
		return analysis.Diagnostic{}, false
	}
	for _, st := range ix.StartsOf(g) {
		if st.Kind != callindex.GoStmt {
			continue
		}
		var wait, counted *waitmodel.WaitGroupOp
		for i, o := range ops {
			if o.Instr.Parent() != st.Caller {
				continue
			}
			switch {
			case o.Op == "Wait" && wait == nil && after(st.Instr, o.Instr):
				wait = &ops[i]
			case (o.Op == "Add" || o.Op == "Go") && after(o.Instr, st.Instr):
				counted = &ops[i]
			}
		}
		if wait == nil || counted != nil || receivesBetween(st.Instr, wait.Instr) {
			continue
		}
		msg := fmt.Sprintf("%s.Add is called inside the goroutine it counts (started at line %d), but %s waits on %s at line %d: the Wait can run before this Add and return while the goroutine is still running. Call %s.Add before the go statement",
			op.Text, pass.Fset.Position(st.Instr.Pos()).Line, lockmodel.FuncRefOf(st.Caller).Short(), op.Text, pass.Fset.Position(wait.Instr.Pos()).Line, op.Text)
		related := report.Chain(report.Label(lockmodel.FuncRefOf(st.Caller)),
			report.Step{Pos: st.Instr.Pos(), Message: "starts the goroutine (nothing added to " + op.Text + " before)"},
			report.Step{Pos: wait.Instr.Pos(), Message: "waits on " + op.Text + " (may run before the goroutine's Add)"})
		return analysis.Diagnostic{Pos: op.Instr.Pos(), Category: CheckAddInGoroutine, Message: msg, Related: related}, true
	}
	return analysis.Diagnostic{}, false
}

// receivesBetween: the starter receives from a channel (or selects), or
// waits on another WaitGroup, after the go statement and before the Wait:
// the goroutine may signal there after its Add (close(ready) in kafka-go's
// writer test; swg.Done() after wg.Add(1) in nats-server's
// TestJetStreamClusterConcurrentAccountLimits), ordering the Add before
// the Wait.
func receivesBetween(start, wait ssa.Instruction) bool {
	for _, b := range start.Parent().Blocks {
		for _, x := range b.Instrs {
			recv := false
			switch x := x.(type) {
			case *ssa.UnOp:
				recv = x.Op == token.ARROW
			case *ssa.Select:
				recv = x.Blocking
			case *ssa.Call:
				recv = x != wait && isWaitGroupWait(x.Common())
			}
			if recv && after(start, x) && after(x, wait) {
				return true
			}
		}
	}
	return false
}

// isWaitGroupWait: c calls (*sync.WaitGroup).Wait.
func isWaitGroupWait(c *ssa.CallCommon) bool {
	fn := c.StaticCallee()
	return fn != nil && fn.Name() == "Wait" && fn.Signature.Recv() != nil &&
		lockmodel.SyncType(fn.Signature.Recv().Type()) == "WaitGroup"
}

// waitInLoop: op waits inside the innermost loop that also adds to the
// WaitGroup and starts goroutines: each iteration waits for the goroutines
// it has just started.
func waitInLoop(pass *analysis.Pass, ix *callindex.Index, op waitmodel.WaitGroupOp, ops []waitmodel.WaitGroupOp) (analysis.Diagnostic, bool) {
	loop := callindex.InnermostLoop(op.Instr.Block())
	if loop == nil {
		return analysis.Diagnostic{}, false
	}
	fn := op.Instr.Parent()
	var add *waitmodel.WaitGroupOp
	for i, o := range ops {
		if (o.Op == "Add" && o.Delta > 0 || o.Op == "Go") && o.Instr.Parent() == fn && sameLoop(loop, o.Instr) {
			add = &ops[i]
			break
		}
	}
	if add == nil {
		return analysis.Diagnostic{}, false
	}
	// The goroutine must block on what only the code after the loop
	// provides: a send on an unbuffered channel made before the loop that
	// nothing in the loop receives from. (Waiting for each iteration's
	// goroutine on purpose, to read its result, is left alone.)
	var start ssa.Instruction
	var send *ssa.Send
	for _, st := range ix.Starts() {
		if st.Caller == fn && st.Kind == callindex.GoStmt && sameLoop(loop, st.Instr) {
			if s := blockedSend(st, loop); s != nil {
				start, send = st.Instr, s
				break
			}
		}
	}
	if start == nil {
		return analysis.Diagnostic{}, false
	}
	msg := fmt.Sprintf("%s.Wait is inside the loop that starts the goroutines it waits for (line %d), and the goroutine's send (line %d) on an unbuffered channel is received only after the loop: the first iteration waits for a goroutine that waits for the code after the loop. Wait after the loop",
		op.Text, pass.Fset.Position(start.Pos()).Line, pass.Fset.Position(send.Pos()).Line)
	related := report.Chain(report.Label(lockmodel.FuncRefOf(fn)),
		report.Step{Pos: add.Instr.Pos(), Message: "adds to " + op.Text + " in the loop"},
		report.Step{Pos: start.Pos(), Message: "starts a goroutine in the loop"},
		report.Step{Pos: send.Pos(), Message: "the goroutine sends; nothing in the loop receives"},
		report.Step{Pos: op.Instr.Pos(), Message: "waits in the same loop"})
	return analysis.Diagnostic{Pos: op.Instr.Pos(), Category: CheckWaitInLoop, Message: msg, Related: related}, true
}

// blockedSend returns a send of the started goroutine on an unbuffered
// channel that its starter makes outside loop and receives from only
// outside loop; nil if there is none.
func blockedSend(st callindex.Start, loop map[*ssa.BasicBlock]bool) *ssa.Send {
	for _, b := range st.Fn.Blocks {
		for _, x := range b.Instrs {
			send, ok := x.(*ssa.Send)
			if !ok {
				continue
			}
			mc := madeChan(send.Chan, st)
			if mc == nil || mc.Parent() != st.Caller || loop[mc.Block()] {
				continue
			}
			if k, ok := mc.Size.(*ssa.Const); !ok || k.Value == nil || k.Int64() != 0 {
				continue
			}
			if !receivedIn(mc, loop) {
				return send
			}
		}
	}
	return nil
}

// madeChan follows a channel value in a started closure to the make in
// its starter (through the closure's bindings and captured variables).
func madeChan(v ssa.Value, st callindex.Start) *ssa.MakeChan {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		v = u.X
	}
	if fv, ok := v.(*ssa.FreeVar); ok {
		for i, q := range st.Fn.FreeVars {
			if q == fv && i < len(st.Bindings) {
				v = st.Bindings[i]
			}
		}
	}
	if a, ok := v.(*ssa.Alloc); ok {
		v = lockmodel.StoredValue(a)
	}
	mc, _ := v.(*ssa.MakeChan)
	return mc
}

// receivedIn: the starter receives from the channel made at mc inside
// loop (directly or through the variable it is kept in).
func receivedIn(mc *ssa.MakeChan, loop map[*ssa.BasicBlock]bool) bool {
	vals := []ssa.Value{mc}
	for _, r := range *mc.Referrers() {
		if s, ok := r.(*ssa.Store); ok {
			if a, ok := s.Addr.(*ssa.Alloc); ok {
				for _, ar := range *a.Referrers() {
					if u, ok := ar.(*ssa.UnOp); ok && u.Op == token.MUL {
						vals = append(vals, u)
					}
				}
			}
		}
	}
	for _, v := range vals {
		for _, r := range *v.Referrers() {
			if !loop[r.Block()] {
				continue
			}
			switch r := r.(type) {
			case *ssa.UnOp:
				if r.Op == token.ARROW {
					return true
				}
			case *ssa.Select, *ssa.Call, *ssa.MakeClosure, *ssa.Go, *ssa.Defer, *ssa.Store:
				return true // a select, or handed to code that may receive
			}
		}
	}
	return false
}

// sameLoop: instr is in loop and in no loop nested inside it (a batch
// loop that starts a batch's goroutines in an inner loop and waits for
// them in the outer one is bounded parallelism, not a mistake).
func sameLoop(loop map[*ssa.BasicBlock]bool, instr ssa.Instruction) bool {
	inner := callindex.InnermostLoop(instr.Block())
	return loop[instr.Block()] && len(inner) == len(loop)
}

// after: b can run after a in their function (a later instruction of the
// same block, or a block reachable from a's).
func after(a, b ssa.Instruction) bool {
	if a.Block() == b.Block() {
		return callindex.IndexIn(a) < callindex.IndexIn(b)
	}
	return callindex.Reachable(a.Block().Succs, nil)[b.Block()]
}

func funcName(fn *ssa.Function) string { return lockmodel.FuncName(fn) }
