package lockorder

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockgraph"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
)

// Confinement across packages. A recursive read lock or a lock cycle in
// an internal package (one only its own module can import) whose every
// side is reached only through the package's entry points (exported
// functions and methods, nothing started on a goroutine there) cannot be
// judged in that package: whether those entries run on one goroutine is
// decided by the importers' goroutines (pulsar's partition producer
// drives its internal batch builder from its one event loop). Facts flow
// from a package to its importers, so the internal package does not
// report it and exports it in a Deferred fact instead; each importer that
// calls an entry of every side that must run (the readers of a recursive
// read lock; every path of a cycle) decides: when every call of the
// entries there runs on one object's event loop, on a value that object
// holds in a field, it drops the report; otherwise it reports it once, at
// its first such call, with the internal package's chains. A package that
// is not internal reports as before: any importer may call it from any
// goroutine.

// Deferred is an internal package's reports left to its importers.
type Deferred struct {
	Reports []DeferredReport
}

func (*Deferred) AFact() {}

func (d *Deferred) String() string {
	var parts []string
	for _, r := range d.Reports {
		var classes, sides []string
		for _, c := range r.Classes {
			classes = append(classes, short(c))
		}
		for _, s := range r.Sides {
			sides = append(sides, s.Name+" "+entryNames(s.Entries))
		}
		parts = append(parts, fmt.Sprintf("deferred %s %s: %s", r.Check, strings.Join(classes, " → "), strings.Join(sides, "; ")))
	}
	return strings.Join(parts, "; ")
}

// DeferredReport is one report the internal package would make (its
// position and chains as sites, What holding the text), with the entry
// points that reach each of its sides.
type DeferredReport struct {
	Check string
	// Classes: the read-locked class (recursive-rlock), the cycle's
	// classes in order (lock-cycle).
	Classes []string
	At      lockmodel.Site
	Message string
	Related []lockmodel.Site
	Sides   []Side
}

// A Side is a part of the bug some goroutine must run: the readers or the
// writers of a recursive read lock, a path of a cycle.
type Side struct {
	Name    string // "readers", "writers", "path 1"
	Entries []Entry
	// Needed: an importer decides only when it calls an entry of every
	// needed side (a writer called alone cannot meet a read lock there).
	Needed bool
}

// Entry is an entry point of the internal package.
type Entry struct {
	Func   string // types.Func.FullName()
	Name   string // as reports name it: (*batch.keyed).Flush
	Recv   string // the receiver's type name; "" for a function
	Method string
}

func entryNames(es []Entry) string {
	var names []string
	for _, e := range es {
		names = append(names, e.Name)
	}
	return strings.Join(names, ", ")
}

// internalPath: only packages of its own module can import it.
func internalPath(path string) bool {
	return slices.Contains(strings.Split(path, "/"), "internal")
}

// deferrable: a report at pos about classes may be left to the importers:
// the package is internal, the report is not in a test, and every class
// is a field of some type (an object's lock, which an importer's object
// may hold: a package variable's lock is shared by every object of every
// importer, so two producers' loops can meet on it).
func deferrable(pass *analysis.Pass, pos token.Pos, classes []string) bool {
	if !internalPath(pass.Pkg.Path()) || isTestPos(pass.Fset, pos) {
		return false
	}
	return !slices.ContainsFunc(classes, func(c string) bool { return !strings.HasPrefix(c, "(") })
}

// deferredReport is d, left to the importers with the entries of its
// sides.
func deferredReport(pass *analysis.Pass, classes []string, d analysis.Diagnostic, sides []Side) DeferredReport {
	dr := DeferredReport{Check: d.Category, Classes: classes, At: siteAt(pass.Fset, d.Pos, ""), Message: d.Message, Sides: sides}
	for _, rel := range d.Related {
		dr.Related = append(dr.Related, siteAt(pass.Fset, rel.Pos, rel.Message))
	}
	return dr
}

// deferRead returns the recursive read lock as a deferred report when it
// is deferrable and its readers (sd.Fn's roots) and its class's writers
// are reached only through entry points an importer calls.
func deferRead(pass *analysis.Pass, ix *callindex.Index, res *lockmodel.Result, tr func() *testRoots, sd lockmodel.SelfDeadlock, d analysis.Diagnostic) (DeferredReport, bool) {
	if !deferrable(pass, sd.Pos, []string{sd.Class}) {
		return DeferredReport{}, false
	}
	readers, ok := entriesOf(pass, ix, tr, []*ssa.Function{sd.Fn})
	if !ok {
		return DeferredReport{}, false
	}
	writers, ok := entriesOf(pass, ix, tr, classWriters(res, sd.Class))
	if !ok {
		return DeferredReport{}, false
	}
	return deferredReport(pass, []string{sd.Class}, d, []Side{
		{Name: "readers", Entries: readers, Needed: true},
		{Name: "writers", Entries: writers},
	}), true
}

// deferCycle returns the lock cycle as a deferred report when it is
// deferrable and every edge is this package's alone (no dependency takes
// it), taken only in functions reached through entry points an importer
// calls: each edge is a side every importer must run for the cycle to
// close.
func deferCycle(pass *analysis.Pass, ix *callindex.Index, tr func() *testRoots, c cycle, d analysis.Diagnostic) (DeferredReport, bool) {
	var classes []string
	for _, e := range c {
		classes = append(classes, e.From)
	}
	if !deferrable(pass, d.Pos, classes) {
		return DeferredReport{}, false
	}
	var sides []Side
	for i, e := range c {
		if e.Local == nil || e.Dep || len(e.Local.Witnesses) == 0 || slices.Contains(e.Local.Witnesses, nil) {
			return DeferredReport{}, false
		}
		entries, ok := entriesOf(pass, ix, tr, e.Local.Witnesses)
		if !ok {
			return DeferredReport{}, false
		}
		sides = append(sides, Side{Name: fmt.Sprintf("path %d", i+1), Entries: entries, Needed: true})
	}
	return deferredReport(pass, classes, d, sides), true
}

// sequentialTest: root is a top-level test that runs alone (no
// t.Parallel), never started or handed out.
func sequentialTest(ix *callindex.Index, tr func() *testRoots, root *ssa.Function) bool {
	return isTestRoot(root) && len(ix.StartsOf(root)) == 0 && !ix.Escapes(root) && !tr().callsParallel(root)
}

func isTestPos(fset *token.FileSet, pos token.Pos) bool {
	return strings.HasSuffix(fset.Position(pos).Filename, "_test.go")
}

func siteAt(fset *token.FileSet, pos token.Pos, what string) lockmodel.Site {
	p := fset.Position(pos)
	return lockmodel.Site{File: p.Filename, Line: p.Line, Col: p.Column, What: what}
}

// classWriters returns this package's functions that may write-lock class
// (a summary cut short may), in a fixed order.
func classWriters(res *lockmodel.Result, class string) []*ssa.Function {
	var writers []*ssa.Function
	for fn, s := range res.Summaries {
		if s == nil || fn.Pkg == nil || fn.Pkg.Pkg != res.Program().Pkg.Pkg {
			continue
		}
		writes := len(s.Acquires) >= maxSummaryAcquires
		for _, a := range s.Acquires {
			writes = writes || (a.Class == class && a.Mode == lockmodel.Write)
		}
		if writes {
			writers = append(writers, fn)
		}
	}
	slices.SortFunc(writers, func(a, b *ssa.Function) int { return strings.Compare(a.String(), b.String()) })
	return writers
}

// entriesOf returns the entry points that reach fns, sorted; ok is false
// when some root is not an entry an importer calls (a goroutine started
// here, a function handed out as a value, an unexported method reached
// through an interface, init) or the walk gave up. Tests that do not call
// t.Parallel run one at a time on their own goroutine: not entries, and
// no obstacle.
func entriesOf(pass *analysis.Pass, ix *callindex.Index, tr func() *testRoots, fns []*ssa.Function) ([]Entry, bool) {
	seen := map[string]bool{}
	var es []Entry
	for _, fn := range fns {
		roots, ok := ix.GoroutineRoots(fn, maxConfineFuncs)
		if !ok {
			return nil, false
		}
		for _, root := range roots {
			if sequentialTest(ix, tr, root) {
				continue
			}
			obj, ok := root.Object().(*types.Func)
			if !ok || root.Parent() != nil || !obj.Exported() || root.Synthetic != "" ||
				len(ix.StartsOf(root)) > 0 || ix.Escapes(root) || isTestPos(pass.Fset, root.Pos()) {
				return nil, false
			}
			e := Entry{Func: obj.FullName(), Name: lockmodel.FuncName(root)}
			if obj.Signature().Recv() != nil {
				n := callindex.RecvNamed(obj)
				if n == nil {
					return nil, false
				}
				e.Recv, e.Method = n.Obj().Name(), obj.Name()
			}
			if !seen[e.Func] {
				seen[e.Func] = true
				es = append(es, e)
			}
		}
	}
	slices.SortFunc(es, func(a, b Entry) int { return strings.Compare(a.Func, b.Func) })
	return es, true
}

// decideDeferred: for each report an internal dependency left to its
// importers, report it here unless every call of its entries in this
// package runs on one object's event loop, on a value that object holds.
// It returns the cycles it reported, for -lockgraph.
func decideDeferred(pass *analysis.Pass, r *report.Reporter, ix *callindex.Index, tr func() *testRoots, cf func() *confinement) []lockgraph.Report {
	var reports []lockgraph.Report
	inTests := func(c ssa.CallInstruction) bool { return inSequentialTests(ix, tr, c) }
	for _, pf := range pass.AllPackageFacts() {
		df, ok := pf.Fact.(*Deferred)
		if !ok || pf.Package == pass.Pkg {
			continue
		}
		for _, d := range df.Reports {
			var calls, needed []ssa.CallInstruction
			decides := true
			for _, s := range d.Sides {
				sc := slices.DeleteFunc(entryCalls(ix, pf.Package, s.Entries), inTests)
				if s.Needed {
					decides = decides && len(sc) > 0
					needed = append(needed, sc...)
				}
				calls = append(calls, sc...)
			}
			if !decides {
				continue // not this package's to decide
			}
			at, confined := unconfinedCall(calls, cf)
			if confined {
				continue
			}
			if at == nil || !slices.Contains(needed, at) {
				at = needed[0]
			}
			r.Report(deferredDiagnostic(pass, d, at))
			if d.Check == CheckCycle {
				reports = append(reports, lockgraph.Report{Check: d.Check, Classes: d.Classes, Site: siteAt(pass.Fset, at.Pos(), "")})
			}
		}
	}
	return reports
}

// entryCalls returns this package's calls of the entries (static calls,
// and interface calls a method of the entry's type may answer), in
// function order.
func entryCalls(ix *callindex.Index, pkg *types.Package, entries []Entry) []ssa.CallInstruction {
	var out []ssa.CallInstruction
	for _, fn := range ix.Funcs() {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				ci, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				if slices.ContainsFunc(entries, func(e Entry) bool { return callsEntry(ci.Common(), pkg, e) }) {
					out = append(out, ci)
				}
			}
		}
	}
	return out
}

func callsEntry(c *ssa.CallCommon, pkg *types.Package, e Entry) bool {
	if !c.IsInvoke() {
		f := c.StaticCallee()
		if f == nil {
			return false
		}
		obj, ok := f.Object().(*types.Func)
		return ok && obj.FullName() == e.Func
	}
	if e.Method == "" || c.Method.Name() != e.Method {
		return false
	}
	iface, ok := c.Value.Type().Underlying().(*types.Interface)
	if !ok {
		return false
	}
	tn, ok := pkg.Scope().Lookup(e.Recv).(*types.TypeName)
	if !ok {
		// The type is not in the export data: any interface of the
		// package with that method may reach it.
		return c.Method.Pkg() == pkg || c.Method.Pkg() == nil && declaredIn(c.Value.Type(), pkg)
	}
	return types.Implements(tn.Type(), iface) || types.Implements(types.NewPointer(tn.Type()), iface)
}

func declaredIn(t types.Type, pkg *types.Package) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() == pkg
}

// inSequentialTests: the call is made on a test's own goroutine, which
// reaches it only from tests that run alone.
func inSequentialTests(ix *callindex.Index, tr func() *testRoots, c ssa.CallInstruction) bool {
	if _, ok := c.(*ssa.Go); ok {
		return false
	}
	roots, ok := ix.GoroutineRoots(c.Parent(), maxConfineFuncs)
	if !ok || len(roots) == 0 {
		return false
	}
	for _, root := range roots {
		if !sequentialTest(ix, tr, root) {
			return false
		}
	}
	return true
}

// unconfinedCall returns the first call that does not run on the one
// object's loop the others run on, on a value that object holds in a
// field; confined is true when there is none.
func unconfinedCall(calls []ssa.CallInstruction, cf func() *confinement) (at ssa.CallInstruction, confined bool) {
	var loop loopRoot
	for i, c := range calls {
		if _, ok := c.(*ssa.Go); ok {
			return c, false // on a goroutine of its own
		}
		r, ok := cf().confinedTo(c.Parent())
		if !ok || i > 0 && r != loop || !heldBy(c.Common(), r) {
			return c, false
		}
		loop = r
	}
	return nil, true
}

// heldBy: the call's receiver is loaded from a field of the loop's object
// (p.batchBuilder.FlushBatches() on the partition producer's loop).
func heldBy(c *ssa.CallCommon, r loopRoot) bool {
	var recv ssa.Value
	if c.IsInvoke() {
		recv = c.Value
	} else if len(c.Args) > 0 {
		recv = c.Args[0]
	}
	for {
		switch v := recv.(type) {
		case *ssa.MakeInterface:
			recv = v.X
			continue
		case *ssa.ChangeInterface:
			recv = v.X
			continue
		case *ssa.ChangeType:
			recv = v.X
			continue
		}
		break
	}
	var fa *ssa.FieldAddr
	switch v := recv.(type) {
	case *ssa.UnOp:
		fa, _ = v.X.(*ssa.FieldAddr)
	case *ssa.FieldAddr: // a field of struct type, called by pointer
		fa = v
	}
	if fa == nil {
		return false
	}
	p, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Name()+"."+n.Obj().Name() == r.owner
}

// deferredDiagnostic is the internal package's report, made at this
// package's call of an entry.
func deferredDiagnostic(pass *analysis.Pass, d DeferredReport, at ssa.CallInstruction) analysis.Diagnostic {
	callee := "an entry of " + short(d.Classes[0]) + "'s package"
	if f := at.Common().StaticCallee(); f != nil {
		callee = lockmodel.FuncName(f)
	} else if at.Common().IsInvoke() {
		callee = at.Common().Method.Name()
	}
	sides := short(d.Classes[0]) + "'s readers and writers"
	if d.Check == CheckCycle {
		sides = "the cycle's paths"
	}
	related := []analysis.RelatedInformation{{
		Pos:     at.Pos(),
		Message: fmt.Sprintf("[entry] %s: calls %s, and the calls of %s here are not all on one object's goroutine", lockmodel.FuncName(at.Parent()), callee, sides),
	}}
	again := "[read again] here"
	if d.Check == CheckCycle {
		again = "[cycle] closed here"
	}
	if p := lockmodel.PosOf(pass.Fset, d.At); p.IsValid() {
		related = append(related, analysis.RelatedInformation{Pos: p, Message: again})
	}
	for _, s := range d.Related {
		if p := lockmodel.PosOf(pass.Fset, s); p.IsValid() {
			related = append(related, analysis.RelatedInformation{Pos: p, Message: s.What})
		}
	}
	return analysis.Diagnostic{
		Pos: at.Pos(), Category: d.Check, Related: related,
		Message: fmt.Sprintf("via %s: %s", callee, d.Message),
	}
}
