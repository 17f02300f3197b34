package waitmodel

import (
	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"go/constant"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/ssa"
)

// ChanUse is one operation on a channel whose world the model knows.
type ChanUse struct {
	Instr ssa.Instruction
	Op    ChanOp // OpRecv, OpSend, OpClose
	Sel   int    // the case index when Instr is a *ssa.Select, else -1
}

// ChanUses follows a channel from its make through local variables,
// closures and calls of the package, and returns every operation on it.
// escapes is set when the channel goes where uses cannot be followed
// (a struct field, a return value, another channel, a call outside the
// package): other code may then use it.
func (wm *Model) ChanUses(mc *ssa.MakeChan) (uses []ChanUse, escapes bool) {
	uses, rets, escapes := wm.ChanWorld(mc)
	return uses, escapes || len(rets) > 0
}

// ChanReturn is a return of the function that makes a channel that hands
// the channel to its caller, as result Index.
type ChanReturn struct {
	Ret   *ssa.Return
	Index int
}

// ChanWorld is ChanUses, with the returns of mc's own function that hand
// the channel to its caller apart (they are not counted as escapes).
func (wm *Model) ChanWorld(mc *ssa.MakeChan) (uses []ChanUse, rets []ChanReturn, escapes bool) {
	seen := map[ssa.Value]bool{}
	var work []ssa.Value
	push := func(v ssa.Value) {
		if !seen[v] {
			seen[v] = true
			work = append(work, v)
		}
	}
	push(mc)
	for len(work) > 0 && !escapes {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			switch x := r.(type) {
			case *ssa.DebugRef:
			case *ssa.UnOp:
				switch {
				case x.Op == token.ARROW && x.X == v:
					uses = append(uses, ChanUse{Instr: x, Op: OpRecv, Sel: -1})
				case x.Op == token.MUL && x.X == v: // a load of the variable holding it
					push(x)
				default:
					escapes = true
				}
			case *ssa.Send:
				if x.Chan != v {
					escapes = true
					break
				}
				uses = append(uses, ChanUse{Instr: x, Op: OpSend, Sel: -1})
			case *ssa.Select:
				for i, st := range x.States {
					if st.Chan == v {
						op := OpRecv
						if st.Dir == types.SendOnly {
							op = OpSend
						}
						uses = append(uses, ChanUse{Instr: x, Op: op, Sel: i})
					} else if st.Send == v {
						escapes = true
					}
				}
			case *ssa.Store:
				if x.Addr == v { // an assignment to the variable holding it
					if !seen[x.Val] {
						escapes = true // reassigned: another channel
					}
					break
				}
				a, ok := x.Addr.(*ssa.Alloc)
				if !ok || x.Val != v {
					escapes = true
					break
				}
				push(a)
			case *ssa.Alloc:
			case *ssa.MakeClosure:
				for i, b := range x.Bindings {
					if b == v {
						push(x.Fn.(*ssa.Function).FreeVars[i])
					}
				}
			case *ssa.ChangeType:
				push(x)
			case ssa.CallInstruction:
				c := x.Common()
				if b, ok := c.Value.(*ssa.Builtin); ok {
					switch b.Name() {
					case "close":
						uses = append(uses, ChanUse{Instr: x, Op: OpClose, Sel: -1})
					case "len", "cap":
					default:
						escapes = true
					}
					break
				}
				callee := c.StaticCallee()
				if callee == nil || len(callee.Blocks) == 0 || callee.Pkg != wm.pkg || c.Value == v {
					escapes = true
					break
				}
				for i, a := range c.Args {
					if a == v && i < len(callee.Params) {
						push(callee.Params[i])
					}
				}
			case *ssa.Return:
				if x.Parent() != mc.Parent() {
					escapes = true
					break
				}
				for i, r := range x.Results {
					if r == v {
						rets = append(rets, ChanReturn{Ret: x, Index: i})
					}
				}
			default:
				escapes = true
			}
		}
	}
	return uses, rets, escapes
}

// ChanLeak is a goroutine that blocks forever on a channel operation once
// the function that started it leaves a select through another case:
// nobody is left to take its send (or to send to it).
type ChanLeak struct {
	Pos       token.Pos // the goroutine's send or receive
	Send      bool      // a send (else a receive)
	Chan      string    // the channel as written in the goroutine
	Make      token.Pos
	Buffered  bool // buffered, but sends in a loop or more often than it has room for
	Goroutine string
	Spawner   string
	Go        token.Pos
	Select    token.Pos // the spawner's select
	Escape    token.Pos // the case it leaves by
	EscapeBy  string    // "<-ctx.Done()", "a timer", "<-x"
	Exit      token.Pos // where the spawner then returns
	// Failed is a call that fails the test (t.Fatalf, t.Errorf, ...) on
	// every path of the leaving case: the leak follows a test failure.
	Failed token.Pos
}

// ChanLeaks returns goroutines that block forever once their starter
// leaves a select by a cancellation, timer or other case, in source order.
func (w *Waits) ChanLeaks() []ChanLeak {
	wm := w.model()
	if wm == nil {
		return nil
	}
	var out []ChanLeak
	seen := map[token.Pos]bool{}
	for _, fn := range wm.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				mc, ok := instr.(*ssa.MakeChan)
				if !ok {
					continue
				}
				for _, l := range wm.chanLeaks(mc) {
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

// GoStarts returns the go statements of the package that start fn.
func (wm *Model) GoStarts(fn *ssa.Function) []ssa.Instruction {
	var out []ssa.Instruction
	for _, st := range wm.ix.StartsOf(fn) {
		if st.Kind == callindex.GoStmt {
			out = append(out, st.Instr)
		}
	}
	return out
}

// maxOnAPath returns the largest number of the given operations (none of
// them in a loop) that one run of their function can execute.
func maxOnAPath(ops []ChanUse) int {
	reach := make([]map[*ssa.BasicBlock]bool, len(ops))
	for i, o := range ops {
		reach[i] = callindex.Reachable(o.Instr.Block().Succs, nil)
	}
	after := func(i, j int) bool { // ops[j] can run after ops[i]
		bi, bj := ops[i].Instr.Block(), ops[j].Instr.Block()
		if bi == bj {
			return indexIn(ops[i].Instr) < indexIn(ops[j].Instr)
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

func indexIn(instr ssa.Instruction) int {
	for i, x := range instr.Block().Instrs {
		if x == instr {
			return i
		}
	}
	return -1
}

// CapOf returns the constant capacity of a make(chan), or -1.
func CapOf(mc *ssa.MakeChan) int64 {
	if c, ok := mc.Size.(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.Int {
		n, _ := constant.Int64Val(c.Value)
		return n
	}
	return -1
}

func (wm *Model) chanLeaks(mc *ssa.MakeChan) []ChanLeak {
	uses, escapes := wm.ChanUses(mc)
	if escapes {
		return nil
	}
	spawner := mc.Parent()
	// The goroutine's plain operations, grouped by function.
	byFn := map[*ssa.Function][]ChanUse{}
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
		var sends []ChanUse
		var blocking *ChanUse
		for i, u := range gu {
			if u.Sel >= 0 {
				continue
			}
			if u.Op == OpSend {
				sends = append(sends, u)
			}
			if (u.Op == OpSend || u.Op == OpRecv) && blocking == nil {
				blocking = &gu[i]
			}
		}
		if blocking == nil {
			continue
		}
		buffered := false
		if blocking.Op == OpSend {
			c := CapOf(mc)
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
		if l, ok := wm.escapeLeak(mc, g, blocking, byFn[spawner]); ok {
			l.Goroutine, l.Spawner, l.Go = lockmodel.FuncName(g), lockmodel.FuncName(spawner), starts[0].Pos()
			l.Buffered = buffered
			out = append(out, l)
		}
	}
	return out
}

// escapeLeak finds a select of the spawner with a counterpart case on the
// channel and another case after which the spawner returns without any
// further operation on the channel.
func (wm *Model) escapeLeak(mc *ssa.MakeChan, g *ssa.Function, blocking *ChanUse, spawnerUses []ChanUse) (ChanLeak, bool) {
	want := OpRecv // the counterpart of the goroutine's send
	if blocking.Op == OpRecv {
		want = OpSend
	}
	touches := map[ssa.Instruction]bool{}
	for _, u := range spawnerUses {
		touches[u.Instr] = true
		if _, deferred := u.Instr.(*ssa.Defer); deferred && blocking.Op == OpRecv {
			return ChanLeak{}, false // closed as the spawner returns: the receive ends
		}
	}
	for _, u := range spawnerUses {
		sel, ok := u.Instr.(*ssa.Select)
		if !ok || u.Op != want || !sel.Blocking {
			continue
		}
		var stops map[ssa.Instruction]bool // touches and the loop's counting gates
		for k, st := range sel.States {
			if k == u.Sel || st.Dir != types.RecvOnly || wm.feeds(g, st.Chan) {
				continue // the goroutine's other delivery is not a way out
			}
			body := caseBody(sel, k)
			if body == nil {
				continue
			}
			if _, ok := UntouchedExit(body, touches, nil); !ok {
				continue
			}
			if stops == nil {
				stops = map[ssa.Instruction]bool{}
				for i := range touches {
					stops[i] = true
				}
				for i := range wm.countingGates(sel, u.Sel) {
					stops[i] = true
				}
			}
			exit, ok := UntouchedExit(body, stops, nil)
			if !ok {
				continue // the loop returns only once it has counted case u.Sel
			}
			_, chv := ChanOpOf(blocking.Instr)
			return ChanLeak{
				Pos: blocking.Instr.Pos(), Send: blocking.Op == OpSend, Chan: wm.SrcText(blocking.Instr.Pos(), chv),
				Make: mc.Pos(), Select: sel.Pos(), Escape: st.Pos, EscapeBy: wm.caseText(st), Exit: exit, Failed: testFailure(body),
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
func (wm *Model) countingGates(sel *ssa.Select, k int) map[ssa.Instruction]bool {
	if !callindex.InLoop(sel) {
		return nil
	}
	var timers []*ssa.BasicBlock
	for i, st := range sel.States {
		if _, ok := DoneOf(st.Chan); ok || isTimerChan(st.Chan) {
			if b := caseBody(sel, i); b != nil {
				timers = append(timers, b)
			}
			continue
		}
		if !wm.deliversOnce(sel, st) {
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
func (wm *Model) deliversOnce(sel *ssa.Select, st *ssa.SelectState) bool {
	mc := wm.makeChanOf(st.Chan)
	if mc == nil {
		return false
	}
	uses, escapes := wm.ChanUses(mc)
	if escapes {
		return false
	}
	want := OpSend
	if st.Dir == types.SendOnly {
		want = OpRecv
	}
	byFn := map[*ssa.Function][]ChanUse{}
	for _, u := range uses {
		if u.Op == OpClose && want == OpSend {
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
			return indexIn(x) < indexIn(sel)
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
func (wm *Model) feeds(g *ssa.Function, ch ssa.Value) bool {
	mc := wm.makeChanOf(ch)
	if mc == nil {
		return false
	}
	uses, _ := wm.ChanUses(mc)
	for _, u := range uses {
		if u.Op != OpRecv && u.Instr.Parent() == g {
			return true
		}
	}
	return false
}

// caseBody returns the first block of case k of a blocking select.
func caseBody(sel *ssa.Select, k int) *ssa.BasicBlock {
	for _, b := range sel.Parent().Blocks {
		for j, s := range b.Succs {
			if s2, kk := SelectCase(b, j); s2 == sel && kk == k {
				return s
			}
		}
	}
	return nil
}

// UntouchedExit finds a return reachable from b on a path that does not
// pass an instruction of touches, nor take a select case of cases.
func UntouchedExit(b *ssa.BasicBlock, touches map[ssa.Instruction]bool, cases map[*ssa.Select]map[int]bool) (token.Pos, bool) {
	seen := map[*ssa.BasicBlock]bool{}
	stack := []*ssa.BasicBlock{b}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[x] {
			continue
		}
		seen[x] = true
		blocked := false
		for _, instr := range x.Instrs {
			if touches[instr] {
				blocked = true
				break
			}
			if r, ok := instr.(*ssa.Return); ok {
				return lockmodel.ReturnPos(x.Parent(), r), true
			}
			if _, ok := instr.(*ssa.Panic); ok {
				blocked = true
				break
			}
		}
		if blocked {
			continue
		}
		for j, succ := range x.Succs {
			if sel, k := SelectCase(x, j); sel != nil && cases[sel][k] {
				continue
			}
			stack = append(stack, succ)
		}
	}
	return token.NoPos, false
}

// caseText describes a select case's channel for messages.
func (wm *Model) caseText(st *ssa.SelectState) string {
	if _, ok := DoneOf(st.Chan); ok {
		// The context as written (<-testCtx.Done(), <-s.ctx.Done()).
		if x := wm.SrcText(st.Chan.Pos(), nil); x != "" {
			return "<-" + x + ".Done()"
		}
		return "<-ctx.Done()"
	}
	if isTimerChan(st.Chan) {
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

// BlindWait is a wait in a function that takes a context, which the
// context cannot interrupt, on a channel that only a goroutine feeds, and
// that goroutine can return without sending on it or closing it.
type BlindWait struct {
	Pos       token.Pos // the receive or select
	Func      string
	Chan      string // the channel(s) waited on, as written
	Goroutine string
	Go        token.Pos
	Return    token.Pos // the goroutine's return that sends and closes nothing
	Select    bool
	Range     bool // a receive loop (for range): only a close ends it
	// FeedsInLoop: the goroutine delivers in a loop: a count (a receive
	// per send, where the return that delivers nothing is the loop run
	// zero times) or an event loop (etcd raft's tests: a for-select that
	// sends on each event and returns on a stop its starter closes after
	// its waits), not a one-shot ready signal.
	FeedsInLoop bool
	// Failed: a call that fails the test (t.Errorf, ...) on the way to
	// Return: the hang follows a failed test. NoPos if none.
	Failed token.Pos
}

// Undelivered returns the waits, in the functions for which in holds, for
// a goroutine which can return without sending or closing, in source
// order.
func (wm *Model) Undelivered(in func(*ssa.Function) bool) []BlindWait {
	var out []BlindWait
	for _, fn := range wm.funcs {
		if !in(fn) {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if bw, ok := wm.blindWait(fn, instr); ok {
					out = append(out, bw)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

// HasContextParam: fn takes a context.Context.
func HasContextParam(fn *ssa.Function) bool {
	for _, p := range fn.Params {
		if callindex.IsContext(p.Type()) {
			return true
		}
	}
	return false
}

func (wm *Model) blindWait(fn *ssa.Function, instr ssa.Instruction) (BlindWait, bool) {
	var chans []ssa.Value
	isSel, isRange := false, false
	switch x := instr.(type) {
	case *ssa.UnOp:
		if x.Op != token.ARROW {
			return BlindWait{}, false
		}
		chans = []ssa.Value{x.X}
		isRange = x.CommaOk && callindex.InLoop(x)
	case *ssa.Select:
		if !x.Blocking {
			return BlindWait{}, false
		}
		for _, st := range x.States {
			if st.Dir != types.RecvOnly {
				return BlindWait{}, false
			}
			chans = append(chans, st.Chan)
		}
		isSel = true
	default:
		return BlindWait{}, false
	}
	// Every channel waited on is made here and fed only by one goroutine,
	// started once by this function.
	var feeder *ssa.Function
	feeds := map[ssa.Instruction]bool{}
	feedCases := map[*ssa.Select]map[int]bool{}
	for _, ch := range chans {
		mc := wm.makeChanOf(ch)
		if mc == nil || !NestedIn(fn, mc.Parent()) {
			return BlindWait{}, false
		}
		uses, escapes := wm.ChanUses(mc)
		if escapes {
			return BlindWait{}, false
		}
		for _, u := range uses {
			if u.Op == OpRecv {
				continue
			}
			if isRange && u.Op == OpSend {
				continue // a range loop ends only by close
			}
			g := u.Instr.Parent()
			if feeder != nil && g != feeder {
				return BlindWait{}, false
			}
			feeder = g
			if sel, ok := u.Instr.(*ssa.Select); ok {
				if feedCases[sel] == nil {
					feedCases[sel] = map[int]bool{}
				}
				feedCases[sel][u.Sel] = true
				continue
			}
			feeds[u.Instr] = true
		}
	}
	if feeder == nil || !wm.OnlyStarted(feeder) || feeder == fn {
		return BlindWait{}, false
	}
	starts := wm.GoStarts(feeder)
	if len(starts) != 1 || callindex.InLoop(starts[0]) || !NestedIn(starts[0].Parent(), fn) && !NestedIn(fn, starts[0].Parent()) {
		return BlindWait{}, false
	}
	// A deferred close on the feeder ends the wait on every path.
	for f := range feeds {
		if _, ok := f.(*ssa.Defer); ok {
			return BlindWait{}, false
		}
	}
	ret, ok := UntouchedExit(feeder.Blocks[0], feeds, feedCases)
	if !ok {
		return BlindWait{}, false
	}
	var names []string
	for _, ch := range chans {
		names = append(names, wm.SrcText(chanOpPos(instr, ch), ch))
	}
	return BlindWait{
		Pos: instr.Pos(), Func: lockmodel.FuncName(fn), Chan: joinNames(names), Goroutine: lockmodel.FuncName(feeder),
		Go: starts[0].Pos(), Return: ret, Select: isSel, Range: isRange, FeedsInLoop: anyInLoop(feeds),
		Failed: failedBefore(feeder, ret),
	}, true
}

// failedBefore finds a call that fails the test on the one way into the
// return of fn at ret (the blocks before it while each has one
// predecessor). NoPos if none.
func failedBefore(fn *ssa.Function, ret token.Pos) token.Pos {
	for _, b := range fn.Blocks {
		r, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || lockmodel.ReturnPos(fn, r) != ret {
			continue
		}
		for x, n := b, 0; x != nil && n < 32; n++ {
			for _, instr := range x.Instrs {
				if c, ok := instr.(ssa.CallInstruction); ok && failsTest(c.Common()) {
					return instr.Pos()
				}
			}
			if len(x.Preds) != 1 {
				break
			}
			x = x.Preds[0]
		}
	}
	return token.NoPos
}

func anyInLoop(instrs map[ssa.Instruction]bool) bool {
	for i := range instrs {
		if callindex.InLoop(i) {
			return true
		}
	}
	return false
}

func joinNames(names []string) string {
	out := ""
	for i, n := range names {
		switch {
		case i == 0:
		case i == len(names)-1:
			out += " or "
		default:
			out += ", "
		}
		out += n
	}
	return out
}

// chanOpPos is the position srcText knows the channel ch of instr by.
func chanOpPos(instr ssa.Instruction, ch ssa.Value) token.Pos {
	if sel, ok := instr.(*ssa.Select); ok {
		for _, st := range sel.States {
			if st.Chan == ch {
				return st.Pos
			}
		}
	}
	return instr.Pos()
}

// testFailure finds a call that fails a test (Error, Errorf, Fatal,
// Fatalf, Fail, FailNow of package testing's T, B, F or TB) on the path
// every run of the select case b takes: b and the blocks after it while
// there is one way on. NoPos if none.
func testFailure(b *ssa.BasicBlock) token.Pos {
	for x, n := b, 0; x != nil && n < 64; n++ {
		for _, instr := range x.Instrs {
			if c, ok := instr.(ssa.CallInstruction); ok && failsTest(c.Common()) {
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

func failsTest(c *ssa.CallCommon) bool {
	var name string
	var pkg *types.Package
	if c.IsInvoke() {
		name, pkg = c.Method.Name(), c.Method.Pkg()
		if pkg == nil { // exported: the interface's package
			if n, ok := types.Unalias(c.Value.Type()).(*types.Named); ok {
				pkg = n.Obj().Pkg()
			}
		}
	} else if fn := c.StaticCallee(); fn != nil && fn.Pkg != nil {
		name, pkg = fn.Name(), fn.Pkg.Pkg
	} else if fn := c.StaticCallee(); fn != nil && fn.Object() != nil {
		name, pkg = fn.Name(), fn.Object().Pkg()
	}
	if pkg == nil || pkg.Path() != "testing" {
		return false
	}
	switch name {
	case "Error", "Errorf", "Fatal", "Fatalf", "Fail", "FailNow":
		return true
	}
	return false
}
