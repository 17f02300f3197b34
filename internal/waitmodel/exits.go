package waitmodel

import (
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
	return out
}

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
