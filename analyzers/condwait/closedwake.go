package condwait

import (
	"go/constant"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// This file finds the other half of cond-wait-shutdown: a close path that
// sets a state and wakes nobody, while every Signal and Broadcast of the
// Cond is skipped once that state is set. A goroutine waiting when the
// close path runs is never woken (ants v2.4.2: Release stores CLOSED and
// does not broadcast; revertWorker returns early and purgePeriodically
// breaks once closed, so Submit calls blocked in retrieveWorker hang; v2.7.5
// broadcasts in Release).

// ClosedNoWake describes a close path that leaves a Cond's waiters asleep.
type ClosedNoWake struct {
	Path   report.FuncRef // the close path's function
	Store  token.Pos      // where it sets the state
	State  string         // the state as written, e.g. "p.state"
	Wakes  []token.Pos
	Guards []token.Pos // for each wake-up, the check that skips it once closed
}

// closedNoWake looks for a close path (a top-level function named like
// Close or Release) that stores a constant into a field every wake-up of
// the Wait's Cond checks first, skipping the wake-up on that value, and
// that wakes no waiter itself (the wait model's SignalsFrom: directly, in
// its closures, or three calls down).
func (wm *condChecker) closedNoWake(ce lockmodel.Expr, anyWakes []ssa.CallInstruction) *ClosedNoWake {
	class := ce.Class()
	if !strings.HasPrefix(class, "(") || !unexportedLast(class) {
		return nil // others may wake a Cond they can reach
	}
	var wakes []ssa.CallInstruction
	for _, ci := range anyWakes {
		if isWakeOf(ci, class) {
			wakes = append(wakes, ci)
		}
	}
	if len(wakes) == 0 {
		return nil // nothing wakes it at all: waitpartner's no-partner
	}
	for _, fn := range wm.Funcs() {
		if fn.Parent() != nil || !isClosePath(fn.Name()) || slices.Contains(wm.graph.SignalsFrom(fn), "cond:"+class) {
			continue
		}
		for _, st := range wm.constStores(fn) {
			var guards []token.Pos
			for _, wk := range wakes {
				g := wm.skippedWhen(wk, st.key, st.val)
				if !g.IsValid() {
					break
				}
				guards = append(guards, g)
			}
			if len(guards) < len(wakes) {
				continue
			}
			cn := &ClosedNoWake{Path: lockmodel.FuncRefOf(fn), Store: st.pos, State: st.text, Guards: guards}
			for _, wk := range wakes {
				cn.Wakes = append(cn.Wakes, wk.Pos())
			}
			return cn
		}
	}
	return nil
}

// isClosePath: the close-path names of cond-wait-shutdown, and Release
// (a pool's close).
func isClosePath(name string) bool {
	return waitmodel.IsCloseName(name) || strings.HasPrefix(strings.ToLower(name), "release")
}

// unexportedLast: the class's last field is unexported.
func unexportedLast(class string) bool {
	i := strings.LastIndexByte(class, '.')
	return i >= 0 && i+1 < len(class) && !token.IsExported(class[i+1:])
}

func isWakeOf(ci ssa.CallInstruction, class string) bool {
	switch waitmodel.CondMethod(ci.Common()) {
	case "Signal", "Broadcast":
		return lockmodel.Resolve(ci.Common().Args[0]).Class() == class
	}
	return false
}

type constStore struct {
	key, text string
	val       *ssa.Const
	pos       token.Pos
}

// constStores returns fn's stores of a constant into a field: plain
// stores and sync/atomic Store, Swap and CompareAndSwap (the new value).
func (wm *condChecker) constStores(fn *ssa.Function) []constStore {
	var out []constStore
	add := func(addr, v ssa.Value, pos token.Pos) {
		c, ok := v.(*ssa.Const)
		if !ok || c.Value == nil {
			return
		}
		if k, t, ok := wm.stateOf(addr); ok && strings.HasPrefix(k, "(") {
			out = append(out, constStore{key: k, text: t, val: c, pos: pos})
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Store:
				add(x.Addr, x.Val, x.Pos())
			case *ssa.Call:
				name, args := atomicCall(x.Common())
				switch {
				case strings.HasPrefix(name, "Store"), strings.HasPrefix(name, "Swap"):
					add(args[0], args[1], x.Pos())
				case strings.HasPrefix(name, "CompareAndSwap"):
					add(args[0], args[2], x.Pos())
				}
			}
		}
	}
	return out
}

// atomicCall returns the function name and arguments of a sync/atomic
// package-level call, "" otherwise.
func atomicCall(c *ssa.CallCommon) (string, []ssa.Value) {
	callee := c.StaticCallee()
	if callee == nil || callee.Signature.Recv() != nil || callee.Pkg == nil || callee.Pkg.Pkg.Path() != "sync/atomic" {
		return "", nil
	}
	return callee.Name(), c.Args
}

// skippedWhen returns the check in wk's function that skips wk once field
// key holds val: an if comparing a load of key with val, whose "equal"
// branch cannot reach wk and whose other branch leads to it.
func (wm *condChecker) skippedWhen(wk ssa.CallInstruction, key string, val *ssa.Const) token.Pos {
	for _, b := range wk.Parent().Blocks {
		ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		cmp, ok := ifi.Cond.(*ssa.BinOp)
		if !ok || (cmp.Op != token.EQL && cmp.Op != token.NEQ) {
			continue
		}
		x, y := cmp.X, cmp.Y
		if _, ok := x.(*ssa.Const); ok {
			x, y = y, x
		}
		c, ok := y.(*ssa.Const)
		if !ok || c.Value == nil || c.Value.Kind() != val.Value.Kind() || !constant.Compare(c.Value, token.EQL, val.Value) || !wm.loads(x, key) {
			continue
		}
		closed, open := b.Succs[0], b.Succs[1]
		if cmp.Op == token.NEQ {
			closed, open = open, closed
		}
		wb := wk.Block()
		if closed == wb || callindex.Reachable([]*ssa.BasicBlock{closed}, nil)[wb] || !open.Dominates(wb) {
			continue
		}
		return condPos(ifi)
	}
	return token.NoPos
}

// loads: v is a load of field key (plain, or a sync/atomic Load).
func (wm *condChecker) loads(v ssa.Value, key string) bool {
	switch x := v.(type) {
	case *ssa.UnOp:
		if x.Op == token.MUL {
			k, _, ok := wm.stateOf(x.X)
			return ok && k == key
		}
	case *ssa.Call:
		if name, args := atomicCall(x.Common()); strings.HasPrefix(name, "Load") && len(args) == 1 {
			k, _, ok := wm.stateOf(args[0])
			return ok && k == key
		}
	}
	return false
}
