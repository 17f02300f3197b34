package waitmodel

import (
	"go/token"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// sync.Cond: its operations, its lock, and the names of close paths that
// should end its waits.

// CondMethod returns the name of a (*sync.Cond) method call, "" otherwise.
func CondMethod(c *ssa.CallCommon) string {
	fn := c.StaticCallee()
	if fn == nil || fn.Signature.Recv() == nil || len(c.Args) == 0 || lockmodel.SyncType(fn.Signature.Recv().Type()) != "Cond" {
		return ""
	}
	return fn.Name()
}

// CondLockOf returns the lock of the Cond value c: bound by sync.NewCond to
// a field (the model's CondLocks) or created locally with sync.NewCond.
func (wm *Model) CondLockOf(c ssa.Value) (lockmodel.Expr, bool) {
	if e, ok := wm.res.CondLock(c); ok {
		return e, true
	}
	v := c
	for i := 0; i < 4; i++ {
		switch x := v.(type) {
		case *ssa.UnOp:
			if a, ok := x.X.(*ssa.Alloc); ok && x.Op == token.MUL {
				v = singleStored(a)
				continue
			}
		case *ssa.FreeVar:
			v = wm.Binding(x)
			continue
		case *ssa.Call:
			callee := x.Common().StaticCallee()
			if callee != nil && callee.Name() == "NewCond" && callee.Pkg != nil && callee.Pkg.Pkg.Path() == "sync" && len(x.Call.Args) == 1 {
				arg := x.Call.Args[0]
				if mi, ok := arg.(*ssa.MakeInterface); ok {
					arg = mi.X
				}
				e := lockmodel.Resolve(arg)
				return e, e.Class() != "" || e.Root() != nil
			}
		}
		break
	}
	return lockmodel.Expr{}, false
}

// singleStored returns the one value stored in a local variable, or nil.
func singleStored(a *ssa.Alloc) ssa.Value {
	var v ssa.Value
	for _, r := range *a.Referrers() {
		if st, ok := r.(*ssa.Store); ok {
			if st.Addr != a || v != nil {
				return nil
			}
			v = st.Val
		}
	}
	return v
}

// closeNames are the function names (prefixes, lower-cased) of a type's
// close or cancel path.
var closeNames = []string{"close", "shutdown", "stop", "terminate", "abort", "cancel", "quit", "kill"}

// IsCloseName reports whether a function's declared name (FuncRef.Name,
// or ssa's Function.Name: a closure "Close$1" counts as Close) names a
// close or cancel path: Close, Shutdown, Stop, stopLocked, Cancel, …
func IsCloseName(name string) bool {
	if i := strings.IndexByte(name, '$'); i >= 0 {
		name = name[:i] // a closure of Close
	}
	name = strings.ToLower(name)
	for _, p := range closeNames {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
