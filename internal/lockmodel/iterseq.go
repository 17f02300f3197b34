package lockmodel

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// returnedClosure sees through a func value returned by a call of this
// package's function that always returns one closure: for x := range
// s.All() calls the iterator All returns, and when that iterator yields
// under its lock, the loop body's locks are ordered after it (its yield
// parameter call is closed with the loop body). The closure's captured
// variables are mapped onto the call's arguments where they are the
// function's parameters; others are left unknown (their locks keep only
// their class).
func returnedClosure(v ssa.Value) (*ssa.Function, []ssa.Value) {
	call, ok := v.(*ssa.Call)
	if !ok {
		return nil, nil
	}
	g := call.Call.StaticCallee()
	if g == nil || g.Pkg != call.Parent().Pkg {
		return nil, nil
	}
	mc := returnedMakeClosure(g)
	if mc == nil {
		return nil, nil
	}
	bindings := make([]ssa.Value, len(mc.Bindings))
	for i, b := range mc.Bindings {
		if alloc, ok := b.(*ssa.Alloc); ok {
			if p := storedParam(alloc); p != nil {
				b = p
			}
		}
		if p, ok := b.(*ssa.Parameter); ok {
			for j, q := range g.Params {
				if q == p && j < len(call.Call.Args) {
					bindings[i] = call.Call.Args[j]
				}
			}
		}
	}
	return mc.Fn.(*ssa.Function), bindings
}

// returnedMakeClosure is the one func literal g returns at every return,
// if it returns one (an iterator factory: func (s *set) All() iter.Seq[int]).
func returnedMakeClosure(g *ssa.Function) *ssa.MakeClosure {
	var mc *ssa.MakeClosure
	for _, b := range g.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		if len(ret.Results) != 1 {
			return nil
		}
		r := ret.Results[0]
		if ct, ok := r.(*ssa.ChangeType); ok {
			r = ct.X // iter.Seq[int](func...)
		}
		m, ok := r.(*ssa.MakeClosure)
		if !ok || mc != nil && m.Fn != mc.Fn {
			return nil
		}
		mc = m
	}
	return mc
}

// yields records, for a function that returns an iterator, the locks the
// iterator holds when it calls its yield function (its first parameter),
// by class: a loop over it in another package orders its body's locks
// after them (the iterator's own summary is a closure's, never a fact).
func (fa *funcAnalysis) yields() {
	if fa.fn.Parent() != nil || fa.fn.Object() == nil {
		return
	}
	mc := returnedMakeClosure(fa.fn)
	if mc == nil {
		return
	}
	cs := fa.m.summary(mc.Fn.(*ssa.Function))
	if cs == nil {
		return
	}
	for _, oc := range cs.OpenCalls {
		if oc.Key != "param:0" {
			continue
		}
		y := OpenCall{Key: oc.Key, Chain: oc.Chain}
		for _, h := range oc.Held {
			if h.Class != "" {
				y.Held = append(y.Held, Acquire{Class: h.Class, Mode: h.Mode, Ref: noRef(), Chain: h.Chain})
			}
		}
		if len(y.Held) > 0 {
			fa.sum.Yields = append(fa.sum.Yields, y)
		}
	}
}

// importedIterator handles a range-over-func loop over an iterator that a
// function of another package returned (for x := range lib.S.All()): the
// locks its fact says the iterator holds while it yields are ordered
// before the loop body's (args[0]) locks.
func (fa *funcAnalysis) importedIterator(st *state, c *ssa.CallCommon, pos token.Pos) {
	call, ok := c.Value.(*ssa.Call)
	if !ok || len(c.Args) == 0 {
		return
	}
	g := call.Call.StaticCallee()
	if g == nil || len(g.Blocks) > 0 {
		return
	}
	if sum := fa.m.summary(g); sum != nil && len(sum.Yields) > 0 {
		fa.closeParamCalls(st, &FuncSummary{OpenCalls: sum.Yields}, funcName(g)+"'s iterator", c.Args, pos)
	}
}

// bodyReturnLeak: ret, in a range-over-func loop body, is a return
// statement of the enclosing function (not a break, continue or goto out
// of the loop, after which the function may still unlock), and the body
// defers nothing to the function (a defer in the body runs when the
// function returns, and the model does not follow those). A lock the body
// took and still holds there is held when the function returns. The
// body's bool result is the loop going on, not a lock being held. The
// function returned is the one the return statement returns from.
func (fa *funcAnalysis) bodyReturnLeak(ret *ssa.Return) (*ssa.Function, bool) {
	for _, b := range fa.fn.Blocks {
		for _, instr := range b.Instrs {
			if d, ok := instr.(*ssa.Defer); ok && d.DeferStack != nil {
				return nil, false
			}
		}
	}
	src := fa.fn
	for src.Parent() != nil && src.Synthetic == "range-over-func yield" {
		src = src.Parent()
	}
	syn := src.Syntax()
	if syn == nil || !ret.Pos().IsValid() {
		return nil, false
	}
	found := false
	ast.Inspect(syn, func(n ast.Node) bool {
		if found || n == nil || n.Pos() > ret.Pos() || n.End() <= ret.Pos() {
			return false
		}
		if r, ok := n.(*ast.ReturnStmt); ok && r.Pos() == ret.Pos() {
			found = true
		}
		return true
	})
	return src, found
}
