package waitpartner

import (
	"go/token"
	"slices"
	"sort"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// This file decides "can anything ever end this wait?" for resources whose
// whole world the wait model knows (waitmodel.Worlds): a receive on a
// channel nothing sends to or closes, a send on an unbuffered channel
// nothing receives from, a Cond.Wait nothing signals, a goroutine that
// returns without the WaitGroup.Done a Wait counts on.

// PartnerOp is the kind of a wait with no possible partner.
type PartnerOp int

const (
	NoSender    PartnerOp = iota + 1 // a receive nothing sends to or closes
	NoReceiver                       // a send on an unbuffered channel nobody receives from
	NoSignal                         // a Cond.Wait nothing signals or broadcasts
	DoneSkipped                      // a goroutine's path that skips the WaitGroup.Done a Wait counts on
)

// Partnerless is a wait nothing in its resource's known world can end.
type Partnerless struct {
	Op    PartnerOp
	Pos   token.Pos      // the receive, send or Cond.Wait; for DoneSkipped, the return that skips Done
	What  string         // the channel, Cond or WaitGroup as written
	Func  report.FuncRef // the function that waits (DoneSkipped: the goroutine)
	Made  token.Pos      // where it is made (make, sync.NewCond, the WaitGroup's declaration)
	Owner report.FuncRef // the function that makes it
	Field string         // the field class ("(pkg.T).ch") when it is kept in a field
	// Close: for NoReceiver, a close of the channel (which makes the send
	// fail at run time; it never completes it), or NoPos.
	Close token.Pos
	// For DoneSkipped: the goroutine's Done, its start and the Wait.
	Done, Go, Wait token.Pos
}

// partnerless returns the waits of the package that nothing can ever end,
// in source order.
func partnerless(wm *waitmodel.Model) []Partnerless {
	var out []Partnerless
	for _, w := range wm.Worlds() {
		var ps []Partnerless
		switch w.Kind {
		case waitmodel.WorldChan:
			ps = chanPartners(wm, w.Ops, w.Caps, w.Made, w.Field, w.Own)
		case waitmodel.WorldCond:
			if !w.Signalled {
				ps = condPartners(wm, w.Waits, w.Made, w.Field)
			}
		case waitmodel.WorldWaitGroup:
			out = append(out, doneSkips(wm, w)...)
			continue
		}
		for i := range ps {
			ps[i].Owner = w.Owner
		}
		out = append(out, ps...)
	}
	seen := map[token.Pos]bool{}
	out = slices.DeleteFunc(out, func(p Partnerless) bool {
		dup := seen[p.Pos]
		seen[p.Pos] = true
		return dup
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

// intendedPark: package main's main may park itself on purpose
// (<-make(chan struct{})), a program that serves until killed.
func intendedPark(fn *ssa.Function) bool {
	return fn.Pkg != nil && fn.Pkg.Pkg.Name() == "main" && fn.Name() == "main" && fn.Parent() == nil
}

// chanPartners decides, for the operations of one channel world, which
// plain receives and sends can never complete. caps are the capacities of
// the channels of the world (-1: not constant).
func chanPartners(wm *waitmodel.Model, ops []waitmodel.ChanUse, caps []int64, made token.Pos, field string, own func(*ssa.Function) bool) []Partnerless {
	var sends, recvs int
	var closePos token.Pos
	for _, o := range ops {
		switch o.Op {
		case waitmodel.OpSend:
			sends++
		case waitmodel.OpRecv:
			recvs++
		case waitmodel.OpClose:
			if !closePos.IsValid() {
				closePos = o.Instr.Pos()
			}
			sends++ // a close ends every blocked receive
		}
	}
	unbuffered := len(caps) > 0
	for _, c := range caps {
		unbuffered = unbuffered && c == 0
	}
	var out []Partnerless
	for _, o := range ops {
		fn := o.Instr.Parent()
		if o.Sel >= 0 || !own(fn) || intendedPark(fn) {
			continue
		}
		_, ch := waitmodel.ChanOpOf(o.Instr)
		p := Partnerless{Pos: o.Instr.Pos(), Func: lockmodel.FuncRefOf(fn), Made: made, Field: field}
		switch {
		case o.Op == waitmodel.OpRecv && sends == 0:
			p.Op = NoSender
		case o.Op == waitmodel.OpSend && recvs == 0 && unbuffered:
			p.Op, p.Close = NoReceiver, closePos
		default:
			continue
		}
		p.What = wm.SrcText(o.Instr.Pos(), ch)
		out = append(out, p)
	}
	return out
}

func condPartners(wm *waitmodel.Model, waits []*ssa.Call, made token.Pos, field string) []Partnerless {
	var out []Partnerless
	for _, w := range waits {
		if intendedPark(w.Parent()) {
			continue
		}
		out = append(out, Partnerless{
			Op: NoSignal, Pos: w.Pos(), What: wm.SrcText(w.Pos(), w.Call.Args[0]),
			Func: lockmodel.FuncRefOf(w.Parent()), Made: made, Field: field,
		})
	}
	return out
}

// doneSkips: a local WaitGroup, waited for, with a goroutine that calls
// Done on some paths and returns without it on another.
func doneSkips(wm *waitmodel.Model, w waitmodel.World) []Partnerless {
	dones, waits, alloc := w.Dones, w.WGWaits, w.Made
	if len(waits) == 0 || len(dones) == 0 {
		return nil
	}
	byFn := map[*ssa.Function][]ssa.Instruction{}
	var fns []*ssa.Function
	for _, d := range dones {
		f := d.Parent()
		if byFn[f] == nil {
			fns = append(fns, f)
		}
		byFn[f] = append(byFn[f], d)
	}
	var out []Partnerless
	for _, g := range fns {
		ds := byFn[g]
		if !wm.OnlyStarted(g) || hasDefer(g) || len(wm.GoStarts(g)) != 1 {
			continue
		}
		touches := map[ssa.Instruction]bool{}
		skip := false
		for _, d := range ds {
			if _, deferred := d.(*ssa.Defer); deferred || callindex.InLoop(d) {
				skip = true
			}
			touches[d] = true
		}
		if skip {
			continue
		}
		for _, b := range g.Blocks {
			for _, instr := range b.Instrs {
				if c, ok := instr.(ssa.CallInstruction); ok && noReturn(c.Common()) {
					touches[instr] = true
				}
			}
		}
		ret, ok := waitmodel.UntouchedExit(g.Blocks[0], touches, nil)
		if !ok {
			continue
		}
		out = append(out, Partnerless{
			Op: DoneSkipped, Pos: ret, What: wm.SrcText(ds[0].Pos(), ds[0].(ssa.CallInstruction).Common().Args[0]),
			Func: lockmodel.FuncRefOf(g), Made: alloc, Done: ds[0].Pos(), Go: wm.GoStarts(g)[0].Pos(), Wait: waits[0].Pos(),
		})
	}
	return out
}

// hasDefer: fn defers a call (a deferred closure may call Done).
func hasDefer(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if _, ok := instr.(*ssa.Defer); ok {
				return true
			}
		}
	}
	return false
}

// noReturn recognizes calls that do not return to their caller (os.Exit,
// log.Fatal, runtime.Goexit, t.FailNow and friends): a path through one
// ends no wait by returning.
func noReturn(c *ssa.CallCommon) bool {
	var name string
	if c.IsInvoke() {
		name = c.Method.Name()
	} else if fn := c.StaticCallee(); fn != nil {
		name = fn.Name()
	} else {
		return false
	}
	switch name {
	case "Exit", "Goexit", "Fatal", "Fatalf", "Fatalln", "FailNow", "Panic", "Panicf", "Panicln", "Skip", "Skipf", "SkipNow":
		return true
	}
	return false
}
