// Package ctxcancel reports code that cancellation cannot end: goroutines
// left blocked forever when their starter leaves a select by ctx.Done() (or
// a timer), waits in context-aware functions that the context cannot
// interrupt while the goroutine they wait for may never deliver, and locks
// held while waiting for something whose producer needs that lock.
//
// The rules live here (leak.go, cycles.go); the wait model
// (internal/waitmodel, built once per package; held locks come from the
// lock model) answers what they ask: a channel's whole world, the waits a
// function makes with the locks it holds, what every wake-up needs first.
package ctxcancel

import (
	"fmt"
	"reflect"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// Analyzer is the ctxcancel analyzer.
var Analyzer = &analysis.Analyzer{
	Name:     "ctxcancel",
	Doc:      doc,
	URL:      "https://github.com/kafkalint/kafkalint/blob/main/docs/ctxcancel.md",
	Run:      run,
	Requires: []*analysis.Analyzer{waitmodel.Analyzer},
	// The waits it found under a lock whose every wake-up needs that
	// lock: waitlock reads them, so as not to report a wait twice.
	ResultType: reflect.TypeOf((*Result)(nil)),
}

// Result is ctxcancel's answer for the analyzers that require it.
type Result struct {
	// WaitCycles are the package's waits under a lock whose every wake-up
	// needs that lock first (wait-holding-lock), reported or suppressed,
	// in source order.
	WaitCycles []WaitCycle
}

// Diagnostic categories (check names).
const (
	CheckLeak      = "cancel-leak"
	CheckBlind     = "ctx-blind-wait"
	CheckWaitUnder = "wait-holding-lock"
)

func init() {
	report.Register(Analyzer, checks...)
}

func run(pass *analysis.Pass) (any, error) {
	waits := pass.ResultOf[waitmodel.Analyzer].(*waitmodel.Result)
	r := report.New(pass)
	if wm := waits.Model; wm != nil {
		for _, l := range chanLeaks(wm) {
			r.Report(leakDiagnostic(pass, l))
		}
		// A wait in a function that takes a context, which the context
		// cannot interrupt: blind.
		for _, w := range wm.Undelivered(waitmodel.HasContextParam) {
			r.Report(blindDiagnostic(pass, w))
		}
	}
	res := &Result{}
	if waits.Graph != nil {
		res.WaitCycles = waitCycles(waits.Model, waits.Graph)
		for _, c := range res.WaitCycles {
			r.Report(cycleDiagnostic(pass, c))
		}
	}
	r.Finish()
	return res, nil
}

func leakDiagnostic(pass *analysis.Pass, l ChanLeak) analysis.Diagnostic {
	esc := pass.Fset.Position(l.Escape).Line
	var msg string
	// The goroutine can watch what its starter left by only when that is
	// a context: a timer or another channel of the starter's is not its.
	orSelect := ""
	if isDoneCase(l.EscapeBy) {
		orSelect = " in a select with " + l.EscapeBy
	}
	leaves := fmt.Sprintf("%s leaves its select through %s (line %d)", l.Spawner.Short(), l.EscapeBy, esc)
	if l.Failed.IsValid() {
		// Still a leak, but one that only follows a failed test (the
		// leaving case fails it): say so, so that it can be weighed (and
		// suppressed) as such.
		leaves += fmt.Sprintf(" and fails the test (line %d)", pass.Fset.Position(l.Failed).Line)
	}
	if l.Send {
		kind := "unbuffered "
		fix := fmt.Sprintf("make %s buffered (make(chan T, 1)) so that the send always completes", l.Chan)
		if l.Buffered {
			kind = "full "
			fix = fmt.Sprintf("give %s room for every send", l.Chan)
		}
		if orSelect != "" {
			fix += ", or send" + orSelect
		}
		msg = fmt.Sprintf("goroutine leak: this send on %s%s blocks forever once %s without receiving: nobody receives from %s after that; %s",
			kind, l.Chan, leaves, l.Chan, fix)
	} else {
		fix := fmt.Sprintf("close %s when leaving (defer close(%s))", l.Chan, l.Chan)
		if orSelect != "" {
			fix += ", or receive" + orSelect
		}
		msg = fmt.Sprintf("goroutine leak: this receive from %s blocks forever once %s without sending: nothing sends on or closes %s after that; %s",
			l.Chan, leaves, l.Chan, fix)
	}
	steps := []report.Step{
		{Pos: l.Make, Message: "makes " + l.Chan},
		{Pos: l.Go, Message: "starts the goroutine"},
		{Pos: l.Escape, Message: "leaves the select through " + l.EscapeBy},
	}
	if l.Failed.IsValid() {
		steps = append(steps, report.Step{Pos: l.Failed, Message: "fails the test"})
	}
	steps = append(steps, report.Step{Pos: l.Exit, Message: "returns; " + l.Chan + " is not used again"})
	related := append(
		report.Chain(report.Label(l.Spawner), steps...),
		report.Chain("goroutine "+report.Label(l.Goroutine),
			report.Step{Pos: l.Pos, Message: "blocks here forever"})...)
	return analysis.Diagnostic{Pos: l.Pos, Category: CheckLeak, Message: msg, Related: related}
}

func blindDiagnostic(pass *analysis.Pass, w waitmodel.BlindWait) analysis.Diagnostic {
	what := "this receive from " + w.Chan
	if w.Select {
		what = "this select on " + w.Chan
	}
	feed := "sending on or closing " + w.Chan
	if w.Range {
		what = "this receive loop over " + w.Chan
		feed = "closing " + w.Chan
	}
	msg := fmt.Sprintf("%s cannot be interrupted by the context, and the goroutine started at line %d (%s) can return at line %d without %s: %s then blocks forever; also select on <-ctx.Done() here, or make the goroutine close %s on every path (defer close(%s))",
		what, pass.Fset.Position(w.Go).Line, w.Goroutine.Short(), pass.Fset.Position(w.Return).Line, feed, w.Func.Short(), w.Chan, w.Chan)
	related := append(
		report.Chain("goroutine "+report.Label(w.Goroutine),
			report.Step{Pos: w.Go, Message: "started here"},
			report.Step{Pos: w.Return, Message: "returns without " + feed}),
		report.Chain(report.Label(w.Func), report.Step{Pos: w.Pos, Message: "waits here, not on ctx.Done()"})...)
	return analysis.Diagnostic{Pos: w.Pos, Category: CheckBlind, Message: msg, Related: related}
}

func cycleDiagnostic(pass *analysis.Pass, c WaitCycle) analysis.Diagnostic {
	var parts []string
	for _, st := range c.Steps {
		wakes := "every wake-up of " + st.Res
		switch st.Kind {
		case "channel":
			wakes = "every send on or close of " + st.Res
		case "send":
			wakes = "every receive from " + st.Res
		case "wait group":
			wakes = "every " + st.Res + ".Done()"
		case "cond":
			wakes = "every " + st.Res + ".Signal() or Broadcast()"
		case "context":
			wakes = "every cancel of " + strings.TrimSuffix(strings.TrimPrefix(st.Res, "<-"), ".Done()")
		}
		where := ""
		if st.Wake.IsValid() {
			where = fmt.Sprintf(" (%s in %s, line %d)", st.What, st.Func.Short(), pass.Fset.Position(st.Wake).Line)
		}
		parts = append(parts, fmt.Sprintf("%s%s first %s", wakes, where, st.Needs))
	}
	msg := fmt.Sprintf("%s is held while %s waits for %s, but %s: neither side can proceed (a lock held while waiting for what needs that lock); release %s before waiting, or wake the waiter without taking %s",
		c.Lock, c.Func.Short(), c.WaitOn, strings.Join(parts, ", and "), c.Lock, c.Lock)

	var w []report.Step
	for i, s := range c.Held {
		what := s.What
		if i == len(c.Held)-1 {
			what += " (holds " + c.Lock + ")"
		}
		w = append(w, report.Step{Pos: lockmodel.PosOf(pass.Fset, s), Message: report.InFunc(s.Func, c.Func, what)})
	}
	var wait []report.Step
	for i, s := range c.Wait {
		what := s.What
		if i == len(c.Wait)-1 {
			what += " while holding " + c.Lock
		}
		wait = append(wait, report.Step{Pos: s.Pos, Message: what, Calls: s.Callee})
	}
	wait, _ = report.Descend(c.Func, wait) // from the report's position down to the wait
	w = append(w, wait...)
	related := report.Chain(report.Label(c.Func), w...)
	for i, st := range c.Steps {
		var steps []report.Step
		if st.NeedsPos.IsValid() {
			steps = append(steps, report.Step{Pos: st.NeedsPos, Message: st.Needs})
		}
		// Via descends from the waker's function to the wake-up.
		var via []report.Step
		for _, v := range st.Via {
			via = append(via, report.Step{Pos: v.Pos, Message: v.What, Calls: v.Callee})
		}
		via, in := report.Descend(st.Func, via)
		steps = append(steps, via...)
		if st.Wake.IsValid() {
			steps = append(steps, report.Step{Pos: st.Wake, Message: report.InFunc(in, st.Func, st.What)})
		}
		if len(steps) > 0 {
			related = append(related, report.Chain(fmt.Sprintf("wake-up %d: %s", i+1, report.Label(st.Func)), steps...)...)
		}
	}
	return analysis.Diagnostic{Pos: c.Pos, Category: CheckWaitUnder, Message: msg, Related: related}
}

// isDoneCase reports whether a select case, as lockmodel.ChanLeak.EscapeBy
// writes it, is a context's Done channel (<-ctx.Done()).
func isDoneCase(escapeBy string) bool {
	return strings.HasPrefix(escapeBy, "<-") && strings.HasSuffix(escapeBy, ".Done()")
}
