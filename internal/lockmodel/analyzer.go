// Package lockmodel is kafkalint's shared lock model: lock classes and
// instances, a held-set dataflow over SSA, per-function summaries exported
// as facts, and the package's lock-order edges with witness chains.
//
// Analyzer computes it once per package; every lock analyzer Requires it and
// reads its *Result. Facts carry what callers in other packages need:
// FuncSummary on functions and methods, PackageLocks on the package.
package lockmodel

import (
	"fmt"
	"go/token"
	"go/types"
	"reflect"
	"sort"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/ssabuild"
)

// Analyzer computes lock summaries and lock-order edges. It reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:       "lockmodel",
	Doc:        "compute kafkalint's lock summaries (facts) and lock-order edges; reports nothing",
	Run:        run,
	Requires:   []*analysis.Analyzer{ssabuild.Analyzer, callindex.Analyzer},
	ResultType: reflect.TypeOf((*Result)(nil)),
	FactTypes:  []analysis.Fact{(*FuncSummary)(nil), (*PackageLocks)(nil)},
}

// LocalEdge is an edge found in the package being analysed, with positions.
type LocalEdge struct {
	Edge
	Pos token.Pos // the acquisition of To (a Lock call or a call site)
	// Witnesses are the functions where the edge was found, in order; a
	// nil entry is an edge closed from an open call (no one function).
	Witnesses []*ssa.Function
	// OtherPos are the acquisitions of Edge.Others, and OtherFns their
	// functions (nil: not one function), in their order.
	OtherPos []token.Pos
	OtherFns []*ssa.Function
}

// SelfDeadlock is a lock instance acquired again while held: a double lock
// (some mode is Write) or a recursive read lock (both Read).
type SelfDeadlock struct {
	Pos   token.Pos
	Func  string
	Fn    *ssa.Function // the function of Func
	Class string
	Lock  string // the instance as written, e.g. "c.mu"
	// Alias, when the second acquisition's lock is a field bound at
	// construction to another instance (c := p.newConn(); c.mu is p.mu),
	// names that instance ("p.mu"), and AliasBy the function whose store
	// bound it (newConn).
	Alias       string
	AliasBy     report.FuncRef
	First       []Site // where it is held
	Second      []Site // where it is acquired again
	FirstMode   Mode
	SecondMode  Mode
	RecursiveRW bool
	// Loop, when valid, is where a loop iteration goes on to the next one
	// still holding the lock (a continue): the second acquisition is the
	// same Lock call, in the next iteration.
	Loop token.Pos
}

// Leak is a lock acquired in a function that is held at some of its
// returns and released at others.
type Leak struct {
	Pos       token.Pos // the acquisition
	Func      string
	Class     string
	Lock      string
	Held      token.Pos // a return that keeps holding it
	Releasing token.Pos // a return at which it is released; NoPos when Path says where
	// Path, when valid, is where a path holding the lock (a break, an
	// early exit) joins paths that released it, before the one return.
	Path token.Pos
	// Handed, when valid, is where the releasing return's path hands the
	// lock's release to a callback or goroutine (the returns before it
	// must unlock themselves).
	Handed token.Pos
	// Body: the lock is taken in a range-over-func loop body and Held is a
	// return statement in that body, returning from Func (the function
	// with the loop) still holding it; Releasing is where the iteration
	// that goes on has released it.
	Body bool
	// DroppedBy, when set, names the callee that returns holding the lock
	// when its error is nil: Pos is the call that drops that error, and
	// the function never releases the lock (Releasing is not set).
	DroppedBy string
}

// Budget notes where the model stopped early (reported with -debug).
type Budget struct {
	Func string
	What string
}

// Result is what the model found in the current package.
type Result struct {
	// SSA is the package's SSA, from internal/ssabuild: Summaries and
	// HeldBefore are keyed by its functions and instructions. It is nil
	// where the model did not need it (std, packages that take no lock);
	// Program builds it on demand.
	SSA    *buildssa.SSA
	ssaRes *ssabuild.Result

	Summaries     map[*ssa.Function]*FuncSummary
	Edges         []LocalEdge // this package's edges, one witness per class pair, in source order
	SelfDeadlocks []SelfDeadlock
	Leaks         []Leak
	WriteClasses  map[string]bool // classes this package write-locks
	Deps          []*PackageLocks // the package facts of all dependencies, by path
	Budgets       []Budget

	held *heldState // HeldBefore's lazily computed held sets
}

// HeldLock is a lock held at an instruction.
type HeldLock struct {
	Class string
	Mode  Mode
	Lock  string    // the instance as written, e.g. "p.mu"
	Key   string    // instance key, unique within the function
	Alias bool      // Key names one instance (must-alias)
	Ref   Ref       // instance relative to the function's inputs, if any
	Pos   token.Pos // where the function acquired it
	Chain []Site    // how it came to be held
	Root  ssa.Value // the instance's root value in the function, if any
}

// model is the per-pass state.
type model struct {
	pass         *analysis.Pass
	ix           *callindex.Index
	fset         *token.FileSet
	pkg          *ssa.Package
	sums         map[*ssa.Function]*FuncSummary
	inProgress   map[*ssa.Function]bool
	condLocks    map[string]CondLock
	ownCondLocks []CondLock
	writeClasses map[string]bool
	edges        map[[2]string]*LocalEdge
	edgeOrder    [][2]string
	selfSeen     map[token.Pos]bool
	res          *Result
	impls        map[string][]*ssa.Function
	implTypes    map[string][][]types.Type // by interface: implementations' candidate types (implementations)
	goroutines   map[*ssa.Function]Site
	ownOpenCalls []OpenCall
	// openFns: for each of this package's open calls (openKey), the
	// functions whose summaries make it.
	openFns   map[string][]*ssa.Function
	steps     int                          // dataflow steps so far, for the package budget
	callSites map[*ssa.Function][]callSite // calls of this package\'s functions
	witnesses map[[2]string][]edgeWitness  // every place each edge was found
	// entryRel: classes each function releases without taking them (its
	// callers hold them on entry).
	entryRel      map[*ssa.Function]map[string]bool
	freeVarStores []freeVarStore
	// frozen: the summaries of a finished model, read-only (a scratch
	// model replaying the dataflow for Result.HeldBefore).
	frozen map[*ssa.Function]*FuncSummary
	// stored: the functions stored in each func field or element of a
	// slice, array or map field (storedIn), built on first use.
	stored map[string][]storedFunc
	iflow  *ifaceFlow // conversions to interfaces (convertedTo), built on first use
	rec    *recursion // recursive components of the calls summary follows (scc.go)
	// srcFuncs are the package's functions; unstable the pointer fields
	// some of them assign after construction (instance.go), built on
	// first use.
	srcFuncs []*ssa.Function
	unstable map[string]bool
	enums    map[*types.Named]*enum // the package's closed enums (enums.go), found on first use
}

// freeVarStore: closure fn stores its free variable FreeVar in Field.
type freeVarStore struct {
	fn      *ssa.Function
	freeVar int
	field   string
}

// creditFreeVarStores turns closure stores of captured parameters into
// ParamStores of the enclosing function.
func (m *model) creditFreeVarStores() {
	for _, fs := range m.freeVarStores {
		parent := fs.fn.Parent()
		if parent == nil || m.sums[parent] == nil {
			continue
		}
		for _, b := range parent.Blocks {
			for _, instr := range b.Instrs {
				mc, ok := instr.(*ssa.MakeClosure)
				if !ok || mc.Fn != fs.fn || fs.freeVar >= len(mc.Bindings) {
					continue
				}
				bound := mc.Bindings[fs.freeVar]
				if alloc, ok := bound.(*ssa.Alloc); ok {
					bound = storedParam(alloc)
				}
				for i, p := range parent.Params {
					if p == bound {
						ps := ParamStore{Param: i, Field: fs.field}
						sum := m.sums[parent]
						if !containsParamStore(sum.ParamStores, ps) {
							sum.ParamStores = append(sum.ParamStores, ps)
						}
					}
				}
			}
		}
	}
}

// StoredValue returns the one value stored into a variable's cell (a
// captured variable, a captured parameter's spill), if it is stored exactly
// once; nil otherwise.
func StoredValue(alloc *ssa.Alloc) ssa.Value {
	var v ssa.Value
	for _, ref := range *alloc.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == alloc {
			if v != nil {
				return nil
			}
			v = st.Val
		}
	}
	return v
}

// storedParam returns the parameter stored into a captured variable's cell
// (SSA spills captured parameters to an Alloc), if that is all it holds.
func storedParam(alloc *ssa.Alloc) ssa.Value {
	var p ssa.Value
	for _, ref := range *alloc.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == alloc {
			if _, isParam := st.Val.(*ssa.Parameter); !isParam || p != nil {
				return nil
			}
			p = st.Val
		}
	}
	return p
}

func containsParamStore(ps []ParamStore, p ParamStore) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}

func run(pass *analysis.Pass) (any, error) {
	sr := pass.ResultOf[ssabuild.Analyzer].(*ssabuild.Result)
	if inGoroot(pass) {
		// The standard library's locks are its own business (and its
		// facts would cost more than the user's code): sync, context,
		// time and net behaviour that matters is built into the model.
		return &Result{Summaries: map[*ssa.Function]*FuncSummary{}, WriteClasses: map[string]bool{}, ssaRes: sr}, nil
	}
	if !mayLock(pass) {
		// Neither this package nor anything it imports takes a lock: no
		// summaries, no edges, and no SSA unless another analyzer asks.
		pass.ExportPackageFact(&PackageLocks{Path: pass.Pkg.Path()})
		return &Result{Summaries: map[*ssa.Function]*FuncSummary{}, WriteClasses: map[string]bool{}, ssaRes: sr,
			held: &heldState{pass: pass, ssaRes: sr, ix: pass.ResultOf[callindex.Analyzer].(*callindex.Index), flows: map[*ssa.Function]*funcStates{}, skipped: true}}, nil
	}
	ssainfo := sr.SSA()
	m := newModel(pass, ssainfo.Pkg)
	m.ix = pass.ResultOf[callindex.Analyzer].(*callindex.Index)
	m.res.ssaRes = sr
	m.srcFuncs = ssainfo.SrcFuncs
	// Dependencies' package facts, sorted by path for determinism.
	for _, pf := range pass.AllPackageFacts() {
		if pl, ok := pf.Fact.(*PackageLocks); ok {
			m.res.Deps = append(m.res.Deps, pl)
			for _, cl := range pl.CondLocks {
				m.condLocks[cl.Cond] = cl
			}
		}
	}
	sort.Slice(m.res.Deps, func(i, j int) bool { return m.res.Deps[i].Path < m.res.Deps[j].Path })

	m.findCondLocks(ssainfo.SrcFuncs)
	m.findGoroutines()
	for _, fn := range ssainfo.SrcFuncs {
		m.summary(fn)
	}
	m.creditFreeVarStores()
	m.closeOpenCalls(ssainfo.SrcFuncs)
	m.applyEntryHeld(ssainfo.SrcFuncs)

	// Export facts for named functions; closures are folded into callers.
	for _, fn := range ssainfo.SrcFuncs {
		if fn.Parent() != nil || fn.Object() == nil {
			continue
		}
		if s := m.sums[fn]; s != nil && !s.empty() {
			pass.ExportObjectFact(fn.Object(), s)
		}
	}
	pl := &PackageLocks{Path: pass.Pkg.Path(), MayLock: true, CondLocks: m.ownCondLocks, OpenCalls: m.ownOpenCalls}
	for _, k := range m.edgeOrder {
		e := m.edges[k]
		pl.Edges = append(pl.Edges, e.Edge)
		m.res.Edges = append(m.res.Edges, *e)
	}
	pl.WriteClasses = sortedKeys(m.writeClasses)
	pass.ExportPackageFact(pl)

	m.res.SSA = ssainfo
	m.res.Summaries = m.sums
	m.res.WriteClasses = m.writeClasses
	// HeldBefore keeps the finished model for lock expressions and Cond
	// locks: drop what only the run needed.
	m.witnesses, m.callSites, m.entryRel, m.edges, m.edgeOrder = nil, nil, nil, nil, nil
	m.openFns, m.freeVarStores, m.selfSeen, m.inProgress = nil, nil, nil, nil // impls and implTypes stay: HeldBefore's scratch model shares them
	m.res.held = &heldState{pass: pass, ssaRes: sr, ix: m.ix, base: m, flows: map[*ssa.Function]*funcStates{}}
	return m.res, nil
}

// newModel returns an empty model of pkg.
func newModel(pass *analysis.Pass, pkg *ssa.Package) *model {
	return &model{
		pass: pass, fset: pass.Fset, pkg: pkg,
		sums: map[*ssa.Function]*FuncSummary{}, inProgress: map[*ssa.Function]bool{},
		condLocks: map[string]CondLock{}, writeClasses: map[string]bool{},
		edges: map[[2]string]*LocalEdge{}, selfSeen: map[token.Pos]bool{},
		impls: map[string][]*ssa.Function{}, implTypes: map[string][][]types.Type{}, goroutines: map[*ssa.Function]Site{},
		callSites: map[*ssa.Function][]callSite{}, witnesses: map[[2]string][]edgeWitness{},
		entryRel: map[*ssa.Function]map[string]bool{},
		res:      &Result{}, rec: newRecursion(),
	}
}

// summary returns fn's summary: computed for functions with a body in this
// package, read from facts for others; nil when nothing is known.
func (m *model) summary(fn *ssa.Function) *FuncSummary {
	if o := fn.Origin(); o != nil {
		fn = o
	}
	r := m.rec
	if m.inProgress[fn] && r.selfCall(fn) {
		return nil // direct recursion: recursiveCall's rule
	}
	if s, solving := r.prev[fn]; solving {
		return s // a member of the component being solved: the last round's
	}
	if s, ok := m.sums[fn]; ok {
		if r.onStack[fn] {
			r.seen(fn)
		}
		return s
	}
	if s, ok := m.frozen[fn]; ok {
		return s
	}
	if len(fn.Blocks) == 0 {
		obj, _ := fn.Object().(*types.Func)
		if obj == nil || obj.Pkg() == nil || obj.Pkg() == m.pass.Pkg {
			return nil
		}
		s := new(FuncSummary)
		if !m.pass.ImportObjectFact(obj, s) {
			s = nil
		}
		m.sums[fn] = s
		return s
	}
	if m.inProgress[fn] {
		r.seen(fn)
		return nil // mutual recursion: solved with its component (scc.go)
	}
	return m.compute(fn)
}

// findGoroutines records which functions run as goroutines (go
// statements, errgroup-style Go), so reports can say "goroutine".
func (m *model) findGoroutines() {
	for _, st := range m.ix.Starts() {
		if _, seen := m.goroutines[st.Fn]; !seen {
			p := m.fset.Position(st.Instr.Pos())
			m.goroutines[st.Fn] = Site{File: p.Filename, Line: p.Line, Col: p.Column, Func: FuncRefOf(st.Caller), What: "go " + funcName(st.Fn)}
		}
	}
}

// implementations returns this package's methods that an interface call
// may reach, for interfaces declared in this package (CHA kept local:
// interfaces from elsewhere are left as open calls).
func (m *model) implementations(c *ssa.CallCommon) []*ssa.Function {
	n, ok := types.Unalias(c.Value.Type()).(*types.Named)
	if !ok || n.Obj().Pkg() != m.pass.Pkg {
		return nil
	}
	iface, ok := n.Underlying().(*types.Interface)
	if !ok {
		return nil
	}
	key := typeName(n) + "." + c.Method.Name()
	if fns, ok := m.impls[key]; ok {
		return fns
	}
	var fns []*ssa.Function
	for _, cands := range m.implementingTypes(n, iface) {
		for _, cand := range cands {
			sel := m.pkg.Prog.MethodSets.MethodSet(cand).Lookup(m.pass.Pkg, c.Method.Name())
			if sel == nil && c.Method.Exported() {
				sel = m.pkg.Prog.MethodSets.MethodSet(cand).Lookup(nil, c.Method.Name())
			}
			if sel == nil {
				continue
			}
			if fn := m.pkg.Prog.MethodValue(sel); fn != nil {
				fns = append(fns, fn)
			}
			break
		}
	}
	m.impls[key] = fns
	return fns
}

// implementingTypes returns, for each type of the package (in scope
// order) that implements n and is converted to it here, the candidates
// to look its methods up in: T, *T, or both when T implements n and *T
// is tried too. Computed once per interface, not once per method called
// through it (sarama's packetEncoder has dozens: implementations was a
// quarter of the CPU of a re-run after an edit).
func (m *model) implementingTypes(n *types.Named, iface *types.Interface) [][]types.Type {
	key := typeName(n)
	if ts, ok := m.implTypes[key]; ok {
		return ts
	}
	var out [][]types.Type
	scope := m.pass.Pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		t := tn.Type()
		if _, isIface := t.Underlying().(*types.Interface); isIface {
			continue
		}
		var cands []types.Type
		for _, cand := range []types.Type{t, types.NewPointer(t)} {
			if !types.Implements(cand, iface) {
				continue
			}
			if !m.convertedTo(cand, n) {
				break // never made into that interface here
			}
			cands = append(cands, cand)
		}
		if len(cands) > 0 {
			out = append(out, cands)
		}
	}
	m.implTypes[key] = out
	return out
}

func (m *model) addEdge(fn *ssa.Function, from *heldLock, to string, mode Mode, chain []Site, held, released []string, delegate bool, pos token.Pos) {
	where := funcName(fn)
	if g, ok := m.goroutines[fn]; ok {
		where = "goroutine " + where + " (started by " + g.Func.String() + ")"
	}
	m.addEdgeIn(fn, where, from, to, mode, chain, held, released, delegate, pos)
}

func (m *model) addEdgeAt(where string, from *heldLock, to string, mode Mode, chain []Site, held []string, delegate bool, pos token.Pos) {
	m.addEdgeIn(nil, where, from, to, mode, chain, held, nil, delegate, pos)
}

func (m *model) addEdgeIn(fn *ssa.Function, where string, from *heldLock, to string, mode Mode, chain []Site, held, released []string, delegate bool, pos token.Pos) {
	k := [2]string{from.class, to}
	if m.witnesses != nil {
		m.witnesses[k] = append(m.witnesses[k], edgeWitness{fn: fn, held: held, released: released,
			where: where, fromChain: from.chain, toChain: chain, fromMode: from.mode, toMode: mode, pos: pos})
	}
	if e, ok := m.edges[k]; ok {
		// Keep one witness; the gate set is what every witness shares.
		e.Held = intersect(e.Held, held)
		e.Delegate = e.Delegate && delegate
		if !containsFunc(e.Witnesses, fn) {
			e.Witnesses = append(e.Witnesses, fn)
		}
		return
	}
	if !pos.IsValid() && len(chain) > 0 {
		pos = PosOf(m.fset, chain[len(chain)-1])
	}
	m.edges[k] = &LocalEdge{Pos: pos, Edge: Edge{
		From: from.class, To: to, FromMode: from.mode, ToMode: mode,
		FromChain: from.chain, ToChain: chain, Func: where, Held: held, Delegate: delegate,
	}, Witnesses: []*ssa.Function{fn}}
	m.edgeOrder = append(m.edgeOrder, k)
}

// intersect lists the elements of a that are in b, in a's order.
func intersect[T comparable](a, b []T) []T {
	var out []T
	for _, x := range a {
		for _, y := range b {
			if x == y {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

func (m *model) addSelfDeadlock(fn *ssa.Function, h *heldLock, e Expr, mode Mode, chain []Site, pos token.Pos) {
	if !pos.IsValid() && len(chain) > 0 {
		pos = PosOf(m.fset, chain[len(chain)-1])
	}
	if m.selfSeen[pos] {
		return
	}
	m.selfSeen[pos] = true
	sd := SelfDeadlock{
		Pos: pos, Func: funcName(fn), Fn: fn, Class: e.class, Lock: exprString(e),
		First: h.chain, Second: chain, FirstMode: h.mode, SecondMode: mode,
		RecursiveRW: h.mode == Read && mode == Read,
	}
	if e.boundBy != nil {
		inst := e
		inst.written = ""
		sd.Alias, sd.AliasBy = exprString(inst), FuncRefOf(e.boundBy)
	}
	m.res.SelfDeadlocks = append(m.res.SelfDeadlocks, sd)
}

func (m *model) budgetHit(fn *ssa.Function, what string) {
	m.res.Budgets = append(m.res.Budgets, Budget{Func: funcName(fn), What: what})
	if log := budgetLog.Load(); log != nil {
		(*log)(fmt.Sprintf("%s: %s: %s budget hit; its summary is partial (reports can only be missed, not invented)", m.pass.Pkg.Path(), funcName(fn), what))
	}
}

// budgetLog receives a line for every budget hit, in drivers that run the
// analyzers in-process (the kafkalint CLI under -debug).
var budgetLog atomic.Pointer[func(string)]

// LogBudget tells the budget log (if any) that an analyzer of package pkg
// stopped a piece of work at its budget: what it did not decide is left
// as it would be without that work (reports kept, not invented).
func LogBudget(pkg, what string) {
	if log := budgetLog.Load(); log != nil {
		(*log)(fmt.Sprintf("%s: %s budget hit; reports that depend on it are kept as they are", pkg, what))
	}
}

// SetBudgetLog sets the function told of every budget hit (nil: none).
func SetBudgetLog(log func(string)) {
	if log == nil {
		budgetLog.Store(nil)
		return
	}
	budgetLog.Store(&log)
}

func (s SelfDeadlock) String() string {
	return fmt.Sprintf("%s: %s %s twice", s.Func, s.Lock, s.SecondMode)
}

// inGoroot reports whether the package is in the standard library.
func inGoroot(pass *analysis.Pass) bool { return ssabuild.InGoroot(pass) }

// Program returns the package's SSA (the model's own, building it if the
// model skipped the package); nil for the standard library.
//
// Analyzers of one package run concurrently: Program never writes to r;
// ssabuild.Result builds once behind a sync.Once.
func (r *Result) Program() *buildssa.SSA {
	if r.SSA != nil || r.ssaRes == nil {
		return r.SSA
	}
	return r.ssaRes.SSA()
}

// CallIndex returns the package's call index, the one the model uses
// (goroutine starts, callers); nil for the standard library.
func (r *Result) CallIndex() *callindex.Index {
	if r.held == nil {
		return nil
	}
	return r.held.ix
}

// mayLock reports whether the package can take a lock: it imports sync, or
// imports a package that may.
func mayLock(pass *analysis.Pass) bool {
	for _, p := range pass.Pkg.Imports() {
		if p.Path() == "sync" {
			return true
		}
		var pl PackageLocks
		if pass.ImportPackageFact(p, &pl) && pl.MayLock {
			return true
		}
	}
	return false
}

func containsFunc(fns []*ssa.Function, fn *ssa.Function) bool {
	for _, f := range fns {
		if f == fn {
			return true
		}
	}
	return false
}
