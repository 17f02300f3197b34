package lockmodel

import (
	"fmt"
	"strings"

	"github.com/kafkalint/kafkalint/internal/report"
)

// Mode is how a lock is held: exclusively (Lock) or shared (RLock).
type Mode uint8

const (
	Write Mode = iota // sync.Mutex.Lock, sync.RWMutex.Lock
	Read              // sync.RWMutex.RLock
)

func (m Mode) String() string {
	if m == Read {
		return "read-locked"
	}
	return "locked"
}

// Site is one step of a witness chain: a source position with the function
// it is in and what happens there. Sites travel in facts, so they carry a
// file name and line, not a token.Pos.
type Site struct {
	File string
	Line int
	Col  int
	Func report.FuncRef // the function the site is in
	What string         // e.g. "c.mu.Lock()" or "calls (*Client).send"
}

func (s Site) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s", s.File, s.Line, s.Col, s.Func, s.What)
}

// Ref names a lock instance relative to a function's inputs, so a caller can
// map it onto its own arguments: parameter Param (the receiver is parameter
// 0 of a method), or free variable FreeVar of a closure, or the package
// variable Global, followed by the field path Path (".mu", ".coord.mu").
type Ref struct {
	Param   int // -1 when not a parameter
	FreeVar int // -1 when not a free variable
	Global  string
	Path    string
}

// Valid reports whether the Ref names a must-alias instance.
func (r Ref) Valid() bool { return r.Param >= 0 || r.FreeVar >= 0 || r.Global != "" }

func noRef() Ref { return Ref{Param: -1, FreeVar: -1} }

func (r Ref) String() string {
	switch {
	case r.Param >= 0:
		return fmt.Sprintf("param%d%s", r.Param, r.Path)
	case r.FreeVar >= 0:
		return fmt.Sprintf("free%d%s", r.FreeVar, r.Path)
	case r.Global != "":
		return r.Global + r.Path
	}
	return "?"
}

// Acquire is a lock a function may take (directly or through calls), or
// one it returns holding.
type Acquire struct {
	Class string // lock class; "" when the lock is a parameter itself (the caller knows its class)
	Mode  Mode
	Ref   Ref    // instance relative to the function's inputs, if known
	Chain []Site // from the function's own call site down to the Lock call
	// AfterRelease lists caller-held locks this function may have released
	// before taking this one: no ordering edge runs from them to it.
	AfterRelease []Ref
	// Guards are conditions on bool parameters that hold on every path to
	// the acquisition (func (s *T) match(doLock bool) { if doLock {
	// s.mu.Lock() } }): a caller passing a contradicting constant does not
	// take the lock.
	Guards []Guard
	// Delegate (in an OpenCall's Held only): the open call is made on a
	// field of this lock's own object (a decorator calling what it wraps
	// under its own lock; see Edge.Delegate).
	Delegate bool
}

// Guard says parameter Param (or, in a closure, free variable FreeVar;
// the other is -1) is Value on every path to an acquisition.
type Guard struct {
	Param   int
	FreeVar int
	Value   bool
}

// OpenCall is a call the package could not resolve (an interface method or
// a func value from a field) made while locks were held. A package that
// supplies the implementation closes it.
type OpenCall struct {
	Key   string    // "iface:pkg.Iface.Method" or "field:(pkg.T).fn"
	Held  []Acquire // locks held at the call (Chain ends at their acquisition)
	Chain []Site    // from the function's call site down to the open call
}

// FuncSummary is the fact exported for every function or method that takes,
// releases or returns holding a lock, or makes open calls under a lock.
type FuncSummary struct {
	Acquires     []Acquire // blocking acquisitions (TryLock excluded)
	Releases     []Ref     // locks held by the caller that the function releases
	HeldAtReturn []Acquire // locks held on every return
	// HeldOnSuccess lists locks held at every return whose error result
	// is nil and at no other return (acquire on success): a caller that
	// drops the error holds them without knowing.
	HeldOnSuccess []Acquire
	// MayHoldAtReturn lists locks held at some returns but not all: a
	// goroutine that may exit holding a lock (a hand-off) or a leak.
	MayHoldAtReturn []Acquire
	OpenCalls       []OpenCall
	// ParamStores lists parameters stored into func-typed fields, so that
	// an open call through that field can be closed by the caller's argument.
	ParamStores []ParamStore
	// FreshResults are results that are always a new object the function
	// allocated and published nowhere else (constructors): its locks are
	// still private to the caller.
	FreshResults []int
	// ResultFields: pointer fields of a result that every return sets, at
	// construction and never after, to an input's lock instance (or an
	// object holding locks): newWrapper(&s.mu)'s result.m is s.mu.
	ResultFields []FieldBinding
	// Yields: the function returns an iterator (one func literal, iter.Seq
	// style) that calls its yield function while holding these locks
	// (classes only): the body of a range-over-func loop over it, in any
	// package, takes its locks after them.
	Yields []OpenCall
	// freeCalls lists a closure's free variables that hold a func value it
	// calls (defer func() { unlock() }()): the caller that binds them knows
	// the function. Closures export no facts, so this is not encoded.
	freeCalls []int
}

// FieldBinding says field Field (".m") of result Result is the instance
// Ref names (a parameter, or a path from it: "param0.mu").
type FieldBinding struct {
	Result int
	Field  string
	Ref    Ref
}

// ParamStore records that parameter Param (a func value) is stored in the
// field Field (an open call key, e.g. "field:(github.com/twmb/franz-go/pkg/kgo.cfg).onRevoked").
type ParamStore struct {
	Param int
	Field string
}

func (*FuncSummary) AFact() {}

func (s *FuncSummary) String() string {
	var b strings.Builder
	for _, a := range s.Acquires {
		fmt.Fprintf(&b, "acquires %s %s(%s); ", a.Class, a.Mode, a.Ref)
	}
	for _, r := range s.Releases {
		fmt.Fprintf(&b, "releases %s; ", r)
	}
	for _, a := range s.HeldAtReturn {
		fmt.Fprintf(&b, "returns holding %s(%s); ", a.Class, a.Ref)
	}
	for _, a := range s.HeldOnSuccess {
		fmt.Fprintf(&b, "returns holding on success %s(%s); ", a.Class, a.Ref)
	}
	for _, o := range s.OpenCalls {
		fmt.Fprintf(&b, "open call %s; ", o.Key)
	}
	for _, f := range s.ResultFields {
		fmt.Fprintf(&b, "result%d%s is %s; ", f.Result, f.Field, f.Ref)
	}
	for _, o := range s.Yields {
		for _, h := range o.Held {
			fmt.Fprintf(&b, "yields under %s %s; ", h.Class, h.Mode)
		}
	}
	return strings.TrimSuffix(b.String(), "; ")
}

func (s *FuncSummary) empty() bool {
	return len(s.Acquires) == 0 && len(s.Releases) == 0 && len(s.HeldAtReturn) == 0 && len(s.MayHoldAtReturn) == 0 && len(s.HeldOnSuccess) == 0 &&
		len(s.OpenCalls) == 0 && len(s.ParamStores) == 0 && len(s.FreshResults) == 0 && len(s.Yields) == 0 && len(s.ResultFields) == 0
}

// Edge says: lock class To was acquired while From was held. Held lists
// every class held at that moment (From included); a class common to every
// edge of a cycle is a gate lock that serializes it.
type Edge struct {
	From, To         string
	FromMode, ToMode Mode
	FromChain        []Site // how From came to be held in Func
	ToChain          []Site // how To is acquired from Func
	Func             string // the function (or goroutine) where both meet
	Held             []string
	// Delegate: at every witness, To is taken by an implementation of an
	// interface called on a field of From's own object (a decorator
	// calling what it wraps, under its own lock).
	Delegate bool
	// PathHeld lists the classes held on the main path (FromChain and
	// ToChain) itself; Held is what every path holds.
	PathHeld []string
	// Others are other paths that make the edge in the same modes,
	// shortest first (then by site), at most MaxOtherPaths: a report may
	// show one of them when the main path shares a lock with the other
	// side of the cycle (and so cannot run at once with it). OthersCut:
	// some path that makes the edge is not among them (too many, or
	// other modes), so the paths are a sample, not all.
	Others    []EdgePath
	OthersCut bool
}

// MaxOtherPaths bounds the other paths an edge keeps (Edge.Others).
const MaxOtherPaths = 3

// EdgePath is one path that makes an edge: where From came to be held,
// how To is acquired, the function (or goroutine) where they meet, and
// every class held at the acquisition on this path (From included).
type EdgePath struct {
	FromChain []Site
	ToChain   []Site
	Func      string
	Held      []string
}

// PackageLocks is the package fact: the package's lock-order edges with
// witnesses, the classes it write-locks, and its Cond-to-lock bindings.
type PackageLocks struct {
	Path         string
	MayLock      bool // the package or one of its imports takes a lock
	Edges        []Edge
	WriteClasses []string // classes acquired in write mode somewhere in the package
	CondLocks    []CondLock
	// OpenCalls are the package's calls under a lock that it could not
	// resolve; a package that supplies the callee closes them.
	OpenCalls []OpenCall
}

// CondLock binds a sync.Cond field to the lock it was created over with
// sync.NewCond(&x.mu): Cond (T).c uses lock (T).mu, a sibling field.
type CondLock struct {
	Cond      string // class of the *sync.Cond field
	Lock      string // class of the lock
	LockField string // sibling field name of the lock, "" if not a sibling
	// Read: the Cond is over the lock's read side (sync.NewCond(
	// rw.RLocker())): c.L.Lock is RLock, and Wait re-acquires in read mode.
	Read bool
}

func (*PackageLocks) AFact() {}

func (p *PackageLocks) String() string {
	var b strings.Builder
	for _, e := range p.Edges {
		fmt.Fprintf(&b, "%s -> %s", e.From, e.To)
		switch n := len(e.Others); {
		case n == 1:
			b.WriteString(" (+1 path)")
		case n > 1:
			fmt.Fprintf(&b, " (+%d paths)", n)
		}
		b.WriteString("; ")
	}
	return strings.TrimSuffix(b.String(), "; ")
}
