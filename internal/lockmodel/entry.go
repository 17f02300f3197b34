package lockmodel

import (
	"go/types"

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

// edgeWitness is one place an edge was found: the function and its held set.
type edgeWitness struct {
	fn       *ssa.Function // nil when not known (an edge closed from an open call)
	held     []string
	released []string // as in callSite
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
	taken := addressTaken(fns)
	ifaceMethods := m.interfaceMethodNames()
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
		if !m.callersKnown(fn, taken, ifaceMethods) {
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
		for i, w := range m.witnesses[k] {
			h := union(w.held, minus(entry(w.fn, 0), w.released))
			if i == 0 {
				held = h
			} else {
				held = intersect(held, h)
			}
		}
		e.Held = held
	}
}

// callersKnown: every call of fn is one of the recorded call sites.
func (m *model) callersKnown(fn *ssa.Function, taken map[*ssa.Function]bool, ifaceMethods map[string]bool) bool {
	if len(m.callSites[fn]) == 0 || taken[fn] || fn.Pkg != m.pkg {
		return false
	}
	if fn.Parent() != nil {
		return true // a closure only ever called directly (not taken)
	}
	obj := fn.Object()
	if obj == nil || obj.Exported() {
		return false
	}
	if fn.Signature.Recv() != nil && ifaceMethods[fn.Name()] {
		return false // may be called through an interface of this package
	}
	return true
}

// addressTaken lists the functions used other than by being called: passed
// as values, stored, bound as method values, started with go.
func addressTaken(fns []*ssa.Function) map[*ssa.Function]bool {
	taken := map[*ssa.Function]bool{}
	for _, fn := range fns {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				var call *ssa.CallCommon
				if c, ok := instr.(*ssa.Call); ok {
					call = c.Common()
				}
				if mc, ok := instr.(*ssa.MakeClosure); ok {
					// A closure is "called directly" only if every use of it
					// is the callee of a call.
					target := mc.Fn.(*ssa.Function)
					for _, r := range *mc.Referrers() {
						c, ok := r.(*ssa.Call)
						if !ok || c.Call.Value != mc {
							taken[target] = true
						}
					}
					for _, op := range mc.Bindings {
						if f, ok := op.(*ssa.Function); ok {
							taken[f] = true
						}
					}
					continue
				}
				for _, op := range instr.Operands(nil) {
					f, ok := (*op).(*ssa.Function)
					if !ok {
						continue
					}
					if call != nil && call.Value == f {
						continue
					}
					taken[f] = true
				}
			}
		}
	}
	return taken
}

// interfaceMethodNames lists the method names of this package's interfaces.
func (m *model) interfaceMethodNames() map[string]bool {
	names := map[string]bool{}
	scope := m.pass.Pkg.Scope()
	for _, n := range scope.Names() {
		tn, ok := scope.Lookup(n).(*types.TypeName)
		if !ok {
			continue
		}
		if it, ok := tn.Type().Underlying().(*types.Interface); ok {
			for i := 0; i < it.NumMethods(); i++ {
				names[it.Method(i).Name()] = true
			}
		}
	}
	return names
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
