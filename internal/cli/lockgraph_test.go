package cli_test

// -lockgraph: the built kafkalint on the fixture module testdata/lockgraph
// (an ABBA cycle between broker.Broker.mu and session.Session.Mu whose two
// edges are in two packages, an edge out of the cycle and an edge into it;
// see its README). The DOT is read back with gonum's parser.

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kafkalint/kafkalint/internal/lockgraph/dottest"
)

// runLockGraph runs kafkalint in the lockgraph fixture module.
func runLockGraph(t *testing.T, env []string, args ...string) result {
	t.Helper()
	_, kafkalint := binaries(t)
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "lockgraph"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(kafkalint, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GOWORK=off", "GOFLAGS="), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("kafkalint %s: %v", strings.Join(args, " "), err)
	}
	res := result{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()}
	if strings.Contains(res.stdout+res.stderr, "panic") {
		t.Errorf("kafkalint %s panicked:\n%s%s", strings.Join(args, " "), res.stdout, res.stderr)
	}
	return res
}

// The fixture's classes, edges (with their labels) and the cycle.
var (
	fixtureNodes = map[string]string{ // class → label
		"(app.Config).mu":      "app.Config.mu",
		"(broker.Broker).mu":   "broker.Broker.mu",
		"(session.Session).Mu": "session.Session.Mu",
		"broker.statsMu":       "broker.statsMu",
	}
	fixtureEdges = map[[2]string]string{ // edge → label (escString: \n is a line break)
		{"(broker.Broker).mu", "(session.Session).Mu"}: `(*broker.Broker).Flush\nbroker/broker.go:28`,
		{"(session.Session).Mu", "(broker.Broker).mu"}: `app.Expire\napp/app.go:22`,
		{"(broker.Broker).mu", "broker.statsMu"}:       `(*broker.Broker).Stats\nbroker/broker.go:36`,
		{"(app.Config).mu", "(session.Session).Mu"}:    `app.Reload\napp/app.go:31`,
	}
	cycleNodes = []string{"(broker.Broker).mu", "(session.Session).Mu"}
	cycleEdges = [][2]string{
		{"(broker.Broker).mu", "(session.Session).Mu"},
		{"(session.Session).Mu", "(broker.Broker).mu"},
	}
)

// checkFixtureGraph asserts the parsed graph is the fixture's: its nodes,
// its edges with their witness labels, and red thick attributes on exactly
// the cycle's edges and classes; when lockorder ran (reported), the
// cycle's edges are thicker still and their tooltips say where it was
// reported.
func checkFixtureGraph(t *testing.T, dot string, reported bool) {
	t.Helper()
	g, err := dottest.Parse(dot)
	if err != nil {
		t.Fatalf("output does not parse as DOT: %v\n%s", err, dot)
	}
	for id, attrs := range g.Nodes {
		want, ok := fixtureNodes[id]
		if !ok {
			t.Errorf("unexpected node %s", id)
			continue
		}
		if attrs["label"] != want {
			t.Errorf("node %s: label %q, want %q", id, attrs["label"], want)
		}
		if hl, want := highlighted(attrs), slices.Contains(cycleNodes, id); hl != want {
			t.Errorf("node %s: highlighted = %v, want %v (attrs %v)", id, hl, want, attrs)
		}
	}
	for id := range fixtureNodes {
		if _, ok := g.Nodes[id]; !ok {
			t.Errorf("node %s missing", id)
		}
	}
	for k, attrs := range g.Edges {
		want, ok := fixtureEdges[k]
		if !ok {
			t.Errorf("unexpected edge %s -> %s", k[0], k[1])
			continue
		}
		if attrs["label"] != want {
			t.Errorf("edge %s -> %s: label %q, want %q", k[0], k[1], attrs["label"], want)
		}
		inCycle := slices.Contains(cycleEdges, k)
		if hl, want := highlighted(attrs) || reportedEdge(attrs), inCycle; hl != want {
			t.Errorf("edge %s -> %s: highlighted = %v, want %v (attrs %v)", k[0], k[1], hl, want, attrs)
		}
		if rep, want := reportedEdge(attrs), inCycle && reported; rep != want {
			t.Errorf("edge %s -> %s: marked reported = %v, want %v (attrs %v)", k[0], k[1], rep, want, attrs)
		}
		if tip := "reported: lock-cycle at app/app.go:22"; strings.Contains(attrs["tooltip"], tip) != (inCycle && reported) {
			t.Errorf("edge %s -> %s: tooltip %q; want it to say %q only on the reported cycle", k[0], k[1], attrs["tooltip"], tip)
		}
	}
	for k := range fixtureEdges {
		if _, ok := g.Edges[k]; !ok {
			t.Errorf("edge %s -> %s missing", k[0], k[1])
		}
	}
}

func highlighted(attrs map[string]string) bool {
	return attrs["color"] == "red" && attrs["penwidth"] == "2"
}

// reportedEdge: drawn as an edge of a cycle lockorder reported.
func reportedEdge(attrs map[string]string) bool {
	return attrs["color"] == "red" && attrs["penwidth"] == "4"
}

func TestLockGraphDOT(t *testing.T) {
	res := runLockGraph(t, nil, "-lockgraph=dot", "./...")
	wantCode(t, res, 3) // the cycle is still a finding
	checkFixtureGraph(t, res.stdout, true)
	if strings.Contains(res.stdout, "lock order inversion") {
		t.Errorf("findings printed into the DOT output:\n%s", res.stdout)
	}
	if want := "kafkalint: 1 finding(s) not printed"; !strings.Contains(res.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
	}
	// Byte-identical across runs.
	if again := runLockGraph(t, nil, "-lockgraph=dot", "./..."); again.stdout != res.stdout {
		t.Errorf("second run differs:\n%s\nfirst:\n%s", again.stdout, res.stdout)
	}
}

// -lockgraph-out: the graph goes to the file and the findings to stdout.
func TestLockGraphOutFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "locks.dot")
	res := runLockGraph(t, nil, "-test=false", "-lockgraph=dot", "-lockgraph-out="+out, "./...")
	wantCode(t, res, 3)
	if want := "app/app.go:22:9: lock order inversion: broker.Broker.mu is acquired here while holding session.Session.Mu"; !strings.HasPrefix(res.stdout, want) {
		t.Errorf("stdout does not start with the cycle finding %q:\n%s", want, res.stdout)
	}
	if res.stderr != "" {
		t.Errorf("stderr: %s", res.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	checkFixtureGraph(t, string(data), true)
}

// The lock model runs for the graph even when no selected analyzer needs
// it; the selected analyzer finds nothing here, so the exit code is 0.
func TestLockGraphOtherAnalyzer(t *testing.T) {
	res := runLockGraph(t, nil, "-test=false", "-commiterr", "-lockgraph=dot", "./...")
	wantCode(t, res, 0)
	checkFixtureGraph(t, res.stdout, false)
	if res.stderr != "" {
		t.Errorf("stderr: %s", res.stderr)
	}
}

// A package that takes no lock while holding another: an empty graph that
// says so, and exit 0.
func TestLockGraphNoEdges(t *testing.T) {
	res := runLockGraph(t, nil, "-lockgraph=dot", "./session")
	wantCode(t, res, 0)
	g, err := dottest.Parse(res.stdout)
	if err != nil {
		t.Fatalf("output does not parse as DOT: %v\n%s", err, res.stdout)
	}
	if len(g.Nodes) != 0 || len(g.Edges) != 0 {
		t.Errorf("want an empty graph, got nodes %v edges %v", g.Nodes, g.Edges)
	}
	if !strings.Contains(g.Attrs["label"], "no lock-order edges") {
		t.Errorf("empty graph does not say why: label %q", g.Attrs["label"])
	}
}

func TestLockGraphFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		args []string
		want string
	}{
		{nil, []string{"-lockgraph=png", "./..."}, `unknown -lockgraph "png": want dot or svg`},
		{nil, []string{"-lockgraph-out=x.dot", "./..."}, "-lockgraph-out needs -lockgraph=dot or -lockgraph=svg"},
		// Without dot in PATH, svg fails before the analysis (which would need go in PATH).
		{[]string{"PATH=" + t.TempDir()}, []string{"-lockgraph=svg", "./..."}, "-lockgraph=svg renders with Graphviz's dot, which is not in PATH"},
	} {
		res := runLockGraph(t, tc.env, tc.args...)
		if res.code != 1 || !strings.Contains(res.stderr, tc.want) || res.stdout != "" {
			t.Errorf("kafkalint %s: exit %d, stdout %q, stderr %q; want exit 1 and %q",
				strings.Join(tc.args, " "), res.code, res.stdout, res.stderr, tc.want)
		}
	}
}

// svg: rendered by Graphviz when it is installed; the SVG keeps the red
// strokes on exactly the cycle edges. Skipped on machines without dot.
func TestLockGraphSVG(t *testing.T) {
	if _, err := exec.LookPath("dot"); err != nil {
		t.Skip("Graphviz's dot is not in PATH")
	}
	res := runLockGraph(t, nil, "-test=false", "-lockgraph=svg", "./...")
	wantCode(t, res, 3)
	// Graphviz draws an edge as <g class="edge"><title>from->to</title>
	// ... <path stroke="red"/> ...</g>, the path possibly nested deeper.
	red := map[string]bool{} // edge title → drawn red
	var (
		depth, edgeDepth int // edgeDepth: depth of the open edge group, 0 if none
		inTitle, isRed   bool
		title            string
		sawSVG           bool
	)
	dec := xml.NewDecoder(strings.NewReader(res.stdout))
	dec.Strict = false // the DOCTYPE names an external DTD
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("output is not XML: %v\n%s", err, res.stdout)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case tok.Name.Local == "svg":
				sawSVG = true
			case tok.Name.Local == "g" && attr(tok, "class") == "edge":
				edgeDepth, title, isRed = depth, "", false
			case edgeDepth > 0 && tok.Name.Local == "title" && depth == edgeDepth+1:
				inTitle = true
			case edgeDepth > 0 && tok.Name.Local == "path":
				isRed = isRed || attr(tok, "stroke") == "red"
			}
		case xml.CharData:
			if inTitle {
				title += string(tok)
			}
		case xml.EndElement:
			inTitle = false
			if depth == edgeDepth {
				red[title] = isRed
				edgeDepth = 0
			}
			depth--
		}
	}
	if !sawSVG {
		t.Fatalf("no <svg> element:\n%s", res.stdout)
	}
	want := map[string]bool{}
	for k := range fixtureEdges {
		want[k[0]+"->"+k[1]] = slices.Contains(cycleEdges, k)
	}
	if !reflect.DeepEqual(red, want) {
		t.Errorf("SVG edges (title → red) = %v, want %v", red, want)
	}
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
