package lockmodel

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
)

// fresh reports whether v is an object this function allocated and has
// not published before the current instruction: no other goroutine can
// hold its locks yet, so locking it orders nothing (vault's NewClient
// configures a client it just made under the config lock; nats-server's
// createGateway locks a connection it has not registered yet).
//
// Published means a use that may run before the current instruction and
// lets the pointer out: stored anywhere, sent, returned, captured by a
// closure, passed to a function or a go statement other than as the
// receiver of one of its own methods, or converted to another value. The
// current instruction itself does not count (a method called on the new
// object runs with it still private to its caller).
func (fa *funcAnalysis) fresh(v ssa.Value) bool {
	if fa.cur == nil || v == nil || v.Parent() != fa.fn {
		return false
	}
	return freshAt(v, fa.cur, fa.m.newObject)
}

// freshAt: v is a new object (by newObject) none of whose escapes may run
// before at (at itself excepted).
func freshAt(v ssa.Value, at ssa.Instruction, newObject func(ssa.Value) bool) bool {
	if !newObject(v) {
		return false
	}
	def, _ := v.(ssa.Instruction)
	for _, use := range escapes(v) {
		if use != at && reachesSameObject(use, at, def) {
			return false
		}
	}
	return true
}

// reachesSameObject: control flows from use to at without running def
// again. An allocation in a loop makes a new object each iteration: the
// previous iteration's store published that one, not this one (go-cache's
// sharded cache stores each new shard, made in a loop, after filling it).
// With def nil: control flows from use to at at all.
func reachesSameObject(use, at, def ssa.Instruction) bool {
	ba, bb := use.Block(), at.Block()
	var bd *ssa.BasicBlock
	if def != nil {
		bd = def.Block()
	}
	if ba == bb {
		for _, instr := range ba.Instrs {
			if instr == use {
				return true // use comes first (at after it in the block)
			}
			if instr == at {
				break // at comes first: only through a loop back to at
			}
		}
	}
	seen := make([]bool, len(ba.Parent().Blocks)) // by block index: a map here was 4% of all allocation on sarama
	work := append([]*ssa.BasicBlock(nil), ba.Succs...)
	for len(work) > 0 {
		blk := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[blk.Index] {
			continue
		}
		seen[blk.Index] = true
		if bd != nil && blk == bd {
			// Entering def's block: at is reached before def runs again
			// only when it comes first in that block.
			if blk == bb && callindex.IndexIn(at) < callindex.IndexIn(def) {
				return true
			}
			continue
		}
		if blk == bb {
			return true
		}
		work = append(work, blk.Succs...)
	}
	return false
}

// newObject: v is a heap allocation of this function, or the result of a
// call to a constructor whose summary says it returns a new object
// (client, err := NewClient(cfg)).
func (m *model) newObject(v ssa.Value) bool {
	return newObjectWith(v, m.summary)
}

// newObjectWith is newObject with summaries from summary.
func newObjectWith(v ssa.Value, summary func(*ssa.Function) *FuncSummary) bool {
	switch v := v.(type) {
	case *ssa.Alloc:
		return v.Heap
	case *ssa.Call:
		return returnsFresh(v, 0, summary)
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok {
			return returnsFresh(call, v.Index, summary)
		}
	}
	return false
}

func returnsFresh(call *ssa.Call, i int, summary func(*ssa.Function) *FuncSummary) bool {
	callee := call.Call.StaticCallee()
	if callee == nil {
		return false
	}
	sum := summary(callee)
	if sum == nil {
		return false
	}
	for _, r := range sum.FreshResults {
		if r == i {
			return true
		}
	}
	return false
}

// freshResults lists the results that every return of fn gives a new
// object that did not escape otherwise (a constructor), or nil.
func (fa *funcAnalysis) freshResults() []int {
	n := fa.fn.Signature.Results().Len()
	var out []int
	for i := 0; i < n; i++ {
		if _, ok := fa.fn.Signature.Results().At(i).Type().Underlying().(*types.Pointer); !ok {
			continue
		}
		all := len(fa.returns) > 0
		for _, r := range fa.returns {
			if fa.fn.Recover != nil && r.ret.Block() == fa.fn.Recover {
				continue // reached only if a deferred call recovers a panic
			}
			v := resultValue(r.ret, i)
			if c, ok := v.(*ssa.Const); ok && c.IsNil() {
				continue // an error return
			}
			if !fa.m.newObject(v) || !onlyReturned(v) {
				all = false
				break
			}
		}
		if all {
			out = append(out, i)
		}
	}
	return out
}

// onlyReturned: v's pointer leaves the function only by being returned.
func onlyReturned(v ssa.Value) bool {
	for _, use := range escapes(v) {
		switch use.(type) {
		case *ssa.Return:
		case *ssa.Store:
			// the result cell of a function with defers
			if st := use.(*ssa.Store); isResultCell(st.Addr) {
				continue
			}
			return false
		default:
			return false
		}
	}
	return true
}

func isResultCell(v ssa.Value) bool {
	alloc, ok := v.(*ssa.Alloc)
	if !ok || alloc.Heap {
		return false
	}
	if alloc.Comment != "" {
		return true // a named result
	}
	// An unnamed result of a function with defers: only stored to, and
	// loaded only to be returned.
	for _, r := range *alloc.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr != alloc {
				return false
			}
		case *ssa.UnOp:
			for _, u := range *r.Referrers() {
				if _, ok := u.(*ssa.Return); !ok {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// escapes lists the instructions through which alloc's pointer may leave
// the function's hands (see fresh).
func escapes(alloc ssa.Value) []ssa.Instruction {
	var out []ssa.Instruction
	var visit func(v ssa.Value, depth int)
	visit = func(v ssa.Value, depth int) {
		refs := v.Referrers()
		if refs == nil {
			return
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.FieldAddr:
				if depth < 4 {
					visit(r, depth+1) // &x.f escapes if it does
				}
			case *ssa.UnOp, *ssa.DebugRef:
				// a load from the object (or from &x.f): not the pointer
			case *ssa.Store:
				if r.Val == v {
					out = append(out, r) // the pointer itself is stored
				}
			case ssa.CallInstruction:
				c := r.Common()
				if _, ok := r.(*ssa.Call); ok && isOwnMethodCall(c, v) {
					continue
				}
				if k, _ := LockOpOf(c); k != OpNone {
					continue
				}
				out = append(out, r)
			default:
				out = append(out, r)
			}
		}
	}
	visit(alloc, 0)
	return out
}

// isOwnMethodCall: v is only the receiver of a static method call.
func isOwnMethodCall(c *ssa.CallCommon, v ssa.Value) bool {
	fn := c.StaticCallee()
	if fn == nil || fn.Signature.Recv() == nil || len(c.Args) == 0 || c.Args[0] != v {
		return false
	}
	for _, a := range c.Args[1:] {
		if a == v {
			return false
		}
	}
	return true
}

// reaches reports whether control can flow from instruction a to b.
func reaches(a, b ssa.Instruction) bool { return reachesSameObject(a, b, nil) }
