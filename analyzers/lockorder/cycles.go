package lockorder

import (
	"cmp"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockgraph"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
)

// Which cycles are reported. The lock graph (internal/lockgraph: this
// package's edges and its dependencies') is searched, from each of this
// package's edges, for the shortest cycles through it; every cycle found
// is ranked globally (fewest locks first, then fewest read locks, then
// most edges of this package) and taken in that order, each reported
// unless a filter proves it cannot deadlock or an edge of it is in a cycle
// already reported. So the reported cycle is the most direct one through
// its edges: a 4-lock cycle found from an unrelated function never
// displaces the 3-lock cycle made of the same edges.

// maxCycleLen bounds the cycles searched for (number of lock classes).
const maxCycleLen = 5

// maxCyclesPerEdge bounds the shortest cycles kept per edge of this
// package (nats-server: one edge closes 81 cycles).
const maxCyclesPerEdge = 16

// A cycle is a cycle of the lock graph as its edges, in order: each edge's
// To is the next one's From. Its first edge is this package's.
type cycle []*lockgraph.Edge

// witness is the lock-model edge a graph edge is reported with: this
// package's own when it has one.
func witness(e *lockgraph.Edge) *lockmodel.Edge {
	if e.Local != nil {
		return &e.Local.Edge
	}
	return &e.Witness
}

// writeClasses are the classes write-locked here or in a dependency.
func writeClasses(res *lockmodel.Result) map[string]bool {
	writers := map[string]bool{}
	for w := range res.WriteClasses {
		writers[w] = true
	}
	for _, d := range res.Deps {
		for _, w := range d.WriteClasses {
			writers[w] = true
		}
	}
	return writers
}

// reportCycles reports each cycle that an edge of this package closes,
// once: cycles that the dependencies' edges already form were reported
// there. A cycle an internal package may leave to its importers goes into
// deferred instead (see Deferred). A cycle of two edges that is one goroutine re-acquiring a lock is
// returned as a self-deadlock instead. It returns the cycles it reported,
// for -lockgraph.
func reportCycles(pass *analysis.Pass, r *report.Reporter, nm *namer, ix *callindex.Index, res *lockmodel.Result, tr func() *testRoots, cf func() *confinement, jf func() *joins, deferred *Deferred) ([]reacquisition, []lockgraph.Report) {
	g := lockgraph.New()
	g.AddResult(res)
	writers := writeClasses(res)
	seen := map[string]bool{}
	used := map[*lockgraph.Edge]bool{} // edges of cycles already reported
	var again []reacquisition
	var reports []lockgraph.Report
	for _, c := range candidates(g, res, r.Generated) {
		key := c.key()
		if seen[key] || allDep(c) {
			continue
		}
		seen[key] = true
		if !conflicting(c, writers) || testMixed(c) || wrapsItself(c) || gated(c) || cannotClose(c) || separateTests(c, tr) || confinedCycle(c, cf) || sequentialCycle(c, ix, tr) || joinedCycle(c, jf) {
			continue
		}
		if usesAny(c, used) {
			// One bad edge can close many cycles; fixing the reported
			// one changes them all. One diagnostic per edge keeps one
			// bug one report.
			continue
		}
		markUsed(c, used)
		if re, ok := reacquired(c); ok {
			// One goroutine's call chain, not two goroutines.
			if re.y.Local != nil {
				again = append(again, re)
				check := CheckDouble
				if re.selfDeadlock().RecursiveRW {
					check = CheckRecursive
				}
				reports = append(reports, c.report(check, re.y))
			}
			continue
		}
		d := cycleDiagnostic(pass, nm, c, writers)
		if !r.Covered(d) {
			if dr, ok := deferCycle(pass, ix, tr, c, d); ok {
				deferred.Reports = append(deferred.Reports, dr)
				continue
			}
		}
		r.Report(d)
		reports = append(reports, c.report(CheckCycle, c[0]))
	}
	return again, reports
}

// candidates returns the shortest cycles through each of this package's
// edges, best first: fewer locks, then fewer read-locked joints (a read
// cycle needs a waiting writer besides), then fewer read locks, then more
// edges of this package, then a first edge in hand-written code (a cycle
// with one half in generated code, a mock, is reported at its hand-written
// half), then source order of the first edge.
func candidates(g *lockgraph.Graph, res *lockmodel.Result, generated func(token.Pos) bool) []cycle {
	type ranked struct {
		c     cycle
		gen   bool
		order int
	}
	var cands []ranked
	for i := range res.Edges {
		e := g.Edge(res.Edges[i].From, res.Edges[i].To)
		if e == nil || e.Local == nil {
			continue
		}
		for _, c := range g.ShortestCycles(e, maxCycleLen, maxCyclesPerEdge) {
			if len(c) >= 2 {
				cands = append(cands, ranked{c, generated(e.Local.Pos), i})
			}
		}
	}
	slices.SortStableFunc(cands, func(a, b ranked) int {
		return cmp.Or(
			cmp.Compare(len(a.c), len(b.c)),
			cmp.Compare(len(readJoints(a.c)), len(readJoints(b.c))),
			cmp.Compare(a.c.readLocks(), b.c.readLocks()),
			-cmp.Compare(a.c.own(), b.c.own()),
			compareBool(a.gen, b.gen),
			cmp.Compare(a.order, b.order),
		)
	})
	out := make([]cycle, len(cands))
	for i, r := range cands {
		out[i] = r.c
	}
	return out
}

// compareBool orders false before true.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// key names the cycle by its edges, whatever edge it starts at.
func (c cycle) key() string {
	var es []string
	for _, e := range c {
		es = append(es, e.From+"\x00"+e.To)
	}
	slices.Sort(es)
	return strings.Join(es, "|")
}

func (c cycle) readLocks() int {
	n := 0
	for _, e := range c {
		w := witness(e)
		if w.FromMode == lockmodel.Read {
			n++
		}
		if w.ToMode == lockmodel.Read {
			n++
		}
	}
	return n
}

func (c cycle) own() int {
	n := 0
	for _, e := range c {
		if e.Local != nil {
			n++
		}
	}
	return n
}

// report describes the cycle for -lockgraph, reported by check at edge
// at's acquisition.
func (c cycle) report(check string, at *lockgraph.Edge) lockgraph.Report {
	rep := lockgraph.Report{Check: check}
	for _, e := range c {
		rep.Classes = append(rep.Classes, e.From)
	}
	if w := witness(at); len(w.ToChain) > 0 {
		rep.Site = w.ToChain[0]
	}
	return rep
}

func usesAny(c cycle, used map[*lockgraph.Edge]bool) bool {
	return slices.ContainsFunc(c, func(e *lockgraph.Edge) bool { return used[e] })
}

func markUsed(c cycle, used map[*lockgraph.Edge]bool) {
	for _, e := range c {
		used[e] = true
	}
}

// allDep: every edge is also known from a dependency, so the dependency
// already closed (and reported) this cycle.
func allDep(c cycle) bool {
	return !slices.ContainsFunc(c, func(e *lockgraph.Edge) bool { return !e.Dep })
}

// testMixed: some edges are taken by test code and others by the code
// under test. Tests take a package's internal locks in unusual orders on
// purpose (to hold a batch while a merge starts, say) without running the
// production path that takes them the other way; such a cycle says more
// about the test than about a deadlock. Cycles wholly in tests, or wholly
// in the package, are reported.
func testMixed(c cycle) bool {
	inTest, inPkg := false, false
	for _, e := range c {
		if edgeInTest(e) {
			inTest = true
		} else {
			inPkg = true
		}
	}
	return inTest && inPkg
}

func edgeInTest(e *lockgraph.Edge) bool {
	w := witness(e)
	for _, chain := range [][]lockmodel.Site{w.FromChain, w.ToChain} {
		if len(chain) > 0 {
			return strings.HasSuffix(chain[0].File, "_test.go")
		}
	}
	return false
}

// gated: two edges of the cycle share a gate, a lock outside the cycle
// held at every witness of both, so those two are never taken at once and
// the cycle cannot close (a gate shared by every edge is the common case;
// on a longer cycle two are enough).
func gated(c cycle) bool {
	in := map[string]bool{}
	for _, e := range c {
		in[e.From] = true
	}
	for i, a := range c {
		for _, b := range c[i+1:] {
			for _, g := range a.Held {
				if !in[g] && slices.Contains(b.Held, g) {
					return true
				}
			}
		}
	}
	return false
}

// readJoints lists the classes of the cycle that are read-held on one
// side and read-wanted on the other.
func readJoints(c cycle) []string {
	var out []string
	for i, e := range c {
		next := c[(i+1)%len(c)]
		// e: From held, To wanted; next: next.From (== e.To) held.
		if witness(next).FromMode == lockmodel.Read && witness(e).ToMode == lockmodel.Read {
			out = append(out, e.To)
		}
	}
	return out
}

// conflicting: at every class of the cycle the holder and the waiter
// conflict. Two readers conflict only when a writer of the class exists,
// since Go's RWMutex then blocks new readers behind the waiting writer.
func conflicting(c cycle, writers map[string]bool) bool {
	for _, class := range readJoints(c) {
		if !writers[class] {
			return false
		}
	}
	return true
}

// wrapsItself: every edge of the cycle is a decorator holding its own lock
// while it calls the object it wraps (s.ws.Sync() under s.mu). Each edge
// goes one level down a chain of wrapped objects, so the cycle needs an
// object that wraps itself: not a deadlock of real code.
func wrapsItself(c cycle) bool {
	return !slices.ContainsFunc(c, func(e *lockgraph.Edge) bool { return !e.Delegate })
}

// A reacquisition is a cycle of two edges, x: A → B and y: B → A, where y
// is taken while A itself is held (at every witness): the goroutine at y
// holds A, takes B, then takes A again, all on one call chain. That is one
// goroutine waiting for itself (when the two A are one instance), not two
// goroutines in opposite orders; it is reported as a double lock (or a
// recursive read lock) at y.
type reacquisition struct {
	x, y *lockgraph.Edge
}

func reacquired(c cycle) (reacquisition, bool) {
	if len(c) != 2 {
		return reacquisition{}, false
	}
	for i := range 2 {
		x, y := c[i], c[1-i]
		if slices.Contains(y.Held, y.To) {
			return reacquisition{x: x, y: y}, true
		}
	}
	return reacquisition{}, false
}

// selfDeadlock renders the reacquisition as the lock model's self-deadlock.
func (re reacquisition) selfDeadlock() lockmodel.SelfDeadlock {
	x, y := witness(re.x), witness(re.y)
	sd := lockmodel.SelfDeadlock{
		Pos: re.y.Local.Pos, Func: y.Func, Class: y.To, Lock: short(y.To),
		Second: y.ToChain, FirstMode: x.FromMode, SecondMode: y.ToMode,
	}
	if len(re.y.Local.Witnesses) > 0 {
		sd.Fn = re.y.Local.Witnesses[0]
	}
	if x.Func == y.Func {
		sd.First = x.FromChain
	}
	sd.RecursiveRW = sd.FirstMode == lockmodel.Read && sd.SecondMode == lockmodel.Read
	return sd
}
