package waitmodel

import (
	"golang.org/x/tools/go/ssa"
)

// Join is a wait that ends only once one goroutine has exited: every
// wake-up of what it waits for (wg.Done, close(done)) is deferred in the
// function started as that goroutine, and nothing else can end it. Code
// after the join does not run at once with that goroutine (a Close that
// waits for the receive loop to exit, then takes the locks the loop took).
type Join struct {
	At        ssa.Instruction // the wait, or the call in Func that reaches it
	Func      *ssa.Function
	Goroutine *ssa.Function // the function started as the goroutine joined
}

// joins lists the package's joins, in the order of its functions.
func (g *waitGraph) joins() []Join {
	var out []Join
	for _, fn := range g.wm.funcs {
		for _, wp := range g.waitsFrom(fn, 0) {
			if wp.site.cases != nil {
				continue // a select: another case may end it
			}
			if gr := g.exitOnly(g.wakes[wp.site.node]); gr != nil {
				out = append(out, Join{At: wp.at, Func: fn, Goroutine: gr})
			}
		}
	}
	return out
}

// exitOnly returns the goroutine function whose exit alone performs the
// wake-ups: each is deferred in that function, which only ever runs
// started as a goroutine. nil when there is none.
func (g *waitGraph) exitOnly(wakes []*wakeSite) *ssa.Function {
	var gr *ssa.Function
	for _, wk := range wakes {
		if _, deferred := wk.instr.(*ssa.Defer); !deferred {
			return nil
		}
		fn := wk.instr.Parent()
		if gr != nil && fn != gr || !g.wm.ix.OnlyStarted(fn) {
			return nil
		}
		gr = fn
	}
	return gr
}
