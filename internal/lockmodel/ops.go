package lockmodel

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// LockOp is a sync operation the model understands.
type LockOp int

const (
	OpNone LockOp = iota
	OpLock
	OpRLock
	OpUnlock
	OpRUnlock
	OpTryLock
	OpTryRLock
	OpWait
)

// LockOpOf recognizes calls on sync.Mutex, sync.RWMutex and sync.Cond, and
// Lock/Unlock through a sync.Locker whose dynamic value is visible. It
// returns the receiver: a *sync.Mutex / *sync.RWMutex value (or the
// *sync.Cond for Wait, or the Locker interface value).
func LockOpOf(c *ssa.CallCommon) (LockOp, ssa.Value) {
	if c.IsInvoke() {
		if !isLocker(c.Value.Type()) {
			return OpNone, nil
		}
		switch c.Method.Name() {
		case "Lock":
			return OpLock, c.Value
		case "Unlock":
			return OpUnlock, c.Value
		}
		return OpNone, nil
	}
	fn := c.StaticCallee()
	if fn == nil || len(c.Args) == 0 {
		return OpNone, nil
	}
	recv := fn.Signature.Recv()
	if recv == nil {
		return OpNone, nil
	}
	switch SyncType(recv.Type()) {
	case "Mutex", "RWMutex":
		switch fn.Name() {
		case "Lock":
			return OpLock, c.Args[0]
		case "RLock":
			return OpRLock, c.Args[0]
		case "Unlock":
			return OpUnlock, c.Args[0]
		case "RUnlock":
			return OpRUnlock, c.Args[0]
		case "TryLock":
			return OpTryLock, c.Args[0]
		case "TryRLock":
			return OpTryRLock, c.Args[0]
		}
	case "Cond":
		if fn.Name() == "Wait" {
			return OpWait, c.Args[0]
		}
	}
	return OpNone, nil
}

// SyncType returns "Mutex", "RWMutex", "Cond", ... for (pointers to) sync
// types, "" otherwise.
func SyncType(t types.Type) string {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "sync" {
		return ""
	}
	return n.Obj().Name()
}

func isLocker(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" && n.Obj().Name() == "Locker"
}

// ResolveLocker resolves a lock receiver (the value LockOpOf returns). A
// sync.Locker value is traced to the mutex it wraps, or to a Cond's lock.
// Safe for concurrent use.
func (r *Result) ResolveLocker(v ssa.Value) Expr {
	if hs := r.held; hs != nil {
		hs.mu.Lock()
		defer hs.mu.Unlock()
		return hs.scratch().resolveLocker(v)
	}
	return Resolve(v)
}

// Instance returns the lock instance e names once pointer fields bound at
// construction are followed (w := newWrapper(&s.mu): w.m is s.mu; see
// instance.go): compare lock expressions made outside the model (lifted
// through call frames) by their instance's Key. Safe for concurrent use.
func (r *Result) Instance(e Expr) Expr {
	if hs := r.held; hs != nil {
		hs.mu.Lock()
		defer hs.mu.Unlock()
		return hs.scratch().instance(e)
	}
	return e
}

// CondLock maps a *sync.Cond value to the lock it was created over
// (sync.NewCond(&x.mu), in this package or a dependency). Safe for
// concurrent use.
func (r *Result) CondLock(c ssa.Value) (Expr, bool) {
	if hs := r.held; hs != nil {
		hs.mu.Lock()
		defer hs.mu.Unlock()
		return hs.scratch().condLock(c)
	}
	return Expr{}, false
}

// resolveLocker resolves a lock receiver. A sync.Locker value is traced
// to the mutex it wraps (MakeInterface), or to a Cond's lock (c.L); the
// instance follows fields bound at construction (instance.go).
func (m *model) resolveLocker(v ssa.Value) Expr {
	return m.instance(m.lockerExpr(v))
}

func (m *model) lockerExpr(v ssa.Value) Expr {
	if isLocker(v.Type()) {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			return Resolve(x.X)
		case *ssa.UnOp: // c.L loaded from a *sync.Cond
			if fa, ok := x.X.(*ssa.FieldAddr); ok && SyncType(fa.X.Type()) == "Cond" {
				if e, ok := m.condLockExpr(fa.X); ok {
					return e
				}
			}
		}
	}
	return Resolve(v)
}

// condReadSide: v is c.L of a Cond created over an RWMutex's read side.
func (m *model) condReadSide(v ssa.Value) bool {
	x, ok := v.(*ssa.UnOp)
	if !ok || !isLocker(v.Type()) {
		return false
	}
	fa, ok := x.X.(*ssa.FieldAddr)
	if !ok || SyncType(fa.X.Type()) != "Cond" {
		return false
	}
	return m.condLocks[Resolve(fa.X).class].Read
}

// condLock maps a *sync.Cond value to the lock it was created over (the
// instance, as resolveLocker).
func (m *model) condLock(c ssa.Value) (Expr, bool) {
	e, ok := m.condLockExpr(c)
	if ok {
		e = m.instance(e)
	}
	return e, ok
}

func (m *model) condLockExpr(c ssa.Value) (Expr, bool) {
	ce := Resolve(c)
	cl, ok := m.condLocks[ce.class]
	if !ok {
		return Expr{}, false
	}
	e := Expr{class: cl.Lock, global: "class:" + cl.Lock}
	if cl.LockField != "" && ce.path != "" {
		// sibling field: replace the Cond's last path step by the lock's
		i := len(ce.path) - 1
		for i >= 0 && ce.path[i] != '.' {
			i--
		}
		if i >= 0 {
			e = Expr{root: ce.root, global: ce.global, path: ce.path[:i] + "." + cl.LockField, class: cl.Lock, alias: ce.alias}
		}
	}
	return e, true
}

// findCondLocks records x.c = sync.NewCond(&x.mu) bindings of this package.
func (m *model) findCondLocks(fns []*ssa.Function) {
	for _, fn := range fns {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				call, ok := st.Val.(*ssa.Call)
				if !ok {
					continue
				}
				callee := call.Common().StaticCallee()
				if callee == nil || callee.Name() != "NewCond" || callee.Pkg == nil || callee.Pkg.Pkg.Path() != "sync" || len(call.Call.Args) != 1 {
					continue
				}
				condAddr, ok := st.Addr.(*ssa.FieldAddr)
				if !ok {
					continue
				}
				ce := Resolve(condAddr)
				arg := call.Call.Args[0]
				if mi, ok := arg.(*ssa.MakeInterface); ok {
					arg = mi.X
				}
				read := isRLocker(arg)
				if read {
					arg = arg.(*ssa.Call).Call.Args[0] // rw.RLocker(): rw, read side
				}
				le := Resolve(arg)
				if ce.class == "" || le.class == "" {
					continue
				}
				cl := CondLock{Cond: ce.class, Lock: le.class, Read: read}
				if lfa, ok := arg.(*ssa.FieldAddr); ok && sameBase(lfa.X, condAddr.X) {
					st, _ := StructOf(lfa.X.Type())
					cl.LockField = st.Field(lfa.Field).Name()
				} else if field, class := storedSibling(arg, condAddr); field != "" {
					// &T{cond: sync.NewCond(lock), lock: lock}: the Cond's
					// lock is also the pointer field T.lock.
					cl.Lock, cl.LockField = class, field
				}
				if _, dup := m.condLocks[cl.Cond]; !dup {
					m.condLocks[cl.Cond] = cl
					m.ownCondLocks = append(m.ownCondLocks, cl)
				}
			}
		}
	}
}

// storedSibling finds a store of lock (a pointer value) into a field of the
// struct that holds the Cond at condAddr, and returns that field's name and
// class.
func storedSibling(lock ssa.Value, condAddr *ssa.FieldAddr) (string, string) {
	refs := lock.Referrers()
	if refs == nil {
		return "", ""
	}
	for _, r := range *refs {
		st, ok := r.(*ssa.Store)
		if !ok || st.Val != lock {
			continue
		}
		fa, ok := st.Addr.(*ssa.FieldAddr)
		if !ok || !sameBase(fa.X, condAddr.X) {
			continue
		}
		s, named := StructOf(fa.X.Type())
		if named == nil {
			continue
		}
		name := s.Field(fa.Field).Name()
		return name, "(" + typeName(named) + ")." + name
	}
	return "", ""
}

func sameBase(a, b ssa.Value) bool {
	ea, eb := Resolve(a), Resolve(b)
	return ea.Key() == eb.Key()
}
