package lockmodel

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// Entry-held locks: an unexported function whose every caller is in this
// package and holds lock G at the call runs with G held, though its own
// dataflow starts empty. Edges inside it are then gated by G as much as
// edges in its callers (etcd's batchTxBuffered.commit, called only under
// the batch tx lock; prometheus' GC closure, called only under gcMut).
// Only the gate sets of edges use this: nothing is reported from it.

// callSite is a call of a function of this package: who calls it and the
// classes held there.
type callSite struct {
	caller   *ssa.Function
	held     []string
	released []string // classes of the caller's entry locks released before the call (some path)
}

// edgeWitness is one place an edge was found: the function, its held set
// and the path (kept as Edge.Others when it is one of the shortest).
type edgeWitness struct {
	fn       *ssa.Function // nil when not known (an edge closed from an open call)
	held     []string
	released []string // as in callSite

	where              string
	fromChain, toChain []Site
	fromMode, toMode   Mode
	pos                token.Pos // the acquisition of To; NoPos: the last ToChain site
}

func (m *model) noteCallSite(callee, caller *ssa.Function, held, released []string) {
	if callee.Pkg != m.pkg || len(callee.Blocks) == 0 {
		return
	}
	m.callSites[callee] = append(m.callSites[callee], callSite{caller: caller, held: held, released: released})
}

// noteEntryRelease records that fn releases a lock of class c that it did
// not take on that path: whoever calls fn holds c on entry (etcd's
// batchTxBuffered.Unlock, which commits before it releases the batch tx
// lock its caller took with Lock).
func (m *model) noteEntryRelease(fn *ssa.Function, c string) {
	if m.entryRel[fn] == nil {
		m.entryRel[fn] = map[string]bool{}
	}
	m.entryRel[fn][c] = true
}

// releasedClasses lists the classes of the caller-held locks released on
// some path to here.
func (fa *funcAnalysis) releasedClasses(st *state) []string {
	if len(st.released) == 0 {
		return nil
	}
	set := map[string]bool{}
	for k := range st.released {
		if c := fa.relClass[k]; c != "" {
			set[c] = true
		}
	}
	return sortedKeys(set)
}

// minus returns a without the elements of b.
func minus(a, b []string) []string {
	if len(b) == 0 {
		return a
	}
	drop := map[string]bool{}
	for _, x := range b {
		drop[x] = true
	}
	var out []string
	for _, x := range a {
		if !drop[x] {
			out = append(out, x)
		}
	}
	return out
}

// applyEntryHeld widens every edge's gate set with the locks its witness
// functions hold on entry.
func (m *model) applyEntryHeld(fns []*ssa.Function) {
	memo := map[*ssa.Function][]string{}
	var entry func(fn *ssa.Function, depth int) []string
	entry = func(fn *ssa.Function, depth int) []string {
		if fn == nil || depth > 8 {
			return nil
		}
		if h, ok := memo[fn]; ok {
			return h
		}
		memo[fn] = nil // recursion: nothing known
		// Locks fn releases without taking them are held on entry,
		// whoever the callers are.
		own := sortedKeys(m.entryRel[fn])
		if _, complete := m.ix.Callers(fn); !complete || len(m.callSites[fn]) == 0 {
			memo[fn] = own
			return own
		}
		var out []string
		for i, cs := range m.callSites[fn] {
			h := union(cs.held, minus(entry(cs.caller, depth+1), cs.released))
			if i == 0 {
				out = h
			} else {
				out = intersect(out, h)
			}
		}
		out = union(out, own)
		memo[fn] = out
		return out
	}
	for _, k := range m.edgeOrder {
		e := m.edges[k]
		var held []string
		helds := make([][]string, len(m.witnesses[k]))
		for i, w := range m.witnesses[k] {
			h := union(w.held, minus(entry(w.fn, 0), w.released))
			helds[i] = h
			if i == 0 {
				held = h
			} else {
				held = intersect(held, h)
			}
		}
		e.Held = held
		m.keepPaths(e, m.witnesses[k], helds)
	}
}

func union(a, b []string) []string {
	set := map[string]bool{}
	for _, x := range a {
		set[x] = true
	}
	for _, x := range b {
		set[x] = true
	}
	return sortedKeys(set)
}
