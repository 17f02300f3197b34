package guardedstate

import (
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// heldBefore returns the locks held on every path right before instr, as
// the lock model computes them (callers' locks not included).
func heldBefore(res *lockmodel.Result, instr ssa.Instruction) []lockmodel.HeldLock {
	if res.TakesNoLock(instr.Parent()) {
		return nil // no held-set fixpoint for a function that takes no lock
	}
	return res.HeldBefore(instr)
}

func intersectHeld(a, b []lockmodel.HeldLock) []lockmodel.HeldLock {
	var out []lockmodel.HeldLock
	for _, x := range a {
		for _, y := range b {
			if x.Key == y.Key {
				out = append(out, x)
				break
			}
		}
	}
	return out
}
