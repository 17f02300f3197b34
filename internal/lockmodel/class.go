package lockmodel

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/report"
)

// Expr is how a lock value (or any object reached through fields: a
// channel, a WaitGroup, a Cond) is reached inside one function: a root
// value and a field path, with its class. Resolve makes one.
type Expr struct {
	root   ssa.Value
	global string // package-qualified variable (or "class:C" for a lock known only by class), instead of root
	path   string // ".coord.mu"; "[]" marks an index step
	class  string // "" when the class is decided by the caller (a *sync.Mutex parameter)
	alias  bool   // the expression names one instance (no index, map or phi step)
	// written is the lock as the code names it when the instance was
	// reached through a field bound at construction (instance.go): c.mu,
	// the instance p.mu.
	written string
	// boundBy, for such an instance, is the function whose store bound
	// the field (the constructor newConn, or the function building the
	// object itself).
	boundBy *ssa.Function
}

// Key identifies the instance within its function.
func (e Expr) Key() string {
	if e.global != "" {
		return "global:" + e.global + e.path
	}
	return rootKey(e.root) + e.path
}

func rootKey(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.Parameter:
		for i, p := range v.Parent().Params {
			if p == v {
				return fmt.Sprintf("param%d", i)
			}
		}
	case *ssa.FreeVar:
		for i, p := range v.Parent().FreeVars {
			if p == v {
				return fmt.Sprintf("free%d", i)
			}
		}
	case *ssa.Global:
		return "global:" + GlobalName(v)
	case nil:
		return "nil"
	}
	return "value:" + v.Name()
}

// Ref converts the expression to a Ref a caller can map, if it is rooted
// in a parameter, free variable or package variable.
func (e Expr) Ref() Ref {
	r := noRef()
	if !e.alias {
		return r
	}
	if e.global != "" {
		if strings.HasPrefix(e.global, "class:") {
			return r
		}
		r.Global, r.Path = e.global, e.path
		return r
	}
	switch v := e.root.(type) {
	case *ssa.Parameter:
		for i, p := range v.Parent().Params {
			if p == v {
				r.Param = i
			}
		}
	case *ssa.FreeVar:
		for i, p := range v.Parent().FreeVars {
			if p == v {
				r.FreeVar = i
			}
		}
	default:
		return r
	}
	r.Path = e.path
	return r
}

// Resolve walks a value (the receiver of Lock, a *sync.Mutex; a channel
// loaded from a field) back to its root, computing class and path.
func Resolve(v ssa.Value) Expr {
	var steps []string
	e := Expr{alias: true}
	for {
		if x, field, ok := fieldStep(v); ok {
			st, named := StructOf(x.Type())
			steps = append(steps, "."+st.Field(field).Name())
			if e.class == "" && named != nil {
				e.class = "(" + typeName(named) + ")" + joinRev(steps)
			}
			v = x
			continue
		}
		switch x := v.(type) {
		case *ssa.UnOp:
			if x.Op == token.MUL { // load through a pointer: same instance
				v = x.X
				continue
			}
		case *ssa.IndexAddr, *ssa.Index, *ssa.Lookup:
			steps = append(steps, "[]")
			e.alias = false
			v = *x.(ssa.Instruction).Operands(nil)[0] // the indexed operand
			continue
		case *ssa.ChangeType:
			v = x.X
			continue
		case *ssa.MakeInterface:
			v = x.X
			continue
		case *ssa.TypeAssert:
			v = x.X
			continue
		case *ssa.Alloc:
			// A pointer parameter captured by a closure is spilled to a
			// cell; loads of the cell are the parameter.
			if p := storedParam(x); p != nil {
				if _, isPtr := p.Type().Underlying().(*types.Pointer); isPtr {
					v = p
					continue
				}
			}
		case *ssa.Call:
			// rw.RLocker() is rw's read side: the same lock.
			if fn := x.Call.StaticCallee(); fn != nil && fn.Name() == "RLocker" && SyncType(fn.Signature.Recv().Type()) == "RWMutex" && len(x.Call.Args) == 1 {
				v = x.Call.Args[0]
				continue
			}
			e.alias = false
		case *ssa.Phi:
			e.alias = false
		case *ssa.Extract:
			// A lock returned by a call: the class comes from its type (if
			// a field path followed), the instance is not known to alias.
			e.alias = false
		}
		break
	}
	e.root = v
	e.path = joinRev(steps)
	if g, ok := v.(*ssa.Global); ok {
		e.root, e.global = nil, GlobalName(g)
	}
	if e.class == "" {
		switch r := v.(type) {
		case *ssa.Global:
			e.class = r.Pkg.Pkg.Name() + "." + r.Name() + e.path
		case *ssa.Alloc:
			name := r.Comment
			if name == "complit" || name == "new" || name == "" {
				// sync.NewCond(&sync.Mutex{}): name the type, not how
				// SSA made it ("topology.newPool.new(sync.Mutex)").
				name = "new(" + types.TypeString(deref(r.Type()), pkgNameQualifier) + ")"
			}
			e.class = funcName(r.Parent()) + "." + name + e.path
		case *ssa.Parameter, *ssa.FreeVar:
			if e.path != "" {
				e.class = funcName(v.Parent()) + "." + v.Name() + e.path
			} else if b, ok := capturedLocal(v); ok {
				// A local mutex the closure captures: the enclosing
				// function's variable, whose class it has there.
				e.class = Resolve(b).class
			}
			// else: the lock is an argument; the caller supplies the class.
		default:
			if v != nil && v.Parent() != nil {
				e.class = funcName(v.Parent()) + "." + v.Name() + e.path
			}
		}
	}
	return e
}

// capturedLocal returns the local variable (its cell) of the enclosing
// function that free variable v of a closure captures, when the closure is
// made in one place and v is bound there to a local or to the enclosing
// closure's own captured local.
func capturedLocal(v ssa.Value) (ssa.Value, bool) {
	fv, ok := v.(*ssa.FreeVar)
	if !ok || fv.Parent().Parent() == nil {
		return nil, false
	}
	fn := fv.Parent()
	idx := slices.Index(fn.FreeVars, fv)
	var bound ssa.Value
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn && idx < len(mc.Bindings) {
				if bound != nil {
					return nil, false
				}
				bound = mc.Bindings[idx]
			}
		}
	}
	switch bound.(type) {
	case *ssa.Alloc:
		return bound, true
	case *ssa.FreeVar:
		return capturedLocal(bound)
	}
	return nil, false
}

// fieldStep recognizes a field selection (x.f through a pointer or on a
// struct value) and returns the struct operand and the field index.
func fieldStep(v ssa.Value) (ssa.Value, int, bool) {
	switch x := v.(type) {
	case *ssa.FieldAddr:
		return x.X, x.Field, true
	case *ssa.Field:
		return x.X, x.Field, true
	}
	return nil, 0, false
}

// GlobalName is a package variable's package-qualified name.
func GlobalName(g *ssa.Global) string {
	return g.Pkg.Pkg.Path() + "." + g.Name()
}

func joinRev(steps []string) string {
	var b strings.Builder
	for i := len(steps) - 1; i >= 0; i-- {
		b.WriteString(steps[i])
	}
	return b.String()
}

// StructOf returns the struct type that a (pointer to a) value of type t
// has, and its named type if it is named.
func StructOf(t types.Type) (*types.Struct, *types.Named) {
	if p, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	t = types.Unalias(t)
	named, _ := t.(*types.Named)
	if tp, ok := t.(*types.TypeParam); ok {
		t = tp.Constraint()
	}
	st, _ := t.Underlying().(*types.Struct)
	if st == nil {
		// Type parameter with a core struct type: rare; give an empty struct.
		st = types.NewStruct(nil, nil)
	}
	return st, named
}

// typeName is the package-qualified name of a named type, generic
// instances folded onto their origin.
func typeName(n *types.Named) string {
	n = n.Origin()
	obj := n.Obj()
	if obj.Pkg() == nil {
		return obj.Name()
	}
	return obj.Pkg().Name() + "." + obj.Name()
}

// typePath is the import-path-qualified name of a named type, for keys.
func typePath(n *types.Named) string {
	n = n.Origin()
	obj := n.Obj()
	if obj.Pkg() == nil {
		return obj.Name()
	}
	return obj.Pkg().Path() + "." + obj.Name()
}

// FuncRefOf names fn as kafkalint's reports do; generic instances are
// named by their origin.
func FuncRefOf(fn *ssa.Function) report.FuncRef {
	if fn == nil {
		return report.FuncRef{Name: "?"}
	}
	if fn.Parent() != nil {
		r := FuncRefOf(fn.Parent())
		r.Closure += strings.TrimPrefix(fn.Name(), fn.Parent().Name())
		return r
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if recv := fn.Signature.Recv(); recv != nil {
		t := types.Unalias(recv.Type())
		p, ptr := t.(*types.Pointer)
		if ptr {
			t = types.Unalias(p.Elem())
		}
		if n, ok := t.(*types.Named); ok {
			obj := n.Origin().Obj()
			r := report.FuncRef{Recv: obj.Name(), Ptr: ptr, Name: fn.Name()}
			if obj.Pkg() != nil {
				r.Pkg = obj.Pkg().Name()
			}
			return r
		}
		return report.FuncRef{Name: fn.Name()}
	}
	if fn.Pkg != nil {
		return report.FuncRef{Pkg: fn.Pkg.Pkg.Name(), Name: fn.Name()}
	}
	if obj := fn.Object(); obj != nil && obj.Pkg() != nil {
		return report.FuncRef{Pkg: obj.Pkg().Name(), Name: fn.Name()}
	}
	return report.FuncRef{Name: fn.Name()}
}

// FuncName names fn as kafkalint's reports do ("(*kgo.Client).Close").
func FuncName(fn *ssa.Function) string { return FuncRefOf(fn).String() }

func funcName(fn *ssa.Function) string { return FuncRefOf(fn).String() }

// ShortClass trims a class for messages: "(client.Client).mu" -> "client.Client.mu".
func ShortClass(c string) string {
	if strings.HasPrefix(c, "(") {
		if i := strings.Index(c, ")"); i > 0 {
			return c[1:i] + c[i+1:]
		}
	}
	return c
}

// exprString renders the lock expression as source-like text for sites,
// e.g. "c.mu".
func exprString(e Expr) string {
	if e.written != "" {
		return e.written
	}
	name := "?"
	if strings.HasPrefix(e.global, "class:") && e.class != "" {
		return ShortClass(e.class) // a lock known by its class only
	}
	if e.global != "" {
		name = e.global[strings.LastIndexAny(e.global, "/.:")+1:]
	}
	switch r := e.root.(type) {
	case *ssa.Parameter:
		name = r.Name()
	case *ssa.FreeVar:
		name = r.Name()
	case *ssa.Global:
		name = r.Name()
	case *ssa.Alloc:
		switch r.Comment {
		case "complit", "new", "slicelit", "varargs", "makeslice", "":
			// s := &T{}: SSA keeps no variable name, only how it was
			// made; "complit.mu" means nothing to a reader.
			if e.class != "" {
				return ShortClass(e.class)
			}
		default:
			name = r.Comment
		}
	case nil:
	default:
		// An SSA temporary (t12) means nothing to a reader: name the class.
		if e.class != "" {
			return ShortClass(e.class)
		}
		name = r.Name()
	}
	return name + strings.ReplaceAll(e.path, "[]", "[…]")
}

// classAlong computes the class of the lock reached from a value of type t
// by path (".a.b.mu", "[]" for elements), as resolve would have named it:
// the innermost named struct on the path and the fields after it. "" when
// the path does not fit the type.
func classAlong(t types.Type, path string) string {
	if path == "" {
		return ""
	}
	var segs []string
	for rest := path; rest != ""; {
		switch {
		case strings.HasPrefix(rest, "[]"):
			segs = append(segs, "[]")
			rest = rest[2:]
		case rest[0] == '.':
			i := strings.IndexAny(rest[1:], ".[")
			if i < 0 {
				i = len(rest) - 1
			}
			segs = append(segs, rest[:i+1])
			rest = rest[i+1:]
		default:
			return ""
		}
	}
	class := ""
	for i, seg := range segs {
		if seg == "[]" {
			t = types.Unalias(t)
			if p, ok := t.Underlying().(*types.Pointer); ok {
				t = p.Elem()
			}
			switch u := t.Underlying().(type) {
			case *types.Slice:
				t = u.Elem()
			case *types.Array:
				t = u.Elem()
			case *types.Map:
				t = u.Elem()
			default:
				return ""
			}
			continue
		}
		st, named := StructOf(t)
		var f *types.Var
		for j := 0; j < st.NumFields(); j++ {
			if "."+st.Field(j).Name() == seg {
				f = st.Field(j)
				break
			}
		}
		if f == nil {
			return ""
		}
		if named != nil {
			class = "(" + typeName(named) + ")" + strings.Join(segs[i:], "")
		}
		t = f.Type()
	}
	return class
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// pkgNameQualifier writes package names, not paths ("sync.Mutex").
func pkgNameQualifier(p *types.Package) string { return p.Name() }

// Root is the value the expression starts from (nil for a package
// variable or a lock known only by class).
func (e Expr) Root() ssa.Value { return e.root }

// Global is the package-qualified variable the expression starts from, or
// "class:C" for a lock known only by its class; "" when it has a Root.
func (e Expr) Global() string { return e.global }

// Path is the field path from the root: ".coord.mu"; "[]" marks an index.
func (e Expr) Path() string { return e.path }

// Class is the lock class, "(pkg.T).field"; "" when the caller decides
// it (a *sync.Mutex parameter).
func (e Expr) Class() string { return e.class }

// Alias reports whether the expression names one instance (no index, map
// or phi step).
func (e Expr) Alias() bool { return e.alias }

// String renders the expression as source-like text, e.g. "c.mu".
func (e Expr) String() string { return exprString(e) }

// Under re-roots e, an expression relative to a value, at base (the
// value's own expression in a caller): base's root and path, then e's
// path; e's class.
func (e Expr) Under(base Expr) Expr {
	return Expr{root: base.root, global: base.global, path: base.path + e.path, class: e.class, alias: base.alias && e.alias}
}

// Field is e followed by path (".done"), with no class.
func (e Expr) Field(path string) Expr {
	return Expr{root: e.root, global: e.global, path: e.path + path, alias: e.alias}
}

// GlobalExpr is the expression of package variable global (as GlobalName
// gives it) followed by path.
func GlobalExpr(global, path string) Expr {
	return Expr{global: global, path: path, alias: true}
}
