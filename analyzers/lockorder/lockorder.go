// Package lockorder reports lock-order cycles (two goroutines that take the
// same locks in opposite orders), double locks (a lock instance taken again
// while held), recursive read locks and locks leaked on a return path.
//
// It asks the shared lock model (internal/lockmodel) for the package's
// lock-order edges, its dependencies' edges (facts) and the per-function
// findings, and turns them into reports with both acquisition chains.
package lockorder

import (
	"fmt"
	"go/token"
	"reflect"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockgraph"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// Analyzer is the lockorder analyzer.
var Analyzer = &analysis.Analyzer{
	Name:     "lockorder",
	Doc:      doc,
	URL:      "https://github.com/kafkalint/kafkalint/blob/main/docs/lockorder.md",
	Run:      run,
	Requires: []*analysis.Analyzer{lockmodel.Analyzer, callindex.Analyzer, waitmodel.Analyzer},
	// The cycles it reported, for kafkalint -lockgraph.
	ResultType: reflect.TypeOf((*lockgraph.Reports)(nil)),
	FactTypes:  []analysis.Fact{(*Deferred)(nil)},
}

// Diagnostic categories (check names).
const (
	CheckCycle     = "lock-cycle"
	CheckDouble    = "double-lock"
	CheckRecursive = "recursive-rlock"
	CheckLeak      = "lock-leak"
)

func init() {
	report.Register(Analyzer, checks...)
}

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[lockmodel.Analyzer].(*lockmodel.Result)
	r := report.New(pass)
	var roots *testRoots
	tr := func() *testRoots {
		if roots == nil {
			roots = newTestRoots(pass.Pkg.Path(), pass.ResultOf[callindex.Analyzer].(*callindex.Index))
		}
		return roots
	}
	var conf *confinement
	cf := func() *confinement {
		if conf == nil {
			conf = newConfinement(pass.ResultOf[callindex.Analyzer].(*callindex.Index))
		}
		return conf
	}
	ix := pass.ResultOf[callindex.Analyzer].(*callindex.Index)
	var jn *joins
	jf := func() *joins {
		if jn == nil {
			jn = newJoins(pass.Fset, ix, pass.ResultOf[waitmodel.Analyzer].(*waitmodel.Result))
		}
		return jn
	}
	nm := newNamer(pass, ix)
	var deferred Deferred // reports left to the importers
	again, cycles := reportCycles(pass, r, nm, ix, res, tr, cf, jf, &deferred)
	reportSelfDeadlocks(pass, r, nm, ix, res, again, tr, cf, &deferred)
	if len(deferred.Reports) > 0 {
		pass.ExportPackageFact(&deferred)
	}
	cycles = append(cycles, decideDeferred(pass, r, ix, tr, cf)...)
	reportLeaks(pass, r, nm, res)
	r.Finish()
	return &lockgraph.Reports{Cycles: cycles}, nil
}

func cycleDiagnostic(pass *analysis.Pass, nm *namer, c cycle, writers map[string]bool) analysis.Diagnostic {
	choice, _ := choosePaths(c)
	shown, fns, pos := shownEdges(c, choice)
	first := shown[0]
	var msg strings.Builder
	if len(c) == 2 {
		other := shown[1]
		fmt.Fprintf(&msg, "lock order inversion: %s is acquired here while holding %s (in %s); %s acquires %s while holding %s (%s). Two goroutines taking them in opposite orders deadlock; take them in one order",
			short(first.To), short(first.From), first.Func,
			other.Func, short(other.To), short(other.From), chainSummary(other.ToChain))
	} else {
		var names []string
		for _, e := range c {
			names = append(names, short(e.From))
		}
		names = append(names, short(first.From))
		fmt.Fprintf(&msg, "lock order cycle: %s. %s is acquired here while holding %s (in %s); the other edges are taken elsewhere (see the chains). Goroutines following these orders at once deadlock; take the locks in one global order",
			strings.Join(names, " → "), short(first.To), short(first.From), first.Func)
	}
	msg.WriteString(readNote(c))
	var related []analysis.RelatedInformation
	for i, e := range c {
		related = append(related, edgeChain(pass, i+1, shown[i], nm.rootSteps(fns[i]))...)
		related = append(related, otherWitnesses(i+1, e, shown[i])...)
	}
	return nm.diagnostic(analysis.Diagnostic{Pos: pos, Category: CheckCycle, Message: msg.String(), Related: related})
}

// maxOtherWitnesses bounds the other functions listed for one edge.
const maxOtherWitnesses = 3

// otherWitnesses lists the other functions of this package that take the
// edge's two locks in the same order than the one shown (e): the shown
// path is chosen to share no lock with the other side, which does not
// make it the only one that deadlocks (mongo's pool: the maintain path is
// kept apart by the pool's state, pool.close is not).
func otherWitnesses(n int, ge *lockgraph.Edge, e *lockmodel.Edge) []analysis.RelatedInformation {
	if ge.Local == nil {
		return nil
	}
	var steps []report.Step
	seen := map[string]bool{e.Func: true}
	for _, w := range ge.Local.Witnesses {
		if w == nil || !w.Pos().IsValid() {
			continue
		}
		name := lockmodel.FuncName(w)
		if seen[name] || strings.HasSuffix(e.Func, " "+name) || strings.Contains(e.Func, "goroutine "+name+" ") {
			continue
		}
		seen[name] = true
		if len(steps) == maxOtherWitnesses {
			break
		}
		steps = append(steps, report.Step{Pos: w.Pos(), Message: fmt.Sprintf("%s: also takes %s while holding %s", name, short(e.To), short(e.From))})
	}
	if len(steps) == 0 {
		return nil
	}
	return report.Chain(fmt.Sprintf("path %d, also", n), steps...)
}

// readNote names every class read-locked on both sides of the cycle.
func readNote(c cycle) string {
	var names []string
	for _, class := range readJoints(c) {
		names = append(names, short(class))
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf(" (%s is read-locked on both sides: this deadlocks when a writer of it is waiting, as Go's RWMutex then blocks new readers)", names[0])
	}
	return fmt.Sprintf(" (%s are each read-locked on both sides: this deadlocks when a writer of each is waiting, as Go's RWMutex then blocks new readers)", strings.Join(names, " and "))
}

// edgeChain renders one edge as a chain: from the entry point (root
// steps, when the edge's function is not one), where From is held, then
// the steps down to To's acquisition.
func edgeChain(pass *analysis.Pass, n int, e *lockmodel.Edge, root []report.Step) []analysis.RelatedInformation {
	label := fmt.Sprintf("path %d", n)
	steps := root
	if strings.HasPrefix(e.Func, "goroutine ") && len(e.FromChain) > 0 {
		s := e.FromChain[0]
		what := "runs as a goroutine"
		if i := strings.Index(e.Func, " (started by "); i >= 0 {
			what += e.Func[i:]
		}
		steps = append(steps, step(pass, s, what))
	}
	for i, s := range e.FromChain {
		msg := s.What
		if i == len(e.FromChain)-1 {
			msg = fmt.Sprintf("%s %s", s.What, holds(e.FromMode, e.From))
		}
		steps = append(steps, step(pass, s, msg))
	}
	// Both chains start in the same function: skip the calls they share.
	k := 0
	for k < len(e.FromChain)-1 && k < len(e.ToChain)-1 && e.FromChain[k] == e.ToChain[k] {
		k++
	}
	to := e.ToChain[k:]
	for i, s := range to {
		msg := s.What
		if i == len(to)-1 {
			msg = fmt.Sprintf("%s %s while holding %s", s.What, takes(e.ToMode, e.To), short(e.From))
		}
		steps = append(steps, step(pass, s, msg))
	}
	return report.Chain(label, steps...)
}

func step(pass *analysis.Pass, s lockmodel.Site, msg string) report.Step {
	return report.Step{Pos: lockmodel.PosOf(pass.Fset, s), Message: s.Func.String() + ": " + msg}
}

func holds(m lockmodel.Mode, class string) string {
	if m == lockmodel.Read {
		return "(read-holds " + short(class) + ")"
	}
	return "(holds " + short(class) + ")"
}

func takes(m lockmodel.Mode, class string) string {
	if m == lockmodel.Read {
		return "read-locks " + short(class)
	}
	return "locks " + short(class)
}

func chainSummary(chain []lockmodel.Site) string {
	var parts []string
	for _, s := range chain {
		if rest, ok := strings.CutPrefix(s.What, "calls "); ok {
			parts = append(parts, rest)
		}
	}
	if len(parts) == 0 && len(chain) > 0 {
		p := chain[len(chain)-1]
		return fmt.Sprintf("at line %d", p.Line)
	}
	return "via " + joinCalls(parts)
}

// joinCalls shortens long call chains for the message; the related
// information has every step.
func joinCalls(parts []string) string {
	if len(parts) > 3 {
		parts = append(parts[:2:2], "…", parts[len(parts)-1])
	}
	return strings.Join(parts, " → ")
}

func short(class string) string { return lockmodel.ShortClass(class) }

func reportSelfDeadlocks(pass *analysis.Pass, r *report.Reporter, nm *namer, ix *callindex.Index, res *lockmodel.Result, again []reacquisition, tr func() *testRoots, cf func() *confinement, deferred *Deferred) {
	writers := writeClasses(res)
	// One report per held lock: the second, third... re-acquisitions under
	// the same held acquisition are one bug (apimachinery's two calls of
	// Step under b.lock), listed in the first report.
	keep := func(sd lockmodel.SelfDeadlock) bool {
		if releasedByStarter(sd, ix) {
			return false
		}
		if !sd.RecursiveRW {
			return true
		}
		if !writers[sd.Class] || confinedReads(sd, res, cf) {
			return false
		}
		return !(strings.HasSuffix(pass.Fset.Position(sd.Pos).Filename, "_test.go") && tr().noWriter(sd.Fn, sd.Class, res.Summaries))
	}
	groupOf := func(sd lockmodel.SelfDeadlock) string {
		if len(sd.First) == 0 {
			return fmt.Sprint(sd.Pos)
		}
		f := sd.First[0]
		return fmt.Sprintf("%s:%d:%d|%s|%v|%s", f.File, f.Line, f.Col, sd.Class, sd.RecursiveRW, sd.Func)
	}
	// A reacquisition found as a cycle is reported here, unless the model
	// already found it as a self-deadlock of one instance.
	type selfDeadlock struct {
		lockmodel.SelfDeadlock
		between *lockmodel.Edge // for a reacquisition: the edge B → A, B taken in between
	}
	all := make([]selfDeadlock, 0, len(res.SelfDeadlocks)+len(again))
	at := map[token.Pos]bool{}
	for _, sd := range res.SelfDeadlocks {
		all = append(all, selfDeadlock{SelfDeadlock: sd})
		at[sd.Pos] = true
	}
	for _, re := range again {
		if sd := re.selfDeadlock(); !at[sd.Pos] {
			all = append(all, selfDeadlock{SelfDeadlock: sd, between: witness(re.y)})
		}
	}
	more := map[string][]token.Pos{}
	var order []selfDeadlock
	for _, sd := range all {
		if !keep(sd.SelfDeadlock) {
			continue
		}
		k := groupOf(sd.SelfDeadlock)
		if _, ok := more[k]; ok {
			more[k] = append(more[k], sd.Pos)
			continue
		}
		more[k] = []token.Pos{}
		order = append(order, sd)
	}
	for _, sd := range order {
		firstAt := siteText(sd.First)
		var related []analysis.RelatedInformation
		var held []report.Step
		for _, s := range sd.First {
			held = append(held, step(pass, s, s.What))
		}
		related = append(nm.entryChain(sd.Fn), report.Chain("held", held...)...)
		note := ""
		if b := sd.between; b != nil {
			var then []report.Step
			for _, s := range b.FromChain {
				then = append(then, step(pass, s, s.What))
			}
			related = append(related, report.Chain("then", then...)...)
			note = fmt.Sprintf(", after taking %s (%s); the model cannot tell the two %s apart: if they are different values, another goroutine holding the second while it waits for %s deadlocks with this one instead",
				short(b.From), siteText(b.FromChain), sd.Lock, short(b.From))
		}
		var again []report.Step
		for _, s := range sd.Second {
			again = append(again, step(pass, s, s.What))
		}
		related = append(related, report.Chain("again", again...)...)
		for _, p := range more[groupOf(sd.SelfDeadlock)] {
			related = append(related, analysis.RelatedInformation{Pos: p, Message: "[again] and again here, under the same held lock"})
		}
		if sd.RecursiveRW {
			d := nm.diagnostic(analysis.Diagnostic{
				Pos: sd.Pos, Category: CheckRecursive, Related: related,
				Message: fmt.Sprintf("%s is read-locked again while this goroutine already read-holds it (%s%s): when a writer calls Lock in between, Go's RWMutex blocks this RLock behind the writer and the writer behind the first RLock, a deadlock (%s has writers); do not re-acquire, pass the locked state down",
					sd.Lock, firstAt, note, short(sd.Class)),
			})
			if r.Covered(d) {
				r.Report(d) // suppressed here: the suppression is used, nothing is left to the importers
				continue
			}
			if dr, ok := deferRead(pass, ix, res, tr, sd.SelfDeadlock, d); ok {
				deferred.Reports = append(deferred.Reports, dr)
				continue
			}
			r.Report(d)
			continue
		}
		if sd.Loop.IsValid() {
			related = append(related, analysis.RelatedInformation{Pos: sd.Loop, Message: "[again] goes on to the next iteration here, still holding " + sd.Lock})
			r.Report(nm.diagnostic(analysis.Diagnostic{
				Pos: sd.Pos, Category: CheckDouble, Related: related,
				Message: fmt.Sprintf("%s is %s again by the next loop iteration while still %s: the iteration that continues at line %d does not unlock it, and sync mutexes are not reentrant, so this goroutine waits for itself forever; unlock before continuing, or use a function with defer %s.Unlock() for the loop body",
					lockSubject(pass, sd.SelfDeadlock), verb(sd.SecondMode, ""), sd.FirstMode, pass.Fset.Position(sd.Loop).Line, sd.Lock),
			}))
			continue
		}
		r.Report(nm.diagnostic(analysis.Diagnostic{
			Pos: sd.Pos, Category: CheckDouble, Related: related,
			Message: fmt.Sprintf("%s is %s again while already %s (%s%s): sync mutexes are not reentrant, so this goroutine waits for itself forever; unlock before this point, or call a variant that expects the lock held",
				lockSubject(pass, sd.SelfDeadlock), verb(sd.SecondMode, chainVia(sd.Second)), sd.FirstMode, firstAt, note),
		}))
	}
}

func verb(m lockmodel.Mode, via string) string {
	v := "locked"
	if m == lockmodel.Read {
		v = "read-locked"
	}
	if via != "" {
		v += " " + via
	}
	return v
}

func chainVia(chain []lockmodel.Site) string {
	var parts []string
	for _, s := range chain {
		if rest, ok := strings.CutPrefix(s.What, "calls "); ok {
			parts = append(parts, rest)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "via " + joinCalls(parts)
}

func siteText(chain []lockmodel.Site) string {
	if len(chain) == 0 {
		return "earlier"
	}
	s := chain[0]
	return fmt.Sprintf("%s at line %d", s.What, s.Line)
}

func reportLeaks(pass *analysis.Pass, r *report.Reporter, nm *namer, res *lockmodel.Result) {
	for _, l := range res.Leaks {
		held := pass.Fset.Position(l.Held)
		if l.Path.IsValid() {
			r.Report(nm.diagnostic(analysis.Diagnostic{
				Pos: l.Pos, Category: CheckLeak,
				Message: fmt.Sprintf("%s is locked here and still held when %s returns at line %d on the path through line %d, which joins the paths that unlock it: the next %s.Lock() blocks forever; unlock on that path too, or use defer %s.Unlock() right after locking",
					l.Lock, l.Func, held.Line, pass.Fset.Position(l.Path).Line, l.Lock, l.Lock),
				Related: append(nm.entryChain(nm.funcAt(l.Pos)),
					analysis.RelatedInformation{Pos: l.Path, Message: fmt.Sprintf("leaves here still holding %s", l.Lock)},
					analysis.RelatedInformation{Pos: l.Held, Message: fmt.Sprintf("returns still holding %s on that path", l.Lock)},
				),
			}))
			continue
		}
		if l.Body {
			r.Report(nm.diagnostic(analysis.Diagnostic{
				Pos: l.Pos, Category: CheckLeak,
				Message: fmt.Sprintf("%s is locked here in a range-over-func loop body and still held when the body returns from %s at line %d, while the iteration that goes on unlocks it (line %d): the next %s.Lock() blocks forever; unlock before that return",
					l.Lock, l.Func, held.Line, pass.Fset.Position(l.Releasing).Line, l.Lock),
				Related: append(nm.entryChain(nm.funcAt(l.Pos)),
					analysis.RelatedInformation{Pos: l.Held, Message: fmt.Sprintf("returns still holding %s", l.Lock)},
				),
			}))
			continue
		}
		if l.DroppedBy != "" {
			r.Report(nm.diagnostic(analysis.Diagnostic{
				Pos: l.Pos, Category: CheckLeak,
				Message: fmt.Sprintf("%s returns holding %s when its error is nil, and this call drops the error: %s never unlocks %s and still holds it when it returns at line %d, so the next %s.Lock() blocks forever; check the error and unlock on success (defer %s.Unlock() after the check)",
					l.DroppedBy, l.Lock, l.Func, l.Lock, held.Line, l.Lock, l.Lock),
				Related: []analysis.RelatedInformation{
					{Pos: l.Held, Message: fmt.Sprintf("returns still holding %s", l.Lock)},
				},
			}))
			continue
		}
		rel := pass.Fset.Position(l.Releasing)
		if l.Handed.IsValid() {
			r.Report(nm.diagnostic(analysis.Diagnostic{
				Pos: l.Pos, Category: CheckLeak,
				Message: fmt.Sprintf("%s is locked here and still held when %s returns at line %d; on the way to the return at line %d its unlock is handed to a callback or goroutine (line %d), which this return never reaches: the next %s.Lock() blocks forever; unlock before the early return",
					l.Lock, l.Func, held.Line, rel.Line, pass.Fset.Position(l.Handed).Line, l.Lock),
				Related: []analysis.RelatedInformation{
					{Pos: l.Held, Message: fmt.Sprintf("returns still holding %s", l.Lock)},
					{Pos: l.Handed, Message: fmt.Sprintf("hands the unlock of %s on", l.Lock)},
				},
			}))
			continue
		}
		r.Report(nm.diagnostic(analysis.Diagnostic{
			Pos: l.Pos, Category: CheckLeak,
			Message: fmt.Sprintf("%s is locked here and still held when %s returns at line %d, while it is not held at the return at line %d: the next %s.Lock() blocks forever; unlock before that return, or use defer %s.Unlock() right after locking",
				l.Lock, l.Func, held.Line, rel.Line, l.Lock, l.Lock),
			Related: append(nm.entryChain(nm.funcAt(l.Pos)),
				analysis.RelatedInformation{Pos: l.Held, Message: fmt.Sprintf("returns still holding %s", l.Lock)},
				analysis.RelatedInformation{Pos: l.Releasing, Message: fmt.Sprintf("not held at this return: %s", l.Lock)},
			),
		}))
	}
}
