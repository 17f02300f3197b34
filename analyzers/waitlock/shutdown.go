package waitlock

import (
	"fmt"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// shutdownWake is the wake-up a shutdown-needs-lock report shows: the
// waker, the close path it is on, and where that path takes the lock.
type shutdownWake struct {
	waker waitmodel.Waker
	entry report.FuncRef // Close, Stop, …: the function other code calls
	lock  waitmodel.LockStep
}

// shutdownNeedsLock: only the close path can end the wait — every wake-up
// of the resource is reached only from functions named like Close, Stop or
// Shutdown (or goroutines they start) — and every one of them may take
// the held lock before it wakes the waiter. Nothing else the package shows
// ends the wait (the waiter does not wake itself; a context has no
// deadline and no parent anyone else can cancel), and the waiter is not
// itself on the close path.
func shutdownNeedsLock(w LockedWait) *shutdownWake {
	if w.WokenByWaiter || w.EndedOutside || len(w.Wakers) == 0 || waitmodel.IsCloseName(w.Func.Name) {
		return nil
	}
	var first *shutdownWake
	for _, wk := range w.Wakers {
		entry := closePath(wk)
		if entry.IsZero() {
			return nil
		}
		l := neededOnPath(w, wk)
		if l == nil {
			return nil
		}
		if first == nil {
			first = &shutdownWake{waker: wk, entry: entry, lock: *l}
		}
	}
	return first
}

// closePath returns the close-path function the wake-up is reached from,
// or the zero FuncRef when some way to it is not a close path.
func closePath(wk waitmodel.Waker) report.FuncRef {
	if len(wk.Entries) == 0 {
		return report.FuncRef{}
	}
	for _, e := range wk.Entries {
		if !waitmodel.IsCloseName(e.Name) {
			return report.FuncRef{}
		}
	}
	for _, g := range wk.Started {
		if !waitmodel.IsCloseName(g.By.Name) && !slices.Contains(wk.Entries, g.Func) {
			return report.FuncRef{}
		}
	}
	return wk.Entries[0]
}

// neededOnPath returns where the waker, or a caller on its way down from
// the close path, takes the held lock (in a mode that excludes the
// waiter's) before the wake-up; nil when it does not.
func neededOnPath(w LockedWait, wk waitmodel.Waker) *waitmodel.LockStep {
	if l := needed(w, wk); l != nil {
		return l
	}
	for i, l := range wk.CallerMayLock {
		if l.Class == w.Class && (l.Mode == lockmodel.Write || w.Mode == lockmodel.Write) {
			return &wk.CallerMayLock[i]
		}
	}
	return nil
}

func shutdownDiagnostic(pass *analysis.Pass, w LockedWait, sd *shutdownWake) analysis.Diagnostic {
	entry := sd.entry.Short()
	where := ""
	if !sd.lock.Callee.IsZero() {
		where = fmt.Sprintf(" (in %s, line %d)", sd.lock.Callee.Short(), pass.Fset.Position(sd.lock.Pos).Line)
	}
	others := ""
	if len(w.Wakers) > 1 {
		others = fmt.Sprintf("; its other %d wake-ups are on the close path too", len(w.Wakers)-1)
	}
	msg := fmt.Sprintf("%s holds %s while it waits for %s, which only the close path ends: %s does %s, but may first take %s%s%s. Once %s waits, %s blocks on %s and neither returns; in %s, cancel or close before taking %s, or release %s before waiting",
		w.Func.Short(), w.Lock, w.WaitOn, entry, sd.waker.What, w.Lock, where, others, w.Func.Short(), entry, w.Lock, entry, w.Lock, w.Lock)

	lock := lockmodel.ShortClass(w.Class)
	related := report.Chain(report.Label(w.Func), waiterSteps(pass, w.Held, w.Wait, lock)...)
	other := []report.Step{{Pos: sd.lock.Pos, Message: sd.lock.What}}
	for _, s := range sd.lock.Chain {
		what := s.What // labelled with the short name of a function other than the close path's
		if s.Func.Short() != entry {
			what = s.Func.Short() + ": " + what
		}
		other = append(other, report.Step{Pos: lockmodel.PosOf(pass.Fset, s), Message: what})
	}
	other = append(other, report.Step{Pos: sd.waker.Pos, Message: report.InFunc(sd.waker.Func, sd.entry, sd.waker.What+" (ends the wait)")})
	related = append(related, report.Chain("close path "+report.Label(sd.entry), other...)...)
	return analysis.Diagnostic{Pos: w.Pos, Category: CheckShutdown, Message: msg, Related: related}
}
