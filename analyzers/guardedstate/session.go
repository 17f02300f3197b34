package guardedstate

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// sessionTypes: types whose objects hold their owner's lock for their
// whole life, by the protocol of the package: some method releases, without
// taking it, a lock of an object the receiver points to (bbolt's
// Tx.Rollback read-unlocks tx.db.mmaplock, taken by DB.beginTx; etcd's
// storeTxnRead.End read-unlocks tr.s.mu, taken by store.Read). The
// lock model sees the release, not the lock held between: the methods of
// such a type run under a lock they cannot name.
func sessionTypes(res *lockmodel.Result, fns []*ssa.Function) map[*types.Named]bool {
	out := map[*types.Named]bool{}
	for _, fn := range fns {
		recv := receiverNamed(fn)
		if recv == nil || out[recv] {
			continue
		}
		sum := res.Summary(fn)
		if sum == nil {
			continue
		}
		for _, r := range sum.Releases {
			// ".db.mmaplock": a lock of another object, reached
			// through a field of the receiver.
			if r.Param == 0 && strings.Count(r.Path, ".") >= 2 && !strings.Contains(r.Path, "[]") {
				out[recv] = true
				break
			}
		}
	}
	return out
}

// receiverNamed: the named type of fn's receiver (a method), or nil.
func receiverNamed(fn *ssa.Function) *types.Named {
	recv := fn.Signature.Recv()
	if recv == nil || fn.Parent() != nil {
		return nil
	}
	t := recv.Type()
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
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
