package lockmodel

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Lock identity through constructors and struct fields: a pointer field
// set once, when its object is built, and never assigned again names what
// it points to. w := newWrapper(&s.mu) (newWrapper stores its parameter in
// the result's field m) makes w.m the instance s.mu; c := &conn{mu: &p.mu}
// makes c.mu the instance p.mu. Double locks and hand-offs are about
// instances, so w.lock(); s.mu.Lock() is a double lock.
//
// Only must-alias bindings count (precision first): the field is stored
// exactly once on the object, with a value that names one instance, and no
// function of the package stores that field (or the whole struct) on an
// object it did not allocate itself. The class stays the one the lock is
// reached by (ordering is about classes; this changes which instance a
// lock expression names, not its class).

// maxRebind bounds the fields followed from one expression.
const maxRebind = 4

// instance returns the instance e names once pointer fields bound at
// construction are followed to what they point to; e itself when none is.
func (m *model) instance(e Expr) Expr {
	orig := e
	var by *ssa.Function
	for i := 0; i < maxRebind && e.root != nil && e.global == ""; i++ {
		field, rest, ok := firstField(e.path)
		if !ok {
			break
		}
		t, ok := m.fieldTarget(e.root, field, 0)
		if !ok {
			break
		}
		if by == nil {
			by = t.boundBy
		}
		e = Expr{root: t.root, global: t.global, path: t.path + rest, class: e.class, alias: t.alias && !strings.Contains(rest, "[]")}
	}
	if e.root != orig.root || e.global != orig.global {
		e.boundBy = by
		// Keep the name the code uses, unless it is a temporary's
		// (exprString then falls back to the class).
		if w := exprString(orig); w != ShortClass(orig.class) {
			e.written = w
		}
	}
	return e
}

// firstField splits ".m.x" into ".m" and ".x"; ok is false when the path
// does not start with a field.
func firstField(path string) (string, string, bool) {
	if !strings.HasPrefix(path, ".") {
		return "", "", false
	}
	i := strings.IndexAny(path[1:], ".[")
	if i < 0 {
		return path, "", true
	}
	return path[:i+1], path[i+1:], true
}

// fieldTarget returns the must-alias instance field (".m") of the object
// root points to holds, when it is bound at construction: root is an
// allocation of this function whose field is stored once, or the result
// of a call whose summary binds that field of the result (ResultFields).
func (m *model) fieldTarget(root ssa.Value, field string, depth int) (Expr, bool) {
	if depth > maxRebind {
		return Expr{}, false
	}
	switch r := root.(type) {
	case *ssa.Alloc:
		if _, isPtr := deref(r.Type()).Underlying().(*types.Pointer); isPtr {
			// A captured variable's cell holding the object pointer.
			if v := StoredValue(r); v != nil {
				return m.fieldTarget(v, field, depth+1)
			}
			return Expr{}, false
		}
		return m.allocField(r, field, depth)
	case *ssa.Call:
		return m.resultField(r, 0, field, depth)
	case *ssa.Extract:
		if call, ok := r.Tuple.(*ssa.Call); ok {
			return m.resultField(call, r.Index, field, depth)
		}
	}
	return Expr{}, false
}

// allocField: the field of an object this function allocates, stored once.
func (m *model) allocField(a *ssa.Alloc, field string, depth int) (Expr, bool) {
	st, named := StructOf(a.Type())
	if named == nil || named.Obj().Pkg() != m.pass.Pkg {
		// Another package's type: its own functions may assign the field.
		return Expr{}, false
	}
	idx := fieldIndex(st, field)
	if idx < 0 || !bindable(st.Field(idx).Type()) || m.unstableField(named, field) {
		return Expr{}, false
	}
	var val ssa.Value
	for _, ref := range *a.Referrers() {
		switch x := ref.(type) {
		case *ssa.FieldAddr:
			if x.Field != idx {
				continue
			}
			for _, u := range *x.Referrers() {
				switch u := u.(type) {
				case *ssa.Store:
					if u.Addr != x || val != nil {
						return Expr{}, false // stored twice, or its address stored
					}
					val = u.Val
				case *ssa.UnOp, *ssa.DebugRef:
				default:
					return Expr{}, false // &c.m handed on: may be written through
				}
			}
		case *ssa.Store:
			if x.Addr == a {
				return Expr{}, false // the whole object assigned
			}
		}
	}
	if val == nil {
		return Expr{}, false
	}
	t, ok := m.boundTarget(val, depth)
	t.boundBy = a.Parent()
	return t, ok
}

// resultField: field of result i of a call, bound by the callee's summary.
func (m *model) resultField(call *ssa.Call, i int, field string, depth int) (Expr, bool) {
	callee := call.Call.StaticCallee()
	if callee == nil {
		return Expr{}, false
	}
	sum := m.summary(callee)
	if sum == nil {
		return Expr{}, false
	}
	for _, b := range sum.ResultFields {
		if b.Result != i || b.Field != field {
			continue
		}
		var t types.Type = call.Type()
		if tup, ok := t.(*types.Tuple); ok {
			t = tup.At(i).Type()
		}
		if _, named := StructOf(t); named == nil || m.unstableField(named, field) {
			return Expr{}, false // this package assigns it (an exported field)
		}
		switch {
		case b.Ref.Global != "":
			t := GlobalExpr(b.Ref.Global, b.Ref.Path)
			t.boundBy = callee
			return t, true
		case b.Ref.Param >= 0 && b.Ref.Param < len(call.Call.Args):
			t, ok := m.boundTarget(call.Call.Args[b.Ref.Param], depth)
			if !ok {
				return Expr{}, false
			}
			t.path += b.Ref.Path
			t.boundBy = callee
			return t, true
		}
		return Expr{}, false
	}
	return Expr{}, false
}

// boundTarget is the instance a value stored in (or passed for) a bound
// field names, when it names one.
func (m *model) boundTarget(v ssa.Value, depth int) (Expr, bool) {
	t := Resolve(v)
	if !t.alias || t.root == nil && t.global == "" {
		return Expr{}, false
	}
	if t.root != nil {
		if f, rest, ok := firstField(t.path); ok {
			if u, ok := m.fieldTarget(t.root, f, depth+1); ok {
				t = Expr{root: u.root, global: u.global, path: u.path + rest, alias: u.alias}
			}
		}
	}
	return t, t.alias
}

// resultFields lists, for each pointer result, the fields every return
// binds to an input's instance (a constructor storing its parameter).
func (fa *funcAnalysis) resultFields() []FieldBinding {
	var out []FieldBinding
	res := fa.fn.Signature.Results()
	for i := 0; i < res.Len(); i++ {
		st, named := StructOf(res.At(i).Type())
		if _, isPtr := res.At(i).Type().Underlying().(*types.Pointer); !isPtr || named == nil || !hasBindable(st) {
			continue
		}
		var binds []FieldBinding
		first := true
		for _, r := range fa.returns {
			if fa.fn.Recover != nil && r.ret.Block() == fa.fn.Recover {
				continue
			}
			v := resultValue(r.ret, i)
			if c, ok := v.(*ssa.Const); ok && c.IsNil() {
				continue // an error return
			}
			var cur []FieldBinding
			for j := 0; j < st.NumFields(); j++ {
				f := st.Field(j)
				if !bindable(f.Type()) {
					continue
				}
				t, ok := fa.m.fieldTarget(v, "."+f.Name(), 0)
				if !ok {
					continue
				}
				if ref := t.Ref(); ref.Valid() && ref.FreeVar < 0 {
					cur = append(cur, FieldBinding{Result: i, Field: "." + f.Name(), Ref: ref})
				}
			}
			if first {
				binds, first = cur, false
				continue
			}
			binds = intersect(binds, cur)
		}
		out = append(out, binds...)
	}
	return out
}

func fieldIndex(st *types.Struct, field string) int {
	for i := 0; i < st.NumFields(); i++ {
		if "."+st.Field(i).Name() == field {
			return i
		}
	}
	return -1
}

// bindable: a field of this type can name a lock of another object: a
// pointer to a mutex or to a struct holding one, or a sync.Locker.
func bindable(t types.Type) bool {
	if isLocker(t) {
		return true
	}
	p, ok := types.Unalias(t).Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	switch SyncType(p.Elem()) {
	case "Mutex", "RWMutex":
		return true
	}
	return holdsLock(p.Elem(), 0)
}

func hasBindable(st *types.Struct) bool {
	for i := 0; i < st.NumFields(); i++ {
		if bindable(st.Field(i).Type()) {
			return true
		}
	}
	return false
}

// holdsLock: a struct with a sync.Mutex or RWMutex in it (by value, in
// nested structs too).
func holdsLock(t types.Type, depth int) bool {
	if depth > 3 {
		return false
	}
	st, ok := types.Unalias(t).Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for i := 0; i < st.NumFields(); i++ {
		ft := st.Field(i).Type()
		switch SyncType(ft) {
		case "Mutex", "RWMutex":
			if _, isPtr := types.Unalias(ft).(*types.Pointer); !isPtr {
				return true
			}
		}
		if holdsLock(ft, depth+1) {
			return true
		}
	}
	return false
}

// unstableField: some function of this package assigns field of named on
// an object it did not allocate itself, or assigns a whole value of the
// type there: the field can change after construction.
func (m *model) unstableField(named *types.Named, field string) bool {
	if m.unstable == nil {
		m.unstable = findUnstable(m.srcFuncs)
	}
	k := typePath(named)
	return m.unstable[k+field] || m.unstable[k]
}

// findUnstable scans fns for the assignments unstableField looks for. Keys:
// "pkg.T.f" for a field, "pkg.T" for a whole value.
func findUnstable(fns []*ssa.Function) map[string]bool {
	out := map[string]bool{}
	var whole func(t types.Type, depth int)
	whole = func(t types.Type, depth int) {
		if depth > 3 {
			return
		}
		t = types.Unalias(t)
		if n, ok := t.(*types.Named); ok {
			out[typePath(n)] = true
		}
		switch u := t.Underlying().(type) {
		case *types.Struct:
			for i := 0; i < u.NumFields(); i++ {
				whole(u.Field(i).Type(), depth+1)
			}
		case *types.Array:
			whole(u.Elem(), depth+1)
		}
	}
	for _, fn := range fns {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				s, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				if _, own := s.Addr.(*ssa.Alloc); own {
					continue
				}
				if fa, ok := s.Addr.(*ssa.FieldAddr); ok {
					if _, own := fa.X.(*ssa.Alloc); own {
						continue
					}
					if st, named := StructOf(fa.X.Type()); named != nil {
						out[typePath(named)+"."+st.Field(fa.Field).Name()] = true
					}
				}
				whole(s.Val.Type(), 0)
			}
		}
	}
	return out
}
