package callindex

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// UserCall is user code that a standard-library call runs before it
// returns: the function a sync.Once.Do, sort.Slice or slices.SortFunc call
// is given, the Less/Swap/Len methods sort.Sort calls, the String or Error
// method fmt calls on an argument. The models treat it as a call made at
// the library call's position.
type UserCall struct {
	Fn       *ssa.Function
	Args     []ssa.Value // the receiver for a method; nil for a func value
	Bindings []ssa.Value // a closure's bindings
	Via      string      // the library function, e.g. "sync.Once.Do"
}

// funcArgs: library functions that call one of their func arguments
// synchronously, by "pkg.Name" ("pkg.Type.Name" for methods); the value is
// the argument's index among the call's arguments (receiver first for
// methods), -1 for the last.
var funcArgs = map[string]int{
	"sync.Once.Do":     1,
	"sort.Slice":       1,
	"sort.SliceStable": 1,
	"sort.Search":      1,
	"sort.Find":        1,

	"slices.SortFunc":         1,
	"slices.SortStableFunc":   1,
	"slices.IsSortedFunc":     1,
	"slices.IndexFunc":        1,
	"slices.ContainsFunc":     1,
	"slices.DeleteFunc":       1,
	"slices.CompactFunc":      1,
	"slices.EqualFunc":        2,
	"slices.CompareFunc":      2,
	"slices.MinFunc":          1,
	"slices.MaxFunc":          1,
	"slices.BinarySearchFunc": 2,
	"maps.DeleteFunc":         1,
	"maps.EqualFunc":          2,

	"strings.Map":           0,
	"strings.FieldsFunc":    1,
	"strings.IndexFunc":     1,
	"strings.LastIndexFunc": 1,
	"strings.TrimFunc":      1,
	"strings.TrimLeftFunc":  1,
	"strings.TrimRightFunc": 1,
	"strings.ContainsFunc":  1,
	"bytes.Map":             0,
	"bytes.FieldsFunc":      1,
	"bytes.IndexFunc":       1,
	"bytes.TrimFunc":        1,
	"bytes.ContainsFunc":    1,
}

// laterFuncs: library functions that run their func argument later, on a
// goroutine of their own (a timer's), by "pkg.Name"; the value is the
// argument's index.
var laterFuncs = map[string]int{
	"time.AfterFunc":    1,
	"context.AfterFunc": 1,
}

// RunsLater returns the function a standard-library call c hands over to
// run later on another goroutine (time.AfterFunc's f), or nil. Unlike
// UserCode, nothing of it runs before c returns.
func RunsLater(c *ssa.CallCommon) (fn *ssa.Function, bindings []ssa.Value, via string) {
	if c.IsInvoke() {
		return nil, nil, ""
	}
	name := stdName(c)
	i, ok := laterFuncs[name]
	if !ok || i >= len(c.Args) {
		return nil, nil, ""
	}
	fn, bindings = FuncValue(c.Args[i])
	if fn == nil {
		return nil, nil, ""
	}
	return fn, bindings, name
}

// sortMethods: sort functions that call their sort.Interface argument's
// methods.
var sortMethods = map[string]bool{"sort.Sort": true, "sort.Stable": true, "sort.IsSorted": true}

// fmtFuncs: fmt functions that format their variadic operands, calling
// Error or String on operands that have them (for %v, %s and Print).
var fmtFuncs = map[string]bool{
	"fmt.Sprintf": true, "fmt.Printf": true, "fmt.Fprintf": true, "fmt.Errorf": true, "fmt.Appendf": true,
	"fmt.Sprint": true, "fmt.Print": true, "fmt.Fprint": true, "fmt.Append": true,
	"fmt.Sprintln": true, "fmt.Println": true, "fmt.Fprintln": true, "fmt.Appendln": true,
}

// stdName names a standard-library callee "pkg.Name" or "pkg.Type.Name";
// "" for other callees.
func stdName(c *ssa.CallCommon) string {
	fn := c.StaticCallee()
	if fn == nil {
		return ""
	}
	obj, _ := fn.Object().(*types.Func)
	if obj == nil {
		if o := fn.Origin(); o != nil {
			obj, _ = o.Object().(*types.Func)
		}
	}
	if obj == nil || obj.Pkg() == nil || strings.Contains(obj.Pkg().Path(), ".") {
		return ""
	}
	name := obj.Pkg().Path() + "." + obj.Name()
	if obj.Signature().Recv() != nil {
		n := RecvNamed(obj)
		if n == nil {
			return ""
		}
		name = obj.Pkg().Path() + "." + n.Obj().Name() + "." + obj.Name()
	}
	return name
}

// RecvNamed returns the named type of method f's receiver (T for a
// receiver of type T or *T); nil for a function or an unnamed receiver.
func RecvNamed(f *types.Func) *types.Named {
	return SigRecvNamed(f.Signature())
}

// SigRecvNamed is RecvNamed for a signature (an SSA function's, whose
// receiver is instantiated in a generic type's methods).
func SigRecvNamed(sig *types.Signature) *types.Named {
	recv := sig.Recv()
	if recv == nil {
		return nil
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
	return n
}

// UserCode returns the user code a standard-library call c runs
// synchronously (nil for any other call). prog finds methods (String,
// Less).
func UserCode(prog *ssa.Program, c *ssa.CallCommon) []UserCall {
	if c.IsInvoke() {
		return nil
	}
	name := stdName(c)
	if name == "" {
		return nil
	}
	if i, ok := funcArgs[name]; ok {
		if i < 0 {
			i = len(c.Args) - 1
		}
		if i >= len(c.Args) {
			return nil
		}
		if fn, bindings := FuncValue(c.Args[i]); fn != nil {
			return []UserCall{{Fn: fn, Bindings: bindings, Via: name}}
		}
		return nil
	}
	if sortMethods[name] && len(c.Args) == 1 {
		return methodsOf(prog, c.Args[0], name, "Len", "Less", "Swap")
	}
	if fmtFuncs[name] && len(c.Args) > 0 {
		var out []UserCall
		for _, op := range variadicOperands(c.Args[len(c.Args)-1]) {
			// fmt prefers Error to String for a value that has both.
			if uc := methodsOf(prog, op, name, "Error"); len(uc) > 0 {
				out = append(out, uc...)
			} else {
				out = append(out, methodsOf(prog, op, name, "String")...)
			}
		}
		return out
	}
	return nil
}

// methodsOf returns the named methods of the concrete value converted to
// an interface in v (a MakeInterface), as calls on it.
func methodsOf(prog *ssa.Program, v ssa.Value, via string, names ...string) []UserCall {
	mi, ok := v.(*ssa.MakeInterface)
	if !ok || prog == nil {
		return nil
	}
	t := mi.X.Type()
	ms := prog.MethodSets.MethodSet(t)
	var out []UserCall
	for _, name := range names {
		sel := ms.Lookup(nil, name)
		if sel == nil {
			continue
		}
		if fn := prog.MethodValue(sel); fn != nil {
			out = append(out, UserCall{Fn: fn, Args: []ssa.Value{mi.X}, Via: via})
		}
	}
	return out
}

// variadicOperands returns the values stored into the ...any slice passed
// as a variadic argument (fmt.Sprintf("%v", a, b) → a, b as interfaces).
func variadicOperands(v ssa.Value) []ssa.Value {
	sl, ok := v.(*ssa.Slice)
	if !ok {
		return nil
	}
	alloc, ok := sl.X.(*ssa.Alloc)
	if !ok {
		return nil
	}
	var out []ssa.Value
	for _, r := range *alloc.Referrers() {
		ia, ok := r.(*ssa.IndexAddr)
		if !ok {
			continue
		}
		for _, rr := range *ia.Referrers() {
			if st, ok := rr.(*ssa.Store); ok && st.Addr == ia {
				out = append(out, st.Val)
			}
		}
	}
	return out
}

// FuncValue returns the function a func value denotes and a closure's
// bindings (a bound method value binds its receiver); nil when not static.
func FuncValue(v ssa.Value) (*ssa.Function, []ssa.Value) {
	switch v := v.(type) {
	case *ssa.Function:
		return v, nil
	case *ssa.MakeClosure:
		fn, _ := v.Fn.(*ssa.Function)
		return fn, v.Bindings
	case *ssa.ChangeType:
		return FuncValue(v.X)
	}
	return nil, nil
}

// IsContext reports whether t is context.Context.
func IsContext(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
}

// LoopOf returns the blocks of the innermost cycle through b (the blocks
// reachable from b that reach b again), or nil when b is in no loop.
func LoopOf(b *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	fwd := Reachable(b.Succs, nil)
	if !fwd[b] {
		return nil
	}
	loop := map[*ssa.BasicBlock]bool{b: true}
	stack := []*ssa.BasicBlock{b}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range x.Preds {
			if !loop[p] && fwd[p] {
				loop[p] = true
				stack = append(stack, p)
			}
		}
	}
	return loop
}

// IndexIn returns instr's place in its block, or -1.
func IndexIn(instr ssa.Instruction) int {
	for i, x := range instr.Block().Instrs {
		if x == instr {
			return i
		}
	}
	return -1
}

// Before reports whether a runs before b on every path to b: earlier in
// the same block, or in a block that dominates b's.
func Before(a, b ssa.Instruction) bool {
	if a.Block() == b.Block() {
		return IndexIn(a) < IndexIn(b)
	}
	return a.Block().Dominates(b.Block())
}

// InLoop reports whether instr's block is on a cycle of its function.
func InLoop(instr ssa.Instruction) bool {
	b := instr.Block()
	return Reachable(b.Succs, nil)[b]
}

// Reachable returns the blocks reachable from start, not passing through
// avoid.
func Reachable(start []*ssa.BasicBlock, avoid *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	seen := map[*ssa.BasicBlock]bool{}
	stack := append([]*ssa.BasicBlock(nil), start...)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[x] || x == avoid {
			continue
		}
		seen[x] = true
		stack = append(stack, x.Succs...)
	}
	return seen
}
