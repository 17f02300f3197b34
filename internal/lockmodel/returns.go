package lockmodel

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// finish completes a function's summary from its returns: the locks held
// on every return, and locks leaked on some return paths.
func (fa *funcAnalysis) finish() {
	fa.reportLoopRelocks()
	fa.yields()
	if len(fa.returns) == 0 {
		return
	}
	fa.sum.FreshResults = fa.freshResults()
	fa.sum.ResultFields = fa.resultFields()
	// Held at return: held (must) at every return.
	first := fa.returns[0].st
	for _, h := range sortedHeld(first.must) {
		everywhere := true
		for _, r := range fa.returns[1:] {
			if _, ok := r.st.must[h.key]; !ok {
				everywhere = false
				break
			}
		}
		if everywhere && h.ref.Valid() && containsRef(fa.sum.Releases, h.ref) {
			// Released and taken again (testing.B.Run's shape, or
			// unlock-call-relock): the caller's lock is restored, no net
			// effect on its held set.
			fa.sum.Releases = removeRef(fa.sum.Releases, h.ref)
			continue
		}
		if everywhere && (h.class != "" || h.ref.Valid()) {
			fa.sum.HeldAtReturn = append(fa.sum.HeldAtReturn, Acquire{Class: h.class, Mode: h.mode, Ref: h.ref, Chain: h.chain})
		}
	}
	// May hold at return: held (must) at some return, not at all.
	seen := map[string]bool{}
	for _, r := range fa.returns {
		for _, h := range sortedHeld(r.st.must) {
			if seen[h.key] || containsClassRef(fa.sum.HeldAtReturn, h) {
				continue
			}
			seen[h.key] = true
			fa.sum.MayHoldAtReturn = append(fa.sum.MayHoldAtReturn, Acquire{Class: h.class, Mode: h.mode, Ref: h.ref, Chain: h.chain})
		}
	}
	fa.sum.HeldOnSuccess = fa.heldOnSuccess()
	fa.findLeaks()
	fa.findMayLeaks()
	fa.findDroppedLeaks()
}

func containsClassRef(as []Acquire, h *heldLock) bool {
	for _, a := range as {
		if a.Class == h.class && a.Ref == h.ref {
			return true
		}
	}
	return false
}

func removeRef(rs []Ref, r Ref) []Ref {
	var out []Ref
	for _, x := range rs {
		if x != r {
			out = append(out, x)
		}
	}
	return out
}

// findLeaks reports locks this function takes and releases on some return
// paths but still holds at others: the classic early-return hang.
func (fa *funcAnalysis) findLeaks() {
	if len(fa.returns) < 2 {
		return
	}
	seen := map[string]bool{}
	for _, r1 := range fa.returns {
		for _, h := range sortedHeld(r1.st.must) {
			if seen[h.key] || !fa.released[h.key] || h.pos == token.NoPos {
				continue
			}
			if fa.entryReleased[h.key] {
				// Held on entry: the function drops the caller's lock and
				// takes it back (n.Unlock(); sleep; n.Lock()); returns
				// that never touched it are not missing an unlock.
				continue
			}
			if len(h.chain) != 1 { // taken by a callee: the callee is a lock wrapper
				continue
			}
			var rel *returnInfo
			for i := range fa.returns {
				r2 := &fa.returns[i]
				if _, may := r2.st.may[h.key]; !may {
					rel = r2
					break
				}
			}
			if rel == nil {
				continue
			}
			l := Leak{
				Pos: h.pos, Func: fa.name, Class: h.class, Lock: lockText(h),
				Held: ReturnPos(fa.fn, r1.ret), Releasing: ReturnPos(fa.fn, rel.ret), Handed: fa.handed[h.key],
			}
			if fa.fn.Synthetic == "range-over-func yield" {
				src, ok := fa.bodyReturnLeak(r1.ret)
				if !ok {
					continue
				}
				l.Func, l.Body = funcName(src), true
			} else if conditionalAcquire(fa.fn, r1.ret, rel.ret) {
				continue
			}
			seen[h.key] = true
			fa.m.res.Leaks = append(fa.m.res.Leaks, l)
		}
	}
}

func lockText(h *heldLock) string {
	if len(h.chain) > 0 {
		w := h.chain[len(h.chain)-1].What
		for _, suf := range []string{".Lock()", ".RLock()", ".TryLock()"} {
			if len(w) > len(suf) && w[len(w)-len(suf):] == suf {
				return w[:len(w)-len(suf)]
			}
		}
		return w
	}
	return ShortClass(h.class)
}

func ReturnPos(fn *ssa.Function, r *ssa.Return) token.Pos {
	if r.Pos().IsValid() {
		return r.Pos()
	}
	if syn := fn.Syntax(); syn != nil {
		return syn.End() - 1 // the closing brace
	}
	return fn.Pos()
}

// conditionalAcquire recognizes functions that return holding a lock by
// design on success and tell the caller so in a result: a bool that differs
// (true held / false not), an error that is nil when held and non-nil when
// not, or a pointer that is nil when not held. Such functions are lock
// wrappers, not leaks. An error result that may be non-nil while the lock
// is held is the classic leak and stays reported.
func conditionalAcquire(fn *ssa.Function, held, notHeld *ssa.Return) bool {
	return conditionalResults(fn.Signature.Results(),
		func(i int) ssa.Value { return resultValue(held, i) },
		func(i int) ssa.Value { return resultValue(notHeld, i) })
}

// conditionalResults is conditionalAcquire on result values: heldValue(i)
// is result i where the lock is held, notHeldValue(i) where it is not.
func conditionalResults(res *types.Tuple, heldValue, notHeldValue func(int) ssa.Value) bool {
	for i := 0; i < res.Len(); i++ {
		t := res.At(i).Type()
		hv, nv := heldValue(i), notHeldValue(i)
		switch {
		case isErrorType(t):
			if isNilConst(hv) && !isNilConst(nv) {
				return true
			}
			return false
		}
	}
	for i := 0; i < res.Len(); i++ {
		t := res.At(i).Type()
		hv, nv := heldValue(i), notHeldValue(i)
		if b, ok := t.Underlying().(*types.Basic); ok && b.Kind() == types.Bool {
			hc, hok := hv.(*ssa.Const)
			nc, nok := nv.(*ssa.Const)
			if !nok {
				continue
			}
			if !hok || !constant.Compare(hc.Value, token.EQL, nc.Value) {
				return true
			}
		}
		switch t.Underlying().(type) {
		case *types.Pointer, *types.Interface, *types.Signature, *types.Map, *types.Chan:
			if isNilConst(nv) && !isNilConst(hv) {
				return true
			}
		}
	}
	return false
}

// resultValue is the value returned in result i. In functions with defers
// SSA stores results to cells and loads them back before returning; see
// through that to the stored value.
func resultValue(r *ssa.Return, i int) ssa.Value {
	v := r.Results[i]
	u, ok := v.(*ssa.UnOp)
	if !ok || u.Op != token.MUL {
		return v
	}
	cell, ok := u.X.(*ssa.Alloc)
	if !ok {
		return v
	}
	instrs := r.Block().Instrs
	for j := len(instrs) - 1; j >= 0; j-- {
		if st, ok := instrs[j].(*ssa.Store); ok && st.Addr == cell {
			return st.Val
		}
	}
	return v
}

func isErrorType(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

func isNilConst(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.IsNil()
}
