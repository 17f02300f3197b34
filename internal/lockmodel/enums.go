package lockmodel

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// A switch over a closed enum that names every value has no way out
// through its default: `switch t { case kA, kB: ...; return; case kC:
// ...; return; default: }` followed by a return still holding a lock is
// no leak when t can only be kA, kB or kC (rocketmq-client-go's
// readWithException: its readType has three constants, and every caller
// passes one). SSA turns the switch into a chain of `t == k` tests; the
// false branch of the last one, taken when t is none of the constants
// tested before, is dead once every value is tested.
//
// Closed: an unexported named integer type of this package, whose values
// in the package are its declared constants (no conversion to it, no
// arithmetic on it, no other constant of it) and which no other package
// can make a value of (no exported function, method, variable or field
// takes one: an untyped constant could be passed there). The zero value
// counts as a value unless a constant names it.

// maxEnumValues bounds the values a closed enum may have (a bit each).
const maxEnumValues = 64

// enum is a closed enum's values, in declaration order of its constants.
type enum struct {
	values []constant.Value
}

// switchTest recognizes `v == k` for a constant k of a closed enum: the
// tested value and the bit of k among the enum's values.
func (m *model) switchTest(cond ssa.Value) (ssa.Value, uint64, uint64, bool) {
	b, ok := cond.(*ssa.BinOp)
	if !ok || b.Op != token.EQL {
		return nil, 0, 0, false
	}
	v, c := b.X, b.Y
	if _, isConst := v.(*ssa.Const); isConst {
		v, c = c, v
	}
	k, ok := c.(*ssa.Const)
	if !ok || k.Value == nil {
		return nil, 0, 0, false
	}
	n, ok := types.Unalias(v.Type()).(*types.Named)
	if !ok || n.Obj().Pkg() != m.pass.Pkg || n.Obj().Exported() {
		return nil, 0, 0, false
	}
	e := m.closedEnum(n)
	if e == nil {
		return nil, 0, 0, false
	}
	for i, x := range e.values {
		if constant.Compare(x, token.EQL, k.Value) {
			return v, 1 << i, 1<<len(e.values) - 1, true
		}
	}
	return nil, 0, 0, false
}

// closedEnum returns n's values when n is a closed enum (see above), else
// nil. The package's closed enums are found once, on first use.
func (m *model) closedEnum(n *types.Named) *enum {
	if m.enums == nil {
		m.enums = findEnums(m.pass.Pkg, m.srcFuncs)
	}
	return m.enums[n]
}

// findEnums returns the closed enums of pkg, by type.
func findEnums(pkg *types.Package, fns []*ssa.Function) map[*types.Named]*enum {
	out := map[*types.Named]*enum{}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.Exported() || tn.IsAlias() {
			continue
		}
		n, ok := tn.Type().(*types.Named)
		if !ok || n.TypeParams().Len() > 0 {
			continue
		}
		if b, ok := n.Underlying().(*types.Basic); ok && b.Info()&types.IsInteger != 0 {
			out[n] = &enum{}
		}
	}
	if len(out) == 0 {
		return out
	}
	// Declared constants, and exported API through which another package
	// could pass any value.
	zero := constant.MakeInt64(0)
	for _, name := range scope.Names() {
		switch obj := scope.Lookup(name).(type) {
		case *types.Const:
			if n, ok := obj.Type().(*types.Named); ok && out[n] != nil {
				out[n].values = append(out[n].values, obj.Val())
			}
		case *types.Func, *types.Var:
			if obj.Exported() {
				dropMentioned(out, obj.Type())
			}
		case *types.TypeName:
			if n, ok := obj.Type().(*types.Named); ok && obj.Exported() {
				dropMentioned(out, n.Underlying())
				for i := 0; i < n.NumMethods(); i++ {
					if f := n.Method(i); f.Exported() {
						dropMentioned(out, f.Type())
					}
				}
			}
		}
	}
	for n, e := range out {
		if !slices.ContainsFunc(e.values, func(x constant.Value) bool { return constant.Compare(x, token.EQL, zero) }) {
			e.values = append(e.values, zero) // the zero value is a value too
		}
		if len(e.values) < 2 || len(e.values) > maxEnumValues {
			delete(out, n)
		}
	}
	// Values made in the package other than by its constants.
	for _, fn := range fns {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				dropOpened(out, instr)
			}
		}
	}
	return out
}

// dropMentioned removes from enums the types t mentions (a parameter,
// result, exported field, element or method type).
func dropMentioned(enums map[*types.Named]*enum, t types.Type) {
	for n := range enums {
		if mentions(t, n, 0) {
			delete(enums, n)
		}
	}
}

// dropOpened removes from enums a type instr makes a value of other than
// by one of its constants: a conversion, arithmetic, another constant.
func dropOpened(enums map[*types.Named]*enum, instr ssa.Instruction) {
	if v, ok := instr.(ssa.Value); ok {
		if n, ok := v.Type().(*types.Named); ok && enums[n] != nil {
			switch x := instr.(type) {
			case *ssa.Convert, *ssa.ChangeType, *ssa.BinOp:
				delete(enums, n)
			case *ssa.UnOp:
				if x.Op != token.MUL {
					delete(enums, n) // -t, ^t
				}
			}
		}
	}
	var ops [8]*ssa.Value
	for _, op := range instr.Operands(ops[:0]) {
		k, ok := (*op).(*ssa.Const)
		if !ok || k.Value == nil {
			continue
		}
		n, ok := k.Type().(*types.Named)
		if !ok || enums[n] == nil {
			continue
		}
		if !slices.ContainsFunc(enums[n].values, func(x constant.Value) bool { return constant.Compare(x, token.EQL, k.Value) }) {
			delete(enums, n)
		}
	}
}

// mentions: t has n in it (a parameter, result, field or element type).
func mentions(t types.Type, n *types.Named, depth int) bool {
	if depth > 4 {
		return false
	}
	t = types.Unalias(t)
	if types.Identical(t, n) {
		return true
	}
	switch u := t.(type) {
	case *types.Named:
		return false // another named type: its own exported parts are checked where it is declared
	case *types.Signature:
		for _, tup := range []*types.Tuple{u.Params(), u.Results()} {
			for i := 0; i < tup.Len(); i++ {
				if mentions(tup.At(i).Type(), n, depth+1) {
					return true
				}
			}
		}
	case *types.Pointer:
		return mentions(u.Elem(), n, depth+1)
	case *types.Slice:
		return mentions(u.Elem(), n, depth+1)
	case *types.Array:
		return mentions(u.Elem(), n, depth+1)
	case *types.Map:
		return mentions(u.Key(), n, depth+1) || mentions(u.Elem(), n, depth+1)
	case *types.Chan:
		return mentions(u.Elem(), n, depth+1)
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			if u.Field(i).Exported() && mentions(u.Field(i).Type(), n, depth+1) {
				return true
			}
		}
	case *types.Interface:
		for i := 0; i < u.NumMethods(); i++ {
			if u.Method(i).Exported() && mentions(u.Method(i).Type(), n, depth+1) {
				return true
			}
		}
	}
	return false
}
