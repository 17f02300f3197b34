// Package waitpartner reports waits that nothing can ever end: a receive
// nothing sends to or closes, a send nobody receives, a Cond.Wait nothing
// signals, and a goroutine path that skips the WaitGroup.Done a Wait
// counts on — each only where the resource's whole world is known.
//
// It reads the wait model (internal/waitmodel), which answers "can
// anything end this wait?"; this package decides what to report and says
// it in plain words.
package waitpartner

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

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
)

func init() {
	report.Register(Analyzer, checks...)
}

func run(pass *analysis.Pass) (any, error) {
	waits := pass.ResultOf[waitmodel.Analyzer].(*waitmodel.Result)
	r := report.New(pass)
	for _, p := range waits.Partnerless {
		r.Report(partnerlessDiagnostic(pass, p))
	}
	r.Finish()
	return nil, nil
}

func partnerlessDiagnostic(pass *analysis.Pass, p waitmodel.Partnerless) analysis.Diagnostic {
	where := "made at line " + fmt.Sprint(pass.Fset.Position(p.Made).Line)
	world := "it never leaves " + report.ShortFunc(p.Owner) + ", its closures and the functions it is passed to"
	if p.Field != "" {
		world = "it is kept in the unexported field " + p.Field + ", whose every store is a fresh make and every use is in this package"
	}
	var msg, made string
	switch p.Op {
	case waitmodel.NoSender:
		msg = fmt.Sprintf("no partner: this receive from %s blocks forever: nothing ever sends on or closes %s (%s; %s); send the value or close %s where the work ends, or delete the wait",
			p.What, p.What, where, world, p.What)
		made = "makes " + p.What
	case waitmodel.NoReceiver:
		closed := ""
		if p.Close.IsValid() {
			closed = fmt.Sprintf(" (the close at line %d does not complete it: a send on a closed channel crashes the program)", pass.Fset.Position(p.Close).Line)
		}
		msg = fmt.Sprintf("no partner: this send on unbuffered %s blocks forever: nothing ever receives from %s%s (%s; %s); receive from it, make it buffered with room for every send, or drop the send",
			p.What, p.What, closed, where, world)
		made = "makes " + p.What + " (unbuffered)"
	case waitmodel.NoSignal:
		if p.Field != "" {
			world = "it is kept in the unexported field " + p.Field + ", whose every store is sync.NewCond and every use is in this package"
		}
		msg = fmt.Sprintf("no partner: this %s.Wait() blocks forever: nothing ever calls %s.Signal() or %s.Broadcast() (%s; %s); signal it where the condition changes",
			p.What, p.What, p.What, where, world)
		made = "makes " + p.What
	case waitmodel.DoneSkipped:
		msg = fmt.Sprintf("Done skipped: goroutine %s returns here without calling %s.Done() (it does at line %d on other paths): %s.Wait() at line %d then waits forever; defer %s.Done() at the top of the goroutine",
			report.ShortFunc(p.Func), p.What, pass.Fset.Position(p.Done).Line, p.What, pass.Fset.Position(p.Wait).Line, p.What)
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
