package waitlock

import (
	"go/token"
	"slices"
	"sort"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// LockedWait is a wait made while a lock is held, with every wake-up the
// package has for what it waits on, and the locks each waker may take on
// its way to the wake-up (on some path, not every path: an error path that
// calls a handler taking the lock is enough to hang).
type LockedWait struct {
	Pos    token.Pos      // the wait, or the call that reaches it, in Func
	Func   report.FuncRef // the function holding the lock
	Lock   string         // the lock as written
	Class  string
	Mode   lockmodel.Mode
	Held   []lockmodel.Site     // how Func comes to hold the lock
	Wait   []waitmodel.PathStep // from Pos down to the wait
	WaitOn string               // what it waits for, as written
	Kind   string               // "channel", "send", "wait group", "cond", "context"
	// WokenByWaiter: the goroutine holding the lock performs one of the
	// wake-ups itself (before or beside its wait).
	WokenByWaiter bool
	// EndedOutside: something the package does not show may also end the
	// wait: for a context, a parent context that is not Background/TODO
	// (its owner can cancel it) or a deadline.
	EndedOutside bool
	Wakers       []waitmodel.Waker
}

// lockedWaits lists the package's waits under a lock whose resource has
// wake-ups, where some waker (or a caller on its way) may take that lock
// first: the waits partner-needs-lock and shutdown-needs-lock judge.
func lockedWaits(wm *waitmodel.Model, g *waitmodel.Graph) []LockedWait {
	var out []LockedWait
	best := map[string]int{} // class|resource → index in out: the shortest way to the wait
	for _, fn := range wm.Funcs() {
		for _, wp := range g.WaitsFrom(fn) {
			if wp.Cases != nil {
				continue // a select: stuck only while every case is
			}
			wakes := g.Wakes(wp.Node)
			if len(wakes) == 0 {
				continue
			}
			for _, h := range wp.Held {
				k := h.Class + "|" + wp.Node
				if i, ok := best[k]; h.Class == "" || ok && len(out[i].Wait) <= len(wp.Chain) {
					continue
				}
				var wakers []waitmodel.Waker
				needs := false
				for _, wk := range wakes {
					w := g.Waker(wk)
					for _, l := range slices.Concat(w.MayLock, w.CallerMayLock) {
						if l.Class == h.Class && (l.Mode == lockmodel.Write || h.Mode == lockmodel.Write) {
							needs = true
						}
					}
					wakers = append(wakers, w)
				}
				if !needs {
					continue
				}
				lw := LockedWait{
					Pos: wp.Chain[0].Pos, Func: lockmodel.FuncRefOf(fn), Lock: h.Lock, Class: h.Class, Mode: h.Mode,
					Held: h.Chain, Wait: wp.Chain, WaitOn: wp.Text, Kind: wp.Kind,
					WokenByWaiter: g.WokenByWaiter(wp, []string{wp.Node}),
					EndedOutside:  g.EndedOutside(wp.Node),
					Wakers:        wakers,
				}
				if i, ok := best[k]; ok {
					out[i] = lw
				} else {
					best[k] = len(out)
					out = append(out, lw)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}
