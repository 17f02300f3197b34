package waitpartner

import (
	"fmt"
	"go/token"
	"sort"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// This file answers "can the partner leave first?" for goroutines that
// send on a channel whose whole world is known (ChanWorld): the receiver
// returns on the first error while other sends are still to come, or the
// function that made the channel hands it to a caller that drops it.
// Leaving a select by cancellation or a timer is ChanLeaks' (cancel-leak);
// a wait for a goroutine that returns without delivering is
// undelivered's (ctx-blind-wait, and ReadyWaits without a context).

// LeaveKind says how the partner leaves first.
type LeaveKind int

const (
	// FirstError: the receiver returns on a received value (the first
	// error) while goroutines started in a loop, or a goroutine sending in
	// a loop, still have sends to make.
	FirstError LeaveKind = iota + 1
	// Dropped: a caller drops the channel the function returns, whose
	// goroutine sends on it.
	Dropped
)

// Abandoned is a goroutine's send that blocks forever because the only
// side that could receive it leaves first.
type Abandoned struct {
	Kind      LeaveKind
	Pos       token.Pos // the goroutine's send
	Chan      string    // as written at the send
	Make      token.Pos
	Goroutine report.FuncRef
	Go        token.Pos
	Many      string         // FirstError: "started in a loop", "one of 2 goroutines that send on it"
	Once      bool           // FirstError: the receiver receives once, not in a loop
	Func      report.FuncRef // the receiver (FirstError) or the caller that drops it (Dropped)
	Recv      token.Pos
	Exit      token.Pos      // FirstError: the return; Dropped: the call that drops the channel
	Maker     report.FuncRef // Dropped: the function that makes and returns the channel
}

// abandonedSends returns goroutine sends whose receiver leaves first, in
// source order.
func abandonedSends(wm *waitmodel.Model) []Abandoned {
	var out []Abandoned
	for _, fn := range wm.Funcs() {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if mc, ok := instr.(*ssa.MakeChan); ok && waitmodel.CapOf(mc) == 0 {
					out = append(out, abandoned(wm, mc)...)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

func abandoned(wm *waitmodel.Model, mc *ssa.MakeChan) []Abandoned {
	uses, rets, escapes := wm.ChanWorld(mc)
	if escapes {
		return nil
	}
	maker := mc.Parent()
	var recvs []waitmodel.ChanUse
	sends := map[*ssa.Function][]waitmodel.ChanUse{}
	var senders []*ssa.Function
	for _, u := range uses {
		f := u.Instr.Parent()
		switch {
		case u.Op == waitmodel.OpClose:
		case u.Op == waitmodel.OpRecv && f == maker && len(rets) == 0:
			recvs = append(recvs, u)
		case u.Op == waitmodel.OpSend && f != maker && u.Sel < 0:
			if sends[f] == nil {
				senders = append(senders, f)
			}
			sends[f] = append(sends[f], u)
		default:
			return nil // a receive elsewhere (a drain), a send that can give up, ...
		}
	}
	// Every sender is a goroutine the maker starts.
	for _, g := range senders {
		if !wm.OnlyStarted(g) {
			return nil
		}
		for _, st := range wm.GoStarts(g) {
			if st.Parent() != maker {
				return nil
			}
		}
	}
	if len(senders) == 0 {
		return nil
	}
	if len(rets) > 0 {
		return dropped(wm, mc, rets, senders, sends)
	}
	return firstError(wm, mc, recvs, senders, sends)
}

// firstError: the maker receives in a loop and leaves it, on a path that
// receives no more, by a branch on a received value, while more sends are
// to come: goroutines started in a loop other than the receiving one.
func firstError(wm *waitmodel.Model, mc *ssa.MakeChan, recvs []waitmodel.ChanUse, senders []*ssa.Function, sends map[*ssa.Function][]waitmodel.ChanUse) []Abandoned {
	touches := map[ssa.Instruction]bool{}
	for _, r := range recvs {
		touches[r.Instr] = true
	}
	if len(recvs) == 1 && recvs[0].Sel < 0 && !callindex.InLoop(recvs[0].Instr) {
		return receivesOnce(wm, mc, recvs[0], senders, sends)
	}
	for _, r := range recvs {
		if r.Sel >= 0 {
			continue
		}
		loop := callindex.LoopOf(r.Instr.Block())
		if loop == nil {
			continue
		}
		head := loopHead(loop)
		for _, b := range r.Instr.Parent().Blocks {
			if !loop[b] || b == head {
				continue
			}
			ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
			if !ok || !dependsOn(ifi.Cond, r.Instr.(ssa.Value)) {
				continue
			}
			for _, succ := range b.Succs {
				if loop[succ] {
					continue
				}
				exit, ok := waitmodel.UntouchedExit(succ, touches, nil)
				if !ok {
					continue
				}
				var out []Abandoned
				for _, g := range senders {
					many := manySends(wm.GoStarts(g), loop)
					if many == "" {
						continue
					}
					s := sends[g][0]
					_, ch := waitmodel.ChanOpOf(s.Instr)
					out = append(out, Abandoned{
						Kind: FirstError, Pos: s.Instr.Pos(), Chan: wm.SrcText(s.Instr.Pos(), ch), Make: mc.Pos(),
						Goroutine: lockmodel.FuncRefOf(g), Go: wm.GoStarts(g)[0].Pos(), Many: many,
						Func: lockmodel.FuncRefOf(mc.Parent()), Recv: r.Instr.Pos(), Exit: exit,
					})
				}
				return out
			}
		}
	}
	return nil
}

// receivesOnce: the maker receives once, and more than one send is due
// (kubevirt PR 6168: two copy goroutines sent their errors on one
// unbuffered channel that was read once; the other one blocked forever).
func receivesOnce(wm *waitmodel.Model, mc *ssa.MakeChan, r waitmodel.ChanUse, senders []*ssa.Function, sends map[*ssa.Function][]waitmodel.ChanUse) []Abandoned {
	starts := 0
	var many string
	for _, g := range senders {
		starts += len(wm.GoStarts(g))
		if m := manySends(wm.GoStarts(g), nil); m != "" && many == "" {
			many = m
		}
	}
	if many == "" && starts > 1 {
		many = fmt.Sprintf("one of %d goroutines that send on it", starts)
	}
	if many == "" {
		return nil
	}
	var out []Abandoned
	for _, g := range senders {
		s := sends[g][0]
		_, ch := waitmodel.ChanOpOf(s.Instr)
		out = append(out, Abandoned{
			Kind: FirstError, Once: true, Pos: s.Instr.Pos(), Chan: wm.SrcText(s.Instr.Pos(), ch), Make: mc.Pos(),
			Goroutine: lockmodel.FuncRefOf(g), Go: wm.GoStarts(g)[0].Pos(), Many: many,
			Func: lockmodel.FuncRefOf(mc.Parent()), Recv: r.Instr.Pos(),
		})
	}
	return out
}

// manySends says why more than one send of g may be pending when the
// receiver leaves: g is started in a loop other than the receiving one (a
// start and a receive per iteration leave nothing pending). A goroutine
// that sends in a loop is not enough: it is often an event loop that
// sends once per event and returns on a stop its starter closes (etcd
// raft's TestNodeProposeAddLearnerNode). "" when g is not started in a
// loop.
func manySends(starts []ssa.Instruction, recvLoop map[*ssa.BasicBlock]bool) string {
	for _, st := range starts {
		if callindex.InLoop(st) && !recvLoop[st.Block()] {
			return "started in a loop"
		}
	}
	return ""
}

// loopHead returns the block of loop that dominates the others (where the
// loop's own condition is tested), or nil.
func loopHead(loop map[*ssa.BasicBlock]bool) *ssa.BasicBlock {
	for h := range loop {
		all := true
		for b := range loop {
			if !h.Dominates(b) {
				all = false
				break
			}
		}
		if all {
			return h
		}
	}
	return nil
}

// dependsOn reports whether v is computed from the value recv (a receive)
// within its function: err != nil on err := <-errc, r.err != nil on a
// received struct, a call on it.
func dependsOn(v ssa.Value, recv ssa.Value) bool {
	seen := map[ssa.Value]bool{}
	var walk func(v ssa.Value, depth int) bool
	walk = func(v ssa.Value, depth int) bool {
		if v == recv {
			return true
		}
		if seen[v] || depth > 8 {
			return false
		}
		seen[v] = true
		switch x := v.(type) {
		case *ssa.Alloc: // a local struct (r := <-ch; r.err): what is stored in it
			for _, r := range *x.Referrers() {
				if st, ok := r.(*ssa.Store); ok && st.Addr == x && walk(st.Val, depth+1) {
					return true
				}
			}
			return false
		case *ssa.Phi, *ssa.Parameter, *ssa.FreeVar, *ssa.Const, *ssa.Global, *ssa.Function:
			return false
		case ssa.Instruction:
			for _, op := range x.Operands(nil) {
				if *op != nil && walk(*op, depth+1) {
					return true
				}
			}
		}
		return false
	}
	return walk(v, 0)
}

// dropped: the maker returns the channel its goroutines send on; each call
// of the maker in this package that drops that result leaves them
// blocked.
func dropped(wm *waitmodel.Model, mc *ssa.MakeChan, rets []waitmodel.ChanReturn, senders []*ssa.Function, sends map[*ssa.Function][]waitmodel.ChanUse) []Abandoned {
	maker := mc.Parent()
	if maker.Parent() != nil {
		return nil
	}
	index := rets[0].Index
	for _, r := range rets[1:] {
		if r.Index != index {
			return nil
		}
	}
	calls, _ := wm.Index().Callers(maker)
	var out []Abandoned
	for _, c := range calls {
		call, ok := c.Instr.(*ssa.Call)
		if !ok || c.Via != "" || !resultDropped(call, index) {
			continue
		}
		for _, g := range senders {
			s := sends[g][0]
			_, ch := waitmodel.ChanOpOf(s.Instr)
			out = append(out, Abandoned{
				Kind: Dropped, Pos: s.Instr.Pos(), Chan: wm.SrcText(s.Instr.Pos(), ch), Make: mc.Pos(),
				Goroutine: lockmodel.FuncRefOf(g), Go: wm.GoStarts(g)[0].Pos(),
				Func: lockmodel.FuncRefOf(call.Parent()), Exit: call.Pos(), Maker: lockmodel.FuncRefOf(maker),
			})
		}
	}
	return out
}

// resultDropped reports whether result index of call is never used.
func resultDropped(call *ssa.Call, index int) bool {
	refs := call.Referrers()
	if refs == nil {
		return true
	}
	if call.Call.Signature().Results().Len() == 1 {
		for _, r := range *refs {
			if _, ok := r.(*ssa.DebugRef); !ok {
				return false
			}
		}
		return true
	}
	for _, r := range *refs {
		ex, ok := r.(*ssa.Extract)
		if !ok {
			if _, dbg := r.(*ssa.DebugRef); dbg {
				continue
			}
			return false
		}
		if ex.Index != index {
			continue
		}
		for _, er := range *ex.Referrers() {
			if _, dbg := er.(*ssa.DebugRef); !dbg {
				return false
			}
		}
	}
	return true
}
