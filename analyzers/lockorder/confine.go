package lockorder

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
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
// index (internal/callindex): the roots are the functions started on
// goroutines of their own and the entry points whose callers are not all
// known (exported functions and methods, functions handed out as values,
// methods an interface call may reach).

// maxConfineFuncs bounds the functions one confinement question walks.
const maxConfineFuncs = 5000

// loopRoot is a goroutine started once per object.
type loopRoot struct {
	fn *ssa.Function
	// owner is the object's type, as lock classes name it ("pkg.T"):
	// classes "(pkg.T).f" are that object's locks.
	owner string
}

// confinement answers, for functions of this package, which
// once-per-object goroutine alone runs them.
type confinement struct {
	ix   *callindex.Index
	memo map[*ssa.Function]loopRoot
}

func newConfinement(ix *callindex.Index) *confinement {
	return &confinement{ix: ix, memo: map[*ssa.Function]loopRoot{}}
}

// confinedTo returns the once-per-object goroutine that alone runs fn, if
// there is one.
func (cf *confinement) confinedTo(fn *ssa.Function) (loopRoot, bool) {
	if fn == nil {
		return loopRoot{}, false
	}
	if r, ok := cf.memo[fn]; ok {
		return r, r.fn != nil
	}
	var r loopRoot
	if roots, ok := cf.ix.ConfinedRoots(fn, maxConfineFuncs); ok && len(roots) == 1 {
		r = cf.onceLoop(roots[0])
	}
	cf.memo[fn] = r
	return r, r.fn != nil
}

// onceLoop: root runs only where it is started (callindex.OnlyStart), by
// a go statement or a Go method outside any loop of its function, on an
// object that function allocated (the receiver, or a variable the started
// closure captures): one goroutine per object.
func (cf *confinement) onceLoop(root *ssa.Function) loopRoot {
	start, ok := cf.ix.OnlyStart(root)
	if !ok || start.Kind != callindex.GoStmt && start.Kind != callindex.GoMethod || callindex.InLoop(start.Instr) {
		return loopRoot{}
	}
	objs := start.Bindings
	if g, ok := start.Instr.(*ssa.Go); ok && len(objs) == 0 && root.Signature.Recv() != nil && len(g.Call.Args) > 0 {
		objs = g.Call.Args[:1] // go c.loop()
	}
	for _, v := range objs {
		alloc, ok := v.(*ssa.Alloc)
		if !ok || !alloc.Heap || alloc.Parent() != start.Caller {
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
			return loopRoot{fn: root, owner: n.Obj().Pkg().Name() + "." + n.Obj().Name()}
		}
	}
	return loopRoot{}
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

// owns: the class is a lock of the loop's object (a field of its type).
func (r loopRoot) owns(class string) bool {
	return strings.HasPrefix(class, "("+r.owner+").")
}

// edgeLoop returns the once-per-object goroutine that alone takes the
// edge: every witness is this package's and confined to it.
func (cf *confinement) edgeLoop(e *lockgraph.Edge) (loopRoot, bool) {
	if e.Local == nil || e.Dep || len(e.Local.Witnesses) == 0 {
		return loopRoot{}, false
	}
	var r loopRoot
	for i, w := range e.Local.Witnesses {
		wr, ok := cf.confinedTo(w)
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
func confinedCycle(c cycle, cf func() *confinement) bool {
	for i, e := range c {
		next := c[(i+1)%len(c)]
		r, ok := cf().edgeLoop(e)
		if !ok || !r.owns(e.To) {
			continue
		}
		if r2, ok := cf().edgeLoop(next); ok && r2 == r {
			return true
		}
	}
	return false
}

// confinedReads: the recursive read lock runs only on one object's loop,
// the lock is that object's, and every writer of its class in this
// package runs only there too (no dependency writes it): no writer can be
// waiting between the two read locks.
func confinedReads(sd lockmodel.SelfDeadlock, res *lockmodel.Result, cf func() *confinement) bool {
	r, ok := cf().confinedTo(sd.Fn)
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
	writers := classWriters(res, sd.Class)
	for _, fn := range writers {
		if wr, ok := cf().confinedTo(fn); !ok || wr != r {
			return false
		}
	}
	return true
}
