package guardedstate

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// accessKind is what an access does to its location.
type accessKind uint8

const (
	read      accessKind = iota
	write                // a store to the field or variable
	elemWrite            // m[k] = v, delete(m, k), s[i] = v on the field's map or slice
)

func (k accessKind) String() string {
	switch k {
	case write:
		return "written"
	case elemWrite:
		return "written (element)"
	}
	return "read"
}

func (k accessKind) writes() bool { return k != read }

// access is one site that reads or writes a location: a struct field
// (through any pointer path) or a package variable.
type access struct {
	loc   string     // "(pkg.T).f" or "pkg.v"
	field *types.Var // nil for a package variable
	instr ssa.Instruction
	fn    *ssa.Function
	pos   token.Pos
	kind  accessKind
	text  string // as written: "f.sess.epoch"
	// objs are the keys of the objects whose locks can guard the field:
	// objs[0] the struct holding it, then the structs that hold that one
	// by value (f.sess.epoch: f.sess, then f). Empty for variables.
	objs    []string
	objText []string
	root    ssa.Value // the object's root in fn (for freshness)
	val     ssa.Value // the stored value, for writes
	// held: guard id -> the held lock (strongest mode) at the access.
	held    map[string]lockmodel.HeldLock
	exempt  string // why the site does not count ("" if it does)
	direct  bool   // the location is the field of its own struct (not of a container's)
	objPath []string
	locks   []lockmodel.HeldLock // every lock held at the access
	// underLock: some lock is held (or every caller holds one).
	underLock bool
	selPos    token.Pos      // the selector's field name, to find the source text
	addr      *ssa.FieldAddr // the field's address (nil for a package variable), for fill
}

// guardID names a lock relative to an access's object: "0.mu" is the mu
// field of the object holding the field, "1.mu" the mu of the struct
// holding that object by value; a package lock is its global key.
func guardID(level int, path string) string {
	return string(rune('0'+level)) + path
}

// collectAccesses finds every field and package-variable access of fn.
func collectAccesses(fn *ssa.Function, skip func(*types.Var) bool) []*access {
	var out []*access
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.UnOp:
				if x.Op == token.MUL {
					if a := newAccess(x.X, instr, read, skip); a != nil {
						out = append(out, a)
					}
				}
			case *ssa.Store:
				if a := newAccess(x.Addr, instr, write, skip); a != nil {
					a.val = x.Val
					out = append(out, a)
				} else if ia, ok := x.Addr.(*ssa.IndexAddr); ok {
					if a := containerAccess(ia.X, instr, skip); a != nil {
						out = append(out, a)
					}
				}
			case *ssa.MapUpdate:
				if a := containerAccess(x.Map, instr, skip); a != nil {
					out = append(out, a)
				}
			case *ssa.Call:
				if bi, ok := x.Call.Value.(*ssa.Builtin); ok && bi.Name() == "delete" && len(x.Call.Args) == 2 {
					if a := containerAccess(x.Call.Args[0], instr, skip); a != nil {
						out = append(out, a)
					}
				}
			}
		}
	}
	return out
}

// containerAccess: v is the map or slice an element write goes to; it is
// an element write of a location when v was loaded from one (or, for an
// array field, is its address).
func containerAccess(v ssa.Value, instr ssa.Instruction, skip func(*types.Var) bool) *access {
	if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
		v = ld.X
	} else if _, isArr := deref(v.Type()).Underlying().(*types.Array); !isArr {
		return nil
	}
	return newAccess(v, instr, elemWrite, skip)
}

// newAccess builds the access of addr (a *ssa.FieldAddr or *ssa.Global),
// or nil when addr is neither or the location is not shared state.
func newAccess(addr ssa.Value, instr ssa.Instruction, kind accessKind, skip func(*types.Var) bool) *access {
	fn := instr.Parent()
	switch a := addr.(type) {
	case *ssa.FieldAddr:
		st, named := lockmodel.StructOf(a.X.Type())
		if st == nil || named == nil {
			return nil
		}
		f := st.Field(a.Field)
		if skip(f) || notState(f.Type()) {
			return nil
		}
		acc := &access{field: f, instr: instr, fn: fn, pos: instrPos(instr, a), kind: kind, selPos: a.Pos(), addr: a}
		// The location is named from the outermost struct holding the
		// field by value: fetcher.sess.epoch and fixedFetcher.sess.epoch
		// are two locations.
		x, path := a.X, "."+f.Name()
		outer := named
		climbs := 0
		for ; climbs < 4; climbs++ {
			up, ok := x.(*ssa.FieldAddr)
			if !ok {
				break
			}
			ust, un := lockmodel.StructOf(up.X.Type())
			if un == nil {
				break
			}
			path = "." + ust.Field(up.Field).Name() + path
			outer = un
			x = up.X
		}
		acc.loc = "(" + typeName(outer) + ")" + path
		acc.direct = climbs == 0
		return acc
	case *ssa.Global:
		if notState(deref(a.Type())) || a.Pkg == nil || strings.HasPrefix(a.Name(), "init$") {
			return nil
		}
		if a.Object() == nil || a.Object().Pkg() == nil {
			return nil
		}
		return &access{loc: a.Pkg.Pkg.Path() + "." + a.Name(), instr: instr, fn: fn, pos: instrPos(instr, a), kind: kind, text: a.Name()}
	}
	return nil
}

// fill names the objects of a field access (objs, objText, objPath, text,
// root): the lock model's instances of the struct holding the field and
// of its containers by value (the same allocation), whose locks may guard
// it. Only accesses whose locks matter need them: those made with a lock
// held, and every access of a location some lock may guard.
func (a *access) fill() {
	if a.addr == nil || a.objs != nil {
		return
	}
	fa := a.addr
	obj := lockmodel.Resolve(fa.X)
	a.text, a.root = obj.String()+"."+a.field.Name(), obj.Root()
	x := fa.X
	for level := 0; level < 4; level++ {
		o := lockmodel.Resolve(x)
		a.objs = append(a.objs, o.Key())
		a.objText = append(a.objText, o.String())
		a.objPath = append(a.objPath, o.Path())
		up, ok := x.(*ssa.FieldAddr)
		if !ok {
			break
		}
		if _, un := lockmodel.StructOf(up.X.Type()); un == nil {
			break
		}
		x = up.X
	}
}

func instrPos(instr ssa.Instruction, addr ssa.Value) token.Pos {
	if p := instr.Pos(); p.IsValid() {
		return p
	}
	return addr.Pos()
}

// notState: values of this type are synchronization themselves, or are
// accessed only atomically: locks, WaitGroups, Once, Cond, channels,
// sync/atomic types.
func notState(t types.Type) bool {
	t = types.Unalias(t)
	if p, ok := t.Underlying().(*types.Pointer); ok {
		if n, ok := types.Unalias(p.Elem()).(*types.Named); ok && isSyncPkg(n) {
			return true // *sync.Cond, *sync.Mutex
		}
	}
	if _, ok := t.Underlying().(*types.Chan); ok {
		return true
	}
	n, ok := t.(*types.Named)
	return ok && isSyncPkg(n)
}

func isSyncPkg(n *types.Named) bool {
	if n.Obj().Pkg() == nil {
		return false
	}
	switch n.Obj().Pkg().Path() {
	case "sync", "sync/atomic":
		return true
	}
	return false
}

func deref(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func typeName(n *types.Named) string {
	n = n.Origin()
	if n.Obj().Pkg() == nil {
		return n.Obj().Name()
	}
	return n.Obj().Pkg().Path() + "." + n.Obj().Name()
}

// shortLoc is a location for messages: "(kgo.recBuf).sink" -> "recBuf.sink".
func shortLoc(loc string) string {
	loc = strings.TrimPrefix(loc, "(")
	if i := strings.LastIndex(loc, "/"); i >= 0 {
		loc = loc[i+1:]
	}
	if i := strings.Index(loc, "."); i >= 0 {
		loc = loc[i+1:]
	}
	return strings.Replace(loc, ").", ".", 1)
}

// nameRoots renames accesses rooted in local values (which the model can
// only describe by how they were made) by the variable the source uses:
// "c.state", not "newClient.new(client).state".
func nameRoots(accs []*access, sels *selectors) {
	for _, a := range accs {
		sel := sels.at(a.selPos)
		if sel == nil {
			continue
		}
		a.text = types.ExprString(sel)
		base := ast.Expr(sel)
		for {
			switch x := base.(type) {
			case *ast.SelectorExpr:
				base = x.X
				continue
			case *ast.ParenExpr:
				base = x.X
				continue
			case *ast.StarExpr:
				base = x.X
				continue
			}
			break
		}
		id, ok := base.(*ast.Ident)
		if !ok {
			continue
		}
		for i, t := range a.objText {
			if root := strings.TrimSuffix(t, a.objPath[i]); strings.ContainsAny(root, "()") {
				a.objText[i] = id.Name + a.objPath[i]
			}
		}
	}
}

// selectors finds the pass's selector expressions by their field name's
// position, walking only the top-level declarations asked about.
type selectors struct {
	files []*ast.File
	done  map[ast.Decl]bool
	sels  map[token.Pos]*ast.SelectorExpr
}

func newSelectors(files []*ast.File) *selectors {
	return &selectors{files: files, done: map[ast.Decl]bool{}, sels: map[token.Pos]*ast.SelectorExpr{}}
}

// at returns the selector expression whose field name is at pos, or nil.
func (x *selectors) at(pos token.Pos) *ast.SelectorExpr {
	if !pos.IsValid() {
		return nil
	}
	if sel, ok := x.sels[pos]; ok {
		return sel
	}
	for _, f := range x.files {
		if pos < f.FileStart || pos >= f.FileEnd {
			continue
		}
		i := sort.Search(len(f.Decls), func(i int) bool { return f.Decls[i].End() > pos })
		if i == len(f.Decls) || f.Decls[i].Pos() > pos || x.done[f.Decls[i]] {
			break
		}
		x.done[f.Decls[i]] = true
		ast.Inspect(f.Decls[i], func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				x.sels[sel.Sel.Pos()] = sel
			}
			return true
		})
		break
	}
	return x.sels[pos]
}
