package lockgraph

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// DOTOptions adjust WriteDOT.
type DOTOptions struct {
	// File shortens a witness's file name for labels and tooltips, e.g.
	// relative to the working directory. Nil keeps names unchanged.
	File func(string) string
	// Reported are the cycles the checks reported (lockorder's results):
	// their edges are drawn thicker, and say so in their tooltips.
	Reported []Report
}

// Attributes of the edges and classes that lie on a cycle, and of the
// edges of a reported cycle.
const (
	cycleAttrs    = "color=red, penwidth=2"
	reportedAttrs = "color=red, penwidth=4"
)

// WriteDOT writes g in Graphviz DOT: one box per lock class (labelled with
// its short name, the full class as tooltip), one arrow per edge labelled
// with the witness function and the file:line where it acquires the lock
// (the whole witness chain as tooltip), cycle edges and their classes red
// and thick, edges that read-lock (RLock) their target dashed. Nodes and
// edges are sorted, so equal graphs give equal bytes.
func WriteDOT(w io.Writer, g *Graph, opts DOTOptions) error {
	file := opts.File
	if file == nil {
		file = func(s string) string { return s }
	}
	short := func(s lockmodel.Site) string {
		if s.File == "" {
			return ""
		}
		return fmt.Sprintf("%s:%d", filepath.ToSlash(file(s.File)), s.Line)
	}

	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "// kafkalint lock-order graph. An edge A -> B: B is locked while A is held,")
	fmt.Fprintln(bw, "// labelled with one function and line where that happens. Red: on a cycle.")
	reported := map[*Edge][]string{} // edge → what reported a cycle through it
	for _, r := range opts.Reported {
		where := r.Check
		if at := short(r.Site); at != "" {
			where += " at " + at
		}
		names := make([]string, 0, len(r.Classes)+1)
		for _, c := range append(slices.Clone(r.Classes), r.Classes[0]) {
			names = append(names, lockmodel.ShortClass(c))
		}
		fmt.Fprintf(bw, "// Reported (thick): %s: %s\n", where, strings.Join(names, " -> "))
		for _, e := range r.Edges(g) {
			reported[e] = append(reported[e], "reported: "+where)
		}
	}
	fmt.Fprintln(bw, "digraph lockorder {")
	fmt.Fprintln(bw, "\tgraph [rankdir=LR];")
	fmt.Fprintln(bw, "\tnode [shape=box, fontname=\"Helvetica\"];")
	fmt.Fprintln(bw, "\tedge [fontname=\"Helvetica\", fontsize=10];")
	nodes := g.Nodes()
	if len(nodes) == 0 {
		fmt.Fprintf(bw, "\tgraph [label=%s];\n", quote("kafkalint: no lock-order edges (no lock is taken while another is held)"))
	}
	for _, class := range nodes {
		attrs := fmt.Sprintf("label=%s, tooltip=%s", quote(lockmodel.ShortClass(class)), quote(class))
		if g.NodeInCycle(class) {
			attrs += ", " + cycleAttrs
		}
		fmt.Fprintf(bw, "\t%s [%s];\n", quote(class), attrs)
	}
	for _, e := range g.Edges() {
		label := []string{e.Witness.Func}
		if site, ok := e.Site(); ok {
			label = []string{site.Func.String()}
			if at := short(site); at != "" {
				label = append(label, at)
			}
		}
		attrs := fmt.Sprintf("label=%s, tooltip=%s", quote(label...), quote(append(tooltip(e, short), reported[e]...)...))
		if e.Witness.ToMode == lockmodel.Read {
			attrs += ", style=dashed"
		}
		switch {
		case len(reported[e]) > 0:
			attrs += ", " + reportedAttrs
		case g.InCycle(e):
			attrs += ", " + cycleAttrs
		}
		fmt.Fprintf(bw, "\t%s -> %s [%s];\n", quote(e.From), quote(e.To), attrs)
	}
	fmt.Fprintln(bw, "}")
	return bw.Flush()
}

// tooltip is the witness in full: where From is held, the steps down to
// To's acquisition, and the other classes held at every witness.
func tooltip(e *Edge, short func(lockmodel.Site) string) []string {
	lines := []string{fmt.Sprintf("%s %s while holding %s, in %s",
		verb(e.Witness.ToMode), lockmodel.ShortClass(e.To), lockmodel.ShortClass(e.From), e.Witness.Func)}
	for _, s := range e.Witness.FromChain {
		lines = append(lines, fmt.Sprintf("%s: %s: %s", short(s), s.Func, s.What))
	}
	for _, s := range e.Witness.ToChain {
		lines = append(lines, fmt.Sprintf("%s: %s: %s", short(s), s.Func, s.What))
	}
	var also []string
	for _, c := range e.Held {
		if c != e.From && c != e.To {
			also = append(also, lockmodel.ShortClass(c))
		}
	}
	if len(also) > 0 {
		lines = append(lines, "also held at every witness: "+strings.Join(also, ", "))
	}
	return lines
}

func verb(m lockmodel.Mode) string {
	if m == lockmodel.Read {
		return "read-locks"
	}
	return "locks"
}

// quote renders lines as one DOT quoted string, lines separated by the
// escString newline \n. In a DOT string only \" is an escape, but Graphviz
// then reads backslashes in labels as escapes (\n, \l, \N), so a backslash
// of the text (a Windows path) is written \\, which labels show as one.
// Graphviz reads a backslash before the closing quote as \", so text that
// ends in a backslash gets a space after it.
func quote(lines ...string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "")
	var b strings.Builder
	b.WriteByte('"')
	for i, l := range lines {
		if i > 0 {
			b.WriteString(`\n`)
		}
		r.WriteString(&b, l)
	}
	if strings.HasSuffix(b.String(), `\`) {
		b.WriteByte(' ')
	}
	b.WriteByte('"')
	return b.String()
}
