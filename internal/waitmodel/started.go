package waitmodel

import (
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// lockedBeforeStart reports whether every wake-up of the one resource of
// path takes lock class only before the waiting goroutine can exist: the
// waiter is a function literal of the waking function, handed out there
// (started with go, or passed to a call) once, outside any loop, and every
// Lock of class in the waking function comes before that hand-off, with
// class not held at the wake-up nor by the waking function's callers.
//
//	mu.Lock()
//	go func() { mu.Lock(); defer mu.Unlock(); ch <- v }()
//	mu.Unlock()
//	<-ch
//
// The goroutine can only take mu after the starter's Unlock, and the
// starter does not lock mu again before it receives: no cycle (stan.go's
// stan-pub example registers its ack callback so, under the lock the
// callback sends under).
func (g *waitGraph) lockedBeforeStart(wp waitPath, path []string, class string) bool {
	if len(path) != 1 {
		return false
	}
	waiter := wp.at.Parent()
	waker := waiter.Parent()
	if waker == nil {
		return false
	}
	handoffs := g.handoffs(waiter)
	if len(handoffs) == 0 {
		return false
	}
	nodes := path
	if w := g.waitByNode[path[0]]; w != nil && w.cases != nil {
		nodes = w.cases
	}
	wakes := 0
	for _, n := range nodes {
		for _, wk := range g.wakes[n] {
			if wk.instr.Parent() != waker || g.freeWake[wk.instr] || !g.wakeClearOf(wk.instr, class) {
				return false
			}
			wakes++
		}
	}
	if wakes == 0 {
		return false
	}
	if calls, ok := g.callers(waker); ok {
		for _, c := range calls {
			if _, needs := g.sitePrereqs(c, 0)[class]; needs {
				return false
			}
		}
	}
	// Every Lock of class in the waking function comes before every
	// hand-off; none is in a loop that could bring it round again.
	for _, b := range waker.Blocks {
		for _, x := range b.Instrs {
			call, ok := x.(*ssa.Call)
			if !ok {
				continue
			}
			kind, recv := lockmodel.LockOpOf(call.Common())
			if kind != lockmodel.OpLock && kind != lockmodel.OpRLock {
				continue
			}
			if e := g.wm.res.ResolveLocker(recv); e.Class() != class {
				continue
			}
			for _, h := range handoffs {
				if !callindex.Before(call, h) {
					return false
				}
			}
		}
	}
	return true
}

// handoffs returns where the waking function hands function literal fn
// out (go statements, call arguments), when that is all that is done with
// it and none of it runs in a loop; nil otherwise.
func (g *waitGraph) handoffs(fn *ssa.Function) []ssa.Instruction {
	var vals []ssa.Value
	if mcs := g.wm.ix.Closures(fn); len(mcs) > 0 {
		for _, mc := range mcs {
			vals = append(vals, mc)
		}
	} else if fn.Parent() != nil && len(fn.FreeVars) == 0 {
		// A literal with no free variables is the function itself.
		for _, b := range fn.Parent().Blocks {
			for _, x := range b.Instrs {
				for _, op := range x.Operands(nil) {
					if *op == fn {
						vals = append(vals, fn)
						goto found
					}
				}
			}
		}
	found:
	}
	var out []ssa.Instruction
	for len(vals) > 0 {
		v := vals[0]
		vals = vals[1:]
		refs := v.Referrers()
		if refs == nil {
			return nil
		}
		for _, r := range *refs {
			if r.Parent() != fn.Parent() || len(callindex.LoopsContaining(r.Block())) > 0 {
				return nil
			}
			switch r := r.(type) {
			case *ssa.Go, *ssa.Call:
				out = append(out, r)
			case *ssa.ChangeType:
				// To a named func type (a handler type of the callee).
				vals = append(vals, r)
			default:
				return nil
			}
		}
	}
	return out
}

// wakeClearOf: class is not held at wake-up instr, nor taken by the
// callee that wakes.
func (g *waitGraph) wakeClearOf(instr ssa.Instruction, class string) bool {
	if _, deferred := instr.(*ssa.Defer); deferred {
		return false
	}
	st := g.wm.Before(instr)
	if st == nil {
		return false
	}
	for _, h := range st.May {
		if h.Class == class {
			return false
		}
	}
	for _, l := range g.factLocks[instr] {
		if l == class || l == class+readSuffix {
			return false
		}
	}
	return true
}
