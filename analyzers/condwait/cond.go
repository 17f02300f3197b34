package condwait

import (
	"go/token"
	"maps"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// condChecker asks the wait model about one package's Cond waits.
type condChecker struct {
	*waitmodel.Model
	graph *waitmodel.Graph
	pass  *analysis.Pass
}

// CondWait is one sync.Cond.Wait call and what the model finds wrong with
// it. At most one of the findings is set.
type CondWait struct {
	Pos   token.Pos
	Func  report.FuncRef
	Cond  string // the Cond as written, e.g. "q.c"
	Lock  string // its lock (c.L) as written, "" when unknown
	Class string // the Cond's class, e.g. "(pkg.queue).c"

	// Unlocked: c.L is held on no path to the Wait, and the function
	// cannot be relying on its caller to hold it (UnlockedWhy says why).
	Unlocked    bool
	UnlockedWhy string
	UnlockedAt  token.Pos // an Unlock or Lock of c.L in the function, if any

	// NoLoop: the Wait is on one branch of a condition and not in a loop:
	// after it returns the condition is not checked again.
	NoLoop bool
	Guard  token.Pos // the condition

	// Shutdown: the Wait's loop re-checks state that a close or cancel path
	// never writes, though that path broadcasts the Cond.
	Shutdown *ShutdownMiss

	// Closed: a close path sets state that every wake-up of the Cond
	// checks first and skips, and wakes no waiter itself (closedwake.go).
	Closed *ClosedNoWake
}

// ShutdownMiss describes a close or cancel path that broadcasts a Cond
// without changing anything the waiting loop checks.
type ShutdownMiss struct {
	Loop      token.Pos      // the loop's condition
	Reads     []string       // what the loop checks, as written
	Path      report.FuncRef // the close/cancel path's function
	Broadcast token.Pos      // its Broadcast (or Signal)
	Writes    []string       // what it changes before the Broadcast, as written
	WritePos  token.Pos      // the first such write
}

// condWaits returns the package's Cond.Wait calls that have a finding,
// in source order.
func condWaits(pass *analysis.Pass, m *waitmodel.Model, g *waitmodel.Graph) []CondWait {
	wm := &condChecker{Model: m, graph: g, pass: pass}
	var waits []*ssa.Call
	var wakes []*ssa.Call              // the Signal and Broadcast calls
	var anyWakes []ssa.CallInstruction // and the deferred and started ones
	for _, fn := range wm.Funcs() {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				ci, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				call, plain := ci.(*ssa.Call)
				switch waitmodel.CondMethod(ci.Common()) {
				case "Wait":
					if plain {
						waits = append(waits, call)
					}
				case "Broadcast", "Signal":
					anyWakes = append(anyWakes, ci)
					if plain {
						wakes = append(wakes, call)
					}
				}
			}
		}
	}
	var out []CondWait
	for _, w := range waits {
		cw := wm.condWait(w, wakes, anyWakes)
		if cw.Unlocked || cw.NoLoop || cw.Shutdown != nil || cw.Closed != nil {
			out = append(out, cw)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

func (wm *condChecker) condWait(w *ssa.Call, wakes []*ssa.Call, anyWakes []ssa.CallInstruction) CondWait {
	fn := w.Parent()
	recv := w.Call.Args[0]
	ce := lockmodel.Resolve(recv)
	cw := CondWait{Pos: w.Pos(), Func: lockmodel.FuncRefOf(fn), Cond: ce.String(), Class: ce.Class()}
	if lock, ok := wm.CondLockOf(recv); ok {
		cw.Lock = lock.String()
		if strings.HasPrefix(lock.Global(), "class:") {
			cw.Lock = cw.Cond + ".L"
		}
		wm.checkUnlocked(&cw, w, lock)
		if cw.Unlocked {
			return cw
		}
	}
	loop := callindex.LoopOf(w.Block())
	if loop == nil {
		cw.NoLoop, cw.Guard = skippable(w.Block())
		return cw
	}
	cw.Shutdown = wm.shutdownMiss(w, ce, loop, wakes)
	if cw.Shutdown == nil {
		cw.Closed = wm.closedNoWake(ce, anyWakes)
	}
	return cw
}

// checkUnlocked sets cw.Unlocked when c.L is not held on any path to the
// Wait and the function cannot expect its caller to hold it: it is a
// goroutine (it starts with nothing held), or it locks or releases c.L
// itself.
func (wm *condChecker) checkUnlocked(cw *CondWait, w *ssa.Call, lock lockmodel.Expr) {
	st := wm.Before(w)
	if st == nil {
		return
	}
	byClass := strings.HasPrefix(lock.Global(), "class:") || !lock.Alias()
	same := func(key, class string) bool {
		if byClass {
			return class != "" && class == lock.Class()
		}
		return key == lock.Key()
	}
	for _, h := range st.May {
		if same(h.Key, h.Class) {
			return
		}
	}
	fn := w.Parent()
	if wm.OnlyStarted(fn) {
		if wm.StartsHolding(fn, lock.Class()) {
			return
		}
		cw.Unlocked, cw.UnlockedWhy = true, "goroutine"
	}
	for _, r := range st.Released {
		if same(r.Key, "") {
			cw.Unlocked, cw.UnlockedWhy = true, "released"
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			kind, r := lockmodel.LockOpOf(call.Common())
			if kind != lockmodel.OpLock && kind != lockmodel.OpUnlock {
				continue
			}
			e := wm.Locks().ResolveLocker(r)
			if same(e.Key(), e.Class()) {
				if kind == lockmodel.OpUnlock && !cw.Unlocked && wm.releasesCallers(call, same) {
					// It unlocks c.L without having locked it: the caller
					// holds it on entry (pebble's grantLockedAndUnlock),
					// so the Wait before that is under the lock.
					return
				}
				if !cw.Unlocked {
					cw.Unlocked, cw.UnlockedWhy = true, "locks"
				}
				if cw.UnlockedAt == token.NoPos || kind == lockmodel.OpUnlock && call.Pos() < w.Pos() {
					cw.UnlockedAt = call.Pos()
				}
			}
		}
	}
}

// releasesCallers: the unlock at call releases a lock not held (on any
// path) in its function: one the caller holds.
func (wm *condChecker) releasesCallers(call *ssa.Call, same func(key, class string) bool) bool {
	st := wm.Before(call)
	if st == nil {
		return false
	}
	for _, h := range st.May {
		if same(h.Key, h.Class) {
			return false
		}
	}
	return true
}

// skippable recognizes `if cond { c.Wait() }`: a condition dominating the
// Wait whose other branch skips the Wait and joins the code after it.
func skippable(wb *ssa.BasicBlock) (bool, token.Pos) {
	after := callindex.Reachable(wb.Succs, nil)
	for d := wb.Idom(); d != nil; d = d.Idom() {
		ifi, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		for _, s := range d.Succs {
			if callindex.Reachable([]*ssa.BasicBlock{s}, nil)[wb] {
				continue
			}
			for x := range callindex.Reachable([]*ssa.BasicBlock{s}, wb) {
				if after[x] {
					return true, condPos(ifi)
				}
			}
		}
		return false, token.NoPos // only the nearest condition counts
	}
	return false, token.NoPos
}

func condPos(ifi *ssa.If) token.Pos {
	if p := ifi.Cond.Pos(); p.IsValid() {
		return p
	}
	return ifi.Pos()
}

// shutdownMiss looks for a close or cancel path that broadcasts the Wait's
// Cond but writes nothing the loop's exit conditions read.
func (wm *condChecker) shutdownMiss(w *ssa.Call, ce lockmodel.Expr, loop map[*ssa.BasicBlock]bool, wakes []*ssa.Call) *ShutdownMiss {
	if ce.Class() == "" || !strings.HasPrefix(ce.Class(), "(") {
		return nil // a local Cond: no type-level close path
	}
	reads := newStateSet()
	var loopPos token.Pos
	// The condition blocks: those that branch out of the loop, and those
	// that branch into one of them (a || b, a && b: one block per operand).
	cond := map[*ssa.BasicBlock]bool{}
	for b := range loop {
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
			for _, s := range b.Succs {
				if !loop[s] {
					cond[b] = true
				}
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for b := range loop {
			if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); !ok || cond[b] {
				continue
			}
			for _, s := range b.Succs {
				if cond[s] {
					cond[b], changed = true, true
					break
				}
			}
		}
	}
	for b := range loop {
		ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok || !cond[b] {
			continue
		}
		if loopPos == token.NoPos || condPos(ifi) < loopPos {
			loopPos = condPos(ifi)
		}
		wm.readsOf(ifi.Cond, reads, 0, map[ssa.Value]bool{})
	}
	if reads.opaque || len(reads.names) == 0 {
		return nil
	}
	for _, wk := range wakes {
		if lockmodel.Resolve(wk.Call.Args[0]).Class() != ce.Class() {
			continue
		}
		path := wm.closePath(wk, w.Parent())
		if path == nil {
			continue
		}
		writes := newStateSet()
		wm.writesBefore(wk, path, writes)
		if writes.opaque || len(writes.names) == 0 {
			continue
		}
		if reads.meets(writes) {
			continue
		}
		return &ShutdownMiss{
			Loop: loopPos, Reads: reads.sortedText(), Path: lockmodel.FuncRefOf(path),
			Broadcast: wk.Pos(), Writes: writes.sortedText(), WritePos: writes.first,
		}
	}
	return nil
}

// closePath returns the function that makes wake a close or cancel path
// for a waiter in fn: a function named like close or stop (or a closure
// inside one), or a cancel branch (a select case on ctx.Done()) of a
// function that also contains the waiter.
func (wm *condChecker) closePath(wake *ssa.Call, waiter *ssa.Function) *ssa.Function {
	for f := wake.Parent(); f != nil; f = f.Parent() {
		if f.Parent() == nil && waitmodel.IsCloseName(f.Name()) {
			return f
		}
	}
	outer := wake.Parent()
	for outer.Parent() != nil {
		outer = outer.Parent()
	}
	if !waitmodel.NestedIn(waiter, outer) {
		return nil
	}
	// A cancel branch: the wake, or the call of the closure holding it, is
	// dominated by the ctx.Done() case of a select in the outer function.
	at := []ssa.Instruction{wake}
	if wake.Parent() != outer {
		at = wm.callsOf(wake.Parent())
	}
	for _, instr := range at {
		if inDoneCase(instr.Block()) {
			return outer
		}
	}
	return nil
}

// callsOf returns the calls of closure fn (where it is made, or through
// the variable it is kept in).
func (wm *condChecker) callsOf(fn *ssa.Function) []ssa.Instruction {
	calls, _ := wm.Index().Callers(fn)
	var out []ssa.Instruction
	for _, c := range calls {
		out = append(out, c.Instr)
	}
	return out
}

// inDoneCase reports whether b is dominated by the body of a select case
// receiving from ctx.Done().
func inDoneCase(b *ssa.BasicBlock) bool {
	for d := b; d != nil; d = d.Idom() {
		for _, p := range d.Preds {
			for j, s := range p.Succs {
				if s != d {
					continue
				}
				if sel, k := waitmodel.SelectCase(p, j); sel != nil && k >= 0 && k < len(sel.States) {
					if _, ok := waitmodel.DoneOf(sel.States[k].Chan); ok {
						return true
					}
				}
			}
		}
	}
	return false
}

// stateSet is a set of program state: struct fields by class
// ("(pkg.T).closed"), local variables by their allocation, package
// variables. opaque: the set is not fully known (a call the model cannot
// see into).
type stateSet struct {
	names  map[string]string // key -> as written
	opaque bool
	first  token.Pos
}

func newStateSet() *stateSet { return &stateSet{names: map[string]string{}} }

func (s *stateSet) add(key, text string, pos token.Pos) {
	if _, ok := s.names[key]; !ok {
		s.names[key] = text
		if s.first == token.NoPos || pos.IsValid() && pos < s.first {
			s.first = pos
		}
	}
}

func (s *stateSet) meets(t *stateSet) bool {
	for k := range s.names {
		if _, ok := t.names[k]; ok {
			return true
		}
	}
	return false
}

func (s *stateSet) sortedText() []string {
	var out []string
	seen := map[string]bool{}
	for _, k := range slices.Sorted(maps.Keys(s.names)) {
		if t := s.names[k]; !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// stateOf names the state an address denotes: a field (by class), a
// local variable (by its allocation, through closures), a package variable.
func (wm *condChecker) stateOf(addr ssa.Value) (key, text string, ok bool) {
	switch a := addr.(type) {
	case *ssa.FieldAddr, *ssa.Field:
		e := lockmodel.Resolve(a)
		if strings.HasPrefix(e.Class(), "(") {
			return e.Class(), e.String(), true
		}
	case *ssa.Global:
		return "global:" + lockmodel.GlobalName(a), a.Name(), true
	case *ssa.Alloc:
		return "var:" + wm.pass.Fset.Position(a.Pos()).String() + a.Comment, a.Comment, true
	case *ssa.FreeVar:
		if b := wm.Binding(a); b != nil {
			return wm.stateOf(b)
		}
	}
	return "", "", false
}

const maxStateDepth = 3

// readsOf collects the state v depends on: loads of fields and variables,
// and what called functions of this package read. Calls it cannot see into
// make the set opaque (sync/atomic loads count as reads of their field).
func (wm *condChecker) readsOf(v ssa.Value, s *stateSet, depth int, seen map[ssa.Value]bool) {
	if v == nil || seen[v] || s.opaque {
		return
	}
	seen[v] = true
	switch x := v.(type) {
	case *ssa.Const, *ssa.Parameter, *ssa.Function, *ssa.Builtin:
		return
	case *ssa.UnOp:
		if x.Op == token.MUL {
			if k, t, ok := wm.stateOf(x.X); ok {
				s.add(k, t, x.Pos())
				return
			}
		}
	case *ssa.FieldAddr, *ssa.Field, *ssa.Global:
		if k, t, ok := wm.stateOf(x); ok {
			s.add(k, t, x.Pos())
			return
		}
	case *ssa.Call:
		wm.callReads(x.Common(), s, depth, seen)
		return
	}
	instr, ok := v.(ssa.Instruction)
	if !ok {
		return
	}
	for _, op := range instr.Operands(nil) {
		if *op != nil {
			wm.readsOf(*op, s, depth, seen)
		}
	}
}

func (wm *condChecker) callReads(c *ssa.CallCommon, s *stateSet, depth int, seen map[ssa.Value]bool) {
	if _, ok := c.Value.(*ssa.Builtin); ok {
		for _, a := range c.Args {
			wm.readsOf(a, s, depth, seen)
		}
		return
	}
	callee := c.StaticCallee()
	if callee != nil && callee.Pkg != nil && callee.Pkg.Pkg.Path() == "sync/atomic" {
		for _, a := range c.Args {
			wm.readsOf(a, s, depth, seen)
		}
		return
	}
	if callee == nil || len(callee.Blocks) == 0 || callee.Pkg != wm.Pkg() || depth >= maxStateDepth {
		s.opaque = true
		return
	}
	for _, a := range c.Args {
		wm.readsOf(a, s, depth, seen)
	}
	// Everything the callee reads, on any path.
	for _, b := range callee.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.UnOp, *ssa.Call:
				wm.readsOf(x.(ssa.Value), s, depth+1, seen)
			case *ssa.Field:
				wm.readsOf(x, s, depth+1, seen)
			}
		}
	}
}

// writesBefore collects the state written before wake in its function: on
// blocks from which the wake is reachable (and earlier in its block),
// stores and sync/atomic stores, and what called functions of this package
// write. Dynamic calls are ignored.
func (wm *condChecker) writesBefore(wake *ssa.Call, path *ssa.Function, s *stateSet) {
	fn := wake.Parent()
	// In a cancel branch of path, only the branch's own code counts: the
	// function's set-up before the select is not the cancellation.
	branch := fn == path && !waitmodel.IsCloseName(path.Name())
	for _, b := range fn.Blocks {
		if b != wake.Block() && !callindex.Reachable(b.Succs, nil)[wake.Block()] {
			continue
		}
		if branch && !inDoneCase(b) {
			continue
		}
		for _, instr := range b.Instrs {
			if instr == wake {
				break
			}
			wm.writesOf(instr, s, 0)
		}
	}
}

func (wm *condChecker) writesOf(instr ssa.Instruction, s *stateSet, depth int) {
	switch x := instr.(type) {
	case *ssa.Store:
		if k, t, ok := wm.stateOf(x.Addr); ok {
			s.add(k, t, x.Pos())
		}
	case *ssa.Call:
		c := x.Common()
		callee := c.StaticCallee()
		if callee == nil {
			return
		}
		if callee.Pkg != nil && callee.Pkg.Pkg.Path() == "sync/atomic" && !strings.HasPrefix(callee.Name(), "Load") {
			if len(c.Args) > 0 {
				if k, t, ok := wm.stateOf(c.Args[0]); ok {
					s.add(k, t, x.Pos())
				}
			}
			return
		}
		if len(callee.Blocks) == 0 || callee.Pkg != wm.Pkg() || depth >= maxStateDepth {
			return
		}
		for _, b := range callee.Blocks {
			for _, in := range b.Instrs {
				wm.writesOf(in, s, depth+1)
			}
		}
	}
}
