package lockorder

import (
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/lockgraph"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// Which path a reported cycle shows for each edge. An edge may be made by
// several paths (the lock model keeps the main one and a few others, with
// the locks held along each). Two paths that share a lock outside the
// cycle are kept apart by it (a gate) and cannot deadlock with each other,
// so the report shows, for each edge, a path that shares no such lock with
// the paths shown for the other edges: the most plausible way the cycle
// closes, not merely the first found. When every combination shares a
// gate and the paths are all the edges' paths, the cycle cannot close.

// edgePaths returns the paths that make e: its witness's main path first,
// then the others the lock model kept.
func edgePaths(e *lockgraph.Edge) []lockmodel.EdgePath {
	w := witness(e)
	held := w.PathHeld
	if held == nil {
		held = e.Held
	}
	return append([]lockmodel.EdgePath{{FromChain: w.FromChain, ToChain: w.ToChain, Func: w.Func, Held: held}}, w.Others...)
}

// allPaths: edgePaths(e) are every path the graph knows to make e.
func allPaths(e *lockgraph.Edge) bool {
	return e.Sources == 1 && !witness(e).OthersCut
}

// choosePaths picks a path (an index into edgePaths) for each edge of c so
// that no two picked paths share a lock outside the cycle, preferring main
// paths, for the earliest edges first (the first edge is the one reported
// at). ok is false when no combination is free of shared locks.
func choosePaths(c cycle) (choice []int, ok bool) {
	in := map[string]bool{}
	for _, e := range c {
		in[e.From] = true
	}
	paths := make([][]lockmodel.EdgePath, len(c))
	for i, e := range c {
		paths[i] = edgePaths(e)
	}
	choice = make([]int, len(c))
	var pick func(i int) bool
	pick = func(i int) bool {
		if i == len(c) {
			return true
		}
		for k, p := range paths[i] {
			if sharesGate(p, paths[:i], choice[:i], in) {
				continue
			}
			choice[i] = k
			if pick(i + 1) {
				return true
			}
		}
		return false
	}
	if pick(0) {
		return choice, true
	}
	clear(choice)
	return choice, false
}

// sharesGate: p holds a lock outside the cycle that a path already picked
// holds too.
func sharesGate(p lockmodel.EdgePath, paths [][]lockmodel.EdgePath, picked []int, in map[string]bool) bool {
	for j, k := range picked {
		for _, g := range paths[j][k].Held {
			if !in[g] && slices.Contains(p.Held, g) {
				return true
			}
		}
	}
	return false
}

// cannotClose: no combination of the edges' paths is free of a shared
// gate, and those are all the paths that make the edges.
func cannotClose(c cycle) bool {
	if _, ok := choosePaths(c); ok {
		return false
	}
	for _, e := range c {
		if !allPaths(e) {
			return false
		}
	}
	return true
}

// shownEdges returns the edges of c as the report shows them (each with
// its chosen path, and the function of that path when it is this
// package's), and the position to report at: the chosen path's
// acquisition of the first edge, which is this package's.
func shownEdges(c cycle, choice []int) ([]*lockmodel.Edge, []*ssa.Function, token.Pos) {
	shown := make([]*lockmodel.Edge, len(c))
	fns := make([]*ssa.Function, len(c))
	for i, e := range c {
		w := *witness(e)
		k := choice[i]
		if k > 0 {
			p := w.Others[k-1]
			w.FromChain, w.ToChain, w.Func, w.PathHeld = p.FromChain, p.ToChain, p.Func, p.Held
		}
		shown[i] = &w
		if l := e.Local; l != nil {
			if k == 0 && len(l.Witnesses) > 0 {
				fns[i] = l.Witnesses[0]
			} else if k > 0 && k-1 < len(l.OtherFns) {
				fns[i] = l.OtherFns[k-1]
			}
		}
	}
	pos := c[0].Local.Pos
	if k := choice[0]; k > 0 && k-1 < len(c[0].Local.OtherPos) {
		pos = c[0].Local.OtherPos[k-1]
	}
	return shown, fns, pos
}
