package lockgraph

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
)

// edge makes a lock-model edge from → to whose witness acquires To at
// file:line in fn.
func edge(from, to, fn, file string, line int, held ...string) lockmodel.Edge {
	return lockmodel.Edge{
		From: from, To: to, Func: fn,
		FromChain: []lockmodel.Site{{File: file, Line: line - 1, Col: 2, Func: report.FuncRef{Name: fn}, What: "x.Lock()"}},
		ToChain:   []lockmodel.Site{{File: file, Line: line, Col: 2, Func: report.FuncRef{Name: fn}, What: "y.Lock()"}},
		Held:      append([]string{from}, held...),
	}
}

func build(edges ...lockmodel.Edge) *Graph {
	g := New()
	for _, e := range edges {
		g.Add(e)
	}
	return g
}

// cycleEdges lists the edges InCycle reports, as "From->To".
func cycleEdges(g *Graph) []string {
	var out []string
	for _, e := range g.Edges() {
		if g.InCycle(e) {
			out = append(out, e.From+"->"+e.To)
		}
	}
	return out
}

func TestABBAWithEdgesInAndOut(t *testing.T) {
	g := build(
		edge("A", "B", "f", "a.go", 10),
		edge("B", "A", "g", "b.go", 20),
		edge("A", "S", "h", "a.go", 30), // leaves the cycle
		edge("C", "B", "k", "c.go", 40), // enters it
	)
	if got, want := g.Nodes(), []string{"A", "B", "C", "S"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Nodes() = %v, want %v", got, want)
	}
	if got, want := g.Cycles(), [][]string{{"A", "B"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Cycles() = %v, want %v", got, want)
	}
	if got, want := cycleEdges(g), []string{"A->B", "B->A"}; !reflect.DeepEqual(got, want) {
		t.Errorf("cycle edges = %v, want %v", got, want)
	}
	for class, want := range map[string]bool{"A": true, "B": true, "C": false, "S": false} {
		if got := g.NodeInCycle(class); got != want {
			t.Errorf("NodeInCycle(%s) = %v, want %v", class, got, want)
		}
	}
}

func TestAcyclic(t *testing.T) {
	g := build(edge("A", "B", "f", "a.go", 1), edge("B", "C", "f", "a.go", 2), edge("A", "C", "f", "a.go", 3))
	if c := g.Cycles(); len(c) != 0 {
		t.Errorf("Cycles() = %v, want none", c)
	}
	if c := cycleEdges(g); len(c) != 0 {
		t.Errorf("cycle edges = %v, want none", c)
	}
}

// Two cycles joined by a one-way edge stay two components, and the joining
// edge is on neither; a longer cycle with a chord is one component.
func TestComponents(t *testing.T) {
	g := build(
		edge("A", "B", "f", "a.go", 1), edge("B", "A", "f", "a.go", 2),
		edge("C", "D", "f", "a.go", 3), edge("D", "C", "f", "a.go", 4),
		edge("B", "C", "f", "a.go", 5),
		edge("P", "Q", "f", "a.go", 6), edge("Q", "R", "f", "a.go", 7), edge("R", "P", "f", "a.go", 8),
		edge("R", "Z", "f", "a.go", 9), edge("Z", "R", "f", "a.go", 10),
		edge("S", "S", "f", "a.go", 11), // a class ordered against itself (not produced by lockmodel today)
	)
	want := [][]string{{"A", "B"}, {"C", "D"}, {"P", "Q", "R", "Z"}, {"S"}}
	if got := g.Cycles(); !reflect.DeepEqual(got, want) {
		t.Errorf("Cycles() = %v, want %v", got, want)
	}
	wantEdges := []string{"A->B", "B->A", "C->D", "D->C", "P->Q", "Q->R", "R->P", "R->Z", "S->S", "Z->R"}
	if got := cycleEdges(g); !reflect.DeepEqual(got, wantEdges) {
		t.Errorf("cycle edges = %v, want %v", got, wantEdges)
	}
}

// The same edges added in any order give the same graph: the same kept
// witness, the same held set, the same DOT bytes.
func TestOrderIndependent(t *testing.T) {
	edges := []lockmodel.Edge{
		edge("A", "B", "late", "z.go", 90, "G", "H"),
		edge("A", "B", "early", "a.go", 5, "H", "G"),
		edge("A", "B", "middle", "m.go", 50, "G"),
		edge("B", "A", "g", "b.go", 20, "G"),
		edge("B", "C", "h", "b.go", 30),
		{From: "", To: "A", Func: "unknown"}, // no class: skipped
	}
	var first string
	rng := rand.New(rand.NewSource(1))
	for i := range 20 {
		rng.Shuffle(len(edges), func(i, j int) { edges[i], edges[j] = edges[j], edges[i] })
		g := build(edges...)
		ab := g.Edge("A", "B")
		if ab == nil || ab.Witness.Func != "early" {
			t.Fatalf("order %d: A->B witness = %+v, want the one in early (first site)", i, ab)
		}
		if want := []string{"A", "G"}; !reflect.DeepEqual(ab.Held, want) {
			t.Errorf("order %d: A->B held at every witness = %v, want %v", i, ab.Held, want)
		}
		if got, want := len(g.Edges()), 3; got != want {
			t.Errorf("order %d: %d edges, want %d", i, got, want)
		}
		out := dotString(t, g, DOTOptions{})
		if i == 0 {
			first = out
		} else if out != first {
			t.Fatalf("order %d: DOT differs:\n%s\nfirst:\n%s", i, out, first)
		}
	}
}

// AddResult takes the package's own edges and its dependencies' edges;
// an edge known from both counts once.
func TestAddResult(t *testing.T) {
	ab := edge("A", "B", "f", "a.go", 1)
	res := &lockmodel.Result{
		Edges: []lockmodel.LocalEdge{{Edge: edge("B", "A", "g", "b.go", 2)}},
		Deps: []*lockmodel.PackageLocks{
			{Path: "x", Edges: []lockmodel.Edge{ab}},
			{Path: "y", Edges: []lockmodel.Edge{ab, edge("B", "C", "h", "c.go", 3)}},
		},
	}
	g := New()
	g.AddResult(res)
	var got []string
	for _, e := range g.Edges() {
		got = append(got, fmt.Sprintf("%s->%s in %s", e.From, e.To, e.Witness.Func))
	}
	want := []string{"A->B in f", "B->A in g", "B->C in h"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("edges = %v, want %v", got, want)
	}
	if got, want := cycleEdges(g), []string{"A->B", "B->A"}; !reflect.DeepEqual(got, want) {
		t.Errorf("cycle edges = %v, want %v", got, want)
	}
}

// ShortestCycles: from a → b the way back is b → c → d → a (the 3-cycle
// b → c → d → b does not go through a → b); from b → c both the 3-cycle
// and nothing longer.
func TestShortestCycles(t *testing.T) {
	g := build(
		edge("A", "B", "f", "a.go", 1),
		edge("B", "C", "f", "a.go", 2),
		edge("C", "D", "f", "a.go", 3),
		edge("D", "B", "f", "a.go", 4),
		edge("D", "A", "f", "a.go", 5),
		edge("B", "E", "f", "a.go", 6), // leaves the cycle
		edge("C", "A", "f", "a.go", 7),
	)
	names := func(cs [][]*Edge) []string {
		var out []string
		for _, c := range cs {
			s := c[0].From
			for _, e := range c {
				s += "->" + e.To
			}
			out = append(out, s)
		}
		return out
	}
	for _, tc := range []struct {
		from, to string
		maxLen   int
		want     []string
	}{
		{"A", "B", 5, []string{"A->B->C->A"}},
		{"B", "C", 5, []string{"B->C->A->B", "B->C->D->B"}},
		{"B", "C", 2, nil},
		{"B", "E", 5, nil},
	} {
		got := names(g.ShortestCycles(g.Edge(tc.from, tc.to), tc.maxLen, 16))
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ShortestCycles(%s->%s, %d) = %v, want %v", tc.from, tc.to, tc.maxLen, got, tc.want)
		}
	}
	if got := g.ShortestCycles(g.Edge("B", "C"), 5, 1); len(got) != 1 {
		t.Errorf("limit 1: got %d cycles", len(got))
	}
}
