package lockorder

import (
	"cmp"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/lockgraph"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// Goroutine confinement. An event loop started once per object (go
// c.loop() on the object its constructor just allocated), whose functions
// nothing else reaches (other entry points hand work to it over a
// channel), runs them all on that object's one goroutine: two lock orders
// both taken there, on the object's own lock, never run at once, and a
// recursive read lock there cannot have a writer waiting in between when
// every writer also runs there.
//
// Which goroutine roots reach a function is asked of the package's call
// structure (testroots.go's one pass over the SSA; the call index, when
// the project has one, answers the same questions): the roots are go
// statement targets, exported functions and methods, init, functions
// handed out as values, and functions nothing in the package calls.

// loopRoot is a goroutine started once per object.
type loopRoot struct {
	fn *ssa.Function
	// owner is the object's type, as lock classes name it ("pkg.T"):
	// classes "(pkg.T).f" are that object's locks.
	owner string
}

// confinedTo returns the once-per-object goroutine that alone runs fn, if
// there is one.
func (tr *testRoots) confinedTo(fn *ssa.Function) (loopRoot, bool) {
	if fn == nil {
		return loopRoot{}, false
	}
	if r, ok := tr.confined[fn]; ok {
		return r, r.fn != nil
	}
	var root *ssa.Function
	ok := tr.walk([]*ssa.Function{fn}, map[*ssa.Function]bool{}, func(f *ssa.Function) []*ssa.Function {
		return tr.sameGoroutineCallers[f]
	}, func(f *ssa.Function) bool {
		if tr.anyGoroutine(f) {
			return false
		}
		if tr.started(f) {
			if root != nil && root != f {
				return false
			}
			root = f
			return true
		}
		// Neither a root nor called: something we cannot see runs it.
		return len(tr.sameGoroutineCallers[f]) > 0
	})
	var r loopRoot
	if ok && root != nil {
		r, ok = tr.onceLoop(root)
	}
	if !ok {
		r = loopRoot{}
	}
	tr.confined[fn] = r
	return r, ok
}

// anyGoroutine: f is an entry point that any goroutine may call: exported
// (or an exported type's method), init or main, or handed out as a value.
func (tr *testRoots) anyGoroutine(f *ssa.Function) bool {
	if tr.escapes[f] {
		return true
	}
	if f.Parent() != nil {
		return false
	}
	if obj := f.Object(); obj != nil && obj.Exported() {
		return true
	}
	return f.Synthetic != "" || f.Name() == "init" || f.Name() == "main" || strings.HasPrefix(f.Name(), "init#")
}

func (tr *testRoots) started(f *ssa.Function) bool {
	for _, s := range tr.starts {
		if s.fn == f {
			return true
		}
	}
	return false
}

// onceLoop: root is started by exactly one go statement, outside any loop
// of its function, on an object that function allocated (the receiver, or
// a variable the started closure captures): one goroutine per object.
func (tr *testRoots) onceLoop(root *ssa.Function) (loopRoot, bool) {
	var start *goStart
	for i, s := range tr.starts {
		if s.fn == root {
			if start != nil {
				return loopRoot{}, false
			}
			start = &tr.starts[i]
		}
	}
	if start == nil || inLoop(start.instr.Block()) {
		return loopRoot{}, false
	}
	var objs []ssa.Value
	if mc, ok := start.instr.Call.Value.(*ssa.MakeClosure); ok {
		objs = mc.Bindings
	} else if len(start.instr.Call.Args) > 0 && root.Signature.Recv() != nil {
		objs = start.instr.Call.Args[:1]
	}
	for _, v := range objs {
		alloc, ok := v.(*ssa.Alloc)
		if !ok || !alloc.Heap || alloc.Parent() != start.in {
			continue
		}
		t := types.Unalias(alloc.Type().(*types.Pointer).Elem())
		if p, ok := t.(*types.Pointer); ok { // a captured *T variable
			t = types.Unalias(p.Elem())
			if !storedFresh(alloc) {
				continue
			}
		}
		if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil {
			return loopRoot{fn: root, owner: n.Obj().Pkg().Name() + "." + n.Obj().Name()}, true
		}
	}
	return loopRoot{}, false
}

// storedFresh: the captured variable cell holds only new allocations of
// its function (c := &T{}; go func() { c.loop() }()).
func storedFresh(cell *ssa.Alloc) bool {
	n := 0
	for _, ref := range *cell.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == cell {
			a, ok := st.Val.(*ssa.Alloc)
			if !ok || !a.Heap || a.Parent() != cell.Parent() {
				return false
			}
			n++
		}
	}
	return n > 0
}

// inLoop: the block lies on a cycle of its function's control flow.
func inLoop(b *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{}
	work := append([]*ssa.BasicBlock(nil), b.Succs...)
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if x == b {
			return true
		}
		if !seen[x] {
			seen[x] = true
			work = append(work, x.Succs...)
		}
	}
	return false
}

// owns: the class is a lock of the loop's object (a field of its type).
func (r loopRoot) owns(class string) bool {
	return strings.HasPrefix(class, "("+r.owner+").")
}

// edgeLoop returns the once-per-object goroutine that alone takes the
// edge: every witness is this package's and confined to it.
func (tr *testRoots) edgeLoop(e *lockgraph.Edge) (loopRoot, bool) {
	if e.Local == nil || e.Dep || len(e.Local.Witnesses) == 0 {
		return loopRoot{}, false
	}
	var r loopRoot
	for i, w := range e.Local.Witnesses {
		wr, ok := tr.confinedTo(w)
		if !ok || (i > 0 && wr != r) {
			return loopRoot{}, false
		}
		r = wr
	}
	return r, true
}

// confinedCycle: two consecutive edges of the cycle are taken only by one
// object's loop, and the lock between them (held on one, wanted on the
// other) is that object's own: the goroutines at the two edges would be
// the one loop of that object, so they are not two.
func confinedCycle(c cycle, tr func() *testRoots) bool {
	for i, e := range c {
		next := c[(i+1)%len(c)]
		r, ok := tr().edgeLoop(e)
		if !ok || !r.owns(e.To) {
			continue
		}
		if r2, ok := tr().edgeLoop(next); ok && r2 == r {
			return true
		}
	}
	return false
}

// confinedReads: the recursive read lock runs only on one object's loop,
// the lock is that object's, and every writer of its class in this
// package runs only there too (no dependency writes it): no writer can be
// waiting between the two read locks.
func confinedReads(sd lockmodel.SelfDeadlock, res *lockmodel.Result, tr func() *testRoots) bool {
	r, ok := tr().confinedTo(sd.Fn)
	if !ok || !r.owns(sd.Class) {
		return false
	}
	for _, d := range res.Deps {
		for _, w := range d.WriteClasses {
			if w == sd.Class {
				return false
			}
		}
	}
	var writers []*ssa.Function
	for fn, s := range res.Summaries {
		if s == nil || fn.Pkg == nil || fn.Pkg.Pkg != res.Program().Pkg.Pkg {
			continue
		}
		writes := len(s.Acquires) >= maxSummaryAcquires // may be cut short
		for _, a := range s.Acquires {
			writes = writes || (a.Class == sd.Class && a.Mode == lockmodel.Write)
		}
		if writes {
			writers = append(writers, fn)
		}
	}
	// In a fixed order: the walks share a step budget.
	slices.SortFunc(writers, func(a, b *ssa.Function) int { return cmp.Compare(a.String(), b.String()) })
	for _, fn := range writers {
		if wr, ok := tr().confinedTo(fn); !ok || wr != r {
			return false
		}
	}
	return true
}
