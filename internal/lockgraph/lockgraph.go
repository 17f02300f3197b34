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
}

// Site is where the witness function acquires To (directly, or through
// the call that leads to the acquisition). It falls back to the last step
// of the witness chain, and to a site naming only the function.
func (e *Edge) Site() lockmodel.Site {
	if c := e.Witness.ToChain; len(c) > 0 {
		return c[0]
	}
	return lockmodel.Site{Func: e.Witness.Func}
}

// A Graph is a lock-order graph. The zero value is not usable; call New.
type Graph struct {
	edges map[[2]string]*Edge
	comp  map[string]int // class → component index, nil until computed
	sccs  [][]string     // non-trivial components, computed with comp
}

// New returns an empty graph.
func New() *Graph {
	return &Graph{edges: map[[2]string]*Edge{}}
}

// AddResult adds the edges the lock model found in one package and the
// edges of all its dependencies.
func (g *Graph) AddResult(res *lockmodel.Result) {
	for _, e := range res.Edges {
		g.Add(e.Edge)
	}
	for _, dep := range res.Deps {
		for _, e := range dep.Edges {
			g.Add(e)
		}
	}
}

// Add adds one lock-model edge. Edges with an empty class (a lock whose
// class only the caller knows) are skipped: they name no node.
func (g *Graph) Add(e lockmodel.Edge) {
	if e.From == "" || e.To == "" {
		return
	}
	g.comp, g.sccs = nil, nil
	k := [2]string{e.From, e.To}
	ge, ok := g.edges[k]
	if !ok {
		held := slices.Clone(e.Held)
		slices.Sort(held)
		g.edges[k] = &Edge{From: e.From, To: e.To, Witness: e, Held: slices.Compact(held)}
		return
	}
	ge.Held = intersect(ge.Held, e.Held)
	if compareWitness(e, ge.Witness) < 0 {
		ge.Witness = e
	}
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
	succ := map[string][]string{}
	for _, e := range g.Edges() { // sorted by From, then To
		succ[e.From] = append(succ[e.From], e.To)
	}
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
		for _, w := range succ[v] {
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

// compareWitness orders witnesses by where To is acquired, then by where
// From was taken, then by function, so the kept witness is the same
// whatever the order of Add calls.
func compareWitness(a, b lockmodel.Edge) int {
	return cmp.Or(
		slices.CompareFunc(a.ToChain, b.ToChain, compareSite),
		slices.CompareFunc(a.FromChain, b.FromChain, compareSite),
		cmp.Compare(a.Func, b.Func),
		cmp.Compare(a.ToMode, b.ToMode),
		cmp.Compare(a.FromMode, b.FromMode),
	)
}

func compareSite(a, b lockmodel.Site) int {
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Col, b.Col),
		cmp.Compare(a.Func, b.Func),
		cmp.Compare(a.What, b.What),
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
