package waitmodel

import (
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// FuncWaits is the fact a function of this package exports for callers in
// other packages: the wait resources it blocks on and the ones it ends
// waits for, by the names the wait graph gives them ("chan:(pkg.T).done",
// "send:(pkg.T).results", "wg:(pkg.T).wg", "cond:(pkg.T).c",
// "ctx:(pkg.T).ctx"), counting its closures and the functions of its
// package it calls (a few levels down), and the locks it takes before
// every one of its wake-ups. Only resources kept in struct fields or
// package variables appear: a channel made and kept in local variables is
// nobody else's. Every list is sorted (facts must be deterministic).
type FuncWaits struct {
	BlocksOn   []string // receives from, sends on (unbuffered), waits for
	Closes     []string // channels it closes
	SendsTo    []string // channels it sends on
	Signals    []string // Conds it signals or broadcasts, WaitGroups it calls Done on, contexts it cancels
	LocksFirst []string // lock classes taken (or held) before each of its wake-ups; readSuffix when read-locked
	// Unbounded is the kind of operation with no bound ("read", "write",
	// "sleep", "poll": heartbeat-starvation's BlockingOp.Kind) the function
	// may make, directly or in its package's functions it calls, holding
	// whatever its caller holds; "" when none. Exported functions only.
	Unbounded string
}

// readSuffix marks a read-locked class in FuncWaits.LocksFirst.
const readSuffix = " (read)"

// PackageWaits is the package fact beside FuncWaits: the resources some of
// whose wake-ups no exported function's FuncWaits shows (a goroutine the
// package starts closes them, an unexported path signals them). A caller
// in another package cannot see every wake-up of those, so it uses no
// FuncWaits fact about them (a wake-up it cannot see may end the wait).
type PackageWaits struct {
	Hidden []string
}

// AFact marks PackageWaits as an analysis fact.
func (*PackageWaits) AFact() {}

func (p *PackageWaits) String() string { return "hidden(" + strings.Join(p.Hidden, ",") + ")" }

// AFact marks FuncWaits as an analysis fact.
func (*FuncWaits) AFact() {}

func (f *FuncWaits) String() string {
	var parts []string
	add := func(name string, xs []string) {
		if len(xs) > 0 {
			parts = append(parts, name+" "+strings.Join(xs, ","))
		}
	}
	add("blocks", f.BlocksOn)
	add("closes", f.Closes)
	add("sends", f.SendsTo)
	add("signals", f.Signals)
	add("locks", f.LocksFirst)
	if f.Unbounded != "" {
		parts = append(parts, "unbounded "+f.Unbounded)
	}
	return "waits(" + strings.Join(parts, "; ") + ")"
}

func (f *FuncWaits) empty() bool {
	return len(f.BlocksOn)+len(f.Closes)+len(f.SendsTo)+len(f.Signals) == 0 && f.Unbounded == ""
}

// shared reports whether a wait-graph node names a resource other packages
// can reach (a field or a package variable), not a local one.
func shared(node string) bool {
	i := strings.IndexByte(node, ':')
	if i < 0 {
		return false
	}
	rest := node[i+1:]
	return strings.HasPrefix(rest, "(") || strings.HasPrefix(rest, "global:")
}

const maxFactDepth = 3

// exportFacts computes and exports FuncWaits for the package's named
// functions.
func (g *waitGraph) exportFacts(pass *analysis.Pass, bm *blockModel) {
	shown := map[ssa.Instruction]bool{} // wake-ups some exported function's fact shows
	for _, fn := range g.wm.funcs {
		if fn.Parent() != nil || fn.Object() == nil {
			continue
		}
		f := &FuncWaits{}
		var wakes []*wakeSite
		g.reached(fn, false, func(fn *ssa.Function) {
			for _, w := range g.waitsByFunc()[fn] {
				nodes := []string{w.node}
				if w.cases != nil {
					nodes = nil // a select: stuck only while every case is
				}
				for _, n := range nodes {
					if shared(n) {
						f.BlocksOn = append(f.BlocksOn, n)
					}
				}
			}
			wakes = append(wakes, f.addWakes(g.wakesByFunc()[fn])...)
		})
		if exported(fn) {
			for _, wk := range wakes {
				shown[wk.instr] = true
			}
		}
		for i, wk := range wakes {
			var locks []string
			for k, w := range g.sitePrereqs(wk.instr, 0) {
				if !g.isResource(k) && !strings.HasPrefix(k, "select@") {
					if w.mode == lockmodel.Read {
						k += readSuffix
					}
					locks = append(locks, k)
				}
			}
			if i == 0 {
				f.LocksFirst = locks
			} else {
				f.LocksFirst = slices.DeleteFunc(f.LocksFirst, func(l string) bool { return !slices.Contains(locks, l) })
			}
		}
		if exported(fn) {
			f.Unbounded = bm.unbounded(fn)
		}
		for _, xs := range []*[]string{&f.BlocksOn, &f.Closes, &f.SendsTo, &f.Signals, &f.LocksFirst} {
			slices.Sort(*xs)
			*xs = slices.Compact(*xs)
		}
		if !f.empty() {
			pass.ExportObjectFact(fn.Object(), f)
		}
	}
	var hidden []string
	for _, res := range sortedKeys(g.wakes) {
		if !shared(res) {
			continue
		}
		for _, wk := range g.wakes[res] {
			if !shown[wk.instr] {
				hidden = append(hidden, res)
				break
			}
		}
	}
	pass.ExportPackageFact(&PackageWaits{Hidden: hidden})
}

// addWakes adds the shared resources of wakes to f's lists by what they
// do, and returns the wake-ups it added.
func (f *FuncWaits) addWakes(wakes []*wakeSite) []*wakeSite {
	var out []*wakeSite
	for _, wk := range wakes {
		if !shared(wk.res) {
			continue
		}
		out = append(out, wk)
		switch {
		case strings.HasPrefix(wk.what, "close("):
			f.Closes = append(f.Closes, wk.res)
		case strings.HasPrefix(wk.res, "chan:"):
			f.SendsTo = append(f.SendsTo, wk.res)
		case strings.HasPrefix(wk.res, "send:"):
			// a receive that lets an unbuffered send go: not a fact
		default:
			f.Signals = append(f.Signals, wk.res)
		}
	}
	return out
}

// reached calls each on fn and on the functions that run on its behalf,
// as FuncWaits counts them: its closures (not those started as
// goroutines) and the package's functions it calls, maxFactDepth calls
// down. With later, also what fn defers or starts, and every func literal
// in it: what runs as fn returns or in a goroutine of its own, which fn
// does not wait for but whose wake-ups still wake.
func (g *waitGraph) reached(fn *ssa.Function, later bool, each func(*ssa.Function)) {
	seen := map[*ssa.Function]bool{}
	var visit func(fn *ssa.Function, depth int)
	visit = func(fn *ssa.Function, depth int) {
		if seen[fn] {
			return
		}
		seen[fn] = true
		each(fn)
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.MakeClosure:
					// Closures run on fn's behalf when called; ones
					// started as goroutines do not block fn.
					if cl := x.Fn.(*ssa.Function); later || len(g.wm.ix.StartsOf(cl)) == 0 {
						visit(cl, depth)
					}
				case ssa.CallInstruction:
					if _, call := x.(*ssa.Call); !call && !later {
						continue
					}
					if callee := x.Common().StaticCallee(); callee != nil && callee.Pkg == g.wm.pkg && depth < maxFactDepth {
						visit(callee, depth+1)
					}
				}
			}
		}
		if later {
			for _, anon := range fn.AnonFuncs {
				visit(anon, depth)
			}
		}
	}
	visit(fn, 0)
}

// waitsByFunc and wakesByFunc index the graph's waits and wake-ups by the
// function they are in (wake-ups in the order of their resources' names).
func (g *waitGraph) waitsByFunc() map[*ssa.Function][]*waitSite {
	if g.waitsIn == nil {
		g.waitsIn = map[*ssa.Function][]*waitSite{}
		for _, w := range g.waits {
			g.waitsIn[w.instr.Parent()] = append(g.waitsIn[w.instr.Parent()], w)
		}
	}
	return g.waitsIn
}

func (g *waitGraph) wakesByFunc() map[*ssa.Function][]*wakeSite {
	if g.wakesIn == nil {
		g.wakesIn = map[*ssa.Function][]*wakeSite{}
		for _, res := range sortedKeys(g.wakes) {
			for _, wk := range g.wakes[res] {
				g.wakesIn[wk.instr.Parent()] = append(g.wakesIn[wk.instr.Parent()], wk)
			}
		}
	}
	return g.wakesIn
}

// signalsFrom is FuncWaits.Signals of fn (any function of the package),
// counting also what runs later on its behalf (reached's later): the
// Conds it signals or broadcasts, WaitGroups it calls Done on, contexts
// it cancels, sorted.
func (g *waitGraph) signalsFrom(fn *ssa.Function) []string {
	var f FuncWaits
	g.reached(fn, true, func(fn *ssa.Function) { f.addWakes(g.wakesByFunc()[fn]) })
	slices.Sort(f.Signals)
	return slices.Compact(f.Signals)
}

func exported(fn *ssa.Function) bool {
	return fn.Object() != nil && fn.Object().Exported()
}
