package cli

// -lockgraph: the lock-order graph of the analyzed packages as a picture.
// The lock model (internal/lockmodel) runs as one more root analyzer so its
// results, kept by the checker only for roots, can be read back; it
// reports nothing, so the findings are the same with and without it.

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/kafkalint/kafkalint/internal/lockgraph"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// checkLockGraphFlags validates -lockgraph and -lockgraph-out before the
// (possibly long) analysis: svg needs Graphviz's dot in PATH.
func (o options) checkLockGraphFlags() error {
	switch o.lockgraph {
	case "":
		if o.lockgraphOut != "" {
			return errors.New("-lockgraph-out needs -lockgraph=dot or -lockgraph=svg")
		}
		return nil
	case "dot":
		return nil
	case "svg":
		if _, err := exec.LookPath("dot"); err != nil {
			return errors.New("-lockgraph=svg renders with Graphviz's dot, which is not in PATH: install Graphviz (e.g. apt-get install graphviz), or use -lockgraph=dot and render the file elsewhere")
		}
		return nil
	}
	return fmt.Errorf("unknown -lockgraph %q: want dot or svg", o.lockgraph)
}

// analysisSet is the analyzers to run: the selected ones, plus the lock
// model as a root when the graph is wanted.
func (d *driver) analysisSet() []*analysis.Analyzer {
	if d.opts.lockgraph == "" || slices.Contains(d.analyzers, lockmodel.Analyzer) {
		return d.analyzers
	}
	return append(slices.Clip(d.analyzers), lockmodel.Analyzer)
}

// writeLockGraph writes the graph of the root packages' lock-model
// results (their own edges and their dependencies') to -lockgraph-out, or
// to stdout, with the cycles lockorder reported marked. It reports whether
// the findings should still be printed: not when the graph took stdout.
func (d *driver) writeLockGraph(edges []lockmodel.Edge, reported []lockgraph.Report, findings []Finding) (printFindings bool, err error) {
	if d.opts.lockgraph == "" {
		return true, nil
	}
	g := lockgraph.New()
	for _, e := range edges {
		g.Add(e)
	}
	slices.SortFunc(reported, func(a, b lockgraph.Report) int {
		return cmp.Or(cmp.Compare(a.Site.File, b.Site.File), cmp.Compare(a.Site.Line, b.Site.Line), cmp.Compare(a.Site.Col, b.Site.Col))
	})
	var buf bytes.Buffer
	if err := lockgraph.WriteDOT(&buf, g, lockgraph.DOTOptions{File: d.shortFile, Reported: reported}); err != nil {
		return false, err
	}
	out := buf.Bytes()
	if d.opts.lockgraph == "svg" {
		if out, err = renderSVG(out); err != nil {
			return false, err
		}
	}
	if d.opts.lockgraphOut != "" {
		return true, os.WriteFile(d.opts.lockgraphOut, out, 0o666)
	}
	if _, err := d.stdout.Write(out); err != nil {
		return false, err
	}
	if n := len(dedupe(findings)); n > 0 {
		fmt.Fprintf(d.stderr, "kafkalint: %d finding(s) not printed: the lock graph went to stdout (use -lockgraph-out=FILE to get both)\n", n)
	}
	return false, nil
}

// renderSVG runs Graphviz's dot over the DOT text.
func renderSVG(dot []byte) ([]byte, error) {
	cmd := exec.Command("dot", "-Tsvg")
	cmd.Stdin = bytes.NewReader(dot)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("dot -Tsvg: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return stdout.Bytes(), nil
}

// shortFile names a witness's file for the graph's labels: relative to the
// working directory when inside it, else relative to the module cache
// (module@version/path), else unchanged.
func (d *driver) shortFile(name string) string {
	if rel := relPath(d.cwd, name); rel != name {
		return rel
	}
	modcache := os.Getenv("GOMODCACHE")
	if modcache == "" {
		if gopath := filepath.SplitList(build.Default.GOPATH); len(gopath) > 0 {
			modcache = filepath.Join(gopath[0], "pkg", "mod")
		}
	}
	if rel := relPath(modcache, name); modcache != "" && rel != name {
		return rel
	}
	return name
}
