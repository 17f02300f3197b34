package waitmodel

import (
	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"go/constant"
	"go/token"
	"go/types"
	"sort"

	"github.com/kafkalint/kafkalint/internal/report"
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

// CapOf returns the constant capacity of a make(chan), or -1.
func CapOf(mc *ssa.MakeChan) int64 {
	if c, ok := mc.Size.(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.Int {
		n, _ := constant.Int64Val(c.Value)
		return n
	}
	return -1
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
			if TimerRangeEnd(x, j) {
				continue
			}
			stack = append(stack, succ)
		}
	}
	return token.NoPos, false
}

// TimerRangeEnd: the edge from x to its j-th successor is the way out of a
// range over a timer channel of package time (a Ticker's or Timer's C,
// time.Tick, time.After) — the false edge of the If on the receive's ok.
// The runtime never closes those channels, so the edge is never taken:
// such a loop ends only by a break or return inside it.
func TimerRangeEnd(x *ssa.BasicBlock, j int) bool {
	if j != 1 || len(x.Instrs) == 0 {
		return false
	}
	cond, ok := x.Instrs[len(x.Instrs)-1].(*ssa.If)
	if !ok {
		return false
	}
	ok1, isExtract := cond.Cond.(*ssa.Extract)
	if !isExtract || ok1.Index != 1 {
		return false
	}
	recv, isRecv := ok1.Tuple.(*ssa.UnOp)
	return isRecv && recv.Op == token.ARROW && recv.CommaOk && IsTimerChan(recv.X)
}

// BlindWait is a wait in a function that takes a context, which the
// context cannot interrupt, on a channel that only a goroutine feeds, and
// that goroutine can return without sending on it or closing it.
type BlindWait struct {
	Pos       token.Pos // the receive or select
	Func      report.FuncRef
	Chan      string // the channel(s) waited on, as written
	Goroutine report.FuncRef
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
		mc := wm.MakeChanOf(ch)
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
		Pos: instr.Pos(), Func: lockmodel.FuncRefOf(fn), Chan: joinNames(names), Goroutine: lockmodel.FuncRefOf(feeder),
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
				if c, ok := instr.(ssa.CallInstruction); ok && FailsTest(c.Common()) {
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

func FailsTest(c *ssa.CallCommon) bool {
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
