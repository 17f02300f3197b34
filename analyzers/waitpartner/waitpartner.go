// Package waitpartner reports waits that nothing can ever end: a receive
// nothing sends to or closes, a send nobody receives, a Cond.Wait nothing
// signals, and a goroutine path that skips the WaitGroup.Done a Wait
// counts on — each only where the resource's whole world is known.
//
// It asks the wait model (internal/waitmodel) for each resource's known
// world and who can deliver to a wait; this package decides which waits
// can never end (nopartner.go, leaves.go) and says so in plain words.
package waitpartner

import (
	"fmt"
	"go/token"
	"path/filepath"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// Analyzer is the waitpartner analyzer.
var Analyzer = &analysis.Analyzer{
	Name:     "waitpartner",
	Doc:      doc,
	URL:      "https://github.com/kafkalint/kafkalint/blob/main/docs/waitpartner.md",
	Run:      run,
	Requires: []*analysis.Analyzer{waitmodel.Analyzer},
}

// Diagnostic categories (check names).
const (
	CheckNoPartner   = "no-partner"
	CheckDoneSkipped = "done-skipped"
	CheckLeaves      = "partner-leaves"
)

func init() {
	report.Register(Analyzer, checks...)
}

func run(pass *analysis.Pass) (any, error) {
	waits := pass.ResultOf[waitmodel.Analyzer].(*waitmodel.Result)
	r := report.New(pass)
	if wm := waits.Model; wm != nil {
		for _, p := range partnerless(wm) {
			r.Report(partnerlessDiagnostic(pass, p))
		}
		for _, a := range abandonedSends(wm) {
			r.Report(abandonedDiagnostic(pass, a))
		}
		for _, w := range readyWaits(wm) {
			r.Report(readyDiagnostic(pass, w))
		}
	}
	r.Finish()
	return nil, nil
}

// readyWaits: waits, in functions without a context (ctx-blind-wait covers
// those with one), for a goroutine that can return without delivering: a
// receive from a "ready" channel that the goroutine closes only on
// success. A goroutine that delivers in a loop is a count or an event
// loop, not a ready signal, unless the wait is a range loop.
func readyWaits(wm *waitmodel.Model) []waitmodel.BlindWait {
	return slices.DeleteFunc(wm.Undelivered(func(fn *ssa.Function) bool { return !waitmodel.HasContextParam(fn) }),
		func(bw waitmodel.BlindWait) bool { return bw.FeedsInLoop && !bw.Range })
}

func partnerlessDiagnostic(pass *analysis.Pass, p Partnerless) analysis.Diagnostic {
	where := "made at " + lineOf(pass, p.Made, p.Pos)
	world := "it never leaves " + p.Owner.Short() + ", its closures and the functions it is passed to"
	if p.Field != "" {
		world = "it is kept in the unexported field " + p.Field + ", whose every store is a fresh make and every use is in this package"
	}
	var msg, made string
	switch p.Op {
	case NoSender:
		msg = fmt.Sprintf("no partner: this receive from %s blocks forever: nothing ever sends on or closes %s (%s; %s); send the value or close %s where the work ends, or delete the wait",
			p.What, p.What, where, world, p.What)
		made = "makes " + p.What
	case NoReceiver:
		closed := ""
		if p.Close.IsValid() {
			closed = fmt.Sprintf(" (the close at line %d does not complete it: a send on a closed channel crashes the program)", pass.Fset.Position(p.Close).Line)
		}
		msg = fmt.Sprintf("no partner: this send on unbuffered %s blocks forever: nothing ever receives from %s%s (%s; %s); receive from it, make it buffered with room for every send, or drop the send",
			p.What, p.What, closed, where, world)
		made = "makes " + p.What + " (unbuffered)"
	case NoSignal:
		if p.Field != "" {
			world = "it is kept in the unexported field " + p.Field + ", whose every store is sync.NewCond and every use is in this package"
		}
		msg = fmt.Sprintf("no partner: this %s.Wait() blocks forever: nothing ever calls %s.Signal() or %s.Broadcast() (%s; %s); signal it where the condition changes",
			p.What, p.What, p.What, where, world)
		made = "makes " + p.What
	case DoneSkipped:
		msg = fmt.Sprintf("Done skipped: goroutine %s returns here without calling %s.Done() (it does at line %d on other paths): %s.Wait() at line %d then waits forever; defer %s.Done() at the top of the goroutine",
			p.Func.Short(), p.What, pass.Fset.Position(p.Done).Line, p.What, pass.Fset.Position(p.Wait).Line, p.What)
		related := append(
			report.Chain("goroutine "+report.Label(p.Func),
				report.Step{Pos: p.Go, Message: "started here"},
				report.Step{Pos: p.Done, Message: "calls " + p.What + ".Done() on this path"},
				report.Step{Pos: p.Pos, Message: "returns without " + p.What + ".Done()"}),
			report.Chain("waiter", report.Step{Pos: p.Wait, Message: "waits for every Done"})...)
		return analysis.Diagnostic{Pos: p.Pos, Category: CheckDoneSkipped, Message: msg, Related: related}
	}
	related := append(report.Chain(report.Label(p.Owner), report.Step{Pos: p.Made, Message: made}),
		report.Chain(report.Label(p.Func), report.Step{Pos: p.Pos, Message: "blocks here forever"})...)
	if p.Close.IsValid() {
		related = append(related, report.Chain("close", report.Step{Pos: p.Close, Message: "closes " + p.What + ": a send after it crashes the program"})...)
	}
	return analysis.Diagnostic{Pos: p.Pos, Category: CheckNoPartner, Message: msg, Related: related}
}

func abandonedDiagnostic(pass *analysis.Pass, a Abandoned) analysis.Diagnostic {
	line := func(p token.Pos) int { return pass.Fset.Position(p).Line }
	var msg string
	var leaves []report.Step
	switch a.Kind {
	case FirstError:
		if a.Once {
			msg = fmt.Sprintf("partner leaves first: this send on unbuffered %s blocks forever: %s receives from %s once (line %d) while more sends are due (the goroutine is %s), and nobody receives the others; make %s buffered with room for every send, or receive every send",
				a.Chan, a.Func.Short(), a.Chan, line(a.Recv), a.Many, a.Chan)
			leaves = []report.Step{
				{Pos: a.Make, Message: "makes " + a.Chan + " (unbuffered)"},
				{Pos: a.Go, Message: "starts the goroutine (" + a.Many + ")"},
				{Pos: a.Recv, Message: "receives once"},
			}
			break
		}
		msg = fmt.Sprintf("partner leaves first: this send on unbuffered %s blocks forever once %s returns at line %d on a received value (the receive at line %d) while more sends are due (the goroutine is %s): nobody receives from %s after that; make %s buffered with room for every send, or keep receiving until every send is taken",
			a.Chan, a.Func.Short(), line(a.Exit), line(a.Recv), a.Many, a.Chan, a.Chan)
		leaves = []report.Step{
			{Pos: a.Make, Message: "makes " + a.Chan + " (unbuffered)"},
			{Pos: a.Go, Message: "starts the goroutine (" + a.Many + ")"},
			{Pos: a.Recv, Message: "receives, and decides on the value"},
			{Pos: a.Exit, Message: "returns; " + a.Chan + " is not received from again"},
		}
	case Dropped:
		msg = fmt.Sprintf("partner leaves first: this send on unbuffered %s blocks forever when %s drops the channel %s returns (line %d): nothing else can receive from it; use the returned channel, or make it buffered with room for every send",
			a.Chan, a.Func.Short(), a.Maker.Short(), line(a.Exit))
		leaves = []report.Step{
			{Pos: a.Make, Message: "makes " + a.Chan + " (unbuffered) in " + a.Maker.Short()},
			{Pos: a.Go, Message: "starts the goroutine"},
			{Pos: a.Exit, Message: "drops the returned channel"},
		}
	}
	related := append(report.Chain(report.Label(a.Func), leaves...),
		report.Chain("goroutine "+report.Label(a.Goroutine), report.Step{Pos: a.Pos, Message: "blocks here forever"})...)
	return analysis.Diagnostic{Pos: a.Pos, Category: CheckLeaves, Message: msg, Related: related}
}

func readyDiagnostic(pass *analysis.Pass, w waitmodel.BlindWait) analysis.Diagnostic {
	what, feed := "this receive from "+w.Chan, "sending on or closing "+w.Chan
	if w.Select {
		what = "this select on " + w.Chan
	}
	if w.Range {
		what, feed = "this receive loop over "+w.Chan, "closing "+w.Chan
	}
	failed, steps := "", []report.Step{{Pos: w.Go, Message: "started here"}}
	if w.Failed.IsValid() {
		// Still a hang, but one that only follows a failed test: say so,
		// so that it can be weighed (and suppressed) as such.
		failed = fmt.Sprintf(", after failing the test (line %d),", pass.Fset.Position(w.Failed).Line)
		steps = append(steps, report.Step{Pos: w.Failed, Message: "fails the test"})
	}
	msg := fmt.Sprintf("partner leaves first: %s blocks forever when the goroutine started at line %d (%s) returns at line %d%s without %s; close %s on every path (defer close(%s)), or send the failure on it too",
		what, pass.Fset.Position(w.Go).Line, w.Goroutine.Short(), pass.Fset.Position(w.Return).Line, failed, feed, w.Chan, w.Chan)
	related := append(
		report.Chain("goroutine "+report.Label(w.Goroutine),
			append(steps, report.Step{Pos: w.Return, Message: "returns without " + feed})...),
		report.Chain(report.Label(w.Func), report.Step{Pos: w.Pos, Message: "waits here forever"})...)
	return analysis.Diagnostic{Pos: w.Pos, Category: CheckLeaves, Message: msg, Related: related}
}

// lineOf says where pos is, for a message about the report at at: "line
// N", or "file.go:N" in another file.
func lineOf(pass *analysis.Pass, pos, at token.Pos) string {
	p, a := pass.Fset.Position(pos), pass.Fset.Position(at)
	if p.Filename != a.Filename {
		return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
	}
	return fmt.Sprintf("line %d", p.Line)
}
