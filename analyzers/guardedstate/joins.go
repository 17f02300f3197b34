package guardedstate

import (
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// joinedLocal: u goes through an object its own function made (an
// allocation, a constructor's result) and shares only with goroutines it
// starts and joins before u — a local WaitGroup's Wait, or another wait
// the wait model proves ends only when they exit (waitmodel.Join): they
// are done, and no one else has the object (go-redis's processPipeline
// reads failedCmds after wg.Wait(), which the workers filled under its
// lock).
func (s *state) joinedLocal(u *access) bool {
	root := u.root
	if root == nil || root.Parent() != u.fn || !newObject(s.res, root) {
		return false
	}
	joined := map[ssa.Value]bool{} // the closures of the joined starts
	for _, st := range s.res.CallIndex().StartsIn(u.fn) {
		if !lockmodel.Reaches(st.Instr, u.instr) {
			continue
		}
		if st.Kind != callindex.GoStmt || !s.joinedBefore(st, u.instr) {
			return false
		}
		joined[st.Instr.(*ssa.Go).Call.Value] = true
	}
	if len(joined) == 0 {
		return false
	}
	return keptFor(root, joined, map[ssa.Value]bool{})
}

// keptFor: v is handed to nothing but the closures of joined: only
// loaded from, stored in a variable's own cell, or merged by a phi whose
// uses are the same.
func keptFor(v ssa.Value, joined, seen map[ssa.Value]bool) bool {
	if seen[v] {
		return true
	}
	seen[v] = true
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			if _, cell := r.Addr.(*ssa.Alloc); !cell && r.Val == v {
				return false
			}
		case *ssa.MakeClosure:
			if !joined[r] {
				return false
			}
		case *ssa.Phi:
			if !keptFor(r, joined, seen) {
				return false
			}
		case ssa.CallInstruction, *ssa.Send, *ssa.MakeInterface, *ssa.ChangeType, *ssa.Convert, *ssa.Return:
			return false
		}
	}
	return true
}

// joinedBefore: a join of the wait model ends only when the goroutine st
// starts exits, comes after st and before at on every path.
func (s *state) joinedBefore(st callindex.Start, at ssa.Instruction) bool {
	for _, j := range s.waits.Joins {
		if j.Func == st.Caller && j.Goroutine == st.Fn && callindex.Before(j.At, at) && lockmodel.Reaches(st.Instr, j.At) {
			return true
		}
	}
	return false
}

// forkJoinHeld: u runs in a goroutine whose every start is a go statement
// its starter joins before going on (a waitmodel join), holding the
// guard at both the start and the join: the starter holds it for the
// goroutine's whole run, so no other goroutine's guarded access can come
// in between (go-redis's sentinelFailover.MasterAddr holds c.mu while its
// workers look up the master and it waits for them). The workers are
// not kept apart from each other by it.
func (s *state) forkJoinHeld(u *access, guard string) bool {
	starts := s.res.CallIndex().StartsOf(u.fn)
	if len(starts) == 0 || !s.res.CallIndex().OnlyStarted(u.fn) {
		return false
	}
	for _, st := range starts {
		if st.Kind != callindex.GoStmt {
			return false
		}
		join := s.joinOf(st)
		if join == nil {
			return false
		}
		caller := s.entry[st.Caller]
		across := intersectHeld(withEntry(heldBefore(s.res, st.Instr), caller), withEntry(heldBefore(s.res, join), caller))
		site := callSite{instr: st.Instr, caller: st.Caller, bindings: st.Bindings}
		var mapped []lockmodel.HeldLock
		for _, h := range across {
			if k, ok := mapKey(h.Key, site); ok {
				h.Key = k
				mapped = append(mapped, h)
			}
		}
		if _, ok := heldIDs(u, mapped)[guard]; !ok {
			return false
		}
	}
	return true
}

// joinOf: the wait of a waitmodel join that ends only when the goroutine
// st starts exits, after st in its starter; nil if none.
func (s *state) joinOf(st callindex.Start) ssa.Instruction {
	for _, j := range s.waits.Joins {
		if j.Func == st.Caller && j.Goroutine == st.Fn && lockmodel.Reaches(st.Instr, j.At) {
			return j.At
		}
	}
	return nil
}
