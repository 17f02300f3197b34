package lockmodel

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
)

// storedFunc is a function this package stores in a func field, or in an
// element of a slice, array or map field (a hook registry: c.hooks =
// append(c.hooks, co.ensureActive)). A call of a func value loaded from
// that field runs one of the functions stored there: the flow condition
// that keeps the link precise (a field nothing locking is stored in links
// nothing).
type storedFunc struct {
	fn       *ssa.Function
	bindings []ssa.Value // the closure's bindings where it was stored
	obj      ssa.Value   // the object whose field holds it, in the storing function
	storer   *ssa.Function
}

// storedIn returns the functions stored in the field named key ("field:(T).f"
// for a func field, "field:(T).f[]" for the elements of a slice, array or
// map field), in scan order.
func (m *model) storedIn(key string) []storedFunc {
	if m.stored == nil {
		m.stored = map[string][]storedFunc{}
		for _, fn := range m.ix.Funcs() {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					m.scanStore(fn, instr)
				}
			}
		}
	}
	return m.stored[key]
}

func (m *model) scanStore(fn *ssa.Function, instr ssa.Instruction) {
	var val ssa.Value
	var key string
	var obj ssa.Value
	switch instr := instr.(type) {
	case *ssa.Store:
		val = instr.Val
		key, obj = containerOf(instr.Addr)
	case *ssa.MapUpdate:
		val = instr.Value
		key, obj = elemContainer(instr.Map)
	default:
		return
	}
	if key == "" {
		return
	}
	if f, bindings := callindex.FuncValue(val); f != nil {
		m.stored[key] = append(m.stored[key], storedFunc{fn: f, bindings: bindings, obj: obj, storer: fn})
		return
	}
	// A parameter of a constructor whose every call is known (quic-go's
	// newServer(..., t.closeServer, ...) stores onClose in s.onClose): the
	// functions its callers pass are what the field holds. Their bindings
	// live in the caller's frame, not the storer's: rebind names no
	// instance through them, the class alone links.
	p, ok := val.(*ssa.Parameter)
	if !ok || p.Parent() != fn {
		return
	}
	idx := -1
	for i, q := range fn.Params {
		if q == p {
			idx = i
		}
	}
	calls, complete := m.ix.Callers(fn)
	if idx < 0 || !complete {
		return
	}
	for _, c := range calls {
		ci, ok := c.Instr.(ssa.CallInstruction)
		if !ok || c.Via != "" || ci.Common().StaticCallee() != fn || idx >= len(ci.Common().Args) {
			continue
		}
		if f, bindings := callindex.FuncValue(ci.Common().Args[idx]); f != nil {
			m.stored[key] = append(m.stored[key], storedFunc{fn: f, bindings: bindings, obj: obj, storer: fn})
		}
	}
}

// containerOf names the field an address stores into: a func field
// (&x.f), an element of a slice, array or map field (&x.f[i]), or an
// element of a fresh array that becomes such a field's contents (a slice
// literal, or append's variadic arguments stored into the field).
func containerOf(addr ssa.Value) (key string, obj ssa.Value) {
	switch a := addr.(type) {
	case *ssa.FieldAddr:
		return fieldAddrKey(a), a.X
	case *ssa.IndexAddr:
		if alloc, ok := a.X.(*ssa.Alloc); ok {
			return freshElems(alloc)
		}
		return elemContainer(a.X)
	}
	return "", nil
}

// elemContainer names the slice, array or map field v was loaded from (or
// addresses), with "[]" appended: its elements are what is stored.
func elemContainer(v ssa.Value) (string, ssa.Value) {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		v = u.X
	}
	if fa, ok := v.(*ssa.FieldAddr); ok {
		if k := fieldAddrKey(fa); k != "" {
			return k + "[]", fa.X
		}
	}
	return "", nil
}

// freshElems follows a fresh array (a slice literal's backing array, or
// append's variadic arguments) to the field it ends up in.
func freshElems(alloc *ssa.Alloc) (string, ssa.Value) {
	for _, r := range *alloc.Referrers() {
		sl, ok := r.(*ssa.Slice)
		if !ok {
			continue
		}
		for _, sr := range *sl.Referrers() {
			var v ssa.Value = sl
			if call, ok := sr.(*ssa.Call); ok {
				if b, ok := call.Call.Value.(*ssa.Builtin); !ok || b.Name() != "append" || len(call.Call.Args) != 2 || call.Call.Args[1] != sl {
					continue
				}
				v = call
			}
			for _, vr := range *v.Referrers() {
				if st, ok := vr.(*ssa.Store); ok && st.Val == v {
					if fa, ok := st.Addr.(*ssa.FieldAddr); ok {
						if k := fieldAddrKey(fa); k != "" {
							return k + "[]", fa.X
						}
					}
				}
			}
		}
	}
	return "", nil
}

func fieldAddrKey(fa *ssa.FieldAddr) string {
	st, named := StructOf(fa.X.Type())
	if named == nil {
		return ""
	}
	return "field:(" + typePath(named) + ")." + st.Field(fa.Field).Name()
}

// calledFrom names where a called func value was loaded from: a func field
// or an element of a slice, array or map field (c.hooks[i](), for _, h :=
// range c.hooks { h() }, c.handlers[name]()), and the object holding it.
func calledFrom(v ssa.Value) (key string, obj ssa.Value) {
	switch x := v.(type) {
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return "", nil
		}
		switch a := x.X.(type) {
		case *ssa.FieldAddr:
			return fieldAddrKey(a), a.X
		case *ssa.IndexAddr:
			return elemContainer(a.X)
		}
	case *ssa.Lookup:
		return elemContainer(x.X)
	case *ssa.Extract:
		switch t := x.Tuple.(type) {
		case *ssa.Lookup: // h, ok := c.handlers[name]
			if x.Index == 0 {
				return elemContainer(t.X)
			}
		case *ssa.Next: // for _, h := range c.handlers
			if r, ok := t.Iter.(*ssa.Range); ok && x.Index == 2 {
				return elemContainer(r.X)
			}
		}
	}
	return "", nil
}

// storedCall applies, at a call of a func value loaded from a field, the
// acquisitions of the functions this package stores in that field. Which
// of them runs is not known, so none is taken to stay held or be
// released. A stored closure's binding that is the object holding the
// field itself (c.onEvict = append(c.onEvict, c.reset)) is the same
// instance at the call (the object the field is loaded from): a lock it
// takes can be a double lock; other bindings stand for their class only.
func (fa *funcAnalysis) storedCall(st *state, c *ssa.CallCommon, pos token.Pos) {
	key, obj := calledFrom(c.Value)
	if key == "" {
		return
	}
	if fa.keptApart(obj) {
		return
	}
	for _, sf := range fa.m.storedIn(key) {
		sum := fa.m.summary(sf.fn)
		if sum == nil || len(sum.Acquires) == 0 {
			continue
		}
		args := append(append([]ssa.Value(nil), c.Args...), obj)
		acqs := make([]Acquire, 0, len(sum.Acquires))
		for _, a := range sum.Acquires {
			a.Ref = sf.rebind(a.Ref, len(args)-1)
			a.AfterRelease = nil
			acqs = append(acqs, a)
		}
		fa.applyCallee(st, sf.fn, &FuncSummary{Acquires: acqs}, storedName(sf.fn)+", stored in "+fieldDisplay(key, obj)+" by "+funcName(sf.storer), args, nil, pos)
	}
}

// rebind maps a stored function's lock Ref onto the call's arguments,
// with the object holding the field as argument objArg: a free variable
// bound to that object (or a field path below it) becomes a path on it;
// other free variables name no instance.
func (sf storedFunc) rebind(r Ref, objArg int) Ref {
	if r.FreeVar < 0 {
		return r
	}
	if r.FreeVar >= len(sf.bindings) {
		return noRef()
	}
	b, o := Resolve(sf.bindings[r.FreeVar]), Resolve(sf.obj)
	if b.root == nil || b.root != o.root || b.global != o.global || !b.alias || !o.alias || !strings.HasPrefix(b.path, o.path) {
		return noRef()
	}
	return Ref{Param: objArg, FreeVar: -1, Path: b.path[len(o.path):] + r.Path}
}

// keptApart: the call is guarded by another field of the object the func
// is loaded from (if s.typ != AsyncSubscription { s.pDone() }, if !s.async
// { s.done() }): a mode the object was given when the func was stored
// decides whether it is called, which a link by field alone would ignore
// (nats.go stores pDone only in async subscriptions and calls it only for
// sync ones).
func (fa *funcAnalysis) keptApart(obj ssa.Value) bool {
	call := fa.cur
	if call == nil || call.Block() == nil {
		return false
	}
	root := Resolve(obj).root
	for d := call.Block().Idom(); d != nil; d = d.Idom() {
		ifi, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		for _, x := range fieldsRead(ifi.Cond, 4) {
			if Resolve(x).root == root {
				return true
			}
		}
	}
	return false
}

// fieldsRead lists the objects whose fields a condition loads (through !,
// comparisons and && / ||, depth-bounded), func-typed fields excluded (a
// nil check of the func itself).
func fieldsRead(v ssa.Value, depth int) []ssa.Value {
	if depth == 0 {
		return nil
	}
	switch x := v.(type) {
	case *ssa.UnOp:
		if x.Op == token.MUL {
			if f, ok := x.X.(*ssa.FieldAddr); ok {
				if _, isFunc := x.Type().Underlying().(*types.Signature); !isFunc {
					return []ssa.Value{f.X}
				}
				return nil
			}
		}
		return fieldsRead(x.X, depth-1)
	case *ssa.BinOp:
		return append(fieldsRead(x.X, depth-1), fieldsRead(x.Y, depth-1)...)
	case *ssa.Phi:
		var out []ssa.Value
		for _, e := range x.Edges {
			out = append(out, fieldsRead(e, depth-1)...)
		}
		return out
	}
	return nil
}

// storedName names a stored function; a method value by its method.
func storedName(fn *ssa.Function) string {
	if obj, ok := fn.Object().(*types.Func); ok && fn.Synthetic != "" && obj.Signature().Recv() != nil {
		if m := fn.Prog.FuncValue(obj); m != nil {
			return funcName(m)
		}
	}
	return funcName(fn)
}

// fieldDisplay writes a field key as classes are written: the field
// hooks of example.com/pkg.T, called through obj, is "pkg.T.hooks[]".
func fieldDisplay(key string, obj ssa.Value) string {
	f := key[strings.LastIndex(key, ").")+2:]
	if _, named := StructOf(obj.Type()); named != nil {
		return typeName(named) + "." + f
	}
	return f
}
