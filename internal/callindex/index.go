// Package callindex is kafkalint's one call index per package: who calls
// each function (and whether every caller is known), which functions run
// as goroutines and where they are started (go statements, go of a method
// value, errgroup-style Go methods), which functions' addresses escape, the
// closures each function makes, and the table of standard-library calls
// that run user code synchronously (usercode.go). The lock and wait models
// and the analyzers ask it instead of scanning the package themselves.
package callindex

import (
	"go/types"
	"reflect"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/ssabuild"
)

// Analyzer builds the index once per package. It reports nothing.
var Analyzer = &analysis.Analyzer{
	Name: "callindex",
	Doc:  "index kafkalint's calls, goroutine starts and escaping functions per package; reports nothing",
	Run: func(pass *analysis.Pass) (any, error) {
		return &Index{sr: pass.ResultOf[ssabuild.Analyzer].(*ssabuild.Result)}, nil
	},
	Requires:   []*analysis.Analyzer{ssabuild.Analyzer},
	ResultType: reflect.TypeOf((*Index)(nil)),
}

// Call is a place where a function of the package is called in the
// caller's goroutine.
type Call struct {
	Instr  ssa.Instruction // a *ssa.Call or *ssa.Defer (or the library call, for Via)
	Caller *ssa.Function
	Via    string // the standard-library function that runs it ("sync.Once.Do"), or ""
}

// StartKind says how a goroutine is started.
type StartKind int

const (
	GoStmt    StartKind = iota + 1 // go f(), go func() {...}(), go x.m()
	GoMethod                       // g.Go(f): errgroup.Group.Go, conc.WaitGroup.Go, look-alikes
	GoHandoff                      // a library is handed f to run on its own goroutine (time.AfterFunc)
)

// Start is a place where a function of the package starts to run on a
// goroutine of its own.
type Start struct {
	Instr    ssa.Instruction // the *ssa.Go, or the call of the Go method
	Caller   *ssa.Function   // the function that starts it
	Fn       *ssa.Function
	Bindings []ssa.Value // a closure's bindings, a method value's receiver
	Kind     StartKind
}

// Index is one package's call index. It is built on first use (packages
// nothing asks about never pay for SSA) and only read afterwards: safe for
// concurrent use.
type Index struct {
	once     sync.Once
	sr       *ssabuild.Result
	prog     *ssa.Program
	pkg      *ssa.Package
	funcs    []*ssa.Function
	calls    map[*ssa.Function][]Call
	starts   []Start
	startsOf map[*ssa.Function][]Start
	startsIn map[*ssa.Function][]Start // by the function that starts them
	taken    map[*ssa.Function]bool    // address escapes; a method value's method for its wrapper
	closures map[*ssa.Function][]*ssa.MakeClosure
	// invoked: method names called through an interface in the package, or
	// declared by one of its interfaces (such a method may be called
	// through an interface by anyone).
	invoked map[string]bool
	// tables: the calls through each handler table (funcTables).
	tables map[*ssa.Global][]*ssa.Call
	// uses: each function's operands that are function values (FuncUses);
	// invokes: its interface calls.
	uses    map[*ssa.Function][]FuncUse
	invokes map[*ssa.Function][]*ssa.CallCommon
	// goStmts: each function's go statements, whatever they start.
	goStmts map[*ssa.Function][]ssa.Instruction
	// The reach graph (reach.go), built on first use.
	reachOnce sync.Once
	reach     *reach
	// The facts of Closed (closed.go), gathered on first use.
	closedOnce sync.Once
	closedF    *closedFacts
}

// build indexes the package (an empty index where it has no SSA: the
// standard library).
func (ix *Index) build() {
	ix.once.Do(ix.index)
}

func (ix *Index) index() {
	ix.calls, ix.startsOf, ix.startsIn = map[*ssa.Function][]Call{}, map[*ssa.Function][]Start{}, map[*ssa.Function][]Start{}
	ix.taken, ix.closures = map[*ssa.Function]bool{}, map[*ssa.Function][]*ssa.MakeClosure{}
	ix.invoked = map[string]bool{}
	ix.uses, ix.invokes = map[*ssa.Function][]FuncUse{}, map[*ssa.Function][]*ssa.CallCommon{}
	ix.goStmts = map[*ssa.Function][]ssa.Instruction{}
	info := ix.sr.SSA()
	ix.sr = nil
	if info == nil {
		return
	}
	ix.prog, ix.pkg, ix.funcs = info.Pkg.Prog, info.Pkg, info.SrcFuncs
	scope := info.Pkg.Pkg.Scope()
	for _, n := range scope.Names() {
		if tn, ok := scope.Lookup(n).(*types.TypeName); ok {
			if it, ok := tn.Type().Underlying().(*types.Interface); ok {
				for i := 0; i < it.NumMethods(); i++ {
					ix.invoked[it.Method(i).Name()] = true
				}
			}
		}
	}
	// The package initializer is no source function: it is read only for
	// the handler tables its variable initializers fill.
	init := ix.pkg.Func("init")
	ix.tables = funcTables(ix.pkg, append([]*ssa.Function{init}, ix.funcs...))
	for _, fn := range ix.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				ix.scan(fn, instr)
			}
		}
	}
	if init != nil {
		for _, b := range init.Blocks {
			for _, instr := range b.Instrs {
				ix.scanTables(instr)
			}
		}
	}
}

func (ix *Index) scan(fn *ssa.Function, instr ssa.Instruction) {
	if mc, ok := instr.(*ssa.MakeClosure); ok {
		cl := mc.Fn.(*ssa.Function)
		ix.closures[cl] = append(ix.closures[cl], mc)
	}
	var common *ssa.CallCommon
	switch x := instr.(type) {
	case *ssa.Go:
		common = x.Common()
		ix.goStmts[fn] = append(ix.goStmts[fn], x)
		if f, bindings := FuncValue(common.Value); f != nil {
			ix.addStart(Start{Instr: x, Caller: fn, Fn: unbound(f), Bindings: bindings, Kind: GoStmt})
		}
	case *ssa.Call:
		common = x.Common()
		ix.addCall(common, Call{Instr: x, Caller: fn})
	case *ssa.Defer:
		common = x.Common()
		ix.addCall(common, Call{Instr: x, Caller: fn})
	}
	if common != nil {
		if common.IsInvoke() {
			ix.invoked[common.Method.Name()] = true
			ix.invokes[fn] = append(ix.invokes[fn], common)
		}
		if isGoMethod(common) {
			for _, arg := range common.Args {
				if f, bindings := FuncValue(arg); f != nil {
					ix.addStart(Start{Instr: instr, Caller: fn, Fn: unbound(f), Bindings: bindings, Kind: GoMethod})
				}
			}
		}
		for _, uc := range UserCode(ix.prog, common) {
			ix.calls[unbound(uc.Fn)] = append(ix.calls[unbound(uc.Fn)], Call{Instr: instr, Caller: fn, Via: uc.Via})
		}
	}
	// Functions used other than as the callee of a call in this goroutine:
	// passed, stored, started, bound.
	var ops [4]*ssa.Value
	for _, op := range instr.Operands(ops[:0]) {
		if mc, ok := instr.(*ssa.MakeClosure); ok && *op == mc.Fn {
			continue // making a closure is not using its function
		}
		f, _ := FuncValue(*op)
		if f == nil {
			continue
		}
		ix.uses[fn] = append(ix.uses[fn], FuncUse{Instr: instr, Value: *op})
		if common != nil && common.Value == *op {
			continue // called here, or started (go f(), go x.m())
		}
		if common != nil && (isUserCodeArg(ix.prog, common, *op) || isGoMethod(common) && !common.IsInvoke() && len(common.Args) == 2 && common.Args[1] == *op) {
			continue // run here by the library (sync.Once.Do(f)), or started (g.Go(f))
		}
		if calls, ok := ix.callsThrough(instr, *op); ok {
			for _, c := range calls {
				ix.calls[unbound(f)] = append(ix.calls[unbound(f)], Call{Instr: c, Caller: c.Parent()})
			}
			continue
		}
		ix.taken[unbound(f)] = true
	}
}

// scanTables records the calls of the functions instr stores into a
// handler table.
func (ix *Index) scanTables(instr ssa.Instruction) {
	var ops [4]*ssa.Value
	for _, op := range instr.Operands(ops[:0]) {
		if f, _ := FuncValue(*op); f != nil {
			if calls, ok := ix.callsThrough(instr, *op); ok {
				for _, c := range calls {
					ix.calls[unbound(f)] = append(ix.calls[unbound(f)], Call{Instr: c, Caller: c.Parent()})
				}
			}
		}
	}
}

// callsThrough returns the calls of the function value v that instr
// stores where it is only ever loaded to be called: a local variable
// (callsThroughVar) or a handler table (funcTables).
func (ix *Index) callsThrough(instr ssa.Instruction, v ssa.Value) ([]*ssa.Call, bool) {
	switch st := instr.(type) {
	case *ssa.Store:
		if st.Val != v {
			return nil, false
		}
		if calls, ok := callsThroughVar(st); ok {
			return calls, true
		}
		if ia, ok := st.Addr.(*ssa.IndexAddr); ok {
			return ix.tableOf(ia.X)
		}
	case *ssa.MapUpdate:
		if st.Value == v {
			return ix.tableOf(st.Map)
		}
	}
	return nil, false
}

// callsThroughVar: st stores a function into a local variable (f :=
// func() {...}, kept in a cell because a closure captures it) that is
// stored only here and only ever loaded to be called; it returns those
// calls.
func callsThroughVar(st *ssa.Store) ([]*ssa.Call, bool) {
	alloc, ok := st.Addr.(*ssa.Alloc)
	if !ok {
		return nil, false
	}
	var calls []*ssa.Call
	for _, r := range *alloc.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			if r != st {
				return nil, false
			}
		case *ssa.UnOp:
			cs, ok := calledOnly(r)
			if !ok {
				return nil, false
			}
			calls = append(calls, cs...)
		case *ssa.DebugRef:
		default:
			return nil, false
		}
	}
	return calls, true
}

// isUserCodeArg: v is a func value the library call runs synchronously.
func isUserCodeArg(prog *ssa.Program, c *ssa.CallCommon, v ssa.Value) bool {
	f, _ := FuncValue(v)
	for _, uc := range UserCode(prog, c) {
		if uc.Fn == f && len(uc.Args) == 0 {
			return true
		}
	}
	return false
}

func isGo(instr ssa.Instruction) bool { _, ok := instr.(*ssa.Go); return ok }

func (ix *Index) addCall(c *ssa.CallCommon, call Call) {
	if c.IsInvoke() {
		return
	}
	if f, _ := FuncValue(c.Value); f != nil {
		ix.calls[unbound(f)] = append(ix.calls[unbound(f)], call)
	}
}

func (ix *Index) addStart(s Start) {
	ix.starts = append(ix.starts, s)
	ix.startsOf[s.Fn] = append(ix.startsOf[s.Fn], s)
	ix.startsIn[s.Caller] = append(ix.startsIn[s.Caller], s)
}

// unbound maps a bound method value's wrapper (x.m$bound) and a method
// expression's thunk ((*T).m$thunk) to the method.
func unbound(f *ssa.Function) *ssa.Function {
	if m := boundMethod(f); m != nil {
		return m
	}
	if m := thunkMethod(f); m != nil {
		return m
	}
	return f
}

// thunkMethod returns the concrete method a "$thunk" calls, or nil (an
// interface's method expression).
func thunkMethod(f *ssa.Function) *ssa.Function {
	if !strings.HasPrefix(f.Synthetic, "thunk ") || f.Prog == nil {
		return nil
	}
	obj, ok := f.Object().(*types.Func)
	if !ok || obj.Signature().Recv() == nil || types.IsInterface(obj.Signature().Recv().Type()) {
		return nil
	}
	return f.Prog.FuncValue(obj)
}

// boundMethod returns the method a "$bound" wrapper calls, or nil.
func boundMethod(f *ssa.Function) *ssa.Function {
	if f.Synthetic == "" || len(f.FreeVars) != 1 {
		return nil
	}
	obj, ok := f.Object().(*types.Func)
	if !ok || obj.Signature().Recv() == nil || f.Prog == nil {
		return nil
	}
	return f.Prog.FuncValue(obj)
}

// isGoMethod reports whether the call is a method named Go taking a func
// (errgroup.Group.Go and its look-alikes): its argument runs in a goroutine.
func isGoMethod(c *ssa.CallCommon) bool {
	var obj *types.Func
	if c.IsInvoke() {
		obj = c.Method
	} else if f := c.StaticCallee(); f != nil {
		obj, _ = f.Object().(*types.Func)
	}
	if obj == nil || obj.Name() != "Go" {
		return false
	}
	sig := obj.Signature()
	if sig.Recv() == nil || sig.Params().Len() != 1 {
		return false
	}
	_, isFunc := sig.Params().At(0).Type().Underlying().(*types.Signature)
	return isFunc
}

// FuncUse is an operand that is a function value of the program (see
// FuncValue): a function, a closure or bound method (*ssa.MakeClosure), or
// a conversion of one; called, started, passed, stored or bound by Instr.
type FuncUse struct {
	Instr ssa.Instruction
	Value ssa.Value
}

// FuncUses returns fn's operands that are function values, in instruction
// order (the function a MakeClosure makes is not among its operands here:
// making a closure is not using it). An analyzer that classifies how
// functions are entered reads these instead of scanning every
// instruction again.
func (ix *Index) FuncUses(fn *ssa.Function) []FuncUse {
	ix.build()
	return ix.uses[fn]
}

// Invokes returns fn's interface calls (calls, defers and go statements),
// in instruction order.
func (ix *Index) Invokes(fn *ssa.Function) []*ssa.CallCommon {
	ix.build()
	return ix.invokes[fn]
}

// GoStmts returns fn's go statements, in instruction order, whatever they
// start (an interface method value's go statement too, which StartsIn
// leaves out; errgroup-style Go methods, which it has, are not here).
func (ix *Index) GoStmts(fn *ssa.Function) []ssa.Instruction {
	ix.build()
	return ix.goStmts[fn]
}

// Funcs returns the package's source functions (closures included), in
// the SSA builder's order.
func (ix *Index) Funcs() []*ssa.Function {
	ix.build()
	return ix.funcs
}

// Callers returns the calls of fn in this package, in its goroutine (go
// statements are Starts, not calls; a library call that runs fn, such as
// sync.Once.Do(fn), is one), in source order of the scan. complete is true
// when these are all the calls fn can have: fn is this package's,
// unexported (or a closure), its address never escapes, it is never
// started as a goroutine, and no interface call can reach it.
func (ix *Index) Callers(fn *ssa.Function) (calls []Call, complete bool) {
	ix.build()
	calls = ix.calls[fn]
	return calls, len(calls) > 0 && ix.closed(fn)
}

// closed: nothing outside the recorded calls can call fn.
func (ix *Index) closed(fn *ssa.Function) bool {
	if fn.Pkg != ix.pkg || ix.taken[fn] || len(ix.startsOf[fn]) > 0 {
		return false
	}
	if fn.Parent() != nil {
		return true // a closure only ever called directly
	}
	obj := fn.Object()
	if obj == nil || obj.Exported() {
		return false
	}
	return fn.Signature.Recv() == nil || !ix.invoked[fn.Name()]
}

// Starts returns every goroutine start in the package, in scan order.
func (ix *Index) Starts() []Start {
	ix.build()
	return ix.starts
}

// StartsOf returns where fn is started as a goroutine in this package.
func (ix *Index) StartsOf(fn *ssa.Function) []Start {
	ix.build()
	return ix.startsOf[fn]
}

// StartsIn returns the goroutines fn starts (go statements, errgroup-style
// Go methods), in scan order. A go statement of a function the index cannot name (an
// interface method value) is not among them.
func (ix *Index) StartsIn(fn *ssa.Function) []Start {
	ix.build()
	return ix.startsIn[fn]
}

// OnlyStarted reports whether fn is started as a goroutine and never
// called directly: it always runs at the top of a goroutine of its own.
func (ix *Index) OnlyStarted(fn *ssa.Function) bool {
	ix.build()
	return len(ix.startsOf[fn]) > 0 && len(ix.calls[fn]) == 0
}

// OnlyStart returns fn's one start when that is the only way fn runs: it
// is started once in the package, never called, its address is not
// taken otherwise, it is unexported, and no interface call can reach it
// (an event loop: go c.loop()).
func (ix *Index) OnlyStart(fn *ssa.Function) (Start, bool) {
	ix.build()
	starts := ix.startsOf[fn]
	if len(starts) != 1 || len(ix.calls[fn]) > 0 || fn.Pkg != ix.pkg || ix.taken[fn] {
		return Start{}, false
	}
	if fn.Parent() == nil {
		obj := fn.Object()
		if obj == nil || obj.Exported() || fn.Signature.Recv() != nil && ix.invoked[fn.Name()] {
			return Start{}, false
		}
	}
	return starts[0], true
}

// Escapes reports whether fn's address escapes: passed, stored, bound as a
// method value or started, other than called.
func (ix *Index) Escapes(fn *ssa.Function) bool {
	ix.build()
	return ix.taken[fn]
}

// Closures returns the MakeClosure instructions that create the anonymous
// function fn (usually one).
func (ix *Index) Closures(fn *ssa.Function) []*ssa.MakeClosure {
	ix.build()
	return ix.closures[fn]
}

// UserCode returns the user code a standard-library call runs (see the
// package-level UserCode), with the package's program.
func (ix *Index) UserCode(c *ssa.CallCommon) []UserCall {
	ix.build()
	return UserCode(ix.prog, c)
}

// GoroutineRoots returns the functions at the top of the goroutines that
// can run fn: the functions started in this package that reach it through
// calls, and fn's entry points (functions whose callers are not all known).
// ok is false when the walk gave up (more than limit functions).
func (ix *Index) GoroutineRoots(fn *ssa.Function, limit int) (roots []*ssa.Function, ok bool) {
	ix.build()
	seen := map[*ssa.Function]bool{fn: true}
	work := []*ssa.Function{fn}
	for len(work) > 0 {
		f := work[0]
		work = work[1:]
		if len(seen) > limit {
			return nil, false
		}
		calls, complete := ix.Callers(f)
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
