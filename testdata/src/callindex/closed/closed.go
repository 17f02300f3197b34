// Package closed: which unexported types' values never leave the package
// (callindex.Closed), and the callers ConfinedRoots then gives their
// exported-named and interface-invoked methods.
package closed

import (
	"fmt"
	"unsafe"
)

type stepper interface{ Step() }

// engine reaches code outside only as a stepper, an unexported interface
// of the package: closed. Step (exported name, invoked through stepper)
// has the package's interface calls of Step as callers.
type engine struct{ n int } // want `closed`

func (e *engine) Step() { e.n++ } // want `roots loop`

// Hub is exported; its engine field is not.
type Hub struct{ eng stepper }

func NewHub() *Hub {
	h := &Hub{eng: &engine{}}
	go h.loop()
	return h
}

func (h *Hub) loop() { // want `roots loop`
	for {
		h.eng.Step()
	}
}

// An exported method returns the interface it is converted to: leaks.
type gear struct{ n int } // want `leaks`

func (g *gear) Step() { g.n++ } // want `roots Step`

type turner interface{ Step() }

type Box struct{ t turner }

func NewBox() *Box { return &Box{t: &gear{}} }

func (b *Box) Turner() turner { return b.t } // want `roots Turner`

// Converted to an interface of another package (fmt.Stringer, passed to
// fmt): leaks.
type label struct{ s string } // want `leaks`

func (l label) String() string { return l.s } // want `roots String`

func Show() string { return fmt.Sprint(label{"x"}) }

// Held in an exported field: leaks.
type part struct{ n int } // want `leaks`

func (p *part) Inc() { p.n++ } // want `roots Inc`

type Machine struct{ Part *part }

// Embedded (its methods promoted into an exported type): leaks.
type base struct{ n int } // want `leaks`

func (b *base) Reset() { b.n = 0 } // want `roots Reset`

type Widget struct{ *base }

// Passed to unsafe.Pointer: leaks.
type raw struct{ n int } // want `leaks`

func (r *raw) Bump() { r.n++ } // want `roots Bump`

func Addr() unsafe.Pointer { return unsafe.Pointer(&raw{}) }

// Closed, but a method value is handed out: that method stays an entry;
// another, called only through it, gets it as its root.
type clock struct{ n int } // want `closed`

func (c *clock) Tick() { c.inner() } // want `roots Tick`

func (c *clock) inner() { c.n++ } // want `roots Tick`

func Ticker() func() { return (&clock{}).Tick }

// Converted to another package's interface only inside a package
// variable's function literal (a closure of init): leaks all the same.
type hidden struct{ n int } // want `leaks`

func (h *hidden) String() string { return "h" } // want `roots String`

var describe = func() string { return fmt.Sprint(&hidden{}) }

func Describe() string { return describe() }

// Closed, and its method called through a type parameter of a generic
// function of the package: that call counts (the generic function, whose
// instance the index does not follow, is the root).
type ticker struct{ n int } // want `closed`

func (t *ticker) Tock() { t.n++ } // want `roots tockAll`

func tockAll[T interface{ Tock() }](xs []T) {
	for _, x := range xs {
		x.Tock()
	}
}

type Runner struct{ ts []*ticker }

func (r *Runner) Run() { tockAll(r.ts) } // want `roots Run`
