package waitmodel

import (
	"fmt"
	"slices"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"

	"golang.org/x/tools/go/ssa"
)

// Goroutine exits: what a goroutine still holds when it returns, and how it
// tells the function that started it.

// ExitHold is a lock a goroutine may return holding, with the signal that
// tells its starter it is exiting.
type ExitHold struct {
	Lock   lockmodel.HeldLock
	Exit   *ssa.Return
	Always bool // held at every return, not only at Exit
	Signal ssa.Instruction
	Chan   lockmodel.Expr // the signal's channel in the goroutine's frame
}

// ExitHolds finds the locks goroutine function fn may return holding that it
// signals its exit with: a deferred close(W) that runs at such a return, or
// a close or send on W while the lock is held.
func (wm *Model) ExitHolds(fn *ssa.Function) []ExitHold {
	var rets []*ssa.Return
	for _, b := range fn.Blocks {
		if r, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			rets = append(rets, r)
		}
	}
	if len(rets) == 0 {
		return nil
	}
	var out []ExitHold
	seen := map[string]bool{}
	for _, ret := range rets {
		st := wm.Before(ret)
		if st == nil {
			continue
		}
		for _, h := range st.Must {
			if seen[h.Key] || !h.Ref.Valid() {
				continue
			}
			sig, ch := wm.exitSignal(fn, h, ret)
			if sig == nil {
				continue
			}
			seen[h.Key] = true
			always := true
			for _, r := range rets {
				if s := wm.Before(r); s != nil && !holds(s.Must, h.Key) {
					always = false
				}
			}
			out = append(out, ExitHold{Lock: h, Exit: ret, Always: always, Signal: sig, Chan: ch})
		}
	}
	for _, eh := range wm.handedExitHolds(fn, rets) {
		if !seen[eh.Lock.Key] {
			seen[eh.Lock.Key] = true
			out = append(out, eh)
		}
	}
	return out
}

// StartsHolding: every go statement that starts fn holds class on every
// path to it, and nothing calls fn directly, so the goroutine starts with
// its starter's lock (Go mutexes belong to no goroutine): jackc/puddle v1's
// Acquire holds p.cond.L and starts go func() { p.cond.Wait(); waitChan
// <- ... }() to turn the Wait into a channel, which then waits under that
// lock.
func (wm *Model) StartsHolding(fn *ssa.Function, class string) bool {
	starts := wm.GoStarts(fn)
	if class == "" || len(starts) == 0 || !wm.OnlyStarted(fn) {
		return false
	}
	for _, g := range starts {
		st := wm.Before(g)
		if st == nil || !slices.ContainsFunc(st.Must, func(h lockmodel.HeldLock) bool { return h.Class == class }) {
			return false
		}
	}
	return true
}

// handedExitHolds finds the locks goroutine fn holds at its exit by
// hand-over, which the lock model does not see (Wait re-acquires only a
// lock held on entry): fn is started only while its starter holds c.L
// (StartsHolding), calls c.Wait() without locking c.L itself, and never
// releases c.L afterwards, so Wait's re-lock is still held when fn returns.
// The exit signal is a send or close after the Wait on the way to the
// return (or a deferred close).
func (wm *Model) handedExitHolds(fn *ssa.Function, rets []*ssa.Return) []ExitHold {
	var out []ExitHold
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			w, ok := instr.(*ssa.Call)
			if !ok || CondMethod(w.Common()) != "Wait" {
				continue
			}
			lock, ok := wm.CondLockOf(w.Call.Args[0])
			if !ok || lock.Class() == "" || !wm.StartsHolding(fn, lock.Class()) {
				continue
			}
			inst := lock
			if !inst.Ref().Valid() {
				// c.L made with the Cond (sync.NewCond(new(sync.Mutex))) is
				// one class for every Cond: name the instance by its Cond.
				inst = lockmodel.Resolve(w.Call.Args[0]).Field(".L")
				if !inst.Ref().Valid() {
					continue
				}
			}
			if st := wm.Before(w); st == nil || slices.ContainsFunc(st.May, func(h lockmodel.HeldLock) bool { return h.Class == lock.Class() }) {
				continue // the goroutine locks c.L itself: the lock model's business
			}
			if !wm.keepsHanded(fn, lock.Class()) {
				continue
			}
			var held []*ssa.Return
			for _, r := range rets {
				if RunsAfter(w, r) {
					held = append(held, r)
				}
			}
			if len(held) == 0 {
				continue
			}
			posn := wm.pass.Fset.Position(w.Pos())
			h := lockmodel.HeldLock{
				Class: lock.Class(), Mode: lockmodel.Write, Lock: inst.String(), Key: inst.Key(), Alias: inst.Alias(),
				Ref: inst.Ref(), Pos: w.Pos(), Root: inst.Root(),
				Chain: []lockmodel.Site{{File: posn.Filename, Line: posn.Line, Col: posn.Column, Func: lockmodel.FuncRefOf(fn),
					What: fmt.Sprintf("%s.Wait() re-locks %s, which the go statement's starter holds and hands over", wm.SrcText(w.Pos(), w.Call.Args[0]), inst.String())}},
			}
			for _, ret := range held {
				sig, ch := wm.handedSignal(fn, w, ret)
				if sig == nil {
					continue
				}
				out = append(out, ExitHold{Lock: h, Exit: ret, Always: len(held) == len(rets), Signal: sig, Chan: ch})
				break
			}
		}
	}
	return out
}

// keepsHanded: fn never locks or unlocks class itself, calls no function
// whose summary releases a caller's lock, and makes no dynamic call that
// could.
func (wm *Model) keepsHanded(fn *ssa.Function, class string) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			c := ci.Common()
			if kind, recv := lockmodel.LockOpOf(c); kind != 0 && kind != lockmodel.OpWait {
				if e := wm.res.ResolveLocker(recv); e.Class() == "" || e.Class() == class {
					return false
				}
				continue
			}
			callee := c.StaticCallee()
			if callee == nil {
				if _, builtin := c.Value.(*ssa.Builtin); !builtin {
					return false
				}
				continue
			}
			if sum := wm.res.Summary(callee); sum != nil && len(sum.Releases) > 0 {
				return false
			}
		}
	}
	return true
}

// handedSignal finds how fn tells its starter that it returns at ret
// holding the lock Wait w re-took: a close(W) deferred on every path to
// ret, or a close or send on W after w on every path to ret.
func (wm *Model) handedSignal(fn *ssa.Function, w *ssa.Call, ret *ssa.Return) (ssa.Instruction, lockmodel.Expr) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			op, ch := ChanOpOf(instr)
			if op == 0 || op == OpRecv {
				continue
			}
			e := lockmodel.Resolve(ch)
			if !e.Ref().Valid() || !b.Dominates(ret.Block()) {
				continue
			}
			if _, deferred := instr.(*ssa.Defer); deferred || RunsAfter(w, instr) {
				return instr, e
			}
		}
	}
	return nil, lockmodel.Expr{}
}

// RunsAfter: x runs after a on every path to x (a's block dominates x's,
// and a comes first when they share one).
func RunsAfter(a, x ssa.Instruction) bool { return callindex.Before(a, x) }

// exitSignal finds how fn tells its starter that it is returning at ret
// holding h: a close(W) deferred on every path to ret, or a close or send
// on W with h held.
func (wm *Model) exitSignal(fn *ssa.Function, h lockmodel.HeldLock, ret *ssa.Return) (ssa.Instruction, lockmodel.Expr) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			op, ch := ChanOpOf(instr)
			if op == 0 || op == OpRecv {
				continue
			}
			e := lockmodel.Resolve(ch)
			if !e.Ref().Valid() {
				continue
			}
			if _, deferred := instr.(*ssa.Defer); deferred {
				if b.Dominates(ret.Block()) {
					return instr, e
				}
				continue
			}
			if st := wm.Before(instr); st != nil && holds(st.Must, h.Key) && b.Dominates(ret.Block()) {
				return instr, e
			}
		}
	}
	return nil, lockmodel.Expr{}
}

// NestedIn reports whether fn is outer or a closure lexically inside it.
func NestedIn(fn, outer *ssa.Function) bool {
	for ; fn != nil; fn = fn.Parent() {
		if fn == outer {
			return true
		}
	}
	return false
}
