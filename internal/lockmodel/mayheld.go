package lockmodel

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// May-held locks at merge points. A lock held on some paths only is found
// where those paths meet the others: a loop iteration that continues
// holding its lock meets the iterations that released it at the loop
// header, and the next iteration locks it again; a break holding the lock
// meets the normal exit before the one return, which then leaks it. Both
// are reported only when the held path is real as far as the model sees:
// it starts at this function's own Lock call (not a callee's, not a
// TryLock), it leaves a block where the lock is held on every path (the
// continue or break itself), and no release of the lock is taken on some
// paths only on the way (if locked { mu.Unlock() }: a flag the model does
// not follow).

// loopRelock is a Lock call that may find its own earlier acquisition
// still held: a candidate for a double lock by the next iteration.
type loopRelock struct {
	h     *heldLock // the earlier acquisition (same Lock call)
	e     Expr
	mode  Mode
	chain []Site
	pos   token.Pos
}

// noteLoopRelock records an acquisition of e at pos while the same Lock
// call's earlier acquisition is held on some paths to it (not all: that
// is the must-held double lock).
func (fa *funcAnalysis) noteLoopRelock(st *state, e Expr, mode Mode, chain []Site, pos token.Pos, rewait bool) {
	key := e.Key()
	h, may := st.may[key]
	if _, must := st.must[key]; !may || must || rewait || h.pos != pos || !fa.ownLock(h) || !e.alias || st.condRel[key] {
		return
	}
	fa.loopRelocks = append(fa.loopRelocks, loopRelock{h: h, e: e, mode: mode, chain: chain, pos: pos})
}

// ownLock: h was taken by a Lock or RLock call of this function, on one
// instance.
func (fa *funcAnalysis) ownLock(h *heldLock) bool {
	return h.alias && h.pos.IsValid() && len(h.chain) == 1 && !strings.HasSuffix(h.chain[0].What, ".TryLock()")
}

// reportLoopRelocks reports the loop relocks whose held path is a block
// inside the loop that ends holding the lock and goes back to the header.
func (fa *funcAnalysis) reportLoopRelocks() {
	for _, lr := range fa.loopRelocks {
		lockBlock := fa.blockOf(lr.pos)
		if lockBlock == nil {
			continue
		}
		held, join := fa.heldPathJoin(lr.h.key, lockBlock)
		if held == nil || !join.Dominates(lockBlock) || fa.handsAwayRelease(lr.h.key) {
			continue // not the header of a loop around the Lock, or released elsewhere
		}
		before := len(fa.m.res.SelfDeadlocks)
		fa.m.addSelfDeadlock(fa.fn, lr.h, lr.e, lr.mode, lr.chain, lr.pos)
		if len(fa.m.res.SelfDeadlocks) > before {
			fa.m.res.SelfDeadlocks[before].Loop = blockPos(held, lr.pos)
		}
	}
}

// findMayLeaks reports a lock this function takes and releases, that is
// held at a return on some paths only: a break or early exit that joins
// the paths that released it before the return.
func (fa *funcAnalysis) findMayLeaks() {
	seen := map[string]bool{}
	for _, l := range fa.m.res.Leaks {
		if l.Func == fa.name {
			seen[l.Lock] = true
		}
	}
	relocked := map[token.Pos]bool{} // reported as locked again by the next iteration
	for _, sd := range fa.m.res.SelfDeadlocks {
		if sd.Fn == fa.fn && sd.Loop.IsValid() {
			relocked[sd.Pos] = true
		}
	}
	for _, r := range fa.returns {
		for _, h := range sortedHeld(r.st.may) {
			if _, must := r.st.must[h.key]; must || !fa.ownLock(h) || !fa.released[h.key] || fa.entryReleased[h.key] || r.st.condRel[h.key] || seen[lockText(h)] || relocked[h.pos] {
				continue
			}
			lockBlock := fa.blockOf(h.pos)
			if lockBlock == nil {
				continue
			}
			held, join := fa.heldPathJoin(h.key, lockBlock)
			if held == nil || fa.signalsHeld(r.ret, join, held, h.key) || fa.handsAwayRelease(h.key) {
				continue
			}
			seen[lockText(h)] = true
			fa.m.res.Leaks = append(fa.m.res.Leaks, Leak{
				Pos: h.pos, Func: fa.name, Class: h.class, Lock: lockText(h),
				Held: ReturnPos(fa.fn, r.ret), Path: blockPos(held, h.pos),
			})
		}
	}
}

// heldPathJoin finds where a path holding lock key meets paths that do not
// hold it: a block (held) after the acquisition in lockBlock that ends
// with the lock held on every path, and its successor (join) that another
// predecessor enters without it.
func (fa *funcAnalysis) heldPathJoin(key string, lockBlock *ssa.BasicBlock) (held, join *ssa.BasicBlock) {
	for _, b := range fa.fn.Blocks {
		out := fa.blockOut[b.Index]
		if out == nil || !lockBlock.Dominates(b) {
			continue
		}
		if _, ok := out.must[key]; !ok {
			continue
		}
		for _, s := range b.Succs {
			for _, p := range s.Preds {
				if po := fa.blockOut[p.Index]; p != b && po != nil {
					if _, may := po.may[key]; !may {
						return b, s
					}
				}
			}
		}
	}
	return nil, nil
}

// signalsHeld: the function may be telling its caller in a result that it
// returns holding the lock (acquire on success: break out holding it with
// ok = true, or with the lock's address). Known not to only when the
// return is at the join and each result of a type that can tell (bool,
// error, pointer...) is a phi there whose value on the held path tells
// nothing: a bool or pointer that is the same constant as on the released
// paths, an error that is not nil where the released paths' is not.
func (fa *funcAnalysis) signalsHeld(ret *ssa.Return, join, held *ssa.BasicBlock, key string) bool {
	res := fa.fn.Signature.Results()
	var phis []*ssa.Phi // per result: its phi at the join, for types that can tell
	for i := 0; i < res.Len(); i++ {
		if !isSignalType(res.At(i).Type()) {
			phis = append(phis, nil)
			continue
		}
		phi, ok := resultValue(ret, i).(*ssa.Phi)
		if !ok || ret.Block() != join || phi.Block() != join {
			return true // decided elsewhere: assume it tells
		}
		phis = append(phis, phi)
	}
	heldIdx := slices.Index(join.Preds, held)
	for pi, p := range join.Preds {
		po := fa.blockOut[p.Index]
		if po == nil || p == held {
			continue
		}
		if _, may := po.may[key]; may {
			continue
		}
		for i, phi := range phis {
			if phi == nil {
				continue
			}
			hv, nv := constOf(phi.Edges[heldIdx]), constOf(phi.Edges[pi])
			if isErrorType(res.At(i).Type()) {
				if isNilConst(hv) && !isNilConst(nv) {
					return true
				}
			} else if !sameConst(hv, nv) {
				return true
			}
		}
	}
	return false
}

// sameConst: a and b are the same constant (nil included).
func sameConst(a, b ssa.Value) bool {
	ac, aok := a.(*ssa.Const)
	bc, bok := b.(*ssa.Const)
	switch {
	case !aok || !bok:
		return false
	case ac.IsNil() || bc.IsNil():
		return ac.IsNil() && bc.IsNil()
	case ac.Value == nil || bc.Value == nil:
		return false
	}
	return constant.Compare(ac.Value, token.EQL, bc.Value)
}

// handsAwayRelease: the function makes a closure (or method value) that
// releases lock key and hands it on (g.commit(ctx, offs, func() {
// mu.RUnlock() })): the lock may be released by whoever calls it, on
// the path that looks held.
func (fa *funcAnalysis) handsAwayRelease(key string) bool {
	for _, b := range fa.fn.Blocks {
		for _, instr := range b.Instrs {
			mc, ok := instr.(*ssa.MakeClosure)
			if !ok {
				continue
			}
			sum := fa.m.summary(mc.Fn.(*ssa.Function))
			if sum == nil {
				continue
			}
			for _, r := range sum.Releases {
				if e, ok := fa.mapRef(r, "", nil, mc.Bindings); (ok || e.root != nil || e.global != "") && e.Key() == key {
					return true
				}
			}
		}
	}
	return false
}

// constOf sees through phis whose every incoming value is one constant (a
// flag set before a loop and kept by its back edge).
func constOf(v ssa.Value) ssa.Value {
	var c *ssa.Const
	seen := map[*ssa.Phi]bool{}
	var walk func(v ssa.Value) bool
	walk = func(v ssa.Value) bool {
		switch v := v.(type) {
		case *ssa.Const:
			if c == nil {
				c = v
				return true
			}
			return c.Value != nil && v.Value != nil && c.Value.ExactString() == v.Value.ExactString() || c.IsNil() && v.IsNil()
		case *ssa.Phi:
			if seen[v] {
				return true
			}
			seen[v] = true
			for _, e := range v.Edges {
				if !walk(e) {
					return false
				}
			}
			return true
		}
		return false
	}
	if walk(v) && c != nil {
		return c
	}
	return v
}

func isSignalType(t types.Type) bool {
	if isErrorType(t) {
		return true
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Kind() == types.Bool
	case *types.Pointer, *types.Interface, *types.Signature, *types.Map, *types.Chan:
		return true
	}
	return false
}

// blockOf is the block of the call at pos.
func (fa *funcAnalysis) blockOf(pos token.Pos) *ssa.BasicBlock {
	for _, b := range fa.fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(*ssa.Call); ok && c.Pos() == pos {
				return b
			}
		}
	}
	return nil
}

// blockPos is the last position in b (its continue or break), or def.
func blockPos(b *ssa.BasicBlock, def token.Pos) token.Pos {
	for i := len(b.Instrs) - 1; i >= 0; i-- {
		if p := b.Instrs[i].Pos(); p.IsValid() {
			return p
		}
	}
	return def
}
