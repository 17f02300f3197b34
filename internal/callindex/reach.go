package callindex

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// The reach graph: for each function of the package, the functions it may
// run on any goroutine: its calls, the closures it makes, the functions it
// starts or hands on as values, and, for an interface call, every method of
// the package with that name (an over-approximation; Invokes, from the call
// index, and Converts let a question narrow it by rapid type analysis).
// Walking it answers what a test or a goroutine may reach. It is built on
// first use, apart from the call index, which few packages need it beside.
type reach struct {
	runs, runBy map[*ssa.Function][]*ssa.Function
	spawns      map[*ssa.Function][]*ssa.Function
	direct      map[*ssa.Function][]*ssa.Function
	converts    map[*ssa.Function][]types.Type
}

func (ix *Index) buildReach() *reach {
	ix.build()
	ix.reachOnce.Do(func() { ix.reach = newReach(ix.funcs) })
	return ix.reach
}

func newReach(funcs []*ssa.Function) *reach {
	r := &reach{
		runs:     map[*ssa.Function][]*ssa.Function{},
		runBy:    map[*ssa.Function][]*ssa.Function{},
		spawns:   map[*ssa.Function][]*ssa.Function{},
		direct:   map[*ssa.Function][]*ssa.Function{},
		converts: map[*ssa.Function][]types.Type{},
	}
	byName := map[string][]*ssa.Function{} // methods by name, for interface calls
	for _, fn := range funcs {
		if fn.Signature.Recv() != nil {
			byName[fn.Name()] = append(byName[fn.Name()], fn)
		}
	}
	add := func(from, to *ssa.Function) {
		if to == nil || to == from {
			return
		}
		for _, x := range r.runs[from] {
			if x == to {
				return
			}
		}
		r.runs[from] = append(r.runs[from], to)
		r.runBy[to] = append(r.runBy[to], from)
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if c, ok := instr.(ssa.CallInstruction); ok {
					cc := c.Common()
					if cc.IsInvoke() {
						for _, m := range byName[cc.Method.Name()] {
							add(fn, m)
						}
					}
				}
				if mi, ok := instr.(*ssa.MakeInterface); ok {
					r.converts[fn] = append(r.converts[fn], mi.X.Type())
				}
				// Static callees, closures, functions used as values.
				var ops [2]*ssa.Value
				for _, op := range instr.Operands(ops[:0]) {
					var f *ssa.Function
					switch v := (*op).(type) {
					case *ssa.Function:
						f = v
					case *ssa.MakeClosure:
						f = v.Fn.(*ssa.Function)
					default:
						continue
					}
					add(fn, f)
					r.direct[fn] = append(r.direct[fn], f)
					if !calledHere(instr, *op) {
						r.spawns[fn] = append(r.spawns[fn], f)
					}
				}
			}
		}
		if fn.Parent() != nil {
			add(fn.Parent(), fn) // a closure runs on behalf of its parent
			r.direct[fn.Parent()] = append(r.direct[fn.Parent()], fn)
		}
	}
	return r
}

// calledHere: v is the function instr calls in this goroutine (a call or
// a defer), not one it starts or hands on.
func calledHere(instr ssa.Instruction, v ssa.Value) bool {
	switch c := instr.(type) {
	case *ssa.Call:
		return c.Call.Value == v
	case *ssa.Defer:
		return c.Call.Value == v
	}
	return false
}

// Runs returns the functions fn may run, on any goroutine (the reach
// graph's successors; other packages' functions included).
func (ix *Index) Runs(fn *ssa.Function) []*ssa.Function { return ix.buildReach().runs[fn] }

// RunBy returns the functions of the package that may run fn (Runs
// reversed).
func (ix *Index) RunBy(fn *ssa.Function) []*ssa.Function { return ix.buildReach().runBy[fn] }

// Spawns returns the functions fn starts or hands on rather than calls
// here: they run on other goroutines, or when a library calls them.
func (ix *Index) Spawns(fn *ssa.Function) []*ssa.Function { return ix.buildReach().spawns[fn] }

// Direct returns the functions fn names (calls statically, makes as
// closures, uses as values) and the closures written in it: Runs without
// interface calls, for rapid type analysis.
func (ix *Index) Direct(fn *ssa.Function) []*ssa.Function { return ix.buildReach().direct[fn] }

// Converts returns the concrete types fn converts to an interface.
func (ix *Index) Converts(fn *ssa.Function) []types.Type { return ix.buildReach().converts[fn] }
