package waitmodel

import (
	"fmt"
	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/kafkalint/kafkalint/internal/report"
	"golang.org/x/tools/go/ssa"
)

// This file recognizes the operations the shutdown analyzers reason about
// (channel sends, receives, closes and selects, context Done and cancel,
// WaitGroup and Cond calls) and names the things they wait on.

// PathStep is one step of a route through the code.
type PathStep struct {
	Pos  token.Pos
	What string
	// Callee, on a step that calls a function ("calls (*T).drain"), is
	// that function; zero on other steps.
	Callee report.FuncRef
}

// Frame is one activation on a call path from a root function: the function
// and the values its parameters and free variables are bound to there.
// Values of an inner Frame are lifted to the root to compare instances.
type Frame struct {
	fn       *ssa.Function
	args     []ssa.Value // for a call: the arguments (receiver first)
	bindings []ssa.Value // for a closure: the MakeClosure bindings
	parent   *Frame
	call     token.Pos // where the parent calls fn
}

// RootFrame is the frame of fn at the root of a call path.
func RootFrame(fn *ssa.Function) *Frame { return &Frame{fn: fn} }

// Fn is the frame's function.
func (f *Frame) Fn() *ssa.Function { return f.fn }

// Callee returns the Frame of a static call's callee.
func (f *Frame) Callee(c *ssa.CallCommon, callee *ssa.Function, pos token.Pos) *Frame {
	nf := &Frame{fn: callee, args: c.Args, parent: f, call: pos}
	if mc, ok := c.Value.(*ssa.MakeClosure); ok {
		nf.bindings = mc.Bindings
	}
	return nf
}

// Depth is the number of frames above f.
func (f *Frame) Depth() int {
	n := 0
	for p := f.parent; p != nil; p = p.parent {
		n++
	}
	return n
}

// Lift maps an expression of f's function onto the root Frame's values.
func (f *Frame) Lift(e lockmodel.Expr) (lockmodel.Expr, bool) {
	for g := f; g.parent != nil; g = g.parent {
		if e.Global() != "" {
			return e, true
		}
		var base ssa.Value
		switch r := e.Root().(type) {
		case *ssa.Parameter:
			i := paramIndex(r)
			if i < 0 || i >= len(g.args) {
				return lockmodel.Expr{}, false
			}
			base = g.args[i]
		case *ssa.FreeVar:
			i := freeVarIndex(r)
			if i < 0 || i >= len(g.bindings) {
				return lockmodel.Expr{}, false
			}
			base = g.bindings[i]
		default:
			return lockmodel.Expr{}, false
		}
		be := lockmodel.Resolve(base)
		e = e.Under(be)
	}
	return e, true
}

// LiftRef maps a Ref relative to f's function (a summary's or a held
// lock's) onto the root Frame's values.
func (f *Frame) LiftRef(r lockmodel.Ref) (lockmodel.Expr, bool) {
	var base ssa.Value
	switch {
	case r.Global != "":
		return lockmodel.GlobalExpr(r.Global, r.Path), true
	case f.parent == nil:
		return lockmodel.Expr{}, false
	case r.Param >= 0 && r.Param < len(f.args):
		base = f.args[r.Param]
	case r.FreeVar >= 0 && r.FreeVar < len(f.bindings):
		base = f.bindings[r.FreeVar]
	default:
		return lockmodel.Expr{}, false
	}
	be := lockmodel.Resolve(base)
	return f.parent.Lift(be.Field(r.Path))
}

func paramIndex(p *ssa.Parameter) int {
	for i, q := range p.Parent().Params {
		if q == p {
			return i
		}
	}
	return -1
}

func freeVarIndex(v *ssa.FreeVar) int {
	for i, q := range v.Parent().FreeVars {
		if q == v {
			return i
		}
	}
	return -1
}

// ChanOp is a channel operation: what a goroutine does to a channel.
type ChanOp int

const (
	OpRecv ChanOp = iota + 1
	OpSend
	OpClose
)

// ChanOpOf recognizes a plain receive (<-ch, also v, ok := <-ch), a send
// and close(ch). Operations inside a select are not plain: see Select.
func ChanOpOf(instr ssa.Instruction) (ChanOp, ssa.Value) {
	switch x := instr.(type) {
	case *ssa.UnOp:
		if x.Op == token.ARROW {
			return OpRecv, x.X
		}
	case *ssa.Send:
		return OpSend, x.Chan
	case *ssa.Call:
		if isBuiltin(x.Common(), "close") {
			return OpClose, x.Call.Args[0]
		}
	case *ssa.Defer:
		if isBuiltin(x.Common(), "close") {
			return OpClose, x.Call.Args[0]
		}
	}
	return 0, nil
}

func isBuiltin(c *ssa.CallCommon, name string) bool {
	b, ok := c.Value.(*ssa.Builtin)
	return ok && b.Name() == name && len(c.Args) == 1
}

// SelectCase returns the case index of select sel that is taken on the
// edge from block b to its successor succ, or -1 when the edge does not
// decide a case. The SSA of a select compares its index result with each
// case number in turn.
func SelectCase(b *ssa.BasicBlock, succ int) (*ssa.Select, int) {
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return nil, -1
	}
	cmp, ok := ifi.Cond.(*ssa.BinOp)
	if !ok || cmp.Op != token.EQL {
		return nil, -1
	}
	ex, ok := cmp.X.(*ssa.Extract)
	if !ok || ex.Index != 0 {
		return nil, -1
	}
	sel, ok := ex.Tuple.(*ssa.Select)
	if !ok {
		return nil, -1
	}
	k, ok := cmp.Y.(*ssa.Const)
	if !ok || k.Value == nil {
		return nil, -1
	}
	if succ != 0 {
		return sel, -1 // the false edge: some later case, or the default
	}
	return sel, int(k.Int64())
}

// DoneOf recognizes ctx.Done(): the receive channel of a context. It
// returns the context value.
func DoneOf(v ssa.Value) (ssa.Value, bool) {
	call, ok := v.(*ssa.Call)
	if !ok {
		return nil, false
	}
	c := call.Common()
	if c.IsInvoke() && c.Method.Name() == "Done" && callindex.IsContext(c.Value.Type()) {
		return c.Value, true
	}
	return nil, false
}

// IsTimerChan recognizes channels from package time: time.After(d),
// time.Tick(d), t.C of a *time.Timer or *time.Ticker. They fire by
// themselves.
func IsTimerChan(v ssa.Value) bool {
	switch x := v.(type) {
	case *ssa.Call:
		if fn := x.Common().StaticCallee(); fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == "time" {
			return true
		}
	case *ssa.UnOp:
		if fa, ok := x.X.(*ssa.FieldAddr); ok {
			if _, named := lockmodel.StructOf(fa.X.Type()); named != nil && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "time" {
				return true
			}
		}
	case *ssa.ChangeType:
		return IsTimerChan(x.X)
	}
	return false
}

// MakeChanOf returns the make(chan) a channel value was created by, when
// the value is the result of make or is loaded from a local variable that
// is only ever assigned that make.
func (wm *Model) MakeChanOf(v ssa.Value) *ssa.MakeChan {
	for i := 0; i < 8; i++ {
		switch x := v.(type) {
		case *ssa.MakeChan:
			return x
		case *ssa.ChangeType:
			v = x.X
			continue
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return nil
			}
			v = x.X
			continue
		case *ssa.Alloc:
			return singleStoredChan(x)
		case *ssa.FreeVar:
			b := wm.Binding(x)
			if b == nil {
				return nil
			}
			v = b
			continue
		}
		return nil
	}
	return nil
}

// singleStoredChan returns the make(chan) stored in a local variable when
// that is the only store to it and the variable is not otherwise written
// through.
func singleStoredChan(a *ssa.Alloc) *ssa.MakeChan {
	var mc *ssa.MakeChan
	for _, r := range *a.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr != a {
				return nil // the variable's address is stored somewhere
			}
			m, ok := r.Val.(*ssa.MakeChan)
			if !ok || mc != nil {
				return nil
			}
			mc = m
		case *ssa.UnOp, *ssa.MakeClosure, *ssa.DebugRef:
		default:
			return nil
		}
	}
	return mc
}

// Binding returns the value a closure's free variable is bound to, when the
// closure is created in one place.
func (wm *Model) Binding(fv *ssa.FreeVar) ssa.Value {
	mcs := wm.ix.Closures(fv.Parent())
	if len(mcs) != 1 {
		return nil
	}
	i := freeVarIndex(fv)
	if i < 0 || i >= len(mcs[0].Bindings) {
		return nil
	}
	return mcs[0].Bindings[i]
}

// chanClass names what a channel value is, for matching a wait with what
// ends it across functions: "(pkg.T).done" for a struct field, "make@file:line:col"
// for a channel made in this package and kept in local variables, ""
// when unknown (a parameter, a call result).
func (wm *Model) chanClass(v ssa.Value) string {
	if mc := wm.MakeChanOf(v); mc != nil {
		p := wm.pass.Fset.Position(mc.Pos())
		return fmt.Sprintf("make@%s:%d:%d", p.Filename, p.Line, p.Column)
	}
	e := lockmodel.Resolve(v)
	if e.Path() != "" && len(e.Class()) > 0 && e.Class()[0] == '(' {
		return e.Class()
	}
	if e.Global() != "" {
		return "global:" + e.Global() + e.Path()
	}
	return ""
}

// SrcText returns how the source writes the channel (or receiver) of the
// operation at pos: the operand of <-ch (pos is the arrow), the channel of
// a send (pos is its arrow), the argument of close(ch), the receiver of
// wg.Done() or the function of cancel() (pos is the call's parenthesis).
// It falls back to the model's rendering of v.
func (wm *Model) SrcText(pos token.Pos, v ssa.Value) string {
	wm.srcOnce.Do(func() {
		wm.exprAt = map[token.Pos]ast.Expr{}
		wm.callAt = map[token.Pos]*ast.CallExpr{}
		for _, f := range wm.pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.UnaryExpr:
					if n.Op == token.ARROW {
						wm.exprAt[n.OpPos] = n.X
					}
				case *ast.SendStmt:
					wm.exprAt[n.Arrow] = n.Chan
				case *ast.CallExpr:
					wm.callAt[n.Lparen] = n
					switch fun := ast.Unparen(n.Fun).(type) {
					case *ast.Ident:
						if fun.Name == "close" && len(n.Args) == 1 {
							wm.exprAt[n.Lparen] = n.Args[0]
						} else {
							wm.exprAt[n.Lparen] = fun
						}
					case *ast.SelectorExpr:
						wm.exprAt[n.Lparen] = fun.X
					default:
						wm.exprAt[n.Lparen] = fun
					}
				}
				return true
			})
		}
	})
	if e, ok := wm.exprAt[pos]; ok {
		return types.ExprString(e)
	}
	if v == nil {
		return ""
	}
	return lockmodel.Resolve(v).String()
}

// funText returns how the source writes the function called at pos, e.g.
// "c.session.cancel".
func (wm *Model) funText(pos token.Pos, v ssa.Value) string {
	wm.SrcText(token.NoPos, nil) // build the index
	if c, ok := wm.callAt[pos]; ok {
		return types.ExprString(c.Fun)
	}
	return lockmodel.Resolve(v).String()
}
