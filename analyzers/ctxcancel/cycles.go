package ctxcancel

import (
	"go/token"
	"maps"
	"slices"
	"sort"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// This file decides wait-holding-lock: a goroutine waits, holding lock L,
// for a resource whose every wake-up needs L first (directly, or through
// other resources whose wake-ups need it): L → wait → L, a cycle like a
// lock-order inversion. The wait graph (waitmodel.Graph) says what each
// wake-up needs; the rule is here.

// WaitCycle is a lock held while waiting for something whose wake-up needs
// that lock.
type WaitCycle struct {
	Pos    token.Pos // the wait (or the call that reaches it) in the function holding the lock
	Lock   string    // the lock as written
	Class  string
	Func   report.FuncRef       // the function holding the lock
	Held   []lockmodel.Site     // how it comes to hold the lock
	Wait   []waitmodel.PathStep // from Pos down to the wait
	WaitOn string               // what it waits for, as written ("s.done", "wg")
	Steps  []WakeStep           // the resources of the cycle, in order, back to the lock
}

// WakeStep is one resource of a wait cycle: what ends a wait for it, and
// what that wake-up needs first.
type WakeStep struct {
	Res   string // as written, e.g. "s.done"
	Kind  string // "channel", "send", "wait group", "cond", "context"
	Wakes int    // how many wake-up sites the package has for it
	Wake  token.Pos
	What  string // e.g. "close(s.done)"
	Func  report.FuncRef
	// Needs is what the wake-up waits for first: a lock ("locks c.mu") or
	// the next resource ("waits for <-s.ctx.Done()"), reached through Via.
	Needs    string
	NeedsPos token.Pos
	Via      []waitmodel.PathStep
}

const maxWaitCycle = 3 // resources in a cycle

// waitCycles returns the package's waits under a lock whose every wake-up
// needs that lock first, in source order (Result.WaitCycles).
func waitCycles(wm *waitmodel.Model, g *waitmodel.Graph) []WaitCycle {
	var out []WaitCycle
	seen := map[string]bool{}
	for _, fn := range wm.Funcs() {
		for _, wp := range g.WaitsFrom(fn) {
			for _, h := range wp.Held {
				if h.Class == "" {
					continue
				}
				path := pathBack(g, wp.Node, h, map[string]bool{}, 0)
				if path == nil || g.WokenByWaiter(wp, path) || g.LockedBeforeStart(wp, path, h.Class) {
					continue
				}
				key := h.Class + "|" + wp.Node
				if seen[key] {
					continue
				}
				seen[key] = true
				out = append(out, cycle(g, lockmodel.FuncRefOf(fn), wp, h, path))
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

// pathBack finds resources node → … whose wake-ups need lock h, returning
// the nodes visited in order.
func pathBack(g *waitmodel.Graph, node string, h lockmodel.HeldLock, visiting map[string]bool, depth int) []string {
	if depth >= maxWaitCycle || visiting[node] {
		return nil
	}
	p := g.Prereqs(node)
	if w, ok := p[h.Class]; ok && (w.Mode == lockmodel.Write || h.Mode == lockmodel.Write) {
		return []string{node}
	}
	visiting[node] = true
	defer delete(visiting, node)
	for _, next := range slices.Sorted(maps.Keys(p)) {
		if !g.IsResource(next) {
			continue
		}
		if rest := pathBack(g, next, h, visiting, depth+1); rest != nil {
			return append([]string{node}, rest...)
		}
	}
	return nil
}

func cycle(g *waitmodel.Graph, fn report.FuncRef, wp waitmodel.WaitPath, h lockmodel.HeldLock, path []string) WaitCycle {
	wc := WaitCycle{
		Pos: wp.Chain[0].Pos, Lock: h.Lock, Class: h.Class, Func: fn,
		Held: h.Chain, Wait: wp.Chain, WaitOn: wp.Text,
	}
	for i, node := range path {
		next := h.Class
		if i+1 < len(path) {
			next = path[i+1]
		}
		text, kind := g.Node(node)
		ws := WakeStep{Res: text, Kind: kind}
		wakes := g.Wakes(node)
		// A select: show the wake-up of its first case.
		for _, c := range g.SelectCases(node) {
			if cw := g.Wakes(c); len(cw) > 0 {
				wakes = cw
				break
			}
		}
		ws.Wakes = len(wakes)
		if len(wakes) > 0 {
			wk := wakes[0]
			ws.Wake, ws.What, ws.Func = wk.Instr.Pos(), wk.What, lockmodel.FuncRefOf(wk.Instr.Parent())
			if w, ok := g.WakePrereqs(wk.Instr)[next]; ok {
				ws.Needs, ws.NeedsPos, ws.Via = w.What, w.Pos, w.Via
			}
		}
		wc.Steps = append(wc.Steps, ws)
	}
	return wc
}
