package callindex

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Handler tables. A package variable that holds functions (a slice, array
// or map of funcs, usually a dispatch table written as its initializer:
// var handlers = []func(*Session, header) error{typeData:
// (*Session).handleStreamMessage, ...}), unexported, and only ever loaded
// to call an element (handlers[mt](s, hdr)), calls the functions stored in
// it at exactly those calls: the functions keep known callers (yamux's
// frame handlers run on the receive loop's goroutine), instead of escaping.

// funcTables returns, for each such variable of pkg, the calls of its
// elements, in function order.
func funcTables(pkg *ssa.Package, funcs []*ssa.Function) map[*ssa.Global][]*ssa.Call {
	calls := map[*ssa.Global][]*ssa.Call{}
	open := map[*ssa.Global]bool{}
	var ops [4]*ssa.Value
	for _, fn := range funcs {
		if fn == nil {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				for _, op := range instr.Operands(ops[:0]) {
					g, ok := (*op).(*ssa.Global)
					if !ok || g.Pkg != pkg || g.Object() == nil || g.Object().Exported() || !isFuncTable(g) {
						continue
					}
					if _, ok := calls[g]; !ok {
						calls[g] = nil
					}
					cs, ok := tableUse(instr, g)
					if !ok {
						open[g] = true
					}
					calls[g] = append(calls[g], cs...)
				}
			}
		}
	}
	for g := range open {
		delete(calls, g)
	}
	return calls
}

// isFuncTable: g holds a slice, array or map of funcs.
func isFuncTable(g *ssa.Global) bool {
	var elem types.Type
	switch t := g.Type().(*types.Pointer).Elem().Underlying().(type) {
	case *types.Slice:
		elem = t.Elem()
	case *types.Array:
		elem = t.Elem()
	case *types.Map:
		elem = t.Elem()
	default:
		return false
	}
	_, ok := elem.Underlying().(*types.Signature)
	return ok
}

// tableUse classifies one use of the table g: its store (the
// initializer), an element stored in place (an array), or a load whose
// elements are only called; ok is false for any other use (the table, or
// an element, escapes).
func tableUse(instr ssa.Instruction, g *ssa.Global) (calls []*ssa.Call, ok bool) {
	switch x := instr.(type) {
	case *ssa.Store:
		return nil, x.Addr == g
	case *ssa.IndexAddr: // an array variable: &handlers[i]
		return elementUses(x)
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return nil, false
		}
		for _, r := range *x.Referrers() {
			switch r := r.(type) {
			case *ssa.IndexAddr:
				cs, ok := elementUses(r)
				if !ok {
					return nil, false
				}
				calls = append(calls, cs...)
			case *ssa.Index:
				cs, ok := calledOnly(r)
				if !ok {
					return nil, false
				}
				calls = append(calls, cs...)
			case *ssa.Lookup:
				cs, ok := calledOnly(r)
				if !ok || r.CommaOk {
					return nil, false
				}
				calls = append(calls, cs...)
			case *ssa.Call:
				if b, isBuiltin := r.Call.Value.(*ssa.Builtin); !isBuiltin || b.Name() != "len" && b.Name() != "cap" {
					return nil, false
				}
			case *ssa.DebugRef:
			default:
				return nil, false
			}
		}
		return calls, true
	}
	return nil, false
}

// elementUses: the element address is only loaded to be called, or stored
// into (an array's initializer).
func elementUses(ia *ssa.IndexAddr) (calls []*ssa.Call, ok bool) {
	for _, r := range *ia.Referrers() {
		switch r := r.(type) {
		case *ssa.UnOp:
			cs, ok := calledOnly(r)
			if !ok || r.Op != token.MUL {
				return nil, false
			}
			calls = append(calls, cs...)
		case *ssa.Store:
			if r.Addr != ia {
				return nil, false
			}
		case *ssa.DebugRef:
		default:
			return nil, false
		}
	}
	return calls, true
}

// calledOnly: v is only ever the function called.
func calledOnly(v ssa.Value) (calls []*ssa.Call, ok bool) {
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.Call:
			if r.Call.Value != v {
				return nil, false
			}
			calls = append(calls, r)
		case *ssa.DebugRef:
		default:
			return nil, false
		}
	}
	return calls, true
}

// tableOf returns the calls of the handler table a function stored into
// container ends up in: container is the table itself (an array
// variable), or a slice literal's backing array or a map literal stored
// only into the table.
func (ix *Index) tableOf(container ssa.Value) ([]*ssa.Call, bool) {
	if g, ok := container.(*ssa.Global); ok {
		calls, ok := ix.tables[g]
		return calls, ok
	}
	var g *ssa.Global
	var refs []ssa.Instruction
	switch c := container.(type) {
	case *ssa.Alloc: // a slice literal's backing array
		for _, r := range *c.Referrers() {
			switch r := r.(type) {
			case *ssa.IndexAddr:
				if _, ok := elementUses(r); !ok {
					return nil, false
				}
			case *ssa.Slice:
				refs = append(refs, *r.Referrers()...)
			case *ssa.DebugRef:
			default:
				return nil, false
			}
		}
	case *ssa.MakeMap:
		for _, r := range *c.Referrers() {
			switch r := r.(type) {
			case *ssa.MapUpdate:
				if r.Map != c {
					return nil, false
				}
			default:
				refs = append(refs, r)
			}
		}
	default:
		return nil, false
	}
	for _, r := range refs {
		st, ok := r.(*ssa.Store)
		if !ok {
			return nil, false
		}
		sg, ok := st.Addr.(*ssa.Global)
		if !ok || g != nil && sg != g {
			return nil, false
		}
		g = sg
	}
	if g == nil {
		return nil, false
	}
	calls, ok := ix.tables[g]
	return calls, ok
}
