package lockmodel

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// recursiveCall handles a function calling itself while holding locks it
// takes on every call (mu.Lock(); defer mu.Unlock(); ...; walk(d-1)): when
// the call passes the same instance, the new activation locks it again, a
// certain self-deadlock. Its summary is not known yet (it is being
// computed), so only the held set speaks: a lock held here (on every path)
// that every complete run of the function takes, mapped through the call's
// arguments, is taken again. A lock taken only on some runs (if depth == 0
// { mu.Lock() }) or only under a flag the call changes proves nothing.
func (fa *funcAnalysis) recursiveCall(st *state, callee *ssa.Function, args []ssa.Value, pos token.Pos) {
	site := fa.site(pos, "calls "+funcName(callee))
	for _, h := range sortedHeld(st.must) {
		if !h.alias || !h.ref.Valid() || len(h.chain) != 1 || !fa.takenOnEveryRun(h.pos) {
			continue
		}
		e, ok := fa.mapRef(h.ref, h.class, args, nil)
		if !ok || e.Key() != h.key || !e.alias {
			continue // another instance: a child node, hand over hand
		}
		fa.acquire(st, e, h.mode, prepend(site, h.chain), nil, nil, pos, false, false)
	}
}

// takenOnEveryRun: the lock call at pos is in a block that dominates every
// return of the function, so each call of the function that returns takes
// it, whatever its arguments.
func (fa *funcAnalysis) takenOnEveryRun(pos token.Pos) bool {
	var lockBlock *ssa.BasicBlock
	for _, b := range fa.fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(*ssa.Call); ok && c.Pos() == pos {
				lockBlock = b
			}
		}
	}
	if lockBlock == nil {
		return false
	}
	for _, b := range fa.fn.Blocks {
		if len(b.Instrs) == 0 || b == fa.fn.Recover {
			continue // the recover block runs only after a panic
		}
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && !lockBlock.Dominates(b) {
			return false
		}
	}
	return true
}

// origin is the generic function fn instantiates, or fn itself (Origin
// is nil for a function that is not an instance).
func origin(fn *ssa.Function) *ssa.Function {
	if o := fn.Origin(); o != nil {
		return o
	}
	return fn
}
