package commiterr

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/kafkaapi"
)

// errSource is a value that holds a commit error: the error result of a
// commit call, or a value received from a client's Errors() channel.
type errSource struct {
	value  ssa.Value
	ok     ssa.Value // the comma-ok flag of a receive, or nil
	pos    token.Pos // the commit call or the receive
	from   string    // the function the error comes from, for messages
	client string
	recv   bool            // received from an Errors() channel
	at     *ssa.BasicBlock // block of the commit call or the receive
	call   *ssa.Call       // the commit call (nil for receives)
}

// errorSources returns the commit errors of the package, in source order.
func (c *checker) errorSources() []errSource {
	var out []errSource
	for _, call := range c.callsOf(kafkaapi.Commit) {
		e := call.entry
		sc, ok := call.instr.(*ssa.Call)
		if !ok || e.Error != kafkaapi.InResult || e.WhenReturnErrors {
			continue
		}
		idx := errorResult(call.callee.Signature())
		if idx < 0 {
			continue
		}
		if v := resultValue(sc, idx); v != nil {
			out = append(out, errSource{value: v, pos: sc.Pos(), from: label(call.callee), client: e.Client, at: sc.Block(), call: sc})
		}
	}
	for _, fn := range c.ssa.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				out = append(out, c.receivedErrors(instr)...)
			}
		}
	}
	return out
}

// receivedErrors returns the errors instr receives from an Errors() channel.
func (c *checker) receivedErrors(instr ssa.Instruction) []errSource {
	var out []errSource
	switch instr := instr.(type) {
	case *ssa.UnOp:
		if instr.Op != token.ARROW {
			return nil
		}
		e := c.errorsEntryOf(instr.X)
		if e == nil {
			return nil
		}
		src := errSource{value: instr, pos: instr.Pos(), from: kafkaapi.ShortName(e.Name) + "()", client: e.Client, recv: true, at: instr.Block()}
		if instr.CommaOk {
			src.value = nil
			for _, r := range *instr.Referrers() {
				if ex, ok := r.(*ssa.Extract); ok {
					switch ex.Index {
					case 0:
						src.value = ex
					case 1:
						src.ok = ex
					}
				}
			}
		}
		if src.value != nil {
			out = append(out, src)
		}
	case *ssa.Select:
		recvIndex := 0
		for _, st := range instr.States {
			if st.Dir != types.RecvOnly {
				continue
			}
			recvIndex++
			e := c.errorsEntryOf(st.Chan)
			if e == nil {
				continue
			}
			src := errSource{pos: st.Pos, from: kafkaapi.ShortName(e.Name) + "()", client: e.Client, recv: true, at: instr.Block()}
			for _, r := range *instr.Referrers() {
				if ex, ok := r.(*ssa.Extract); ok {
					switch ex.Index {
					case 1 + recvIndex: // (index, recvOk, r_0, r_1, …)
						src.value = ex
					case 1:
						src.ok = ex
					}
				}
			}
			if src.value != nil {
				out = append(out, src)
			}
		}
	}
	return out
}

// errorsEntryOf returns the errors entry whose channel ch is: ch is the
// result of an Errors() call, directly or through φ-nodes and conversions.
func (c *checker) errorsEntryOf(ch ssa.Value) *kafkaapi.Entry {
	return c.errorsEntrySeen(ch, map[ssa.Value]bool{})
}

func (c *checker) errorsEntrySeen(ch ssa.Value, seen map[ssa.Value]bool) *kafkaapi.Entry {
	if seen[ch] {
		return nil
	}
	seen[ch] = true
	switch v := ch.(type) {
	case *ssa.Call:
		return c.entryOf(&v.Call, kafkaapi.Errors)
	case *ssa.Phi:
		for _, x := range v.Edges {
			if e := c.errorsEntrySeen(x, seen); e != nil {
				return e
			}
		}
	case *ssa.ChangeType:
		return c.errorsEntrySeen(v.X, seen)
	}
	return nil
}

// checkConsumerExits reports a consume goroutine, or the function holding a
// consume loop, that returns on a commit error without passing it on: the
// process keeps running and nothing consumes any more.
func (c *checker) checkConsumerExits() {
	for _, src := range c.errorSources() {
		fn := src.value.Parent()
		kind := c.consumerKind(fn, src.at)
		if kind == "" {
			continue
		}
		var entries []*ssa.BasicBlock
		if src.recv {
			entries = []*ssa.BasicBlock{src.value.(ssa.Instruction).Block()}
		} else {
			for _, t := range nilTests(src.value) {
				entries = append(entries, t.nonNil)
			}
		}
		flow := newErrorFlow(src.value)
		for _, entry := range entries {
			for _, b := range fn.Blocks {
				if len(b.Instrs) == 0 {
					continue
				}
				ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
				if !ok || !entry.Dominates(b) {
					continue
				}
				if src.recv && c.onClosedPath(src, b) {
					continue // the channel was closed or the error was nil
				}
				if !c.errorLostAt(ret, entry, flow, src) {
					continue
				}
				c.report(analysis.Diagnostic{
					Pos:      posOr(ret.Pos(), src.pos),
					Category: catExits,
					Message:  exitMessage(kind, fn, src),
					Related:  []analysis.RelatedInformation{{Pos: src.pos, Message: "the commit error comes from " + src.from}},
				})
			}
		}
	}
}

// consumerKind says whether returning from fn stops consuming: "goroutine"
// when fn runs as a goroutine and the error arises in a loop of it, "loop"
// when the error arises in a consume loop of fn; "" otherwise.
func (c *checker) consumerKind(fn *ssa.Function, at *ssa.BasicBlock) string {
	loops := c.loopsContaining(fn, at)
	if len(loops) == 0 {
		return ""
	}
	if len(c.index.StartsOf(fn)) > 0 {
		return "goroutine"
	}
	if isMainOrTest(fn) {
		return "" // returning from main ends the process; a test ends the test
	}
	for _, l := range loops {
		if c.isConsumeLoop(fn, l) {
			return "loop"
		}
	}
	return ""
}

// isMainOrTest reports whether fn is main, init, a test function, or a
// closure called (not started as a goroutine) inside one.
func isMainOrTest(fn *ssa.Function) bool {
	for f := fn; f != nil; f = f.Parent() {
		obj, ok := f.Object().(*types.Func)
		if !ok {
			continue
		}
		name := obj.Name()
		if obj.Pkg() != nil && obj.Pkg().Name() == "main" && f.Signature.Recv() == nil && (name == "main" || name == "init") {
			return true
		}
		if f.Signature.Recv() == nil && (strings.HasPrefix(name, "Test") || strings.HasPrefix(name, "Benchmark") || strings.HasPrefix(name, "Fuzz") || strings.HasPrefix(name, "Example")) &&
			strings.HasSuffix(f.Pkg.Prog.Fset.Position(f.Pos()).Filename, "_test.go") {
			return true
		}
	}
	return false
}

// onClosedPath reports whether block b is reached only when a receive got
// nothing: its comma-ok flag was false, or the received error was nil.
func (c *checker) onClosedPath(src errSource, b *ssa.BasicBlock) bool {
	if src.ok != nil {
		for _, r := range *src.ok.Referrers() {
			if iff, ok := r.(*ssa.If); ok && iff.Block().Succs[1].Dominates(b) {
				return true
			}
			if not, ok := r.(*ssa.UnOp); ok && not.Op == token.NOT {
				for _, u := range *not.Referrers() {
					if iff, ok := u.(*ssa.If); ok && iff.Block().Succs[0].Dominates(b) {
						return true
					}
				}
			}
		}
	}
	for _, t := range nilTests(src.value) {
		if t.nilSide.Dominates(b) {
			return true
		}
	}
	return false
}

// errorLostAt reports whether the return ret, reached only through entry on
// the commit-error path, drops the error: it does not return it, and
// nothing on every path from entry to ret hands it on (sends, stores,
// classifies it, passes it to a handler), cancels a context, or takes a
// decision on some other condition.
func (c *checker) errorLostAt(ret *ssa.Return, entry *ssa.BasicBlock, flow *errorFlow, src errSource) bool {
	for b := ret.Block(); b != nil; b = b.Idom() {
		for _, instr := range b.Instrs {
			if handles(instr, flow) == handed {
				return false
			}
			if call, ok := instr.(ssa.CallInstruction); ok && isCancel(call.Common()) {
				return false
			}
			if c.neverReturns(instr) {
				return false // die(...): the process ends here
			}
		}
		if b != ret.Block() && decides(b, ret.Block(), flow, src) {
			return false
		}
		if b == entry {
			break
		}
	}
	return true
}

// decides reports whether b ends with a branch on something other than the
// error's nil-ness (or the receive's ok flag) that decides whether target
// runs: the return is conditional on a deliberate check (ctx.Err(), a retry
// budget, a shutdown flag).
func decides(b, target *ssa.BasicBlock, flow *errorFlow, src errSource) bool {
	iff, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return false
	}
	if !b.Succs[0].Dominates(target) && !b.Succs[1].Dominates(target) {
		return false // both branches lead there: the condition does not matter
	}
	cond := iff.Cond
	if not, ok := cond.(*ssa.UnOp); ok && not.Op == token.NOT {
		cond = not.X
	}
	if src.ok != nil && cond == src.ok {
		return false
	}
	if bin, ok := cond.(*ssa.BinOp); ok && (bin.Op == token.EQL || bin.Op == token.NEQ) &&
		((flow.has(bin.X) && isNil(bin.Y)) || (flow.has(bin.Y) && isNil(bin.X))) {
		return false
	}
	return true
}

func exitMessage(kind string, fn *ssa.Function, src errSource) string {
	who := "this consume goroutine"
	if kind == "loop" {
		who = fmt.Sprintf("%s, which holds the consume loop,", fnName(fn))
	}
	if src.recv {
		return fmt.Sprintf("%s returns on a commit error received from %s and the error goes nowhere: afterwards nothing consumes or drains %s while the process keeps running; log the error and keep receiving (on %s drop the revoked partitions' state), or return it so the caller can restart or stop",
			who, src.from, src.from, rebalanceErrors(src.client))
	}
	return fmt.Sprintf("%s returns on a commit error from %s without passing the error on: the process keeps running but this loop no longer consumes or commits, and nothing says so; on rebalance errors (%s) drop the revoked partitions' state and keep polling, otherwise return the error (or cancel the process) so the consumer is restarted or stopped",
		who, src.from, rebalanceErrors(src.client))
}

// fnName names a function for messages: its declared name, or "the func
// literal in F".
func fnName(fn *ssa.Function) string {
	if fn.Parent() != nil {
		return "the func literal in " + fnName(fn.Parent())
	}
	if recv := fn.Signature.Recv(); recv != nil {
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := t.(*types.Named); ok {
			return n.Obj().Name() + "." + fn.Name()
		}
	}
	return fn.Name()
}
