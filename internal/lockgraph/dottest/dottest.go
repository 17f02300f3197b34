// Package dottest reads DOT back for tests: it parses with gonum's DOT
// parser (a full grammar, independent of kafkalint's writer) and returns
// the nodes and edges of the one digraph with their attributes unquoted.
// Only tests import it.
package dottest

import (
	"fmt"
	"strings"

	"gonum.org/v1/gonum/graph/formats/dot"
	"gonum.org/v1/gonum/graph/formats/dot/ast"
)

// Graph is a parsed digraph: node ID → attributes, "from -> to" →
// attributes (IDs unquoted). Attributes of repeated statements merge.
type Graph struct {
	ID    string
	Attrs map[string]string // graph [k=v] and k=v statements
	Nodes map[string]map[string]string
	Edges map[[2]string]map[string]string
}

// Parse parses text, which must hold exactly one directed graph whose
// statements are node, edge (single arrows) and attribute statements.
func Parse(text string) (*Graph, error) {
	f, err := dot.ParseString(text)
	if err != nil {
		return nil, err
	}
	if len(f.Graphs) != 1 {
		return nil, fmt.Errorf("%d graphs, want 1", len(f.Graphs))
	}
	src := f.Graphs[0]
	if !src.Directed {
		return nil, fmt.Errorf("graph %s is not a digraph", src.ID)
	}
	g := &Graph{
		ID:    Unquote(src.ID),
		Attrs: map[string]string{},
		Nodes: map[string]map[string]string{},
		Edges: map[[2]string]map[string]string{},
	}
	node := func(id string) map[string]string {
		if g.Nodes[id] == nil {
			g.Nodes[id] = map[string]string{}
		}
		return g.Nodes[id]
	}
	for _, stmt := range src.Stmts {
		switch s := stmt.(type) {
		case *ast.NodeStmt:
			addAttrs(node(Unquote(s.Node.ID)), s.Attrs)
		case *ast.EdgeStmt:
			from, ok := s.From.(*ast.Node)
			to, ok2 := s.To.Vertex.(*ast.Node)
			if !ok || !ok2 || s.To.To != nil || !s.To.Directed {
				return nil, fmt.Errorf("edge statement %s: want one node -> one node", s)
			}
			k := [2]string{Unquote(from.ID), Unquote(to.ID)}
			node(k[0])
			node(k[1])
			if g.Edges[k] == nil {
				g.Edges[k] = map[string]string{}
			}
			addAttrs(g.Edges[k], s.Attrs)
		case *ast.AttrStmt:
			if s.Kind == ast.GraphKind {
				addAttrs(g.Attrs, s.Attrs)
			}
		case *ast.Attr:
			g.Attrs[Unquote(s.Key)] = Unquote(s.Val)
		default:
			return nil, fmt.Errorf("unexpected statement %s", s)
		}
	}
	return g, nil
}

func addAttrs(dst map[string]string, attrs []*ast.Attr) {
	for _, a := range attrs {
		dst[Unquote(a.Key)] = Unquote(a.Val)
	}
}

// Unquote returns a DOT ID's text: a quoted string loses its quotes and
// its \" escapes (the only escape of DOT strings; \n and \\ are label
// escapes that stay as written).
func Unquote(id string) string {
	if len(id) >= 2 && id[0] == '"' && id[len(id)-1] == '"' {
		return strings.ReplaceAll(id[1:len(id)-1], `\"`, `"`)
	}
	return id
}
