package waitmodel

import (
	"go/token"
	"sync"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// Graph is the package's wait graph (waitgraph.go): its waits, the
// wake-ups of each resource, and what every wake-up needs first. It
// answers questions; the analyzers decide which answers are bugs. Its
// answers are memoized, so every question takes one lock: analyzers of a
// package may ask in parallel (go vet runs them so).
type Graph struct {
	mu sync.Mutex
	g  *waitGraph
}

// WaitPath is a wait a function performs, directly or through calls of
// the package, with the locks the function holds on every path there.
type WaitPath struct {
	At    ssa.Instruction      // the wait, or the call in the function that reaches it
	Held  []lockmodel.HeldLock // without a Cond's own lock and locks a callee releases first
	Chain []PathStep           // from At down to the wait
	Node  string               // the resource waited for ("chan:(pkg.T).done", "select@…")
	Cases []string             // for a select: the resources of its cases; nil otherwise
	Text  string               // the resource as written
	Kind  string               // "channel", "send", "wait group", "cond", "context"
	site  *waitSite
}

// Wake is an operation that ends waits for a resource.
type Wake struct {
	Instr ssa.Instruction // for a deferred operation, the Defer
	What  string          // "close(s.done)"
	site  *wakeSite
}

// Witness says how a prerequisite comes first at a wake-up: a lock
// ("locks c.mu") or a wait ("waits for <-s.ctx.Done()"), reached through
// Via.
type Witness struct {
	Pos  token.Pos
	What string
	Mode lockmodel.Mode
	Via  []PathStep
}

// WaitsFrom returns the waits fn performs, in the graph's order.
func (G *Graph) WaitsFrom(fn *ssa.Function) []WaitPath {
	G.mu.Lock()
	defer G.mu.Unlock()
	wps := G.g.waitsFrom(fn, 0)
	out := make([]WaitPath, len(wps))
	for i, wp := range wps {
		out[i] = WaitPath{At: wp.at, Held: wp.held, Chain: wp.chain, Node: wp.site.node, Cases: wp.site.cases, Text: wp.site.text, Kind: wp.site.kind, site: wp.site}
	}
	return out
}

// Wakes returns the package's wake-ups of resource node.
func (G *Graph) Wakes(node string) []Wake {
	G.mu.Lock()
	defer G.mu.Unlock()
	var out []Wake
	for _, wk := range G.g.wakes[node] {
		out = append(out, Wake{Instr: wk.instr, What: wk.what, site: wk})
	}
	return out
}

// SignalsFrom lists what fn's wake-ups end besides channels, as its
// FuncWaits.Signals does ("cond:(pkg.T).c", "wg:…", "ctx:…"), counting
// its closures and the package's functions it calls, and also what it
// defers or starts (those run later, but still wake).
func (G *Graph) SignalsFrom(fn *ssa.Function) []string {
	G.mu.Lock()
	defer G.mu.Unlock()
	return G.g.signalsFrom(fn)
}

// Prereqs returns what every wake-up of node needs first, by lock class
// or resource: nil when node has no wake-up in the package.
func (G *Graph) Prereqs(node string) map[string]Witness {
	G.mu.Lock()
	defer G.mu.Unlock()
	return witnesses(G.g.prereqs(node))
}

// WakePrereqs returns what comes first, on every path, before the
// wake-up instr runs.
func (G *Graph) WakePrereqs(instr ssa.Instruction) map[string]Witness {
	G.mu.Lock()
	defer G.mu.Unlock()
	return witnesses(G.g.sitePrereqs(instr, 0))
}

func witnesses(s nodeSet) map[string]Witness {
	if s == nil {
		return nil
	}
	out := make(map[string]Witness, len(s))
	for k, w := range s {
		out[k] = Witness{Pos: w.pos, What: w.what, Mode: w.mode, Via: w.via}
	}
	return out
}

// IsResource: node is a resource of the graph (not a lock class).
func (G *Graph) IsResource(node string) bool {
	G.mu.Lock()
	defer G.mu.Unlock()
	return G.g.isResource(node)
}

// Node returns how the source writes resource node, and its kind.
func (G *Graph) Node(node string) (text, kind string) {
	G.mu.Lock()
	defer G.mu.Unlock()
	return G.g.nodeText[node], G.g.nodeKind[node]
}

// SelectCases returns the resources of the cases of select node, nil
// when node is not a select.
func (G *Graph) SelectCases(node string) []string {
	G.mu.Lock()
	defer G.mu.Unlock()
	if w := G.g.waitByNode[node]; w != nil {
		return w.cases
	}
	return nil
}

// WokenByWaiter reports whether the goroutine of wp itself performs a
// wake-up of one of the resources path, before or beside its wait.
func (G *Graph) WokenByWaiter(wp WaitPath, path []string) bool {
	G.mu.Lock()
	defer G.mu.Unlock()
	return G.g.wokenByWaiter(waitPath{site: wp.site, at: wp.At, held: wp.Held, chain: wp.Chain}, path)
}

// LockedBeforeStart reports whether the wake-ups of path's one resource
// take lock class only before the waiter of wp is started or handed out
// (see lockedBeforeStart): the waiter cannot hold class then.
func (G *Graph) LockedBeforeStart(wp WaitPath, path []string, class string) bool {
	G.mu.Lock()
	defer G.mu.Unlock()
	return G.g.lockedBeforeStart(waitPath{site: wp.site, at: wp.At, held: wp.Held, chain: wp.Chain}, path, class)
}

// EndedOutside: something the package does not show may also end a wait
// for node (a context's deadline, or a parent context it does not cancel).
func (G *Graph) EndedOutside(node string) bool {
	G.mu.Lock()
	defer G.mu.Unlock()
	return G.g.ctxOpen[node]
}

// Waker describes wake-up wk: where it runs and the locks it may take
// first.
func (G *Graph) Waker(wk Wake) Waker {
	G.mu.Lock()
	defer G.mu.Unlock()
	return G.g.waker(wk.site)
}
