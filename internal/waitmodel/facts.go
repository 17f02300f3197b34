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
	waitsIn := map[*ssa.Function][]*waitSite{}
	for _, w := range g.waits {
		waitsIn[w.instr.Parent()] = append(waitsIn[w.instr.Parent()], w)
	}
	wakesIn := map[*ssa.Function][]*wakeSite{}
	for _, res := range sortedKeys(g.wakes) {
		for _, wk := range g.wakes[res] {
			wakesIn[wk.instr.Parent()] = append(wakesIn[wk.instr.Parent()], wk)
		}
	}
	shown := map[ssa.Instruction]bool{} // wake-ups some exported function's fact shows
	for _, fn := range g.wm.funcs {
		if fn.Parent() != nil || fn.Object() == nil {
			continue
		}
		f := &FuncWaits{}
		var wakes []*wakeSite
		seen := map[*ssa.Function]bool{}
		var visit func(fn *ssa.Function, depth int)
		visit = func(fn *ssa.Function, depth int) {
			if seen[fn] {
				return
			}
			seen[fn] = true
			for _, w := range waitsIn[fn] {
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
			for _, wk := range wakesIn[fn] {
				if !shared(wk.res) {
					continue
				}
				wakes = append(wakes, wk)
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
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					switch x := instr.(type) {
					case *ssa.MakeClosure:
						// Closures run on fn's behalf when called; ones
						// started as goroutines do not block fn.
						if cl := x.Fn.(*ssa.Function); len(g.wm.ix.StartsOf(cl)) == 0 {
							visit(cl, depth)
						}
					case *ssa.Call:
						if callee := x.Call.StaticCallee(); callee != nil && callee.Pkg == g.wm.pkg && depth < maxFactDepth {
							visit(callee, depth+1)
						}
					}
				}
			}
		}
		visit(fn, 0)
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

func exported(fn *ssa.Function) bool {
	return fn.Object() != nil && fn.Object().Exported()
}
