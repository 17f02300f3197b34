package waitmodel

import (
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
)

// Join is a wait that ends only once one goroutine has left a function:
// every wake-up of what it waits for (wg.Done, close(done)) is deferred in
// that function (Exits), which runs at most once on that goroutine (it is
// the function started as the goroutine, or called once, outside any loop,
// by one that is), and nothing else can end it. Code after the join does
// not run at once with what Exits runs (a Close that waits for the receive
// loop to exit, then takes the locks the loop took; yamux's recv calls
// recvLoop, whose deferred close(s.recvDoneCh) Close waits for).
type Join struct {
	At        ssa.Instruction // the wait, or the call in Func that reaches it
	Func      *ssa.Function
	Goroutine *ssa.Function // the function started as the goroutine joined
	Exits     *ssa.Function // the function whose return the wait waits for: Goroutine, or a function it calls once
}

// joins lists the package's joins, in the order of its functions.
func (g *waitGraph) joins() []Join {
	var out []Join
	for _, fn := range g.wm.funcs {
		for _, wp := range g.waitsFrom(fn, 0) {
			if wp.site.cases != nil {
				continue // a select: another case may end it
			}
			if gr, exits := g.exitOnly(g.wakes[wp.site.node]); gr != nil {
				out = append(out, Join{At: wp.at, Func: fn, Goroutine: gr, Exits: exits})
			}
		}
	}
	return out
}

// exitOnly returns the function whose return alone performs the
// wake-ups (each is deferred in it) and the goroutine it runs once on.
// nil when there is none.
func (g *waitGraph) exitOnly(wakes []*wakeSite) (goroutine, exits *ssa.Function) {
	for _, wk := range wakes {
		if _, deferred := wk.instr.(*ssa.Defer); !deferred {
			return nil, nil
		}
		fn := wk.instr.Parent()
		if exits != nil && fn != exits {
			return nil, nil
		}
		exits = fn
	}
	if exits == nil {
		return nil, nil
	}
	return g.runsOnceOn(exits, 0), exits
}

// maxOnceDepth bounds the calls runsOnceOn follows up to the goroutine.
const maxOnceDepth = 4

// runsOnceOn returns the function started as the goroutine fn runs at
// most once on: fn itself when it only ever runs started as a goroutine,
// or that of fn's one caller (every caller known), which calls it once,
// outside any loop. nil when there is none.
func (g *waitGraph) runsOnceOn(fn *ssa.Function, depth int) *ssa.Function {
	ix := g.wm.ix
	if ix.OnlyStarted(fn) {
		return fn
	}
	calls, complete := ix.Callers(fn)
	if depth == maxOnceDepth || !complete || len(calls) != 1 || calls[0].Via != "" || callindex.InLoop(calls[0].Instr) {
		return nil
	}
	if _, ok := calls[0].Instr.(*ssa.Call); !ok {
		return nil
	}
	return g.runsOnceOn(calls[0].Caller, depth+1)
}
