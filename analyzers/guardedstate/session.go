package guardedstate

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// sessionTypes: types whose objects hold their owner's lock for their
// whole life, by the protocol of the package: a function hands out a new
// one holding a lock (bbolt's DB.beginTx read-locks db.mmaplock and
// returns the *Tx), and a method releases, without taking it, a lock of
// an object the receiver points to (Tx.Rollback read-unlocks
// tx.db.mmaplock), which no method of the type takes. The lock model
// sees the release, not the lock held between: the methods of such a
// type run under a lock they cannot name.
func sessionTypes(res *lockmodel.Result, fns []*ssa.Function) map[*types.Named]bool {
	releases := map[*types.Named][]string{} // by type: receiver paths released
	takes := map[*types.Named]map[string]bool{}
	handedLocked := map[*types.Named]bool{} // returned by a function holding a lock
	for _, fn := range fns {
		sum := res.Summary(fn)
		if sum == nil {
			continue
		}
		if len(sum.HeldAtReturn) > 0 || len(sum.HeldOnSuccess) > 0 {
			for i := 0; i < fn.Signature.Results().Len(); i++ {
				if n := pointerNamed(fn.Signature.Results().At(i).Type()); n != nil {
					handedLocked[n] = true
				}
			}
		}
		recv := receiverNamed(fn)
		if recv == nil {
			continue
		}
		for _, r := range sum.Releases {
			// ".db.mmaplock": a lock of another object, reached
			// through a field of the receiver.
			if r.Param == 0 && strings.Count(r.Path, ".") >= 2 && !strings.Contains(r.Path, "[]") {
				releases[recv] = append(releases[recv], r.Path)
			}
		}
		for _, a := range sum.Acquires {
			if a.Ref.Param == 0 {
				if takes[recv] == nil {
					takes[recv] = map[string]bool{}
				}
				takes[recv][a.Ref.Path] = true
			}
		}
	}
	out := map[*types.Named]bool{}
	for t, paths := range releases {
		if !handedLocked[t] {
			continue
		}
		for _, p := range paths {
			if !takes[t][p] {
				out[t] = true
			}
		}
	}
	return out
}

// pointerNamed: the named type t points to, or nil.
func pointerNamed(t types.Type) *types.Named {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	n, _ := types.Unalias(p.Elem()).(*types.Named)
	if n != nil {
		n = n.Origin()
	}
	return n
}

// receiverNamed: the named type of fn's receiver (a method), or nil.
func receiverNamed(fn *ssa.Function) *types.Named {
	if fn.Parent() != nil {
		return nil
	}
	n := callindex.SigRecvNamed(fn.Signature)
	if n != nil {
		n = n.Origin()
	}
	return n
}

// inSession: a is reached through the receiver of a method of a session
// type.
func (s *state) inSession(a *access) bool {
	recv := receiverNamed(a.fn)
	return recv != nil && s.sessions[recv] && len(a.fn.Params) > 0 && a.root == a.fn.Params[0]
}
