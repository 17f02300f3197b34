package lockgraph

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kafkalint/kafkalint/internal/lockgraph/dottest"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

func dotString(t *testing.T, g *Graph, opts DOTOptions) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteDOT(&buf, g, opts); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// The whole output for an ABBA cycle plus an edge out of it, read-locked.
func TestWriteDOTGolden(t *testing.T) {
	ab := edge("(a.Client).mu", "(b.Coord).mu", "(*a.Client).Poll", "/src/m/a/a.go", 12)
	ba := edge("(b.Coord).mu", "(a.Client).mu", "(*b.Coord).beat", "/src/m/b/b.go", 30)
	ba.Func = "goroutine (*b.Coord).beat (started by (*b.Coord).Start)"
	as := edge("(a.Client).mu", "a.statsMu", "(*a.Client).Stats", "/src/m/a/a.go", 40, "(b.Coord).mu")
	as.ToMode = lockmodel.Read
	g := build(ab, ba, as)
	rel := func(f string) string { r, _ := filepath.Rel("/src/m", f); return r }
	got := dotString(t, g, DOTOptions{File: rel})
	want := `// kafkalint lock-order graph. An edge A -> B: B is locked while A is held,
// labelled with one function and line where that happens. Red: on a cycle.
digraph lockorder {
	graph [rankdir=LR];
	node [shape=box, fontname="Helvetica"];
	edge [fontname="Helvetica", fontsize=10];
	"(a.Client).mu" [label="a.Client.mu", tooltip="(a.Client).mu", color=red, penwidth=2];
	"(b.Coord).mu" [label="b.Coord.mu", tooltip="(b.Coord).mu", color=red, penwidth=2];
	"a.statsMu" [label="a.statsMu", tooltip="a.statsMu"];
	"(a.Client).mu" -> "(b.Coord).mu" [label="(*a.Client).Poll\na/a.go:12", tooltip="locks b.Coord.mu while holding a.Client.mu, in (*a.Client).Poll\na/a.go:11: (*a.Client).Poll: x.Lock()\na/a.go:12: (*a.Client).Poll: y.Lock()", color=red, penwidth=2];
	"(a.Client).mu" -> "a.statsMu" [label="(*a.Client).Stats\na/a.go:40", tooltip="read-locks a.statsMu while holding a.Client.mu, in (*a.Client).Stats\na/a.go:39: (*a.Client).Stats: x.Lock()\na/a.go:40: (*a.Client).Stats: y.Lock()\nalso held at every witness: b.Coord.mu", style=dashed];
	"(b.Coord).mu" -> "(a.Client).mu" [label="(*b.Coord).beat\nb/b.go:30", tooltip="locks a.Client.mu while holding b.Coord.mu, in goroutine (*b.Coord).beat (started by (*b.Coord).Start)\nb/b.go:29: (*b.Coord).beat: x.Lock()\nb/b.go:30: (*b.Coord).beat: y.Lock()", color=red, penwidth=2];
}
`
	if got != want {
		t.Errorf("WriteDOT:\n%s\nwant:\n%s", got, want)
	}
	if _, err := dottest.Parse(got); err != nil {
		t.Errorf("output does not parse as DOT: %v", err)
	}
}

// Quotes and backslashes in names survive a round trip through a DOT
// parser, and a label ending in a backslash does not swallow the quote.
func TestWriteDOTEscapes(t *testing.T) {
	e := edge(`(p.T)."mu"`, `q.lock\`, `p.f"x"`, `C:\src\p\p.go`, 7)
	out := dotString(t, build(e), DOTOptions{})
	g, err := dottest.Parse(out)
	if err != nil {
		t.Fatalf("output does not parse as DOT: %v\n%s", err, out)
	}
	// Node IDs are DOT strings: \" is an escape, and \\ stays two
	// characters (Graphviz reads them as one in labels only).
	from, to := `(p.T)."mu"`, `q.lock\\ `
	attrs, ok := g.Edges[[2]string{from, to}]
	if !ok {
		t.Fatalf("edge %s -> %s missing; edges: %v", from, to, g.Edges)
	}
	if got, want := attrs["label"], `p.f"x"\nC:\\src\\p\\p.go:7`; got != want {
		t.Errorf("label = %s, want %s", got, want)
	}
	if got, want := g.Nodes[from]["label"], `p.T."mu"`; got != want {
		t.Errorf("node label = %s, want %s", got, want)
	}
}

func TestWriteDOTEmpty(t *testing.T) {
	out := dotString(t, New(), DOTOptions{})
	g, err := dottest.Parse(out)
	if err != nil {
		t.Fatalf("output does not parse as DOT: %v\n%s", err, out)
	}
	if len(g.Nodes) != 0 || len(g.Edges) != 0 {
		t.Errorf("empty graph has nodes %v, edges %v", g.Nodes, g.Edges)
	}
	if !strings.Contains(g.Attrs["label"], "no lock-order edges") {
		t.Errorf("empty graph label = %q, want it to say there are no edges", g.Attrs["label"])
	}
}

// A reported cycle's edges are drawn thicker and name the report; the
// other cycle edges stay as they were.
func TestWriteDOTReported(t *testing.T) {
	g := build(
		edge("A", "B", "f", "/m/a.go", 12),
		edge("B", "A", "g", "/m/b.go", 30),
		edge("B", "C", "h", "/m/b.go", 40),
		edge("C", "A", "k", "/m/c.go", 50),
	)
	rep := Report{Check: "lock-cycle", Classes: []string{"A", "B"}, Site: lockmodel.Site{File: "/m/a.go", Line: 12}}
	out := dotString(t, g, DOTOptions{Reported: []Report{rep}})
	if !strings.Contains(out, "// Reported (thick): lock-cycle at /m/a.go:12: A -> B -> A\n") {
		t.Errorf("no comment line for the reported cycle:\n%s", out)
	}
	pg, err := dottest.Parse(out)
	if err != nil {
		t.Fatalf("output does not parse as DOT: %v\n%s", err, out)
	}
	for k, want := range map[[2]string]string{{"A", "B"}: "4", {"B", "A"}: "4", {"B", "C"}: "2", {"C", "A"}: "2"} {
		attrs := pg.Edges[k]
		if attrs["penwidth"] != want {
			t.Errorf("edge %v: penwidth %q, want %q", k, attrs["penwidth"], want)
		}
		if got := strings.Contains(attrs["tooltip"], "reported: lock-cycle at /m/a.go:12"); got != (want == "4") {
			t.Errorf("edge %v: tooltip %q", k, attrs["tooltip"])
		}
	}
}
