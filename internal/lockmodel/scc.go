package lockmodel

import (
	"fmt"
	"go/token"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Summaries of mutually recursive functions depend on one another.
// Computed on demand, the first of them asked for would see the others'
// partial summaries, and which one that is depends on declaration and
// analysis order. Instead, summary runs Tarjan's algorithm over the calls
// it follows: the functions of a strongly connected component are first
// analysed quietly (no edges, findings or call sites recorded), then
// iterated together to a fixpoint (solve), and finally analysed once more
// with everything recorded, over the solved summaries. A direct self-call
// keeps its own rule (recursiveCall).

// maxSCCRounds bounds the rounds a recursive component is iterated for;
// a component of more than maxSCCMembers functions is not iterated from
// the summaries found on the way in (nats-server's 326). A component not
// solved within those limits is iterated again from nothing known, for
// maxSCCRounds rounds, or maxWideRounds when it is over maxSCCMembers:
// see solve. Variables for tests.
var (
	maxSCCRounds  = 4
	maxSCCMembers = 32
	maxWideRounds = 2
)

// recursion is summary's Tarjan state.
type recursion struct {
	next    int
	index   map[*ssa.Function]int
	low     map[*ssa.Function]int
	stack   []*ssa.Function // functions whose component is not complete
	onStack map[*ssa.Function]bool
	frames  []*ssa.Function // the analyses in progress, innermost last
	// prev: while a component is solved, its members' summaries of the
	// previous round (nil: nothing known yet).
	prev map[*ssa.Function]*FuncSummary
	// comp numbers the solved components of more than one function (0:
	// none).
	comp map[*ssa.Function]int
}

func newRecursion() *recursion {
	return &recursion{index: map[*ssa.Function]int{}, low: map[*ssa.Function]int{}, onStack: map[*ssa.Function]bool{}, comp: map[*ssa.Function]int{}}
}

// seen records, for the analysis in progress, a call of fn whose component
// is still open (fn is being analysed, or awaits its component's root).
func (r *recursion) seen(fn *ssa.Function) {
	if len(r.frames) == 0 {
		return
	}
	top := r.frames[len(r.frames)-1]
	r.low[top] = min(r.low[top], r.index[fn])
}

// selfCall: fn is the function being analysed (a direct recursive call).
func (r *recursion) selfCall(fn *ssa.Function) bool {
	return len(r.frames) > 0 && r.frames[len(r.frames)-1] == fn
}

// provisional: fn's summary, if computed now, rests on summaries not solved
// yet (it is in a component still open, or the root of a component with
// other members), so its analysis must record nothing.
func (r *recursion) provisional(fn *ssa.Function) bool {
	if _, solving := r.prev[fn]; solving {
		return true
	}
	if !r.onStack[fn] {
		return false
	}
	return r.low[fn] < r.index[fn] || r.stack[len(r.stack)-1] != fn
}

// compute analyses fn (no summary yet, not in progress) as a Tarjan node.
func (m *model) compute(fn *ssa.Function) *FuncSummary {
	r := m.rec
	idx := r.next
	r.next++
	r.index[fn], r.low[fn] = idx, idx
	r.stack = append(r.stack, fn)
	r.onStack[fn] = true
	s := m.analyzeFrame(fn)
	m.sums[fn] = s
	if len(r.frames) > 0 {
		top := r.frames[len(r.frames)-1]
		r.low[top] = min(r.low[top], r.low[fn])
	}
	if r.low[fn] != idx {
		return s // a member of a component whose root is still running
	}
	i := len(r.stack) - 1
	for r.stack[i] != fn {
		i--
	}
	members := append([]*ssa.Function(nil), r.stack[i:]...)
	r.stack = r.stack[:i]
	for _, f := range members {
		delete(r.onStack, f)
	}
	if len(members) > 1 {
		m.solve(members)
	}
	return m.sums[fn]
}

// analyzeFrame runs analyzeFunc with fn on the frame stack.
func (m *model) analyzeFrame(fn *ssa.Function) *FuncSummary {
	r := m.rec
	m.inProgress[fn] = true
	r.frames = append(r.frames, fn)
	s := m.analyzeFunc(fn)
	r.frames = r.frames[:len(r.frames)-1]
	delete(m.inProgress, fn)
	return s
}

// solve iterates a recursive component's summaries to a fixpoint, then
// records each member's analysis over them. The first round starts from
// the summaries found on the way in (each member's, with the calls back
// into the component cut where they met a member still running); each
// round reads only the previous round's, so the order the members are
// visited in does not matter, and a fixpoint reached (the same locks,
// whatever the chains and their order) is the same one whichever member
// the model met first.
//
// A component still changing after maxSCCRounds, or too large to iterate
// (over maxSCCMembers), does not keep those summaries: the summaries found
// on the way in depend on which member the model met first (declaration
// and analysis order). It is iterated again from nothing known (every call
// into the component cut) for a fixed number of rounds: each round a
// function of the previous one alone, so the result is the same whatever
// the order. Those summaries hold what a member takes itself and through
// the component up to that many calls deep: reports can only be missed,
// not invented.
func (m *model) solve(members []*ssa.Function) {
	r := m.rec
	sort.Slice(members, func(i, j int) bool { return funcLess(m, members[i], members[j]) })
	start := make(map[*ssa.Function]*FuncSummary, len(members))
	for _, f := range members {
		start[f] = m.sums[f]
	}
	var (
		sums   map[*ssa.Function]*FuncSummary
		solved bool
	)
	rounds := maxSCCRounds
	if len(members) > maxSCCMembers {
		m.budgetHit(members[0], "recursive component size")
		rounds = maxWideRounds
	} else if sums, solved = m.iterate(members, start, maxSCCRounds); !solved {
		m.budgetHit(members[0], "recursive summaries")
	}
	if !solved {
		nothing := make(map[*ssa.Function]*FuncSummary, len(members))
		for _, f := range members {
			nothing[f] = nil
		}
		sums, _ = m.iterate(members, nothing, rounds)
	}
	for _, f := range members {
		m.sums[f] = sums[f]
		r.comp[f] = r.index[members[0]] + 1
	}
	for _, f := range members {
		m.analyzeFrame(f) // recorded; the solved summaries stay
	}
}

// iterate runs up to rounds rounds over a component's members from the
// summaries prev, each round reading the previous one's only; solved says
// a round changed nothing.
func (m *model) iterate(members []*ssa.Function, prev map[*ssa.Function]*FuncSummary, rounds int) (map[*ssa.Function]*FuncSummary, bool) {
	r := m.rec
	defer func() { r.prev = nil }()
	for round := 0; round < rounds; round++ {
		r.prev = prev
		next := make(map[*ssa.Function]*FuncSummary, len(members))
		stable := true
		for _, f := range members {
			delete(m.sums, f)
			next[f] = m.analyzeFrame(f)
			if summaryKey(next[f]) != summaryKey(prev[f]) {
				stable = false
			}
		}
		prev = next
		if stable {
			return prev, true
		}
	}
	return prev, false
}

// summaryKey is what a summary says about locks, without the chains that
// show how and in the order found: the locks taken, released, held at
// return and on success, the open calls and what they hold, sorted.
func summaryKey(s *FuncSummary) string {
	if s == nil {
		return "nil"
	}
	acq := func(tag string, as []Acquire) []string {
		var out []string
		for _, a := range as {
			out = append(out, fmt.Sprintf("%s %s %v %s %v %v %v", tag, a.Class, a.Mode, a.Ref, a.AfterRelease, a.Guards, a.Delegate))
		}
		return out
	}
	var parts []string
	parts = append(parts, acq("acquires", s.Acquires)...)
	parts = append(parts, acq("held", s.HeldAtReturn)...)
	parts = append(parts, acq("may", s.MayHoldAtReturn)...)
	parts = append(parts, acq("success", s.HeldOnSuccess)...)
	for _, r := range s.Releases {
		parts = append(parts, "releases "+r.String())
	}
	for _, o := range s.OpenCalls {
		held := acq("", o.Held)
		sort.Strings(held)
		parts = append(parts, fmt.Sprintf("open %s %v", o.Key, held))
	}
	parts = append(parts, fmt.Sprintf("stores %v fresh %v free %v fields %v", s.ParamStores, s.FreshResults, s.freeCalls, s.ResultFields))
	sort.Strings(parts)
	return strings.Join(parts, "\n")
}

// funcLess orders functions by position, then name.
func funcLess(m *model, a, b *ssa.Function) bool {
	pa, pb := m.fset.Position(a.Pos()), m.fset.Position(b.Pos())
	if pa.Filename != pb.Filename {
		return pa.Filename < pb.Filename
	}
	if pa.Offset != pb.Offset {
		return pa.Offset < pb.Offset
	}
	return funcName(a) < funcName(b)
}

// sinks are what a recorded analysis adds to the model besides its
// summary: edges and their witnesses, findings, call sites, entry
// releases, closure stores, write classes, budget notes.
type sinks struct {
	edges         map[[2]string]*LocalEdge
	edgeOrder     [][2]string
	witnesses     map[[2]string][]edgeWitness
	selfSeen      map[token.Pos]bool
	selfDeadlocks []SelfDeadlock
	leaks         []Leak
	budgets       []Budget
	callSites     map[*ssa.Function][]callSite
	entryRel      map[*ssa.Function]map[string]bool
	freeVarStores []freeVarStore
	writeClasses  map[string]bool
}

// quiet points the model's sinks at throwaway ones and returns the function
// that restores them: a provisional analysis computes its summary only.
func (m *model) quiet() (restore func()) {
	saved := sinks{m.edges, m.edgeOrder, m.witnesses, m.selfSeen, m.res.SelfDeadlocks, m.res.Leaks, m.res.Budgets,
		m.callSites, m.entryRel, m.freeVarStores, m.writeClasses}
	m.edges, m.edgeOrder, m.witnesses, m.selfSeen = map[[2]string]*LocalEdge{}, nil, map[[2]string][]edgeWitness{}, map[token.Pos]bool{}
	m.res.SelfDeadlocks, m.res.Leaks, m.res.Budgets = nil, nil, nil
	m.callSites, m.entryRel, m.freeVarStores, m.writeClasses = map[*ssa.Function][]callSite{}, map[*ssa.Function]map[string]bool{}, nil, map[string]bool{}
	return func() {
		m.edges, m.edgeOrder, m.witnesses, m.selfSeen = saved.edges, saved.edgeOrder, saved.witnesses, saved.selfSeen
		m.res.SelfDeadlocks, m.res.Leaks, m.res.Budgets = saved.selfDeadlocks, saved.leaks, saved.budgets
		m.callSites, m.entryRel, m.freeVarStores, m.writeClasses = saved.callSites, saved.entryRel, saved.freeVarStores, saved.writeClasses
	}
}

// applyCallee applies callee's summary at a call. A lock the callee takes
// again while we hold it is no self-deadlock when the callee is in our own
// recursive component: its summary includes our own activations, and a
// recursion that locks only at its top (depth == 0) would look like one.
// Direct recursion keeps its own, stricter rule (recursiveCall).
func (fa *funcAnalysis) applyCallee(st *state, callee *ssa.Function, sum *FuncSummary, name string, args, bindings []ssa.Value, pos token.Pos) {
	fa.recursive = fa.m.rec.sameComponent(fa.fn, callee)
	fa.apply(st, sum, name, args, bindings, pos)
	fa.recursive = false
}

// sameComponent: a and b are members of one recursive component.
func (r *recursion) sameComponent(a, b *ssa.Function) bool {
	a, b = origin(a), origin(b)
	if _, ok := r.prev[a]; ok {
		_, ok := r.prev[b]
		return ok
	}
	c := r.comp[a]
	return c != 0 && c == r.comp[b]
}
