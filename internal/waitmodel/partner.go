package waitmodel

import (
	"go/token"
	"sort"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
)

// Waker is one operation that ends the wait.
type Waker struct {
	Pos  token.Pos
	What string // "close(s.hbDead)"
	Func report.FuncRef
	// Goroutines are the goroutines the wake-up runs on: the functions
	// started in this package (go, errgroup-style Go) that reach it. Empty
	// when it may run elsewhere too (an exported function, a callback).
	Goroutines []GoStart
	// Entries are the functions at the top of the waker's call chains that
	// other code calls (exported functions, methods reachable through an
	// interface, func values): Close, when Close reaches the wake-up. Empty
	// when the wake-up runs only on goroutines the package starts.
	Entries []report.FuncRef
	// Started are the goroutines the package starts that reach the
	// wake-up (beside the entries, if any).
	Started []GoStart
	// MayLock are the locks its function takes, on some path, before the
	// wake-up (for a deferred one: before any return).
	MayLock []LockStep
	// CallerMayLock are the locks the waker's in-package callers (when
	// those are all its callers) take, on some path, before they call the
	// function holding the wake-up, up to the entries: Close locking c.mu
	// before it calls c.stopLocked(), which cancels.
	CallerMayLock []LockStep
}

// GoStart is a goroutine: its function and where it is started.
type GoStart struct {
	Func report.FuncRef
	Pos  token.Pos      // the go statement or Go call
	By   report.FuncRef // the function that starts it
}

// LockStep is a lock a waker takes, and how.
type LockStep struct {
	Class string
	Mode  lockmodel.Mode
	Pos   token.Pos        // the Lock call, or the call that takes it
	What  string           // "locks c.lock", "calls (*T).handleError"
	Chain []lockmodel.Site // inside the callee, down to the Lock call
	// Callee is the function called when the lock is taken inside a
	// call ("calls (*T).handleError"); zero for a Lock call here.
	Callee report.FuncRef
}

// waker describes one wake-up: where it runs and the locks it may take
// first.
func (g *waitGraph) waker(wk *wakeSite) Waker {
	fn := wk.instr.Parent()
	w := Waker{Pos: wk.instr.Pos(), What: wk.what, Func: lockmodel.FuncRefOf(fn)}
	if roots, ok := g.wm.ix.GoroutineRoots(fn, 64); ok {
		onlyStarted := true
		for _, r := range roots {
			starts := g.wm.ix.StartsOf(r)
			if len(starts) == 0 {
				onlyStarted = false
				w.Goroutines = nil
			}
			if calls, _ := g.wm.ix.Callers(r); len(starts) == 0 || len(calls) > 0 {
				w.Entries = append(w.Entries, lockmodel.FuncRefOf(r))
			}
			if len(starts) > 0 {
				gs := GoStart{Func: lockmodel.FuncRefOf(r), Pos: starts[0].Instr.Pos(), By: lockmodel.FuncRefOf(starts[0].Caller)}
				w.Started = append(w.Started, gs)
				if onlyStarted {
					w.Goroutines = append(w.Goroutines, gs)
				}
			}
		}
	}
	w.MayLock = g.mayLockBefore(wk.instr)
	w.CallerMayLock = g.callerMayLock(fn, map[*ssa.Function]bool{fn: true}, 0)
	return w
}

// callerMayLock returns the locks fn's callers take, on some path, before
// they call it, and their callers before them, up to maxWaitDepth calls
// up; nothing when fn's callers are not all known.
func (g *waitGraph) callerMayLock(fn *ssa.Function, seen map[*ssa.Function]bool, depth int) []LockStep {
	if depth >= maxWaitDepth {
		return nil
	}
	calls, complete := g.wm.ix.Callers(fn)
	if !complete {
		return nil
	}
	var out []LockStep
	for _, c := range calls {
		out = append(out, g.mayLockBefore(c.Instr)...)
		if !seen[c.Caller] {
			seen[c.Caller] = true
			out = append(out, g.callerMayLock(c.Caller, seen, depth+1)...)
		}
	}
	return out
}

// mayLockBefore returns the locks taken on some path of instr's function
// before instr runs: Lock calls, and the acquisitions of the functions it
// calls (their lock summaries). A deferred operation runs at the returns
// after it: everything after the defer counts.
func (g *waitGraph) mayLockBefore(instr ssa.Instruction) []LockStep {
	fn := instr.Parent()
	b := instr.Block()
	var region []ssa.Instruction
	if _, deferred := instr.(*ssa.Defer); deferred {
		region = append(region, b.Instrs[callindex.IndexIn(instr)+1:]...)
		reach := callindex.Reachable(b.Succs, nil)
		for _, x := range fn.Blocks {
			if x != b && reach[x] {
				region = append(region, x.Instrs...)
			}
		}
	} else {
		region = append(region, b.Instrs[:callindex.IndexIn(instr)]...)
		// The blocks that reach b: walk the predecessors.
		seen := map[*ssa.BasicBlock]bool{}
		stack := append([]*ssa.BasicBlock(nil), b.Preds...)
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[x] {
				continue
			}
			seen[x] = true
			stack = append(stack, x.Preds...)
		}
		for _, x := range fn.Blocks {
			if x != b && seen[x] {
				region = append(region, x.Instrs...)
			}
		}
	}
	// Source order, so that the step shown is the first (and the same on
	// every run).
	sort.SliceStable(region, func(i, j int) bool { return region[i].Pos() < region[j].Pos() })
	out := g.wm.locksTaken(region, instr)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

// locksTaken returns the locks the instructions take (in their order, each
// class and mode once): Lock calls, and the acquisitions of the functions
// they call (their lock summaries; not locks taken only for some argument
// values). skip is left out, and go statements run elsewhere.
func (wm *Model) locksTaken(instrs []ssa.Instruction, skip ssa.Instruction) []LockStep {
	var out []LockStep
	seen := map[string]bool{}
	add := func(l LockStep) {
		k := l.Class + "|" + l.Mode.String()
		if l.Class == "" || seen[k] {
			return
		}
		seen[k] = true
		out = append(out, l)
	}
	for _, x := range instrs {
		call, ok := x.(ssa.CallInstruction)
		if !ok || x == skip {
			continue
		}
		if _, isGo := x.(*ssa.Go); isGo {
			continue // runs on another goroutine
		}
		if kind, recv := lockmodel.LockOpOf(call.Common()); kind == lockmodel.OpLock || kind == lockmodel.OpRLock {
			e := wm.res.ResolveLocker(recv)
			mode := lockmodel.Write
			if kind == lockmodel.OpRLock {
				mode = lockmodel.Read
			}
			add(LockStep{Class: e.Class(), Mode: mode, Pos: x.Pos(), What: "locks " + e.String()})
			continue
		}
		for _, cc := range wm.callees(call) {
			sum := wm.res.Summary(cc.fn)
			if sum == nil {
				continue
			}
			for _, a := range sum.Acquires {
				if len(a.Guards) > 0 {
					continue // taken only for some argument values
				}
				add(LockStep{Class: a.Class, Mode: a.Mode, Pos: x.Pos(), What: cc.what, Chain: a.Chain, Callee: lockmodel.FuncRefOf(cc.fn)})
			}
		}
	}
	return out
}
