package lockmodel

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
)

// handAway: a call (or go statement) is handed a closure or method value
// that releases a lock held here (g.commit(ctx, offs, func() {
// g.mu.RUnlock() }), go func() { defer mu.Unlock(); ... }() is the go
// statement's own case): whoever runs it releases the lock, so from here on
// this function no longer holds it. A return that did not get this far
// and still holds the lock leaks it (the early error return before the
// hand-off).
func (fa *funcAnalysis) handAway(st *state, args []ssa.Value, pos token.Pos) {
	for _, a := range args {
		fn, bindings := callindex.FuncValue(a)
		if fn == nil || fn.Synthetic == "range-over-func yield" {
			continue // a range-over-func loop body runs here, and was applied as such
		}
		sum := fa.m.summary(fn)
		if sum == nil {
			continue
		}
		for _, r := range sum.Releases {
			if relocks(sum, r) {
				continue // unlock, work, lock again (a handler that drops its caller's lock for a while): no hand-off
			}
			e, ok := fa.mapRef(r, "", nil, bindings)
			if !ok && e.root == nil && e.global == "" {
				continue
			}
			h, held := st.may[e.Key()]
			if !held {
				continue
			}
			st.remove(h.key)
			if fa.record {
				fa.released[h.key] = true
				fa.noteHanded(h.key, pos)
			}
		}
	}
}

// relocks: the function releases lock r and takes it again, holding it
// when it returns (a handler that drops its caller's lock for a while).
// One that takes and releases r again after releasing it (Shopify/sarama's
// Broker.Open goroutine: unlock, then ApiVersions, which locks and unlocks
// b.lock) still hands the release on.
func relocks(sum *FuncSummary, r Ref) bool {
	for _, a := range sum.HeldAtReturn {
		if a.Ref == r {
			return true
		}
	}
	return false
}

// noteHanded records where lock key's release was first handed on.
func (fa *funcAnalysis) noteHanded(key string, pos token.Pos) {
	if fa.handed == nil {
		fa.handed = map[string]token.Pos{}
	}
	if _, ok := fa.handed[key]; !ok {
		fa.handed[key] = pos
	}
}

// heldOnSuccess lists the locks fa's function holds at every return whose
// error result is nil and at no return whose error may be non-nil (an
// acquire on success: the caller must check the error and unlock).
func (fa *funcAnalysis) heldOnSuccess() []Acquire {
	res := fa.fn.Signature.Results()
	if res.Len() == 0 || !isErrorType(res.At(res.Len()-1).Type()) {
		return nil
	}
	last := res.Len() - 1
	var nilRets, errRets []returnInfo
	for _, r := range fa.returns {
		if isNilConst(resultValue(r.ret, last)) {
			nilRets = append(nilRets, r)
		} else {
			errRets = append(errRets, r)
		}
	}
	if len(nilRets) == 0 || len(errRets) == 0 {
		return nil
	}
	var out []Acquire
	for _, h := range sortedHeld(nilRets[0].st.must) {
		if !h.ref.Valid() || h.class == "" {
			continue
		}
		ok := true
		for _, r := range nilRets[1:] {
			if _, held := r.st.must[h.key]; !held {
				ok = false
			}
		}
		for _, r := range errRets {
			if _, held := r.st.may[h.key]; held {
				ok = false
			}
		}
		if ok {
			out = append(out, Acquire{Class: h.class, Mode: h.mode, Ref: h.ref, Chain: h.chain})
		}
	}
	return out
}

// droppedSuccess: call drops the error of a callee that returns holding
// locks when the error is nil (HeldOnSuccess): the locks are held from
// here on, on the success path, and nothing tells this function whether.
// A return still holding one that this function never releases is a
// leak, reported at the call (see findDroppedLeaks).
func (fa *funcAnalysis) droppedSuccess(st *state, call *ssa.Call, sum *FuncSummary, callee string, args, bindings []ssa.Value) {
	if len(sum.HeldOnSuccess) == 0 || !errorDropped(call) {
		return
	}
	site := fa.site(call.Pos(), "calls "+callee)
	for _, a := range sum.HeldOnSuccess {
		e, ok := fa.mapRef(a.Ref, a.Class, args, bindings)
		if !ok || !e.alias {
			continue
		}
		st.add(&heldLock{key: e.Key(), alias: e.alias, class: e.class, mode: a.Mode, ref: e.Ref(), chain: prepend(site, a.Chain), pos: call.Pos(), root: e.root})
		if fa.record {
			if fa.dropped == nil {
				fa.dropped = map[string]droppedCall{}
			}
			if _, seen := fa.dropped[e.Key()]; !seen {
				fa.dropped[e.Key()] = droppedCall{pos: call.Pos(), callee: callee}
			}
		}
	}
}

type droppedCall struct {
	pos    token.Pos
	callee string
}

// errorDropped: nothing reads the call's error (its last result).
func errorDropped(call *ssa.Call) bool {
	n := call.Call.Signature().Results().Len()
	for _, r := range *call.Referrers() {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Extract:
			if n > 1 && r.Index == n-1 {
				return false
			}
		default:
			if n == 1 {
				return false
			}
		}
	}
	return true
}

// findDroppedLeaks reports locks taken by a callee on success whose error
// this function dropped, still held at one of its returns and released
// nowhere in it.
func (fa *funcAnalysis) findDroppedLeaks() {
	for _, key := range sortedKeys(fa.dropped) {
		if fa.released[key] {
			continue
		}
		d := fa.dropped[key]
		for _, r := range fa.returns {
			h, held := r.st.may[key]
			if !held {
				continue
			}
			fa.m.res.Leaks = append(fa.m.res.Leaks, Leak{
				Pos: d.pos, Func: fa.name, Class: h.class, Lock: lockText(h),
				Held: ReturnPos(fa.fn, r.ret), DroppedBy: d.callee,
			})
			break
		}
	}
}
