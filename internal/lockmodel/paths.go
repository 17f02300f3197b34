package lockmodel

import (
	"cmp"
	"slices"

	"github.com/kafkalint/kafkalint/internal/report"
)

// Several paths may make one edge (two functions taking A then B, or one
// function on two paths). The edge's main path is the first found; a few
// others are kept with the locks held along each, so that a report of a
// cycle can show, for each edge, a path that can run at once with the
// other edges' paths: one that shares no lock with them (a shared lock
// is a gate that keeps the two paths apart).

// keepPaths sets e's PathHeld, Others and OthersCut from the places the
// edge was found (ws, the first being the main path) and the classes held
// at each (helds, entry-held locks included).
func (m *model) keepPaths(e *LocalEdge, ws []edgeWitness, helds [][]string) {
	type path struct {
		w    edgeWitness
		held []string
	}
	var paths []*path
	byKey := map[pathBucket][]*path{}
	for i, w := range ws {
		k := bucketOf(w)
		if j := slices.IndexFunc(byKey[k], func(p *path) bool { return samePath(p.w, w) }); j >= 0 {
			// One path found twice (two ways through one function):
			// what it holds is what both hold.
			p := byKey[k][j]
			p.held = intersect(p.held, helds[i])
			continue
		}
		p := &path{w: w, held: helds[i]}
		byKey[k] = append(byKey[k], p)
		paths = append(paths, p)
	}
	if len(paths) == 0 {
		return
	}
	e.PathHeld = paths[0].held
	var others []*path
	for _, p := range paths[1:] {
		if p.w.fromMode != e.FromMode || p.w.toMode != e.ToMode {
			e.OthersCut = true // a path in other modes is not shown in place of this one
			continue
		}
		others = append(others, p)
	}
	slices.SortStableFunc(others, func(a, b *path) int {
		return cmp.Or(
			cmp.Compare(len(a.w.fromChain)+len(a.w.toChain), len(b.w.fromChain)+len(b.w.toChain)),
			slices.CompareFunc(a.w.toChain, b.w.toChain, CompareSite),
			slices.CompareFunc(a.w.fromChain, b.w.fromChain, CompareSite),
			cmp.Compare(a.w.where, b.w.where), // the chains are the same: the path's last difference
		)
	})
	if len(others) > MaxOtherPaths {
		others, e.OthersCut = others[:MaxOtherPaths], true
	}
	for _, p := range others {
		e.Others = append(e.Others, EdgePath{FromChain: p.w.fromChain, ToChain: p.w.toChain, Func: p.w.where, Held: p.held})
		pos := p.w.pos
		if !pos.IsValid() && len(p.w.toChain) > 0 {
			pos = PosOf(m.fset, p.w.toChain[len(p.w.toChain)-1])
		}
		e.OtherPos = append(e.OtherPos, pos)
		e.OtherFns = append(e.OtherFns, p.w.fn)
	}
}

// A path is its sites and the function it is in: two witnesses with the
// same chains and function are one path. A pathBucket is what a map can
// key of that (the chains are compared whole within a bucket), so that
// telling paths apart allocates nothing: a string key of every witness's
// sites was a fifth of all allocation on nats-server's server package,
// where edges have thousands of witnesses.
type pathBucket struct {
	where            string
	nTo, nFrom       int
	lastTo, lastFrom Site
}

func bucketOf(w edgeWitness) pathBucket {
	b := pathBucket{where: w.where, nTo: len(w.toChain), nFrom: len(w.fromChain)}
	if b.nTo > 0 {
		b.lastTo = w.toChain[b.nTo-1]
	}
	if b.nFrom > 0 {
		b.lastFrom = w.fromChain[b.nFrom-1]
	}
	return b
}

// samePath: v and w are one path (same chains, same function).
func samePath(v, w edgeWitness) bool {
	return v.where == w.where && slices.Equal(v.toChain, w.toChain) && slices.Equal(v.fromChain, w.fromChain)
}

// CompareSite orders sites by file, line, column, function and text.
func CompareSite(a, b Site) int {
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Col, b.Col),
		report.CompareFuncRef(a.Func, b.Func),
		cmp.Compare(a.What, b.What),
	)
}
