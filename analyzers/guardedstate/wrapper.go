package guardedstate

import (
	"fmt"
	"go/token"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// wrapping: a function value passed to a function of this package (the
// wrapper) that only calls it, directly or from a closure it makes
// (nats-server's wrapChk(f) returns func() { s.mu.Lock(); ...; f();
// s.mu.Unlock() }; a withLock(f) helper). The locks the wrapper holds at
// every one of those calls are held whenever the value runs.
type wrapping struct {
	call  *ssa.CallCommon // the call of the wrapper, in the caller
	calls []wrappedCall   // where the wrapper (or its closure) calls the value
	// later: some call is in a closure the wrapper makes, which may run
	// after the wrapper returned (a timer's): the caller's locks at the
	// wrapper's call are not held then.
	later bool
	recv  bool // the value is a bound method (its receiver is the site's argument 0)
}

type wrappedCall struct {
	call    *ssa.Call
	closure *ssa.MakeClosure // the closure the call is in, made by the wrapper; nil if in the wrapper
}

// wrapperOf: call hands v to a function of this package that does nothing
// with it but call it (or capture it in closures that only call it); nil
// otherwise.
func wrapperOf(call *ssa.CallCommon, v ssa.Value) *wrapping {
	w := call.StaticCallee()
	if w == nil || len(w.Blocks) == 0 || w.Parent() != nil {
		return nil
	}
	idx := -1
	for i, a := range call.Args {
		if a == v {
			if idx >= 0 {
				return nil // passed twice
			}
			idx = i
		}
	}
	if idx < 0 || idx >= len(w.Params) {
		return nil
	}
	out := &wrapping{call: call}
	if !out.onlyCalls(w.Params[idx], nil) {
		return nil
	}
	if len(out.calls) == 0 {
		return nil
	}
	return out
}

// onlyCalls: every use of v (the value, or a cell holding it: a captured
// parameter is spilled to one) is a call of it, in the wrapper or in a
// closure it makes (mc, when v is that closure's free variable); records
// the calls.
func (w *wrapping) onlyCalls(v ssa.Value, mc *ssa.MakeClosure) bool {
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.Call:
			if r.Call.Value != v {
				return false // passed on
			}
			w.calls = append(w.calls, wrappedCall{call: r, closure: mc})
		case *ssa.UnOp:
			if r.Op != token.MUL || !w.onlyCalls(r, mc) {
				return false
			}
		case *ssa.Store:
			if r.Addr == v {
				continue // the spill below, seen from the cell
			}
			// The spill of the parameter into its cell (the cell's
			// only store).
			alloc, ok := r.Addr.(*ssa.Alloc)
			if !ok || r.Val != v || mc != nil || lockmodel.StoredValue(alloc) == nil || !w.onlyCalls(alloc, nil) {
				return false
			}
		case *ssa.MakeClosure:
			if mc != nil {
				return false // a closure in the closure: not followed
			}
			// The closure is returned (to run later: wrapChk) or called
			// right here; handed to anything else, who knows when it
			// runs and under what (nats-server's getScheduledMessages
			// passes it on to ExpireTasks).
			later, ok := closureUse(r)
			if !ok {
				return false
			}
			fn := r.Fn.(*ssa.Function)
			for j, b := range r.Bindings {
				if b == v {
					if !w.onlyCalls(fn.FreeVars[j], r) {
						return false
					}
					w.later = w.later || later
				}
			}
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

// closureUse: the wrapper's closure mc is only returned (later) or only
// called where it is made; ok is false for any other use.
func closureUse(mc *ssa.MakeClosure) (later, ok bool) {
	refs := *mc.Referrers()
	if len(refs) == 0 {
		return false, false
	}
	returned, called := false, false
	for _, r := range refs {
		switch r := r.(type) {
		case *ssa.Return:
			returned = true
		case *ssa.Call:
			if r.Call.Value != mc {
				return false, false
			}
			called = true
		default:
			return false, false
		}
	}
	if returned && called {
		return false, false
	}
	return returned, true
}

// heldByWrapper: the locks held at every call the wrapper makes of the
// function value of site, in the callee's terms: a lock on an argument of
// the wrapper's call of it (franz-go's eachOwnerLocked(fn) locks
// batch.owner.mu, then fn(batch)), or on what the caller handed the
// wrapper and the callee sees as well (its receiver, its bindings).
func heldByWrapper(res *lockmodel.Result, site callSite) map[string]lockmodel.HeldLock {
	w := site.wrap
	var out map[string]lockmodel.HeldLock
	for _, wc := range w.calls {
		keys := map[string]lockmodel.HeldLock{}
		add := func(k string, h lockmodel.HeldLock) {
			if prev, seen := keys[k]; !seen || prev.Mode == lockmodel.Read {
				h.Key, h.Chain = k, nil
				keys[k] = h
			}
		}
		shift := 0
		if w.recv {
			shift = 1 // a bound method's parameter 0 is its receiver
		}
		for _, h := range heldBefore(res, wc.call) {
			if strings.HasPrefix(h.Key, "global:") {
				add(h.Key, h)
				continue
			}
			for j, a := range wc.call.Call.Args {
				if rest, ok := under(h.Key, a); ok {
					add(fmt.Sprintf("param%d", j+shift)+rest, h)
				}
			}
			if ck, ok := wrapperKey(h.Key, wc.closure, w.call); ok {
				if k, ok := mapKey(ck, site); ok {
					add(k, h)
				}
			}
		}
		if out == nil {
			out = keys
			continue
		}
		for k := range out {
			if _, ok := keys[k]; !ok {
				delete(out, k)
			}
		}
	}
	return out
}

// wrapperLocks: the wrapper holds some lock at every call of the value,
// named in the callee's terms or not.
func wrapperLocks(res *lockmodel.Result, w *wrapping) bool {
	for _, wc := range w.calls {
		if len(heldBefore(res, wc.call)) == 0 {
			return false
		}
	}
	return true
}

// wrapperKey maps a lock key of the wrapper (or of its closure mc) onto
// the caller's values at call: "free0.mu" of the closure is what the
// wrapper binds there ("param0.mu"), which is the caller's argument.
func wrapperKey(key string, mc *ssa.MakeClosure, call *ssa.CallCommon) (string, bool) {
	if strings.HasPrefix(key, "global:") {
		return key, true
	}
	if mc != nil {
		j, rest, ok := inputKey(key, "free")
		if !ok || j >= len(mc.Bindings) {
			return "", false
		}
		key = lockmodel.Resolve(mc.Bindings[j]).Key() + rest
		if strings.HasPrefix(key, "global:") {
			return key, true
		}
	}
	i, rest, ok := inputKey(key, "param")
	if !ok || i >= len(call.Args) {
		return "", false
	}
	base := lockmodel.Resolve(call.Args[i]).Key()
	if base == "nil" {
		return "", false
	}
	return base + rest, true
}

// inputKey splits "param2.mu" into 2 and ".mu" (prefix "param"); a path
// through an index names no one instance.
func inputKey(key, prefix string) (int, string, bool) {
	rest, ok := strings.CutPrefix(key, prefix)
	if !ok {
		return 0, "", false
	}
	n := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
	if n <= 0 || !strings.HasPrefix(rest[n:], ".") || strings.Contains(rest[n:], "[]") {
		return 0, "", false
	}
	i, err := strconv.Atoi(rest[:n])
	return i, rest[n:], err == nil
}
