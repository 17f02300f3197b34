// Package condwait reports lock and sync.Cond misuse that hangs shutdown:
// a lock handed to a goroutine that exits holding it and then locked by the
// goroutine's starter before it has received the exit signal; Cond.Wait
// without its lock held; Cond.Wait outside a loop; and Cond.Wait loops
// that a close or cancel path cannot end.
//
// It decides here (handoff.go, cond.go) what is a bug, asking the wait
// model (internal/waitmodel, built once per package) what is held where,
// what a goroutine holds when it exits and what locks a Cond.
package condwait

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// Analyzer is the condwait analyzer.
var Analyzer = &analysis.Analyzer{
	Name:     "condwait",
	Doc:      doc,
	URL:      "https://github.com/kafkalint/kafkalint/blob/main/docs/condwait.md",
	Run:      run,
	Requires: []*analysis.Analyzer{waitmodel.Analyzer},
}

// Diagnostic categories (check names).
const (
	CheckHandoff  = "lock-handoff"
	CheckUnlocked = "cond-wait-unlocked"
	CheckNoLoop   = "cond-wait-no-loop"
	CheckShutdown = "cond-wait-shutdown"
)

func init() {
	report.Register(Analyzer, checks...)
}

func run(pass *analysis.Pass) (any, error) {
	waits := pass.ResultOf[waitmodel.Analyzer].(*waitmodel.Result)
	r := report.New(pass)
	if waits.Model != nil {
		for _, h := range handoffs(waits.Model) {
			r.Report(handoffDiagnostic(pass, h))
		}
		for _, w := range condWaits(pass, waits.Model, waits.Graph) {
			r.Report(condWaitDiagnostic(pass, w))
		}
	}
	r.Finish()
	return nil, nil
}

func handoffDiagnostic(pass *analysis.Pass, h Handoff) analysis.Diagnostic {
	signal := "closes " + h.Chan
	if h.SignalOp == "send" {
		signal = "sends on " + h.Chan
	}
	exits := "exits holding it"
	if !h.Always {
		exits = "can exit holding it"
	}
	via := ""
	if h.Pos != h.Acquire {
		via = " (through " + calls(h.Path) + ")"
	}
	sel := ""
	for _, s := range h.Path {
		if s.What == "takes this select case" {
			sel = " (a select takes any ready case, even when " + h.Chan + " is ready too)"
			break
		}
	}
	msg := fmt.Sprintf("%s is acquired here%s, but the goroutine started at line %d (%s) %s and then %s; this path has not received from %s%s, so when the goroutine has already exited this Lock waits forever. Receive from %s before locking, take the lock in a new goroutine, or first start a goroutine that receives from %s and unlocks %s",
		h.Lock, via, pass.Fset.Position(h.Go).Line, h.Goroutine.Short(), exits, signal, h.Chan, sel, h.Chan, h.Chan, h.Lock)

	var g []report.Step
	for i, s := range h.Taken {
		what := s.What
		if i == len(h.Taken)-1 {
			what += " (takes " + h.Lock + ")"
		}
		g = append(g, report.Step{Pos: lockmodel.PosOf(pass.Fset, s), Message: report.InFunc(s.Func, h.Goroutine, what)})
	}
	sigWhat := signal
	if h.Deferred {
		sigWhat += " (deferred: runs as it returns)"
	}
	g = append(g,
		report.Step{Pos: h.Signal, Message: sigWhat},
		report.Step{Pos: h.Exit, Message: "returns still holding " + h.Lock},
	)
	// The path descends through calls: each step is labelled with the
	// function it is in, the Lock with the one the path ends in.
	var path []report.Step
	for _, s := range h.Path {
		path = append(path, report.Step{Pos: s.Pos, Message: s.What, Calls: s.Callee})
	}
	path, in := report.Descend(h.Spawner, path)
	sp := append([]report.Step{{Pos: h.Go, Message: "starts the goroutine"}}, path...)
	sp = append(sp, report.Step{Pos: h.Acquire, Message: report.InFunc(in, h.Spawner, "locks "+h.Lock+" without having received from "+h.Chan)})
	related := append(report.Chain("goroutine "+report.Label(h.Goroutine), g...), report.Chain(report.Label(h.Spawner), sp...)...)
	return analysis.Diagnostic{Pos: h.Pos, Category: CheckHandoff, Message: msg, Related: related}
}

func condWaitDiagnostic(pass *analysis.Pass, w CondWait) analysis.Diagnostic {
	switch {
	case w.Unlocked:
		why := ""
		switch w.UnlockedWhy {
		case "goroutine":
			why = "this goroutine never locks it"
		case "released":
			why = "this function released it before"
		default:
			why = fmt.Sprintf("it is not held on any path here, though this function locks or unlocks it (line %d)", pass.Fset.Position(w.UnlockedAt).Line)
		}
		d := analysis.Diagnostic{Pos: w.Pos, Category: CheckUnlocked,
			Message: fmt.Sprintf("%s.Wait() is called without %s held (%s): Wait unlocks c.L first, and unlocking an unlocked mutex is a fatal runtime error; lock %s before waiting", w.Cond, w.Lock, why, w.Lock)}
		if w.UnlockedAt.IsValid() {
			d.Related = []analysis.RelatedInformation{{Pos: w.UnlockedAt, Message: w.Lock + " is locked or unlocked here"}}
		}
		return d
	case w.NoLoop:
		return analysis.Diagnostic{Pos: w.Pos, Category: CheckNoLoop,
			Message: fmt.Sprintf("%s.Wait() is not in a loop: when it returns, the condition checked before it may be false again (another goroutine ran first, or a Broadcast was for someone else); wait in a loop, for !cond { %s.Wait() }", w.Cond, w.Cond),
			Related: []analysis.RelatedInformation{{Pos: w.Guard, Message: "the condition is checked only once, here"}}}
	case w.Closed != nil:
		c := w.Closed
		path := c.Path.Short()
		d := analysis.Diagnostic{Pos: w.Pos, Category: CheckShutdown,
			Message: fmt.Sprintf("this %s.Wait() can wait forever once %s runs: %s sets %s (line %d) and wakes no waiter, and every Signal or Broadcast of %s is skipped once %s has that value; a goroutine waiting here then never returns; broadcast %s in %s after setting %s, and check %s in the wait loop",
				w.Cond, path, path, c.State, pass.Fset.Position(c.Store).Line, w.Cond, c.State, w.Cond, path, c.State, c.State),
			Related: []analysis.RelatedInformation{{Pos: c.Store, Message: path + " sets " + c.State + " and broadcasts nothing"}}}
		for i, g := range c.Guards {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: g, Message: fmt.Sprintf("skips the wake-up at line %d once %s is set", pass.Fset.Position(c.Wakes[i]).Line, c.State)})
		}
		return d
	default:
		m := w.Shutdown
		return analysis.Diagnostic{Pos: w.Pos, Category: CheckShutdown,
			Message: fmt.Sprintf("this %s.Wait() loop re-checks only %s; %s changes %s and broadcasts %s, but the loop never reads it: after that Broadcast the waiter goes back to Wait and never returns; make the loop condition check %s",
				w.Cond, strings.Join(m.Reads, ", "), m.Path.Short(), strings.Join(m.Writes, ", "), w.Cond, strings.Join(m.Writes, " or ")),
			Related: []analysis.RelatedInformation{
				{Pos: m.Loop, Message: "the loop's condition: " + strings.Join(m.Reads, ", ")},
				{Pos: m.WritePos, Message: m.Path.Short() + " changes " + strings.Join(m.Writes, ", ")},
				{Pos: m.Broadcast, Message: m.Path.Short() + " wakes the waiters"},
			}}
	}
}
