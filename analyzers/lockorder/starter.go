package lockorder

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// A goroutine whose starter releases its lock. A func literal started as
// a goroutine may lock a mutex it captured and go on to the next loop
// iteration still holding it, when the function that started it unlocks
// that same variable (the standard library's TestRLocker, copied into
// franz-go's xsync: the goroutine locks, the test's goroutine unlocks).
// The release is handed to the starter: not a lock held across the
// iteration by this goroutine alone.

// releasedByStarter: the loop re-acquisition sd is in a func literal
// started as a goroutine, of a lock reached through one of its captured
// variables, and the function that starts it unlocks that variable.
func releasedByStarter(sd lockmodel.SelfDeadlock, ix *callindex.Index) bool {
	fn := sd.Fn
	if fn == nil || fn.Parent() == nil || !sd.Loop.IsValid() {
		return false
	}
	starts := ix.StartsOf(fn)
	if len(starts) == 0 {
		return false
	}
	fv := capturedLock(fn, sd.Pos)
	if fv < 0 {
		return false
	}
	for _, st := range starts {
		if fv >= len(st.Bindings) || !unlocks(st.Caller, st.Bindings[fv]) {
			return false
		}
	}
	return true
}

// capturedLock returns the index of the free variable whose lock fn takes
// at pos, or -1.
func capturedLock(fn *ssa.Function, pos token.Pos) int {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok || instr.Pos() != pos {
				continue
			}
			kind, recv := lockmodel.LockOpOf(call.Common())
			if kind != lockmodel.OpLock && kind != lockmodel.OpRLock {
				continue
			}
			if fv, ok := cell(recv).(*ssa.FreeVar); ok {
				for i, x := range fn.FreeVars {
					if x == fv {
						return i
					}
				}
			}
		}
	}
	return -1
}

// unlocks: fn unlocks the lock held in v (a captured variable's cell).
func unlocks(fn *ssa.Function, v ssa.Value) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if kind, recv := lockmodel.LockOpOf(call.Common()); (kind == lockmodel.OpUnlock || kind == lockmodel.OpRUnlock) && cell(recv) == v {
				return true
			}
		}
	}
	return false
}

// cell returns the variable a lock value is read from: the pointer itself
// for a captured mutex, the cell a captured Locker is loaded from.
func cell(v ssa.Value) ssa.Value {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		return u.X
	}
	return v
}
