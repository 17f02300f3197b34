// Package lockorder reports lock-order cycles (two goroutines that take the
// same locks in opposite orders), double locks (a lock instance taken again
// while held), recursive read locks and locks leaked on a return path.
//
// It asks the shared lock model (internal/lockmodel) for the package's
// lock-order edges, its dependencies' edges (facts) and the per-function
// findings, and turns them into reports with both acquisition chains.
package lockorder

import (
	"fmt"
	"go/token"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
)

// Analyzer is the lockorder analyzer.
var Analyzer = &analysis.Analyzer{
	Name:     "lockorder",
	Doc:      doc,
	URL:      "https://github.com/kafkalint/kafkalint/blob/main/docs/lockorder.md",
	Run:      run,
	Requires: []*analysis.Analyzer{lockmodel.Analyzer},
}

// Diagnostic categories (check names).
const (
	CheckCycle     = "lock-cycle"
	CheckDouble    = "double-lock"
	CheckRecursive = "recursive-rlock"
	CheckLeak      = "lock-leak"
)

// maxCycleLen bounds the cycles searched for (number of lock classes).
const maxCycleLen = 5

func init() {
	report.Register(Analyzer, checks...)
}

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[lockmodel.Analyzer].(*lockmodel.Result)
	r := report.New(pass)
	reportCycles(pass, r, res)
	reportSelfDeadlocks(pass, r, res)
	reportLeaks(pass, r, res)
	r.Finish()
	return nil, nil
}

// graphEdge is one class pair of the lock graph, merged over packages.
type graphEdge struct {
	lockmodel.Edge
	own   bool      // found in this package
	dep   bool      // found in some dependency
	pos   token.Pos // for own edges
	gates []string  // classes held at every witness (gate locks)
	// delegate: every witness is a decorator calling the object it wraps
	// (lockmodel.Edge.Delegate).
	delegate bool
	// witnesses: for own edges, the functions where the edge was found
	// (nil: closed from an open call).
	witnesses []*ssa.Function
}

type graph struct {
	out     map[string][]*graphEdge // by From, in insertion order
	edges   map[[2]string]*graphEdge
	writers map[string]bool
}

func buildGraph(res *lockmodel.Result) *graph {
	g := &graph{out: map[string][]*graphEdge{}, edges: map[[2]string]*graphEdge{}, writers: map[string]bool{}}
	add := func(e lockmodel.Edge, own bool, pos token.Pos) {
		k := [2]string{e.From, e.To}
		if ge, ok := g.edges[k]; ok {
			ge.gates = intersect(ge.gates, e.Held)
			ge.delegate = ge.delegate && e.Delegate
			if own && !ge.own {
				ge.Edge, ge.own, ge.pos = e, true, pos
			}
			ge.dep = ge.dep || !own
			return
		}
		ge := &graphEdge{Edge: e, own: own, dep: !own, pos: pos, gates: e.Held, delegate: e.Delegate}
		g.edges[k] = ge
		g.out[e.From] = append(g.out[e.From], ge)
	}
	for _, d := range res.Deps {
		for _, e := range d.Edges {
			add(e, false, token.NoPos)
		}
		for _, w := range d.WriteClasses {
			g.writers[w] = true
		}
	}
	for _, e := range res.Edges {
		add(e.Edge, true, e.Pos)
		g.edges[[2]string{e.From, e.To}].witnesses = e.Witnesses
	}
	for w := range res.WriteClasses {
		g.writers[w] = true
	}
	return g
}

func intersect(a, b []string) []string {
	var out []string
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

// reportCycles reports each cycle that an edge of this package closes,
// once: cycles that the dependencies' edges already form were reported
// there.
func reportCycles(pass *analysis.Pass, r *report.Reporter, res *lockmodel.Result) {
	g := buildGraph(res)
	var roots *testRoots
	tr := func() *testRoots {
		if roots == nil {
			roots = newTestRoots(res)
		}
		return roots
	}
	reported := map[string]bool{}
	used := map[*graphEdge]bool{} // edges of cycles already reported
	// Edges taken in hand-written code first: a cycle with one half in
	// generated code (a mock) is reported at its hand-written half.
	edges := slices.Clone(res.Edges)
	slices.SortStableFunc(edges, func(a, b lockmodel.LocalEdge) int {
		switch ga, gb := r.Generated(a.Pos), r.Generated(b.Pos); {
		case ga == gb:
			return 0
		case gb:
			return -1
		}
		return 1
	})
	for _, le := range edges {
		first := g.edges[[2]string{le.From, le.To}]
		if !first.own {
			continue
		}
		path := g.shortestPath(le.To, le.From, maxCycleLen-1)
		if path == nil {
			continue
		}
		cycle := append([]*graphEdge{first}, path...)
		key := cycleKey(cycle)
		if reported[key] {
			continue
		}
		reported[key] = true
		if allDep(cycle) || gated(cycle) || !conflicting(cycle, g.writers) || testMixed(cycle) || wrapsItself(cycle) || separateTests(cycle, tr) {
			continue
		}
		if usesAny(cycle, used) {
			// One bad edge can close many cycles (nats-server: one edge,
			// 81 cycles); fixing the reported one changes them all. One
			// diagnostic per edge keeps one bug one report.
			continue
		}
		for _, e := range cycle {
			used[e] = true
		}
		r.Report(cycleDiagnostic(pass, cycle, g.writers))
	}
}

func usesAny(cycle []*graphEdge, used map[*graphEdge]bool) bool {
	for _, e := range cycle {
		if used[e] {
			return true
		}
	}
	return false
}

// shortestPath finds the shortest chain of edges from -> ... -> to (BFS,
// at most maxLen edges), in deterministic order.
func (g *graph) shortestPath(from, to string, maxLen int) []*graphEdge {
	type node struct {
		class string
		via   *graphEdge
		prev  *node
		depth int
	}
	seen := map[string]bool{from: true}
	queue := []*node{{class: from}}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if n.depth >= maxLen {
			continue
		}
		for _, e := range g.out[n.class] {
			if e.To == to {
				path := []*graphEdge{e}
				for p := n; p.via != nil; p = p.prev {
					path = append([]*graphEdge{p.via}, path...)
				}
				return path
			}
			if !seen[e.To] {
				seen[e.To] = true
				queue = append(queue, &node{class: e.To, via: e, prev: n, depth: n.depth + 1})
			}
		}
	}
	return nil
}

func cycleKey(cycle []*graphEdge) string {
	var cs []string
	for _, e := range cycle {
		cs = append(cs, e.From)
	}
	sort.Strings(cs)
	return strings.Join(cs, "|")
}

// allDep: every edge is also known from a dependency, so the dependency
// already closed (and reported) this cycle.
func allDep(cycle []*graphEdge) bool {
	for _, e := range cycle {
		if !e.dep {
			return false
		}
	}
	return true
}

// testMixed: some edges are taken by test code and others by the code
// under test. Tests take a package's internal locks in unusual orders on
// purpose (to hold a batch while a merge starts, say) without running the
// production path that takes them the other way; such a cycle says more
// about the test than about a deadlock. Cycles wholly in tests, or wholly
// in the package, are reported.
func testMixed(cycle []*graphEdge) bool {
	inTest, inPkg := false, false
	for _, e := range cycle {
		if edgeInTest(e) {
			inTest = true
		} else {
			inPkg = true
		}
	}
	return inTest && inPkg
}

func edgeInTest(e *graphEdge) bool {
	for _, chain := range [][]lockmodel.Site{e.FromChain, e.ToChain} {
		if len(chain) > 0 {
			return strings.HasSuffix(chain[0].File, "_test.go")
		}
	}
	return false
}

// gated: one lock, outside the cycle, is held at every witness of every
// edge, so the cycle's acquisitions never run concurrently.
func gated(cycle []*graphEdge) bool {
	in := map[string]bool{}
	for _, e := range cycle {
		in[e.From] = true
	}
	common := cycle[0].gates
	for _, e := range cycle[1:] {
		common = intersect(common, e.gates)
	}
	for _, c := range common {
		if !in[c] {
			return true
		}
	}
	return false
}

// conflicting: at every class of the cycle the holder and the waiter
// conflict. Two readers conflict only when a writer of the class exists,
// since Go's RWMutex then blocks new readers behind the waiting writer.
func conflicting(cycle []*graphEdge, writers map[string]bool) bool {
	for i, e := range cycle {
		next := cycle[(i+1)%len(cycle)]
		// e: From held, To wanted; next: next.From (== e.To) held.
		if next.FromMode == lockmodel.Read && e.ToMode == lockmodel.Read && !writers[e.To] {
			return false
		}
	}
	return true
}

func cycleDiagnostic(pass *analysis.Pass, cycle []*graphEdge, writers map[string]bool) analysis.Diagnostic {
	first := cycle[0]
	var msg strings.Builder
	if len(cycle) == 2 {
		other := cycle[1]
		fmt.Fprintf(&msg, "lock order inversion: %s is acquired here while holding %s (in %s); %s acquires %s while holding %s (%s). Two goroutines taking them in opposite orders deadlock; take them in one order",
			short(first.To), short(first.From), first.Func,
			other.Func, short(other.To), short(other.From), chainSummary(other.ToChain))
	} else {
		var names []string
		for _, e := range cycle {
			names = append(names, short(e.From))
		}
		names = append(names, short(first.From))
		fmt.Fprintf(&msg, "lock order cycle: %s. %s is acquired here while holding %s (in %s); the other edges are taken elsewhere (see the chains). Goroutines following these orders at once deadlock; take the locks in one global order",
			strings.Join(names, " → "), short(first.To), short(first.From), first.Func)
	}
	if rw := readNote(cycle, writers); rw != "" {
		msg.WriteString(rw)
	}
	var related []analysis.RelatedInformation
	for i, e := range cycle {
		related = append(related, edgeChain(pass, i+1, e)...)
		related = append(related, otherWitnesses(i+1, e)...)
	}
	return analysis.Diagnostic{Pos: first.pos, Category: CheckCycle, Message: msg.String(), Related: related}
}

// maxOtherWitnesses bounds the other functions listed for one edge.
const maxOtherWitnesses = 3

// otherWitnesses lists the other functions of this package that take the
// edge's two locks in the same order: the chain printed is the first one
// found, which is not always the one that deadlocks (mongo's pool: the
// printed maintain path is kept apart by the pool's state, pool.close is
// not).
func otherWitnesses(n int, e *graphEdge) []analysis.RelatedInformation {
	var steps []report.Step
	seen := map[string]bool{e.Func: true}
	for _, w := range e.witnesses {
		if w == nil || !w.Pos().IsValid() {
			continue
		}
		name := lockmodel.FuncName(w)
		if seen[name] || strings.HasSuffix(e.Func, " "+name) || strings.Contains(e.Func, "goroutine "+name+" ") {
			continue
		}
		seen[name] = true
		if len(steps) == maxOtherWitnesses {
			break
		}
		steps = append(steps, report.Step{Pos: w.Pos(), Message: fmt.Sprintf("%s: also takes %s while holding %s", name, short(e.To), short(e.From))})
	}
	if len(steps) == 0 {
		return nil
	}
	return report.Chain(fmt.Sprintf("path %d, also", n), steps...)
}

func readNote(cycle []*graphEdge, writers map[string]bool) string {
	for i, e := range cycle {
		next := cycle[(i+1)%len(cycle)]
		if next.FromMode == lockmodel.Read && e.ToMode == lockmodel.Read {
			return fmt.Sprintf(" (%s is read-locked on both sides: this deadlocks when a writer of it is waiting, as Go's RWMutex then blocks new readers)", short(e.To))
		}
	}
	return ""
}

// edgeChain renders one edge as a chain: where From is held, then the
// steps down to To's acquisition.
func edgeChain(pass *analysis.Pass, n int, e *graphEdge) []analysis.RelatedInformation {
	label := fmt.Sprintf("path %d", n)
	var steps []report.Step
	if strings.HasPrefix(e.Func, "goroutine ") && len(e.FromChain) > 0 {
		s := e.FromChain[0]
		what := "runs as a goroutine"
		if i := strings.Index(e.Func, " (started by "); i >= 0 {
			what += e.Func[i:]
		}
		steps = append(steps, step(pass, s, what))
	}
	for i, s := range e.FromChain {
		msg := s.What
		if i == len(e.FromChain)-1 {
			msg = fmt.Sprintf("%s %s", s.What, holds(e.FromMode, e.From))
		}
		steps = append(steps, step(pass, s, msg))
	}
	// Both chains start in the same function: skip the calls they share.
	k := 0
	for k < len(e.FromChain)-1 && k < len(e.ToChain)-1 && e.FromChain[k] == e.ToChain[k] {
		k++
	}
	to := e.ToChain[k:]
	for i, s := range to {
		msg := s.What
		if i == len(to)-1 {
			msg = fmt.Sprintf("%s %s while holding %s", s.What, takes(e.ToMode, e.To), short(e.From))
		}
		steps = append(steps, step(pass, s, msg))
	}
	return report.Chain(label, steps...)
}

func step(pass *analysis.Pass, s lockmodel.Site, msg string) report.Step {
	return report.Step{Pos: lockmodel.PosOf(pass.Fset, s), Message: s.Func + ": " + msg}
}

func holds(m lockmodel.Mode, class string) string {
	if m == lockmodel.Read {
		return "(read-holds " + short(class) + ")"
	}
	return "(holds " + short(class) + ")"
}

func takes(m lockmodel.Mode, class string) string {
	if m == lockmodel.Read {
		return "read-locks " + short(class)
	}
	return "locks " + short(class)
}

func chainSummary(chain []lockmodel.Site) string {
	var parts []string
	for _, s := range chain {
		if rest, ok := strings.CutPrefix(s.What, "calls "); ok {
			parts = append(parts, rest)
		}
	}
	if len(parts) == 0 && len(chain) > 0 {
		p := chain[len(chain)-1]
		return fmt.Sprintf("at line %d", p.Line)
	}
	return "via " + joinCalls(parts)
}

// joinCalls shortens long call chains for the message; the related
// information has every step.
func joinCalls(parts []string) string {
	if len(parts) > 3 {
		parts = append(parts[:2:2], "…", parts[len(parts)-1])
	}
	return strings.Join(parts, " → ")
}

func short(class string) string { return lockmodel.ShortClass(class) }

func reportSelfDeadlocks(pass *analysis.Pass, r *report.Reporter, res *lockmodel.Result) {
	var roots *testRoots
	tr := func() *testRoots {
		if roots == nil {
			roots = newTestRoots(res)
		}
		return roots
	}
	writers := map[string]bool{}
	for w := range res.WriteClasses {
		writers[w] = true
	}
	for _, d := range res.Deps {
		for _, w := range d.WriteClasses {
			writers[w] = true
		}
	}
	// One report per held lock: the second, third... re-acquisitions under
	// the same held acquisition are one bug (apimachinery's two calls of
	// Step under b.lock), listed in the first report.
	keep := func(sd lockmodel.SelfDeadlock) bool {
		if !sd.RecursiveRW {
			return true
		}
		if !writers[sd.Class] {
			return false
		}
		return !(strings.HasSuffix(pass.Fset.Position(sd.Pos).Filename, "_test.go") && tr().noWriter(sd.Fn, sd.Class, res.Summaries))
	}
	groupOf := func(sd lockmodel.SelfDeadlock) string {
		if len(sd.First) == 0 {
			return fmt.Sprint(sd.Pos)
		}
		f := sd.First[0]
		return fmt.Sprintf("%s:%d:%d|%s|%v|%s", f.File, f.Line, f.Col, sd.Class, sd.RecursiveRW, sd.Func)
	}
	more := map[string][]token.Pos{}
	var order []lockmodel.SelfDeadlock
	for _, sd := range res.SelfDeadlocks {
		if !keep(sd) {
			continue
		}
		k := groupOf(sd)
		if _, ok := more[k]; ok {
			more[k] = append(more[k], sd.Pos)
			continue
		}
		more[k] = []token.Pos{}
		order = append(order, sd)
	}
	for _, sd := range order {
		firstAt := siteText(sd.First)
		var related []analysis.RelatedInformation
		var held []report.Step
		for _, s := range sd.First {
			held = append(held, step(pass, s, s.What))
		}
		var again []report.Step
		for _, s := range sd.Second {
			again = append(again, step(pass, s, s.What))
		}
		related = append(report.Chain("held", held...), report.Chain("again", again...)...)
		for _, p := range more[groupOf(sd)] {
			related = append(related, analysis.RelatedInformation{Pos: p, Message: "[again] and again here, under the same held lock"})
		}
		if sd.RecursiveRW {
			r.Report(analysis.Diagnostic{
				Pos: sd.Pos, Category: CheckRecursive, Related: related,
				Message: fmt.Sprintf("%s is read-locked again while this goroutine already read-holds it (%s): when a writer calls Lock in between, Go's RWMutex blocks this RLock behind the writer and the writer behind the first RLock, a deadlock (%s has writers); do not re-acquire, pass the locked state down",
					sd.Lock, firstAt, short(sd.Class)),
			})
			continue
		}
		if sd.Loop.IsValid() {
			related = append(related, analysis.RelatedInformation{Pos: sd.Loop, Message: "[again] goes on to the next iteration here, still holding " + sd.Lock})
			r.Report(analysis.Diagnostic{
				Pos: sd.Pos, Category: CheckDouble, Related: related,
				Message: fmt.Sprintf("%s is %s again by the next loop iteration while still %s: the iteration that continues at line %d does not unlock it, and sync mutexes are not reentrant, so this goroutine waits for itself forever; unlock before continuing, or use a function with defer %s.Unlock() for the loop body",
					sd.Lock, verb(sd.SecondMode, ""), sd.FirstMode, pass.Fset.Position(sd.Loop).Line, sd.Lock),
			})
			continue
		}
		r.Report(analysis.Diagnostic{
			Pos: sd.Pos, Category: CheckDouble, Related: related,
			Message: fmt.Sprintf("%s is %s again while already %s (%s): sync mutexes are not reentrant, so this goroutine waits for itself forever; unlock before this point, or call a variant that expects the lock held",
				sd.Lock, verb(sd.SecondMode, chainVia(sd.Second)), sd.FirstMode, firstAt),
		})
	}
}

func verb(m lockmodel.Mode, via string) string {
	v := "locked"
	if m == lockmodel.Read {
		v = "read-locked"
	}
	if via != "" {
		v += " " + via
	}
	return v
}

func chainVia(chain []lockmodel.Site) string {
	var parts []string
	for _, s := range chain {
		if rest, ok := strings.CutPrefix(s.What, "calls "); ok {
			parts = append(parts, rest)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "via " + joinCalls(parts)
}

func siteText(chain []lockmodel.Site) string {
	if len(chain) == 0 {
		return "earlier"
	}
	s := chain[0]
	return fmt.Sprintf("%s at line %d", s.What, s.Line)
}

func reportLeaks(pass *analysis.Pass, r *report.Reporter, res *lockmodel.Result) {
	for _, l := range res.Leaks {
		held := pass.Fset.Position(l.Held)
		if l.Path.IsValid() {
			r.Report(analysis.Diagnostic{
				Pos: l.Pos, Category: CheckLeak,
				Message: fmt.Sprintf("%s is locked here and still held when %s returns at line %d on the path through line %d, which joins the paths that unlock it: the next %s.Lock() blocks forever; unlock on that path too, or use defer %s.Unlock() right after locking",
					l.Lock, l.Func, held.Line, pass.Fset.Position(l.Path).Line, l.Lock, l.Lock),
				Related: []analysis.RelatedInformation{
					{Pos: l.Path, Message: fmt.Sprintf("leaves here still holding %s", l.Lock)},
					{Pos: l.Held, Message: fmt.Sprintf("returns still holding %s on that path", l.Lock)},
				},
			})
			continue
		}
		rel := pass.Fset.Position(l.Releasing)
		r.Report(analysis.Diagnostic{
			Pos: l.Pos, Category: CheckLeak,
			Message: fmt.Sprintf("%s is locked here and still held when %s returns at line %d, while it is not held at the return at line %d: the next %s.Lock() blocks forever; unlock before that return, or use defer %s.Unlock() right after locking",
				l.Lock, l.Func, held.Line, rel.Line, l.Lock, l.Lock),
			Related: []analysis.RelatedInformation{
				{Pos: l.Held, Message: fmt.Sprintf("returns still holding %s", l.Lock)},
				{Pos: l.Releasing, Message: fmt.Sprintf("not held at this return: %s", l.Lock)},
			},
		})
	}
}

// wrapsItself: every edge of the cycle is a decorator holding its own lock
// while it calls the object it wraps (s.ws.Sync() under s.mu). Each edge
// goes one level down a chain of wrapped objects, so the cycle needs an
// object that wraps itself: not a deadlock of real code.
func wrapsItself(cycle []*graphEdge) bool {
	for _, e := range cycle {
		if !e.delegate {
			return false
		}
	}
	return true
}
