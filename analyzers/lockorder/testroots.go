package lockorder

import (
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// Tests of one package run one at a time unless they call t.Parallel. A
// lock-order cycle wholly in test code whose edges are taken in different
// tests (and the goroutines those tests start) cannot have both sides
// running at once: nats-server's raft helpers lock a state machine and
// then the node it is restarting in one test, and a node and then a
// state machine in another, each on its own group.
//
// testRoots answers, for a function of this package, which top-level
// tests (Test, Benchmark, Fuzz, Example functions of _test.go files) reach
// it. A function that something other than a test reaches (an exported
// function, an init, a function with no callers we can see) is reachable
// from anywhere: no answer.
type testRoots struct {
	// ix's reach graph: what each function may run, on any goroutine
	// (Runs, RunBy), what it starts or hands on (Spawns), and for rapid
	// type analysis its direct references, interface calls and
	// conversions.
	ix     *callindex.Index
	isRoot map[*ssa.Function]bool
	rta    map[*ssa.Function]map[*ssa.Function]bool
	// steps counts functions visited by every query; past
	// maxTestRootSteps each query answers "not known", which keeps the
	// report (pkg names the package in the -debug note).
	steps     int
	exhausted bool
	pkg       string
	label     map[*ssa.Function]string // a root's label: its name, or "parallel"
}

func newTestRoots(pkg string, ix *callindex.Index) *testRoots {
	tr := &testRoots{
		ix:     ix,
		isRoot: map[*ssa.Function]bool{},
		rta:    map[*ssa.Function]map[*ssa.Function]bool{},
		label:  map[*ssa.Function]string{},
		pkg:    pkg,
	}
	for _, fn := range ix.Funcs() {
		if isTestRoot(fn) {
			tr.isRoot[fn] = true
		}
	}
	return tr
}

// labelOf names the group a test runs in: itself, or "parallel" for every
// test that calls t.Parallel (they run together).
func (tr *testRoots) labelOf(root *ssa.Function) string {
	if l, ok := tr.label[root]; ok {
		return l
	}
	l := root.Name()
	if tr.callsParallel(root) {
		l = "parallel"
	}
	tr.label[root] = l
	return l
}

func inTestFile(fn *ssa.Function) bool {
	if fn.Parent() != nil {
		return inTestFile(fn.Parent())
	}
	return fn.Pos().IsValid() && strings.HasSuffix(fn.Prog.Fset.Position(fn.Pos()).Filename, "_test.go")
}

// isTestRoot: a top-level test, benchmark, fuzz test or example.
func isTestRoot(fn *ssa.Function) bool {
	if fn.Parent() != nil || fn.Signature.Recv() != nil || fn.Pkg == nil {
		return false
	}
	if !inTestFile(fn) {
		return false
	}
	for _, p := range []string{"Test", "Benchmark", "Fuzz", "Example"} {
		if strings.HasPrefix(fn.Name(), p) && fn.Name() != "TestMain" {
			return true
		}
	}
	return false
}

// callsParallel: the test, or something it reaches (a subtest), calls
// (*testing.T).Parallel.
func (tr *testRoots) callsParallel(root *ssa.Function) bool {
	// Only code that has the *testing.T can call its Parallel: closures
	// (subtests) and functions taking a *testing.T.
	next := func(f *ssa.Function) []*ssa.Function {
		var out []*ssa.Function
		for _, g := range tr.ix.Runs(f) {
			if g.Parent() != nil || takesT(g) {
				out = append(out, g)
			}
		}
		return out
	}
	found := false
	if !tr.walk([]*ssa.Function{root}, map[*ssa.Function]bool{}, next,
		func(fn *ssa.Function) bool {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					if c, ok := instr.(ssa.CallInstruction); ok {
						if f := c.Common().StaticCallee(); f != nil && f.Name() == "Parallel" && f.Pkg != nil && f.Pkg.Pkg.Path() == "testing" {
							found = true
							return false
						}
					}
				}
			}
			return true
		}) && tr.exhausted {
		return true // not known: as if parallel, which keeps reports
	}
	return found
}

// maxTestRootSteps bounds the functions all test-root queries of one
// package visit together.
var maxTestRootSteps = 2000000

// step counts one visited function; false once the budget is spent.
func (tr *testRoots) step() bool {
	if tr.exhausted {
		return false
	}
	tr.steps++
	if tr.steps > maxTestRootSteps {
		tr.exhausted = true
		lockmodel.LogBudget(tr.pkg, "lockorder test-root reachability")
		return false
	}
	return true
}

// takesT: fn has a *testing.T (or testing.TB) parameter.
func takesT(fn *ssa.Function) bool {
	for _, p := range fn.Params {
		t := types.Unalias(p.Type())
		if ptr, ok := t.(*types.Pointer); ok {
			t = ptr.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "testing" {
			return true
		}
	}
	return false
}

// walk visits, depth first, every function reachable from starts through
// next that seen does not hold yet, marking it; it stops as soon as visit
// returns false (or the budget is spent), and then returns false.
func (tr *testRoots) walk(starts []*ssa.Function, seen map[*ssa.Function]bool, next func(*ssa.Function) []*ssa.Function, visit func(*ssa.Function) bool) bool {
	work := append([]*ssa.Function(nil), starts...)
	for len(work) > 0 {
		f := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[f] {
			continue
		}
		seen[f] = true
		if !tr.step() || !visit(f) {
			return false
		}
		work = append(work, next(f)...)
	}
	return true
}

// rootsOf returns the tests that reach fn, and false when something other
// than a test may reach it.
func (tr *testRoots) rootsOf(fn *ssa.Function) ([]*ssa.Function, bool) {
	var roots []*ssa.Function
	next := func(f *ssa.Function) []*ssa.Function {
		if tr.isRoot[f] {
			return nil // tests are not called by the package
		}
		return tr.ix.RunBy(f)
	}
	ok := tr.walk([]*ssa.Function{fn}, map[*ssa.Function]bool{}, next, func(f *ssa.Function) bool {
		if tr.isRoot[f] {
			roots = append(roots, f)
			return true
		}
		// An entry that is not a test (an exported function, an init)
		// ends it. (A _test.go function that nothing calls or takes the
		// value of never runs.)
		return len(tr.ix.RunBy(f)) > 0 || inTestFile(f)
	})
	if !ok || len(roots) == 0 {
		return nil, false
	}
	return roots, true
}

// maxSummaryAcquires is lockmodel's cap on a summary's acquisitions.
const maxSummaryAcquires = 64

// noWriter: fn runs only inside sequential tests, and no goroutine those
// tests start (directly, through the code they call, or by handing a
// function to a library) write-locks class. The test's own goroutine
// cannot be the writer waiting between its two read locks, so a
// recursive read lock there cannot meet a waiting writer (etcd's
// TestConcurrentReadNotBlockingWrite reads its own store twice; the store
// is written only before, by the constructor, and after, by cleanup).
func (tr *testRoots) noWriter(fn *ssa.Function, class string, sums map[*ssa.Function]*lockmodel.FuncSummary) bool {
	roots, ok := tr.rootsOf(fn)
	if !ok {
		return false
	}
	// Everything the tests run, then what runs on other goroutines.
	callees := func(f *ssa.Function) []*ssa.Function { return tr.ix.Runs(f) }
	var spawned []*ssa.Function
	for _, r := range roots {
		if tr.labelOf(r) == "parallel" {
			return false // other tests run at the same time
		}
	}
	if !tr.walk(roots, map[*ssa.Function]bool{}, callees, func(f *ssa.Function) bool {
		spawned = append(spawned, tr.ix.Spawns(f)...)
		return true
	}) {
		return false // budget spent
	}
	for _, f := range spawned {
		if f.Blocks == nil {
			return false // a function of another package run on its own: not known
		}
	}
	return tr.walk(spawned, map[*ssa.Function]bool{}, callees, func(f *ssa.Function) bool {
		s := sums[f]
		if s == nil {
			return true
		}
		if len(s.Acquires) >= maxSummaryAcquires {
			return false // the summary may be cut short
		}
		for _, a := range s.Acquires {
			if a.Class == class && a.Mode == lockmodel.Write {
				return false
			}
		}
		return true
	})
}

// separateTests: every edge of the cycle is this package's, found only in
// test code, and no one test (with the goroutines it starts) reaches a
// witness of every edge: the edges are never taken at the same time.
func separateTests(c cycle, tr func() *testRoots) bool {
	var common map[string]bool
	for i, e := range c {
		if e.Local == nil || e.Dep || !edgeInTest(e) || len(e.Local.Witnesses) == 0 {
			return false
		}
		labels := map[string]bool{}
		for _, w := range e.Local.Witnesses {
			ls, ok := tr().testsRunning(w)
			if !ok {
				return false
			}
			for _, l := range ls {
				labels[l] = true
			}
		}
		if i == 0 {
			common = labels
			continue
		}
		for l := range common {
			if !labels[l] {
				delete(common, l)
			}
		}
	}
	return len(common) == 0
}

// testsRunning is of(fn) narrowed by rapid type analysis: of the tests
// that may reach fn by the call graph (interface calls resolved to every
// method of the name), those that do when interface calls go only to
// types the test's run converts to an interface. nats-server's
// TestNRGProposeRemovePeerQuorum builds stateAdders: it runs smLoop, but
// not RCOBStateMachine's methods.
func (tr *testRoots) testsRunning(fn *ssa.Function) ([]string, bool) {
	roots, ok := tr.rootsOf(fn)
	if !ok {
		return nil, false
	}
	labels := map[string]bool{}
	for _, r := range roots {
		if tr.reachRTA(r)[fn] {
			labels[tr.labelOf(r)] = true
		}
	}
	if tr.exhausted {
		return nil, false // a reach cut short by the budget decides nothing
	}
	if len(labels) == 0 {
		// Reached by none under RTA: something RTA does not see runs it
		// (a type converted in another package); keep every candidate.
		for _, r := range roots {
			labels[tr.labelOf(r)] = true
		}
	}
	out := make([]string, 0, len(labels))
	for l := range labels {
		out = append(out, l)
	}
	sort.Strings(out)
	return out, true
}

// reachRTA returns the functions of this package that root runs, on any
// goroutine, with interface calls resolved to the methods of the types
// converted to an interface in what it runs.
func (tr *testRoots) reachRTA(root *ssa.Function) map[*ssa.Function]bool {
	if r, ok := tr.rta[root]; ok {
		return r
	}
	prog := root.Prog
	reach := map[*ssa.Function]bool{}
	var created typeutil.Map                          // concrete types converted so far
	typesByMethod := map[string][]types.Type{}        // created types by method name
	pendingByMethod := map[string][]*ssa.CallCommon{} // interface calls seen, by method name
	var work []*ssa.Function
	visit := func(f *ssa.Function) {
		if f != nil && !reach[f] && tr.step() {
			reach[f] = true
			work = append(work, f)
		}
	}
	resolve := func(c *ssa.CallCommon, t types.Type) {
		iface, ok := c.Value.Type().Underlying().(*types.Interface)
		if !ok || !types.Implements(t, iface) {
			return
		}
		if sel := prog.MethodSets.MethodSet(t).Lookup(c.Method.Pkg(), c.Method.Name()); sel != nil {
			visit(prog.MethodValue(sel))
		}
	}
	visit(root)
	for len(work) > 0 {
		f := work[len(work)-1]
		work = work[:len(work)-1]
		for _, g := range tr.ix.Direct(f) {
			visit(g)
		}
		for _, t := range tr.ix.Converts(f) {
			if created.At(t) != nil {
				continue
			}
			created.Set(t, true)
			ms := prog.MethodSets.MethodSet(t)
			for i := 0; i < ms.Len(); i++ {
				name := ms.At(i).Obj().Name()
				typesByMethod[name] = append(typesByMethod[name], t)
				for _, c := range pendingByMethod[name] {
					resolve(c, t)
				}
			}
		}
		for _, c := range tr.ix.Invokes(f) {
			name := c.Method.Name()
			pendingByMethod[name] = append(pendingByMethod[name], c)
			for _, t := range typesByMethod[name] {
				resolve(c, t)
			}
		}
	}
	tr.rta[root] = reach
	return reach
}
