package lockmodel

import (
	"github.com/kafkalint/kafkalint/internal/callindex"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/ssabuild"
)

// closeOpenCalls turns open calls into edges where this package supplies
// the callee: a method of a local type implementing the interface of an
// "iface:" open call, or a local function stored (directly, or through a
// dependency's option function) in the field of a "field:" open call. The
// held locks of the open call are then ordered before every lock the
// callee takes. This is how a library running user callbacks under its own
// lock becomes visible in the user's package.
func (m *model) closeOpenCalls(fns []*ssa.Function) {
	var open []OpenCall
	for _, d := range m.res.Deps {
		open = append(open, d.OpenCalls...)
	}
	var own []OpenCall
	seen := map[string]bool{}
	m.openFns = map[string][]*ssa.Function{}
	for _, fn := range fns {
		s := m.sums[fn]
		if s == nil {
			continue
		}
		for _, oc := range s.OpenCalls {
			k := openKey(oc)
			// Every function whose summary has it is a witness of the
			// edges it closes into.
			m.openFns[k] = append(m.openFns[k], fn)
			if !seen[k] {
				seen[k] = true
				own = append(own, oc)
			}
		}
	}
	m.ownOpenCalls = own
	// Field callbacks are closed across packages only: inside one package
	// a func field is typically set and called on paths the author keeps
	// apart (nats removeSub calls pDone only for sync subscriptions, and
	// stores it only in async ones), which a flow-insensitive link by field
	// would join. A library's callback field set by its user is the shape
	// this exists for.
	for _, oc := range own {
		if !strings.HasPrefix(oc.Key, "field:") {
			open = append(open, oc)
		}
	}
	if len(open) == 0 {
		return
	}
	byKey := map[string][]OpenCall{}
	for _, oc := range open {
		byKey[oc.Key] = append(byKey[oc.Key], oc)
	}

	// Interface implementations declared here.
	for _, key := range sortedKeys(byKey) {
		if !strings.HasPrefix(key, "iface:") {
			continue
		}
		path, iname, method := splitIfaceKey(key)
		iface, tn := m.lookupInterface(path, iname)
		if iface == nil || m.inGorootObj(tn) {
			// Standard interfaces (io.Writer, net.Conn, error) have
			// implementations everywhere: closing them by type alone
			// links unrelated code. Callbacks are library-declared.
			continue
		}
		for _, impl := range m.localImplementations(tn.Type(), iface, method) {
			m.closeWith(byKey[key], impl, impl.Pos())
		}
	}
	// Functions stored in callback fields.
	for _, fn := range fns {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.Store:
					if cb, _ := callindex.FuncValue(instr.Val); cb != nil {
						if k := fieldKey(&ssa.UnOp{Op: token.MUL, X: instr.Addr}); k != "" && byKey[k] != nil {
							m.closeWith(byKey[k], cb, instr.Pos())
						}
					}
				case ssa.CallInstruction:
					c := instr.Common()
					callee := c.StaticCallee()
					if callee == nil {
						continue
					}
					s := m.summary(callee)
					if s == nil {
						continue
					}
					for _, ps := range s.ParamStores {
						if ps.Param < len(c.Args) && byKey[ps.Field] != nil {
							if cb, _ := callindex.FuncValue(c.Args[ps.Param]); cb != nil {
								m.closeWith(byKey[ps.Field], cb, instr.Pos())
							}
						}
					}
				}
			}
		}
	}
}

// inGorootObj reports whether obj is declared in the standard library.
func (m *model) inGorootObj(obj types.Object) bool {
	f := m.fset.File(obj.Pos())
	// Export data names std files "$GOROOT/src/...".
	return f != nil && (strings.HasPrefix(f.Name(), ssabuild.GorootSrc()) || strings.HasPrefix(f.Name(), "$GOROOT/"))
}

func heldKey(hs []Acquire) string {
	return strings.Join(acquireClasses(hs), ",")
}

// closeWith adds edges from each open call's held locks to the locks cb
// takes. pos is where this package hands cb to the library.
func (m *model) closeWith(ocs []OpenCall, cb *ssa.Function, pos token.Pos) {
	s := m.summary(cb)
	if s == nil || len(s.Acquires) == 0 {
		return
	}
	p := m.fset.Position(pos)
	hand := Site{File: p.Filename, Line: p.Line, Col: p.Column, Func: FuncRefOf(cb), What: "is called back by the library"}
	for _, oc := range ocs {
		for _, a := range s.Acquires {
			if a.Class == "" {
				continue
			}
			held := acquireClasses(oc.Held)
			for _, h := range oc.Held {
				if h.Class == "" || h.Class == a.Class {
					continue
				}
				from := &heldLock{class: h.Class, mode: h.Mode, chain: h.Chain}
				chain := append(append(append([]Site(nil), oc.Chain...), hand), a.Chain...)
				if len(chain) > maxChain {
					chain = chain[:maxChain]
				}
				if wfns := m.openFns[openKey(oc)]; len(wfns) > 0 {
					for _, fn := range wfns {
						m.addEdgeIn(fn, oc.Chain[0].Func.String(), from, a.Class, a.Mode, chain, held, nil, h.Delegate, pos)
					}
				} else {
					m.addEdgeAt(oc.Chain[0].Func.String(), from, a.Class, a.Mode, chain, held, h.Delegate, pos)
				}
			}
		}
	}
}

func splitIfaceKey(key string) (path, name, method string) {
	key = strings.TrimPrefix(key, "iface:")
	i := strings.LastIndexByte(key, '.')
	if i < 0 {
		return "", "", ""
	}
	method = key[i+1:]
	key = key[:i]
	j := strings.LastIndexByte(key, '.')
	if j < 0 {
		return "", "", ""
	}
	return key[:j], key[j+1:], method
}

// lookupInterface finds a named interface among this package and its
// (transitive) imports.
func (m *model) lookupInterface(path, name string) (*types.Interface, *types.TypeName) {
	pkg := m.findPackage(path)
	if pkg == nil {
		return nil, nil
	}
	tn, ok := pkg.Scope().Lookup(name).(*types.TypeName)
	if !ok {
		return nil, nil
	}
	iface, _ := tn.Type().Underlying().(*types.Interface)
	return iface, tn
}

func (m *model) findPackage(path string) *types.Package {
	seen := map[*types.Package]bool{}
	var walk func(p *types.Package) *types.Package
	walk = func(p *types.Package) *types.Package {
		if seen[p] {
			return nil
		}
		seen[p] = true
		if p.Path() == path {
			return p
		}
		for _, q := range p.Imports() {
			if r := walk(q); r != nil {
				return r
			}
		}
		return nil
	}
	return walk(m.pass.Pkg)
}

// localImplementations returns this package's methods named method on
// types implementing iface (the underlying type of named) that this
// package converts to named (see convertedTo).
func (m *model) localImplementations(named types.Type, iface *types.Interface, method string) []*ssa.Function {
	var out []*ssa.Function
	scope := m.pass.Pkg.Scope()
	names := scope.Names()
	sort.Strings(names)
	for _, name := range names {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		if _, isIface := tn.Type().Underlying().(*types.Interface); isIface {
			continue
		}
		for _, cand := range []types.Type{tn.Type(), types.NewPointer(tn.Type())} {
			if !types.Implements(cand, iface) {
				continue
			}
			if !m.convertedTo(cand, named) {
				break // never made into that interface here
			}
			ms := m.pkg.Prog.MethodSets.MethodSet(cand)
			for i := 0; i < ms.Len(); i++ {
				if ms.At(i).Obj().Name() == method {
					if fn := m.pkg.Prog.MethodValue(ms.At(i)); fn != nil {
						out = append(out, fn)
					}
				}
			}
			break
		}
	}
	return out
}

// openKey identifies an open call by its key and held classes.
func openKey(oc OpenCall) string {
	return oc.Key + "|" + heldKey(oc.Held)
}
