// Package waitlock reports waits made while holding a lock whose partner —
// the goroutine that would end the wait — may need that lock first: the
// shape of sarama's v1.25.0 consumer-group hang (PR 1581), where Consume
// holds the group lock while the session's release waits for the
// heartbeat goroutine to exit, and that goroutine, on a broker error,
// first calls an error handler that takes the group lock.
//
// It reads the wait model (internal/waitmodel), which answers which waits
// are made under a lock and what each of their wakers may lock first; the
// rule for when that is a report lives here.
package waitlock

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/kafkalint/kafkalint/analyzers/ctxcancel"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// Analyzer is the waitlock analyzer.
var Analyzer = &analysis.Analyzer{
	Name:     "waitlock",
	Doc:      doc,
	URL:      "https://github.com/kafkalint/kafkalint/blob/main/docs/waitlock.md",
	Run:      run,
	Requires: []*analysis.Analyzer{waitmodel.Analyzer, ctxcancel.Analyzer},
}

// Diagnostic categories (check names).
const (
	CheckPartner  = "partner-needs-lock"
	CheckShutdown = "shutdown-needs-lock"
	CheckStarve   = "heartbeat-starvation"
)

func init() {
	report.Register(Analyzer, checks...)
}

func run(pass *analysis.Pass) (any, error) {
	waits := pass.ResultOf[waitmodel.Analyzer].(*waitmodel.Result)
	r := report.New(pass)
	// The every-path version is ctxcancel's wait-holding-lock: not twice
	// (its result, computed once there).
	reported := map[string]bool{}
	var locked []LockedWait
	for _, c := range pass.ResultOf[ctxcancel.Analyzer].(*ctxcancel.Result).WaitCycles {
		reported[key(c.Pos, c.Class)] = true
	}
	if waits.Graph != nil {
		locked = lockedWaits(waits.Model, waits.Graph)
	}
	hangs := map[string]bool{}
	for _, w := range locked {
		if reported[key(w.Pos, w.Class)] {
			continue
		}
		if partnerNeedsLock(w) {
			r.Report(partnerDiagnostic(pass, w))
			hangs[key(w.Pos, w.Class)] = true
		} else if sd := shutdownNeedsLock(w); sd != nil {
			r.Report(shutdownDiagnostic(pass, w, sd))
			hangs[key(w.Pos, w.Class)] = true
		}
	}
	// A blocking operation already reported as a wait that never ends is
	// not reported again as a slow one.
	for _, b := range waits.LockedBlocks {
		if reported[key(b.Pos, b.Class)] || hangs[key(b.Pos, b.Class)] {
			continue
		}
		if p := starvedBy(b, waits.PeriodicLocks); p != nil {
			r.Report(starveDiagnostic(pass, b, *p))
		}
	}
	r.Finish()
	return nil, nil
}

func key(pos any, class string) string { return fmt.Sprint(pos) + "|" + class }

// partnerNeedsLock: every wake-up of the wait runs only on goroutines the
// package starts (not on the waiter's), and each may take the held lock
// before it wakes the waiter; the waiter does not wake itself.
func partnerNeedsLock(w LockedWait) bool {
	if w.WokenByWaiter || len(w.Wakers) == 0 {
		return false
	}
	for _, wk := range w.Wakers {
		if len(wk.Goroutines) == 0 || needed(w, wk) == nil {
			return false
		}
	}
	return true
}

// needed returns the waker's step that takes the held lock (in a mode that
// excludes the waiter's), or nil.
func needed(w LockedWait, wk waitmodel.Waker) *waitmodel.LockStep {
	for i, l := range wk.MayLock {
		if l.Class == w.Class && (l.Mode == lockmodel.Write || w.Mode == lockmodel.Write) {
			return &wk.MayLock[i]
		}
	}
	return nil
}

func partnerDiagnostic(pass *analysis.Pass, w LockedWait) analysis.Diagnostic {
	lock := lockmodel.ShortClass(w.Class)
	wk := w.Wakers[0]
	l := needed(w, wk)
	g := wk.Goroutines[0]
	via := ""
	if !strings.HasPrefix(l.What, "locks ") {
		via = " (" + strings.TrimPrefix(l.What, "calls ") + ", line " + fmt.Sprint(pass.Fset.Position(l.Pos).Line) + ")"
	}
	others := ""
	if len(w.Wakers) > 1 {
		others = fmt.Sprintf(" (and the other %d wake-ups may too)", len(w.Wakers)-1)
	}
	msg := fmt.Sprintf("%s holds %s while it waits for %s, but the goroutine that ends that wait, %s (started by %s), may first take %s%s before it %s%s: on that path both wait forever. Release %s before waiting, or make %s not take it (send the error on a channel, use a separate lock)",
		w.Func.Short(), w.Lock, w.WaitOn, g.Func.Short(), g.By.Short(), lock, via, wk.What, others, lock, g.Func.Short())

	related := report.Chain(report.Label(w.Func), waiterSteps(pass, w.Held, w.Wait, lock)...)
	other := []report.Step{{Pos: g.Pos, Message: "starts " + g.Func.Short()}}
	other = append(other, report.Step{Pos: l.Pos, Message: l.What})
	for _, s := range l.Chain {
		other = append(other, report.Step{Pos: lockmodel.PosOf(pass.Fset, s), Message: s.What})
	}
	other = append(other, report.Step{Pos: wk.Pos, Message: wk.What + " (ends the wait)"})
	related = append(related, report.Chain("goroutine "+report.Label(g.Func), other...)...)
	return analysis.Diagnostic{Pos: w.Pos, Category: CheckPartner, Message: msg, Related: related}
}

// waiterSteps are the chain of the function holding the lock: where it
// takes the lock, then the path down to the wait (or blocking operation).
func waiterSteps(pass *analysis.Pass, held []lockmodel.Site, path []waitmodel.PathStep, lock string) []report.Step {
	var steps []report.Step
	for i, s := range held {
		what := s.What
		if i == len(held)-1 {
			what += " (holds " + lock + ")"
		}
		steps = append(steps, report.Step{Pos: lockmodel.PosOf(pass.Fset, s), Message: what})
	}
	for i, s := range path {
		what := s.What
		if i == len(path)-1 {
			what += " while holding " + lock
		}
		steps = append(steps, report.Step{Pos: s.Pos, Message: what})
	}
	return steps
}
