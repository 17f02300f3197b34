// Package lockgraph is the lock-order graph of the lock model: lock classes
// as nodes, and an edge A → B for every class pair where B was acquired
// while A was held, merged over packages (a package's own edges and the ones
// its dependencies export as facts). Its cycles are the strongly connected
// components with more than one class (or a class with an edge to itself).
//
// The graph is plain data with deterministic order: the same edges, added
// in any order, give the same graph, the same witnesses and the same
// output. kafkalint -lockgraph draws it (WriteDOT); a cycle check can walk
// it.
package lockgraph

import (
	"cmp"
	"slices"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// An Edge is one class pair of the graph: To acquired while From is held.
type Edge struct {
	From, To string
	// Witness is one lock-model edge for the pair: of all witnesses
	// added, the first in site order, so the choice does not depend on
	// the order packages were analyzed in.
	Witness lockmodel.Edge
	// Held lists the classes held at every witness of the pair (From
	// included), sorted: a class other than From and To held at every edge of a
	// cycle is a gate lock that serializes it.
	Held []string
	// Local is the analysed package's own edge for the pair (AddLocal),
	// with its position and witness functions; nil when only
	// dependencies take it.
	Local *lockmodel.LocalEdge
	// Dep: some dependency's package fact has the pair (AddDep).
	Dep bool
	// Delegate: every witness is a decorator calling the object it wraps
	// under its own lock (lockmodel.Edge.Delegate).
	Delegate bool
	// Sources counts the lock-model edges added for the pair (one per
	// package that takes it): with one, that edge's paths are all the
	// graph knows of.
	Sources int
}

// Site is where the witness function acquires To (directly, or through
// the call that leads to the acquisition), and the function it is in;
// ok is false when the witness has no chain (Witness.Func names the
// function then).
func (e *Edge) Site() (site lockmodel.Site, ok bool) {
	if c := e.Witness.ToChain; len(c) > 0 {
		return c[0], true
	}
	return lockmodel.Site{}, false
}

// A Graph is a lock-order graph. The zero value is not usable; call New.
type Graph struct {
	edges map[[2]string]*Edge
	comp  map[string]int     // class → component index, nil until computed
	sccs  [][]string         // non-trivial components, computed with comp
	succ  map[string][]*Edge // out-edges by To, nil until computed
}

// New returns an empty graph.
func New() *Graph {
	return &Graph{edges: map[[2]string]*Edge{}}
}

// AddResult adds the edges the lock model found in one package (AddLocal)
// and the edges of all its dependencies (AddDep).
func (g *Graph) AddResult(res *lockmodel.Result) {
	for i := range res.Edges {
		g.AddLocal(&res.Edges[i])
	}
	for _, dep := range res.Deps {
		for _, e := range dep.Edges {
			g.AddDep(e)
		}
	}
}

// AddLocal adds an edge of the analysed package. Of several packages'
// edges of one pair, the last added is kept as Local (a graph over one
// package's result has one).
func (g *Graph) AddLocal(e *lockmodel.LocalEdge) {
	if ge := g.Add(e.Edge); ge != nil {
		ge.Local = e
	}
}

// AddDep adds an edge from a dependency's package fact.
func (g *Graph) AddDep(e lockmodel.Edge) {
	if ge := g.Add(e); ge != nil {
		ge.Dep = true
	}
}

// Add adds one lock-model edge and returns the graph's edge for its pair.
// Edges with an empty class (a lock whose class only the caller knows) are
// skipped (nil): they name no node.
func (g *Graph) Add(e lockmodel.Edge) *Edge {
	if e.From == "" || e.To == "" {
		return nil
	}
	g.comp, g.sccs, g.succ = nil, nil, nil
	k := [2]string{e.From, e.To}
	ge, ok := g.edges[k]
	if !ok {
		held := slices.Clone(e.Held)
		slices.Sort(held)
		ge = &Edge{From: e.From, To: e.To, Witness: e, Held: slices.Compact(held), Delegate: e.Delegate, Sources: 1}
		g.edges[k] = ge
		return ge
	}
	ge.Held = intersect(ge.Held, e.Held)
	ge.Sources++
	ge.Delegate = ge.Delegate && e.Delegate
	if compareWitness(e, ge.Witness) < 0 {
		ge.Witness = e
	}
	return ge
}

// Nodes returns every class that is an end of some edge, sorted.
func (g *Graph) Nodes() []string {
	seen := map[string]bool{}
	var nodes []string
	for k := range g.edges {
		for _, c := range k {
			if !seen[c] {
				seen[c] = true
				nodes = append(nodes, c)
			}
		}
	}
	slices.Sort(nodes)
	return nodes
}

// Edges returns the edges sorted by From, then To.
func (g *Graph) Edges() []*Edge {
	edges := make([]*Edge, 0, len(g.edges))
	for _, e := range g.edges {
		edges = append(edges, e)
	}
	slices.SortFunc(edges, func(a, b *Edge) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	return edges
}

// Edge returns the edge from → to, or nil.
func (g *Graph) Edge(from, to string) *Edge { return g.edges[[2]string{from, to}] }

// Cycles returns the strongly connected components that contain a cycle,
// each sorted, ordered by their first class.
func (g *Graph) Cycles() [][]string {
	g.components()
	return g.sccs
}

// InCycle reports whether e lies on a cycle: both its ends are in the same
// strongly connected component, and that component has a cycle.
func (g *Graph) InCycle(e *Edge) bool {
	comp := g.components()
	from, ok1 := comp[e.From]
	to, ok2 := comp[e.To]
	return ok1 && ok2 && from == to
}

// NodeInCycle reports whether the class lies on some cycle.
func (g *Graph) NodeInCycle(class string) bool {
	_, ok := g.components()[class]
	return ok
}

// components runs Tarjan's algorithm over the nodes and successors in
// sorted order and keeps the components that hold a cycle: more than one
// class, or one class with an edge to itself. comp maps only their classes.
func (g *Graph) components() map[string]int {
	if g.comp != nil {
		return g.comp
	}
	succ := g.successors()
	var (
		index   = map[string]int{}
		low     = map[string]int{}
		onStack = map[string]bool{}
		stack   []string
		next    int
		sccs    [][]string
	)
	var connect func(v string)
	connect = func(v string) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, e := range succ[v] {
			w := e.To
			if _, seen := index[w]; !seen {
				connect(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] != index[v] {
			return
		}
		var scc []string
		for {
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[w] = false
			scc = append(scc, w)
			if w == v {
				break
			}
		}
		if len(scc) > 1 || g.edges[[2]string{v, v}] != nil {
			slices.Sort(scc)
			sccs = append(sccs, scc)
		}
	}
	for _, v := range g.Nodes() {
		if _, seen := index[v]; !seen {
			connect(v)
		}
	}
	slices.SortFunc(sccs, func(a, b []string) int { return cmp.Compare(a[0], b[0]) })
	g.comp, g.sccs = map[string]int{}, sccs
	for i, scc := range sccs {
		for _, c := range scc {
			g.comp[c] = i
		}
	}
	return g.comp
}

// successors returns each class's out-edges, sorted by To.
func (g *Graph) successors() map[string][]*Edge {
	if g.succ == nil {
		g.succ = map[string][]*Edge{}
		for _, e := range g.Edges() { // sorted by From, then To
			g.succ[e.From] = append(g.succ[e.From], e)
		}
	}
	return g.succ
}

// ShortestCycles returns the shortest cycles through e, each as its edges
// starting with e: the ways back from e.To to e.From with the fewest
// edges, the cycle at most maxLen edges long, at most limit of them (in
// order of their classes), or nil when e lies on no such cycle. An edge
// from a class to itself is its own cycle.
func (g *Graph) ShortestCycles(e *Edge, maxLen, limit int) [][]*Edge {
	if !g.InCycle(e) {
		return nil
	}
	if e.From == e.To {
		return [][]*Edge{{e}}
	}
	// dist: edges from each class of e's component to e.From, found
	// backwards from e.From, at most maxLen-1.
	comp := g.components()
	in := comp[e.From]
	pred := map[string][]*Edge{}
	for _, x := range g.Edges() {
		if c, ok := comp[x.From]; ok && c == in && comp[x.To] == in {
			pred[x.To] = append(pred[x.To], x)
		}
	}
	dist := map[string]int{e.From: 0}
	queue := []string{e.From}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if dist[c] >= maxLen-1 {
			continue
		}
		for _, x := range pred[c] {
			if _, seen := dist[x.From]; !seen {
				dist[x.From] = dist[c] + 1
				queue = append(queue, x.From)
			}
		}
	}
	if _, ok := dist[e.To]; !ok {
		return nil
	}
	// Every way back that goes one step closer at each edge is shortest.
	var cycles [][]*Edge
	var walk func(path []*Edge, at string)
	walk = func(path []*Edge, at string) {
		if len(cycles) == limit {
			return
		}
		if at == e.From {
			cycles = append(cycles, slices.Clone(path))
			return
		}
		for _, x := range g.successors()[at] {
			if d, ok := dist[x.To]; ok && d == dist[at]-1 {
				walk(append(path, x), x.To)
			}
		}
	}
	walk([]*Edge{e}, e.To)
	return cycles
}

// compareWitness orders witnesses by where To is acquired, then by where
// From was taken, then by function, so the kept witness is the same
// whatever the order of Add calls.
func compareWitness(a, b lockmodel.Edge) int {
	return cmp.Or(
		slices.CompareFunc(a.ToChain, b.ToChain, lockmodel.CompareSite),
		slices.CompareFunc(a.FromChain, b.FromChain, lockmodel.CompareSite),
		cmp.Compare(a.Func, b.Func),
		cmp.Compare(a.ToMode, b.ToMode),
		cmp.Compare(a.FromMode, b.FromMode),
	)
}

func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// A Report is a cycle a check reported: its classes in cycle order
// (Classes[i] → Classes[i+1], the last back to the first), the check, and
// the site of the acquisition it was reported at.
type Report struct {
	Check   string
	Classes []string
	Site    lockmodel.Site
}

// Reports is lockorder's result: the cycles it reported in one package,
// so that kafkalint -lockgraph can mark them.
type Reports struct {
	Cycles []Report
}

// Edges returns the graph's edges of the reported cycle, in cycle order;
// an edge the graph does not have is left out.
func (r Report) Edges(g *Graph) []*Edge {
	var out []*Edge
	for i, c := range r.Classes {
		if e := g.Edge(c, r.Classes[(i+1)%len(r.Classes)]); e != nil {
			out = append(out, e)
		}
	}
	return out
}
