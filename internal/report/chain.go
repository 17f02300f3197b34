package report

import (
	"fmt"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// A Step is one point of a chain: a call, an acquisition, a wait.
type Step struct {
	Pos, End token.Pos // End may be token.NoPos
	Message  string    // e.g. "heartbeat calls leave while holding coordinator.lock"
}

// Chain encodes the steps one goroutine takes as Related entries of a
// diagnostic, in order. Each entry's message is the step's message prefixed
// with "[label] ", so text output reads naturally and the SARIF writer can
// group the entries of one label into one threadFlow:
//
//	Related: append(report.Chain("goroutine 1", steps1...), report.Chain("goroutine 2", steps2...)...)
//
// label must be non-empty and contain neither ']' nor a newline; Chain
// panics otherwise (a programming error). Plain Related entries that are not
// part of a chain must not start with '['.
func Chain(label string, steps ...Step) []analysis.RelatedInformation {
	if label == "" || strings.ContainsAny(label, "]\n") {
		panic(fmt.Sprintf("report.Chain: bad label %q", label))
	}
	related := make([]analysis.RelatedInformation, len(steps))
	for i, s := range steps {
		related[i] = analysis.RelatedInformation{
			Pos:     s.Pos,
			End:     s.End,
			Message: "[" + label + "] " + s.Message,
		}
	}
	return related
}

// ChainStep splits a Related message made by Chain into its chain label and
// the step's own message. ok is false for a message that is not a chain step.
func ChainStep(message string) (label, step string, ok bool) {
	rest, found := strings.CutPrefix(message, "[")
	if !found {
		return "", message, false
	}
	label, step, found = strings.Cut(rest, "] ")
	if !found || label == "" || strings.ContainsAny(label, "]\n") {
		return "", message, false
	}
	return label, step, true
}

// ShortFunc drops the receiver and package from a function's display
// name: "(*kgo.Client).produce$1" -> "produce$1", "kgo.run$2" -> "run$2".
func ShortFunc(name string) string {
	if i := strings.LastIndex(name, ")."); i >= 0 {
		return name[i+2:]
	}
	if i := strings.IndexByte(name, '.'); i >= 0 && !strings.Contains(name[:i], "(") {
		return name[i+1:]
	}
	return name
}

// Label makes a function name usable as a Chain label (no ']').
func Label(name string) string { return strings.ReplaceAll(name, "]", ")") }

// InFunc labels a chain step with the function it is in, fn, when that is
// not the chain's own function: "lockAndSet: w.mu.Lock()".
func InFunc(fn, chain, step string) string {
	if fn == "" || fn == chain {
		return step
	}
	return fn + ": " + step
}

// Descend labels the steps of a path that starts in function fn and
// descends through calls: a step whose message is "calls X" enters X, and
// every later step is labelled as in X (InFunc). It returns the steps and
// the function the path ends in.
func Descend(fn string, steps []Step) ([]Step, string) {
	in := fn
	out := make([]Step, len(steps))
	for i, s := range steps {
		out[i] = s
		out[i].Message = InFunc(in, fn, s.Message)
		if callee, ok := strings.CutPrefix(s.Message, "calls "); ok {
			in = callee
		}
	}
	return out, in
}
