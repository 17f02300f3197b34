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
	// Calls, on a step that calls a function the path goes on in, is
	// that function (Descend enters it); zero on other steps.
	Calls FuncRef
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

// A FuncRef names a function by its parts, so a report can print it whole
// ("(*kgo.Client).produce$1") or short ("produce$1") without parsing a
// name. It travels in facts (Site.Func).
type FuncRef struct {
	Pkg     string // the package's name ("kgo"): the function's, or for a method its receiver type's; "" when unknown
	Recv    string // the receiver's type name ("Client"); "" for a function
	Ptr     bool   // the receiver is a pointer
	Name    string // the declared function's name ("produce"); "?" for no function
	Closure string // which func literal inside Name ("$1", "$1$2"); "" for Name itself
}

// String is the function's display name: pkg.Func, (*pkg.T).Method,
// closures as parent$1.
func (f FuncRef) String() string {
	switch {
	case f.Recv != "":
		t := f.Recv
		if f.Pkg != "" {
			t = f.Pkg + "." + t
		}
		if f.Ptr {
			t = "*" + t
		}
		return "(" + t + ")." + f.Name + f.Closure
	case f.Pkg != "":
		return f.Pkg + "." + f.Name + f.Closure
	}
	return f.Name + f.Closure
}

// Short is the name without receiver and package: "produce$1".
func (f FuncRef) Short() string { return f.Name + f.Closure }

// IsZero reports whether f names no function.
func (f FuncRef) IsZero() bool { return f == FuncRef{} }

// CompareFuncRef orders function refs as their display names sort.
func CompareFuncRef(a, b FuncRef) int {
	if a == b {
		return 0
	}
	return strings.Compare(a.String(), b.String())
}

// Label makes a function's name usable as a Chain label (no ']').
func Label(fn FuncRef) string { return strings.ReplaceAll(fn.String(), "]", ")") }

// InFunc labels a chain step with the function it is in, fn, when that is
// not the chain's own function: "lockAndSet: w.mu.Lock()".
func InFunc(fn, chain FuncRef, step string) string {
	if fn.IsZero() || fn == chain {
		return step
	}
	return fn.String() + ": " + step
}

// Descend labels the steps of a path that starts in function fn and
// descends through calls: a step that Calls a function enters it, and
// every later step is labelled as in it (InFunc). It returns the steps and
// the function the path ends in.
func Descend(fn FuncRef, steps []Step) ([]Step, FuncRef) {
	in := fn
	out := make([]Step, len(steps))
	for i, s := range steps {
		out[i] = s
		out[i].Message = InFunc(in, fn, s.Message)
		if !s.Calls.IsZero() {
			in = s.Calls
		}
	}
	return out, in
}
