package guardedstate

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// annotations are gVisor checklocks' comments, accepted verbatim:
//
//	// +checklocks:mu          on a field or package variable: mu guards it
//	// +checklocksignore       on a field, a function or a line: not checked
//	// +checkatomic            on a field: accessed atomically (not checked here)
//	// +checklocks:s.mu        on a function: s.mu is held on entry
//	// +checklocksread:s.mu    on a function: s.mu is read-locked on entry
//	// +checklocksrelease:s.mu on a function: held on entry, released inside
//
// Other checklocks directives (acquire, exclude, alias, force, fail) say
// nothing this analyzer uses and are ignored.
type annotations struct {
	fields  map[*types.Var][]string // field or package variable -> guard ids
	ignored map[*types.Var]bool     // +checklocksignore, +checkatomic
	funcs   map[*types.Func]*entryState
	skipFns map[*types.Func]bool
	lines   map[string]bool // "file:line" of +checklocksignore comments
}

func parseAnnotations(pass *analysis.Pass) *annotations {
	ann := &annotations{fields: map[*types.Var][]string{}, ignored: map[*types.Var]bool{},
		funcs: map[*types.Func]*entryState{}, skipFns: map[*types.Func]bool{}, lines: map[string]bool{}}
	if !hasDirective(pass.Files, "+check") {
		return ann // no directive to find: skip the walk
	}
	for _, f := range pass.Files {
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				if strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(c.Text, "//")), "+checklocksignore") {
					p := pass.Fset.Position(c.Slash)
					ann.lines[fmt.Sprintf("%s:%d", p.Filename, p.Line)] = true
					ann.lines[fmt.Sprintf("%s:%d", p.Filename, p.Line+1)] = true
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.StructType:
				for _, fld := range n.Fields.List {
					ann.onVars(pass, fld.Names, directives(fld.Doc, fld.Comment), nil)
				}
			case *ast.GenDecl:
				for _, spec := range n.Specs {
					if vs, ok := spec.(*ast.ValueSpec); ok {
						doc := vs.Doc
						if doc == nil && len(n.Specs) == 1 {
							doc = n.Doc
						}
						ann.onVars(pass, vs.Names, directives(doc, vs.Comment), pass.Pkg)
					}
				}
			case *ast.FuncDecl:
				ann.onFunc(pass, n)
			}
			return true
		})
	}
	return ann
}

// hasDirective: some comment of files starts with prefix ("+check": any
// directive; "+checklocks": one that may name a lock).
func hasDirective(files []*ast.File, prefix string) bool {
	for _, f := range files {
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				if strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(c.Text, "//")), prefix) {
					return true
				}
			}
		}
	}
	return false
}

type directive struct{ name, arg string }

func directives(groups ...*ast.CommentGroup) []directive {
	var out []directive
	for _, g := range groups {
		if g == nil {
			continue
		}
		for _, c := range g.List {
			text := strings.TrimSpace(strings.TrimPrefix(c.Text, "//"))
			if !strings.HasPrefix(text, "+check") {
				continue
			}
			text = strings.Fields(text)[0]
			name, arg, _ := strings.Cut(text[1:], ":")
			out = append(out, directive{name, arg})
		}
	}
	return out
}

// onVars records field (global == nil) or package variable annotations.
func (ann *annotations) onVars(pass *analysis.Pass, names []*ast.Ident, ds []directive, global *types.Package) {
	for _, id := range names {
		v, _ := pass.TypesInfo.Defs[id].(*types.Var)
		if v == nil {
			continue
		}
		for _, d := range ds {
			switch d.name {
			case "checklocks":
				if d.arg == "" {
					continue
				}
				for _, g := range strings.Split(d.arg, ",") {
					ann.fields[v] = append(ann.fields[v], ann.guardOf(pass, strings.TrimSpace(g), global != nil))
				}
			case "checklocksignore", "checkatomic", "checkatomicignore":
				ann.ignored[v] = true
			}
		}
	}
}

// guardOf turns an annotation's lock into a guard id: on a field, a path
// from the struct holding it ("mu", "inner.mu"); on a package variable,
// another package variable.
func (ann *annotations) guardOf(pass *analysis.Pass, lock string, global bool) string {
	if global {
		return "global:" + pass.Pkg.Path() + "." + lock
	}
	return guardID(0, "."+lock)
}

func (ann *annotations) onFunc(pass *analysis.Pass, fd *ast.FuncDecl) {
	fn, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
	if fn == nil {
		return
	}
	sig := fn.Type().(*types.Signature)
	var params []*types.Var
	if sig.Recv() != nil {
		params = append(params, sig.Recv())
	}
	for i := 0; i < sig.Params().Len(); i++ {
		params = append(params, sig.Params().At(i))
	}
	for _, d := range directives(fd.Doc) {
		mode := lockmodel.Write
		switch d.name {
		case "checklocksignore":
			ann.skipFns[fn] = true
			continue
		case "checklocks", "checklocksrelease":
		case "checklocksread", "checklocksreleaseread":
			mode = lockmodel.Read
		default:
			continue
		}
		for _, lock := range strings.Split(d.arg, ",") {
			lock = strings.TrimSpace(lock)
			first, rest, _ := strings.Cut(lock, ".")
			key := ""
			for i, p := range params {
				if p.Name() == first && rest != "" {
					key = fmt.Sprintf("param%d.%s", i, rest)
				}
			}
			if key == "" {
				if obj, ok := pass.Pkg.Scope().Lookup(first).(*types.Var); ok {
					key = "global:" + obj.Pkg().Path() + "." + lock
				}
			}
			if key == "" {
				continue
			}
			es := ann.funcs[fn]
			if es == nil {
				es = &entryState{held: map[string]lockmodel.HeldLock{}, majority: map[string]helperLock{}, fresh: map[string]bool{}, annotated: true}
				ann.funcs[fn] = es
			}
			es.held[key] = lockmodel.HeldLock{Key: key, Mode: mode, Lock: lock}
		}
	}
}

// entryOf: the annotated entry state of fn, if any.
func (ann *annotations) entryOf(fn *ssa.Function) *entryState {
	if obj, ok := fn.Object().(*types.Func); ok && fn.Parent() == nil {
		return ann.funcs[obj]
	}
	return nil
}

func (ann *annotations) skipFunc(fn *ssa.Function) bool {
	for f := fn; f != nil; f = f.Parent() {
		if obj, ok := f.Object().(*types.Func); ok && ann.skipFns[obj] {
			return true
		}
	}
	return false
}
