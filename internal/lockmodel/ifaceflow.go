package lockmodel

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// ifaceFlow is where this package turns values into interfaces: the
// concrete types converted to each interface type (MakeInterface), and the
// interface-to-interface steps (an assignment to a wider interface, a type
// assertion to another interface) through which such a value can reach
// another interface type.
type ifaceFlow struct {
	makes []ifaceStep // from: the concrete type
	moves []ifaceStep // from: an interface type
}

type ifaceStep struct{ from, to types.Type }

func (m *model) ifaceFlows() *ifaceFlow {
	if m.iflow != nil {
		return m.iflow
	}
	f := &ifaceFlow{}
	for _, fn := range m.ix.Funcs() {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.MakeInterface:
					f.makes = append(f.makes, ifaceStep{x.X.Type(), x.Type()})
				case *ssa.ChangeInterface:
					f.moves = append(f.moves, ifaceStep{x.X.Type(), x.Type()})
				case *ssa.TypeAssert:
					if types.IsInterface(x.AssertedType) && types.IsInterface(x.X.Type()) {
						f.moves = append(f.moves, ifaceStep{x.X.Type(), x.AssertedType})
					}
				}
			}
		}
	}
	m.iflow = f
	return f
}

// convertedTo reports whether a value of concrete type t (or *t, or t for
// a pointer t) becomes a value of interface type iface in this package:
// only such types' methods can run at a call through iface here (the flow
// condition that keeps interface calls from linking every type that
// happens to have the method).
func (m *model) convertedTo(t, iface types.Type) bool {
	f := m.ifaceFlows()
	ifaces := []types.Type{iface}
	for i := 0; i < len(ifaces); i++ {
		for _, mv := range f.moves {
			if types.Identical(mv.to, ifaces[i]) && !containsType(ifaces, mv.from) {
				ifaces = append(ifaces, mv.from)
			}
		}
	}
	for _, mk := range f.makes {
		from := mk.from
		if p, ok := from.(*types.Pointer); ok && !types.Identical(from, t) {
			from = p.Elem()
		}
		if (types.Identical(from, t) || types.Identical(types.NewPointer(from), t)) && containsType(ifaces, mk.to) {
			return true
		}
	}
	return false
}

func containsType(ts []types.Type, t types.Type) bool {
	for _, x := range ts {
		if types.Identical(x, t) {
			return true
		}
	}
	return false
}
