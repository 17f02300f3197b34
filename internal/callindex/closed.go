package callindex

import (
	"go/types"
	"sync"

	"golang.org/x/tools/go/ssa"
)

// Closed types. A method's name being exported, or an interface of the
// package naming it, makes it an entry anyone may call (Callers says
// incomplete). For an unexported type whose values never leave the
// package that is too much: code outside cannot hold one, so every call of
// its methods is in this package, direct or through an interface call of
// the method's name. Values leave the package (Closed is false) when the
// type, a pointer, slice, map, chan, array, func or unnamed struct of it,
// or an unexported interface of the package it is converted to:
//   - is converted to any other interface (any, error, fmt.Stringer, an
//     exported interface), passed to an interface conversion or assertion
//     from such an interface, or to unsafe.Pointer;
//   - appears in the signature of an exported-named function or method
//     (other than a method of the type itself), in an exported package
//     variable, in an exported field, or is embedded (its methods promoted);
//   - is passed to a call whose callee is not this package's own (another
//     package's function, an interface call, a func value);
//
// or the type is generic. The check is over the package's source functions
// (the test files' too, with -test).

// ConfinedRoots is GoroutineRoots where a method of a Closed type is not an
// entry: its callers are its direct calls and every interface call of its
// name in the package (unless its address is taken or it is started).
// Goroutine confinement (lockorder) asks it; the other questions keep
// GoroutineRoots.
func (ix *Index) ConfinedRoots(fn *ssa.Function, limit int) (roots []*ssa.Function, ok bool) {
	ix.build()
	seen := map[*ssa.Function]bool{fn: true}
	work := []*ssa.Function{fn}
	for len(work) > 0 {
		f := work[0]
		work = work[1:]
		if len(seen) > limit {
			return nil, false
		}
		calls, complete := ix.closedCallers(f)
		if !complete {
			roots = append(roots, f)
		}
		for _, c := range calls {
			if !seen[c.Caller] {
				seen[c.Caller] = true
				work = append(work, c.Caller)
			}
		}
	}
	return roots, true
}

// closedCallers: Callers, completed for the methods of Closed types.
func (ix *Index) closedCallers(fn *ssa.Function) ([]Call, bool) {
	calls, complete := ix.Callers(fn)
	if complete || fn.Pkg != ix.pkg || fn.Parent() != nil || fn.Synthetic != "" || ix.taken[fn] || len(ix.startsOf[fn]) > 0 {
		return calls, complete
	}
	n := recvNamed(fn)
	if n == nil || !ix.Closed(n) {
		return calls, false
	}
	// Only an interface the type is converted to can hold one, or a type
	// parameter (a generic function of the package instantiated with it).
	targets := ix.closedTargets(n)
	var cs []Call
	for _, c := range ix.closedInfo().invokesOf[fn.Name()] {
		t := types.Unalias(c.Instr.(ssa.CallInstruction).Common().Value.Type())
		if _, tp := t.(*types.TypeParam); tp || targets[t] {
			cs = append(cs, c)
		}
	}
	if len(calls)+len(cs) == 0 {
		return nil, false // never called: an entry after all (or dead)
	}
	return append(append([]Call(nil), calls...), cs...), true
}

// recvNamed: the named type of fn's receiver (T for T and *T), or nil.
func recvNamed(fn *ssa.Function) *types.Named {
	r := fn.Signature.Recv()
	if r == nil {
		return nil
	}
	t := types.Unalias(r.Type())
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, _ := t.(*types.Named)
	return n
}

// closedFacts is what the Closed checks read, gathered once per package.
type closedFacts struct {
	// converts: each interface conversion's source type and interface.
	converts [][2]types.Type
	// out: types of values that leave the package when they mention a
	// target (arguments of calls to code not this package's, sources of
	// conversions between interfaces and to unsafe.Pointer, exported
	// signatures, variables and fields, embedded fields).
	out []outUse
	// invokesOf: the package's interface calls, by method name.
	invokesOf map[string][]Call
	mu        sync.Mutex
	memo      map[*types.Named]map[types.Type]bool // Closed types: the type and the interfaces it is converted to; nil if not Closed
}

type outUse struct {
	t    types.Type
	recv *types.Named // an exported-named method's receiver type: not out for that type's own check
}

func (ix *Index) closedInfo() *closedFacts {
	ix.build()
	ix.closedOnce.Do(func() { ix.closedF = gatherClosed(ix.pkg, ix.funcs) })
	return ix.closedF
}

func gatherClosed(pkg *ssa.Package, funcs []*ssa.Function) *closedFacts {
	cf := &closedFacts{invokesOf: map[string][]Call{}, memo: map[*types.Named]map[types.Type]bool{}}
	if pkg == nil {
		return cf
	}
	// Every function of the package: the source functions, the package
	// initializer and the closures of both (a package variable's function
	// literal is a closure of init, not a source function).
	all := []*ssa.Function{}
	seen := map[*ssa.Function]bool{}
	var add func(fn *ssa.Function)
	add = func(fn *ssa.Function) {
		if fn == nil || seen[fn] {
			return
		}
		seen[fn] = true
		all = append(all, fn)
		for _, a := range fn.AnonFuncs {
			add(a)
		}
	}
	add(pkg.Func("init"))
	for _, fn := range funcs {
		add(fn)
	}
	for _, fn := range all {
		if o := fn.Object(); o != nil && fn.Parent() == nil && o.Exported() {
			cf.out = append(cf.out, outUse{t: fn.Signature, recv: recvNamed(fn)})
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.MakeInterface:
					cf.converts = append(cf.converts, [2]types.Type{x.X.Type(), x.Type()})
				case *ssa.ChangeInterface:
					cf.out = append(cf.out, outUse{t: x.X.Type()})
				case *ssa.TypeAssert:
					if types.IsInterface(x.AssertedType) {
						cf.out = append(cf.out, outUse{t: x.X.Type()})
					}
				case *ssa.Convert:
					cf.out = append(cf.out, outUse{t: x.X.Type()})
				case ssa.CallInstruction:
					c := x.Common()
					if c.IsInvoke() {
						cf.invokesOf[c.Method.Name()] = append(cf.invokesOf[c.Method.Name()], Call{Instr: instr, Caller: fn})
					} else if callee := c.StaticCallee(); callee != nil && (callee.Pkg == pkg || callee.Origin() != nil && callee.Origin().Pkg == pkg) {
						continue // this package's own (a generic function's instance too)
					} else if _, builtin := c.Value.(*ssa.Builtin); builtin {
						continue
					}
					for _, a := range c.Args {
						cf.out = append(cf.out, outUse{t: a.Type()})
					}
				}
			}
		}
	}
	scope := pkg.Pkg.Scope()
	for _, name := range scope.Names() {
		switch o := scope.Lookup(name).(type) {
		case *types.Var:
			if o.Exported() {
				cf.out = append(cf.out, outUse{t: o.Type()})
			}
		case *types.TypeName:
			if o.IsAlias() {
				continue
			}
			if st, ok := o.Type().Underlying().(*types.Struct); ok {
				for i := 0; i < st.NumFields(); i++ {
					if f := st.Field(i); f.Exported() || f.Embedded() {
						cf.out = append(cf.out, outUse{t: f.Type()})
					}
				}
			}
		}
	}
	return cf
}

// Closed reports whether values of t, an unexported type of this package,
// never leave it (see above).
func (ix *Index) Closed(t *types.Named) bool {
	return ix.closedTargets(t) != nil
}

// closedTargets: for a Closed type, the type and the package's interfaces
// it is converted to; nil otherwise.
func (ix *Index) closedTargets(t *types.Named) map[types.Type]bool {
	cf := ix.closedInfo()
	cf.mu.Lock()
	defer cf.mu.Unlock()
	if c, ok := cf.memo[t]; ok {
		return c
	}
	c := ix.closed1(cf, t)
	cf.memo[t] = c
	return c
}

func (ix *Index) closed1(cf *closedFacts, t *types.Named) map[types.Type]bool {
	obj := t.Obj()
	if ix.pkg == nil || obj.Exported() || obj.Pkg() != ix.pkg.Pkg || obj.Parent() != ix.pkg.Pkg.Scope() || t.TypeParams().Len() > 0 || types.IsInterface(t) {
		return nil
	}
	targets := map[types.Type]bool{t: true}
	// Interfaces the type (or a value mentioning it) is converted to: only
	// unexported, non-generic ones of this package, which join the targets.
	for changed := true; changed; {
		changed = false
		for _, cv := range cf.converts {
			if !mentions(cv[0], targets) {
				continue
			}
			in, ok := types.Unalias(cv[1]).(*types.Named)
			if !ok || in.Obj().Exported() || in.Obj().Pkg() != ix.pkg.Pkg || in.TypeParams().Len() > 0 {
				return nil
			}
			if !targets[in] {
				targets[in] = true
				changed = true
			}
		}
	}
	for _, u := range cf.out {
		if u.recv != nil && targets[u.recv] {
			continue
		}
		if mentions(u.t, targets) {
			return nil
		}
	}
	return targets
}

// mentions: t is one of targets or built from one without naming another
// type (pointers, slices, arrays, maps, chans, funcs, unnamed structs).
func mentions(t types.Type, targets map[types.Type]bool) bool {
	return mentions1(t, targets, 0)
}

func mentions1(t types.Type, targets map[types.Type]bool, depth int) bool {
	if t == nil || depth > 16 {
		return false
	}
	t = types.Unalias(t)
	if targets[t] {
		return true
	}
	switch x := t.(type) {
	case *types.Named:
		// A type declared inside a function is read through: its fields
		// are reachable wherever its values go.
		if o := x.Obj(); o.Pkg() != nil && o.Parent() != nil && o.Parent() != o.Pkg().Scope() {
			return mentions1(x.Underlying(), targets, depth+1)
		}
	case *types.Pointer:
		return mentions1(x.Elem(), targets, depth+1)
	case *types.Slice:
		return mentions1(x.Elem(), targets, depth+1)
	case *types.Array:
		return mentions1(x.Elem(), targets, depth+1)
	case *types.Map:
		return mentions1(x.Key(), targets, depth+1) || mentions1(x.Elem(), targets, depth+1)
	case *types.Chan:
		return mentions1(x.Elem(), targets, depth+1)
	case *types.Signature:
		return mentions1(x.Params(), targets, depth+1) || mentions1(x.Results(), targets, depth+1)
	case *types.Tuple:
		for i := 0; i < x.Len(); i++ {
			if mentions1(x.At(i).Type(), targets, depth+1) {
				return true
			}
		}
	case *types.Struct:
		for i := 0; i < x.NumFields(); i++ {
			if mentions1(x.Field(i).Type(), targets, depth+1) {
				return true
			}
		}
	}
	return false
}
