package ctxcancel

import (
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// This file decides cancel-leak: a goroutine that blocks forever on a
// channel (whose whole world the wait model knows) once the function
// that started it leaves a select through another case.

// ChanLeak is a goroutine that blocks forever on a channel operation once
// the function that started it leaves a select through another case:
// nobody is left to take its send (or to send to it).
type ChanLeak struct {
	Pos       token.Pos // the goroutine's send or receive
	Send      bool      // a send (else a receive)
	Chan      string    // the channel as written in the goroutine
	Make      token.Pos
	Buffered  bool // buffered, but sends in a loop or more often than it has room for
	Goroutine report.FuncRef
	Spawner   report.FuncRef
	Go        token.Pos
	Select    token.Pos // the spawner's select
	Escape    token.Pos // the case it leaves by
	EscapeBy  string    // "<-ctx.Done()", "a timer", "<-x"
	Exit      token.Pos // where the spawner then returns
	// Failed is a call that fails the test (t.Fatalf, t.Errorf, ...) on
	// every path of the leaving case: the leak follows a test failure.
	Failed token.Pos
}

// chanLeaks returns goroutines that block forever once their starter
// leaves a select by a cancellation, timer or other case, in source order.
func chanLeaks(wm *waitmodel.Model) []ChanLeak {
	var out []ChanLeak
	seen := map[token.Pos]bool{}
	for _, fn := range wm.Funcs() {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				mc, ok := instr.(*ssa.MakeChan)
				if !ok {
					continue
				}
				for _, l := range chanLeaksOf(wm, mc) {
					if !seen[l.Pos] {
						seen[l.Pos] = true
						out = append(out, l)
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

// maxOnAPath returns the largest number of the given operations (none of
// them in a loop) that one run of their function can execute.
func maxOnAPath(ops []waitmodel.ChanUse) int {
	reach := make([]map[*ssa.BasicBlock]bool, len(ops))
	for i, o := range ops {
		reach[i] = callindex.Reachable(o.Instr.Block().Succs, nil)
	}
	after := func(i, j int) bool { // ops[j] can run after ops[i]
		bi, bj := ops[i].Instr.Block(), ops[j].Instr.Block()
		if bi == bj {
			return callindex.IndexIn(ops[i].Instr) < callindex.IndexIn(ops[j].Instr)
		}
		return reach[i][bj]
	}
	memo := make([]int, len(ops))
	var longest func(i int) int
	longest = func(i int) int {
		if memo[i] > 0 {
			return memo[i]
		}
		best := 1
		for j := range ops {
			if j != i && after(i, j) {
				best = max(best, 1+longest(j))
			}
		}
		memo[i] = best
		return best
	}
	n := 0
	for i := range ops {
		n = max(n, longest(i))
	}
	return n
}

func chanLeaksOf(wm *waitmodel.Model, mc *ssa.MakeChan) []ChanLeak {
	uses, escapes := wm.ChanUses(mc)
	if escapes {
		return nil
	}
	spawner := mc.Parent()
	// The goroutine's plain operations, grouped by function.
	byFn := map[*ssa.Function][]waitmodel.ChanUse{}
	for _, u := range uses {
		byFn[u.Instr.Parent()] = append(byFn[u.Instr.Parent()], u)
	}
	var out []ChanLeak
	for g, gu := range byFn {
		if g == spawner || !wm.OnlyStarted(g) {
			continue
		}
		starts := wm.GoStarts(g)
		if len(starts) != 1 || starts[0].Parent() != spawner || callindex.InLoop(starts[0]) {
			continue
		}
		var sends []waitmodel.ChanUse
		var blocking *waitmodel.ChanUse
		for i, u := range gu {
			if u.Sel >= 0 {
				continue
			}
			if u.Op == waitmodel.OpSend {
				sends = append(sends, u)
			}
			if (u.Op == waitmodel.OpSend || u.Op == waitmodel.OpRecv) && blocking == nil {
				blocking = &gu[i]
			}
		}
		if blocking == nil {
			continue
		}
		buffered := false
		if blocking.Op == waitmodel.OpSend {
			c := waitmodel.CapOf(mc)
			if c < 0 {
				continue
			}
			if c > 0 {
				loops := false
				for _, s := range sends {
					loops = loops || callindex.InLoop(s.Instr)
				}
				if loops || int64(maxOnAPath(sends)) <= c {
					continue // room for every send (or a loop: unknown count)
				}
				buffered = true
			}
		}
		// Everybody else's operations: the spawner's select is the only
		// counterpart (other goroutines would be counterparts we cannot
		// order).
		others := false
		for f := range byFn {
			if f != g && f != spawner {
				others = true
			}
		}
		if others {
			continue
		}
		if l, ok := escapeLeak(wm, mc, g, blocking, byFn[spawner]); ok {
			l.Goroutine, l.Spawner, l.Go = lockmodel.FuncRefOf(g), lockmodel.FuncRefOf(spawner), starts[0].Pos()
			l.Buffered = buffered
			out = append(out, l)
		}
	}
	return out
}

// escapeLeak finds a select of the spawner with a counterpart case on the
// channel and another case after which the spawner returns without any
// further operation on the channel.
func escapeLeak(wm *waitmodel.Model, mc *ssa.MakeChan, g *ssa.Function, blocking *waitmodel.ChanUse, spawnerUses []waitmodel.ChanUse) (ChanLeak, bool) {
	want := waitmodel.OpRecv // the counterpart of the goroutine's send
	if blocking.Op == waitmodel.OpRecv {
		want = waitmodel.OpSend
	}
	touches := map[ssa.Instruction]bool{}
	for _, u := range spawnerUses {
		touches[u.Instr] = true
		if _, deferred := u.Instr.(*ssa.Defer); deferred {
			// Closed as the spawner returns: the receive ends; a send
			// panics on the closed channel (another bug), it does not
			// block forever (jaeger-client-go's TestUDPTransport).
			return ChanLeak{}, false
		}
	}
	for _, u := range spawnerUses {
		sel, ok := u.Instr.(*ssa.Select)
		if !ok || u.Op != want || !sel.Blocking {
			continue
		}
		var stops map[ssa.Instruction]bool // touches and the loop's counting gates
		for k, st := range sel.States {
			if k == u.Sel || st.Dir != types.RecvOnly || feeds(wm, g, st.Chan) {
				continue // the goroutine's other delivery is not a way out
			}
			body := caseBody(sel, k)
			if body == nil {
				continue
			}
			if _, ok := waitmodel.UntouchedExit(body, touches, nil); !ok {
				continue
			}
			if stops == nil {
				stops = map[ssa.Instruction]bool{}
				for i := range touches {
					stops[i] = true
				}
				for i := range countingGates(wm, sel, u.Sel) {
					stops[i] = true
				}
			}
			exit, ok := waitmodel.UntouchedExit(body, stops, nil)
			if !ok {
				continue // the loop returns only once it has counted case u.Sel
			}
			_, chv := waitmodel.ChanOpOf(blocking.Instr)
			return ChanLeak{
				Pos: blocking.Instr.Pos(), Send: blocking.Op == waitmodel.OpSend, Chan: wm.SrcText(blocking.Instr.Pos(), chv),
				Make: mc.Pos(), Select: sel.Pos(), Escape: st.Pos, EscapeBy: caseText(wm, st), Exit: exit, Failed: testFailure(body),
			}, true
		}
	}
	return ChanLeak{}, false
}

// countingGates returns the branches of the loop around sel that read what
// its case k updates: `if done == 3 { return }` after `case <-serve:
// done++`, a flag set on receipt, a loop counter the case counts up. Another
// case leaves the select but stays in the loop; the function returns past
// such a branch only once the condition says so, and it may say so only
// after case k was taken (corpus root cause L, fasthttp TestShutdown). A
// count stands for "each channel received once" only when every case but
// timers and ctx.Done() is on a channel that each of its goroutines feeds at
// most once, and only for what those cases update: a count of ticks says
// nothing about the receive.
func countingGates(wm *waitmodel.Model, sel *ssa.Select, k int) map[ssa.Instruction]bool {
	if !callindex.InLoop(sel) {
		return nil
	}
	var timers []*ssa.BasicBlock
	for i, st := range sel.States {
		if _, ok := waitmodel.DoneOf(st.Chan); ok || waitmodel.IsTimerChan(st.Chan) {
			if b := caseBody(sel, i); b != nil {
				timers = append(timers, b)
			}
			continue
		}
		if !deliversOnce(wm, sel, st) {
			return nil
		}
	}
	body := caseBody(sel, k)
	if body == nil {
		return nil
	}
	home := sel.Block()
	region := callindex.Reachable([]*ssa.BasicBlock{body}, home) // case k on its way back to sel
	timed := callindex.Reachable(timers, home)
	counted := func(b *ssa.BasicBlock) bool { return region[b] && !timed[b] }
	fromHome := callindex.Reachable(home.Succs, nil)
	gates := map[ssa.Instruction]bool{}
	for _, b := range sel.Parent().Blocks {
		ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok || !fromHome[b] || !callindex.Reachable(b.Succs, nil)[home] {
			continue
		}
		if readsUpdate(ifi.Cond, counted, sel) {
			gates[ifi] = true
		}
	}
	return gates
}

// deliversOnce reports whether the channel of select case st is made in
// this package and each goroutine on its other side sends on it (for a
// receive case; receives from it, for a send case) at most once, outside
// loops, started once: the select can count what it takes from it.
func deliversOnce(wm *waitmodel.Model, sel *ssa.Select, st *ssa.SelectState) bool {
	mc := wm.MakeChanOf(st.Chan)
	if mc == nil {
		return false
	}
	uses, escapes := wm.ChanUses(mc)
	if escapes {
		return false
	}
	want := waitmodel.OpSend
	if st.Dir == types.SendOnly {
		want = waitmodel.OpRecv
	}
	byFn := map[*ssa.Function][]waitmodel.ChanUse{}
	for _, u := range uses {
		if u.Op == waitmodel.OpClose && want == waitmodel.OpSend {
			return false // a closed channel delivers forever
		}
		if u.Op != want {
			continue
		}
		f := u.Instr.Parent()
		if f == sel.Parent() || callindex.InLoop(u.Instr) {
			return false
		}
		byFn[f] = append(byFn[f], u)
	}
	for f, ops := range byFn {
		if !wm.OnlyStarted(f) {
			return false
		}
		starts := wm.GoStarts(f)
		if len(starts) != 1 || callindex.InLoop(starts[0]) || maxOnAPath(ops) > 1 {
			return false
		}
	}
	return true
}

// readsUpdate reports whether cond depends on a value that a path through
// the counted blocks sets: a phi taking, from a counted block, a value
// computed after the select (not one the select found there), or a load
// of a variable that a counted block stores to.
func readsUpdate(cond ssa.Value, counted func(*ssa.BasicBlock) bool, sel *ssa.Select) bool {
	seen := map[ssa.Value]bool{}
	var walk func(v ssa.Value) bool
	walk = func(v ssa.Value) bool {
		if v == nil || seen[v] {
			return false
		}
		seen[v] = true
		switch x := v.(type) {
		case *ssa.Phi:
			for i, e := range x.Edges {
				if e != x && counted(x.Block().Preds[i]) && !before(e, sel) {
					return true
				}
			}
		case *ssa.UnOp:
			if x.Op == token.MUL && storedIn(x.X, counted) {
				return true
			}
		}
		instr, ok := v.(ssa.Instruction)
		if !ok {
			return false
		}
		for _, op := range instr.Operands(nil) {
			if walk(*op) {
				return true
			}
		}
		return false
	}
	return walk(cond)
}

// before reports whether v was computed before sel in the iteration that
// reaches Sel: a case that passes it on leaves it unchanged.
func before(v ssa.Value, sel *ssa.Select) bool {
	switch x := v.(type) {
	case *ssa.Const:
		return false
	case ssa.Instruction:
		b, home := x.Block(), sel.Block()
		if b == home {
			return callindex.IndexIn(x) < callindex.IndexIn(sel)
		}
		return b.Dominates(home)
	}
	return true // a parameter, free variable, global or function
}

// storedIn reports whether a block for which in holds stores to addr (or
// to the same field of the same struct).
func storedIn(addr ssa.Value, in func(*ssa.BasicBlock) bool) bool {
	addrs := []ssa.Value{addr}
	if fa, ok := addr.(*ssa.FieldAddr); ok && fa.X.Referrers() != nil {
		for _, r := range *fa.X.Referrers() {
			if fb, ok := r.(*ssa.FieldAddr); ok && fb != fa && fb.Field == fa.Field {
				addrs = append(addrs, fb)
			}
		}
	}
	for _, a := range addrs {
		refs := a.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			if s, ok := r.(*ssa.Store); ok && s.Addr == a && in(s.Block()) {
				return true
			}
		}
	}
	return false
}

// feeds reports whether g sends on or closes the channel ch (made in this
// package).
func feeds(wm *waitmodel.Model, g *ssa.Function, ch ssa.Value) bool {
	mc := wm.MakeChanOf(ch)
	if mc == nil {
		return false
	}
	uses, _ := wm.ChanUses(mc)
	for _, u := range uses {
		if u.Op != waitmodel.OpRecv && u.Instr.Parent() == g {
			return true
		}
	}
	return false
}

// caseBody returns the first block of case k of a blocking select.
func caseBody(sel *ssa.Select, k int) *ssa.BasicBlock {
	for _, b := range sel.Parent().Blocks {
		for j, s := range b.Succs {
			if s2, kk := waitmodel.SelectCase(b, j); s2 == sel && kk == k {
				return s
			}
		}
	}
	return nil
}

// caseText describes a select case's channel for messages.
func caseText(wm *waitmodel.Model, st *ssa.SelectState) string {
	if _, ok := waitmodel.DoneOf(st.Chan); ok {
		// The context as written (<-testCtx.Done(), <-s.ctx.Done()).
		if x := wm.SrcText(st.Chan.Pos(), nil); x != "" {
			return "<-" + x + ".Done()"
		}
		return "<-ctx.Done()"
	}
	if waitmodel.IsTimerChan(st.Chan) {
		return "a timer"
	}
	// The channel as written at the case (<-scriptTime), not as SSA
	// reaches it (a load through the local's cell).
	x := wm.SrcText(st.Pos, nil)
	if x == "" {
		x = lockmodel.Resolve(st.Chan).String()
	}
	if st.Dir == types.SendOnly {
		return "a send on " + x
	}
	return "<-" + x
}

// testFailure finds a call that fails a test (Error, Errorf, Fatal,
// Fatalf, Fail, FailNow of package testing's T, B, F or TB) on the path
// every run of the select case b takes: b and the blocks after it while
// there is one way on. NoPos if none.
func testFailure(b *ssa.BasicBlock) token.Pos {
	for x, n := b, 0; x != nil && n < 64; n++ {
		for _, instr := range x.Instrs {
			if c, ok := instr.(ssa.CallInstruction); ok && waitmodel.FailsTest(c.Common()) {
				return instr.Pos()
			}
		}
		if len(x.Succs) != 1 {
			break
		}
		x = x.Succs[0]
	}
	return token.NoPos
}
