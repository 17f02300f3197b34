package lockmodel

import (
	"golang.org/x/tools/go/ssa"
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
	alloc, ok := v.(*ssa.Alloc)
	if !ok || !alloc.Heap || alloc.Parent() != fa.fn || fa.cur == nil {
		return false
	}
	for _, use := range escapes(alloc) {
		if use != fa.cur && reaches(use, fa.cur) {
			return false
		}
	}
	return true
}

// escapes lists the instructions through which alloc's pointer may leave
// the function's hands (see fresh).
func escapes(alloc *ssa.Alloc) []ssa.Instruction {
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
				if k, _ := lockOpOf(c); k != opNone {
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
func reaches(a, b ssa.Instruction) bool {
	ba, bb := a.Block(), b.Block()
	if ba == bb {
		for _, instr := range ba.Instrs {
			if instr == a {
				return true // a comes first (b after it in the block)
			}
			if instr == b {
				break // b comes first: only through a loop back to b
			}
		}
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := append([]*ssa.BasicBlock(nil), ba.Succs...)
	for len(work) > 0 {
		blk := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[blk] {
			continue
		}
		seen[blk] = true
		if blk == bb {
			return true
		}
		work = append(work, blk.Succs...)
	}
	return false
}
