package lockmodel

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/report"
)

// heldLock is one lock in a held set.
type heldLock struct {
	key   string
	alias bool
	class string
	mode  Mode
	ref   Ref
	chain []Site    // how it came to be held, from this function down
	pos   token.Pos // where this function acquired it (lock call or call site)
	root  ssa.Value // the instance's root value in this function, if any
}

// state is the dataflow fact at a program point.
type state struct {
	must     map[string]*heldLock // held on every path
	may      map[string]*heldLock // held on some path
	released map[string]Ref       // locks the caller held that were released here (some path)
	defers   []*ssa.Defer         // deferred calls registered (some path), in order
	guards   map[int]bool         // bool parameters known on every path here
	// condRel: locks released on some path while held only on some
	// (if locked { mu.Unlock() }): a may-held lock with such a release
	// may be held only on paths that do not exist, and is not reported.
	condRel map[string]bool
	// ruledOut: for a value of a closed enum, the values (bits) it is
	// known not to have on every path here (the switch cases already
	// tested; enums.go).
	ruledOut map[ssa.Value]uint64
}

func newState() *state {
	return &state{must: map[string]*heldLock{}, may: map[string]*heldLock{}, released: map[string]Ref{}, guards: map[int]bool{}}
}

func (s *state) clone() *state {
	c := &state{
		must:     make(map[string]*heldLock, len(s.must)),
		may:      make(map[string]*heldLock, len(s.may)),
		released: make(map[string]Ref, len(s.released)),
		defers:   append([]*ssa.Defer(nil), s.defers...),
		guards:   make(map[int]bool, len(s.guards)),
	}
	for k, v := range s.guards {
		c.guards[k] = v
	}
	if len(s.condRel) > 0 {
		c.condRel = maps.Clone(s.condRel)
	}
	if len(s.ruledOut) > 0 {
		c.ruledOut = maps.Clone(s.ruledOut)
	}
	for k, v := range s.must {
		c.must[k] = v
	}
	for k, v := range s.may {
		c.may[k] = v
	}
	for k, v := range s.released {
		c.released[k] = v
	}
	return c
}

// mergeInto joins s into dst (must: intersection; may, released, defers:
// union) and reports whether dst changed.
func mergeInto(dst, s *state) bool {
	changed := false
	for k := range dst.must {
		if _, ok := s.must[k]; !ok {
			delete(dst.must, k)
			changed = true
		}
	}
	for k, v := range s.may {
		if _, ok := dst.may[k]; !ok {
			dst.may[k] = v
			changed = true
		}
	}
	for k, v := range s.released {
		if _, ok := dst.released[k]; !ok {
			dst.released[k] = v
			changed = true
		}
	}
	for k := range s.condRel {
		if !dst.condRel[k] {
			if dst.condRel == nil {
				dst.condRel = map[string]bool{}
			}
			dst.condRel[k] = true
			changed = true
		}
	}
	for k, v := range dst.guards {
		if w, ok := s.guards[k]; !ok || w != v {
			delete(dst.guards, k)
			changed = true
		}
	}
	for k, v := range dst.ruledOut {
		if w := v & s.ruledOut[k]; w != v {
			if w == 0 {
				delete(dst.ruledOut, k)
			} else {
				dst.ruledOut[k] = w
			}
			changed = true
		}
	}
	for _, d := range s.defers {
		if !containsDefer(dst.defers, d) {
			dst.defers = append(dst.defers, d)
			changed = true
		}
	}
	return changed
}

func containsDefer(ds []*ssa.Defer, d *ssa.Defer) bool {
	for _, x := range ds {
		if x == d {
			return true
		}
	}
	return false
}

func sortedHeld(m map[string]*heldLock) []*heldLock {
	out := make([]*heldLock, 0, len(m))
	for _, h := range m {
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out
}

func (s *state) add(h *heldLock) {
	s.must[h.key] = h
	s.may[h.key] = h
	delete(s.condRel, h.key)
}

// find returns the held lock an unlock of e releases: the same instance,
// or else the only held lock of the same class.
func (s *state) find(e Expr) *heldLock {
	if h, ok := s.may[e.Key()]; ok {
		return h
	}
	var match *heldLock
	for _, h := range sortedHeld(s.may) {
		if h.class != "" && h.class == e.class {
			if match != nil {
				return nil
			}
			match = h
		}
	}
	return match
}

func (s *state) remove(key string) {
	delete(s.must, key)
	delete(s.may, key)
}

// returnInfo is the state at one return of a function.
type returnInfo struct {
	ret *ssa.Return
	st  *state
}

// funcAnalysis computes one function's summary.
type funcAnalysis struct {
	m        *model
	fn       *ssa.Function
	name     string // ref.String()
	ref      report.FuncRef
	sum      *FuncSummary
	returns  []returnInfo
	released map[string]bool // instances this function releases somewhere (for leak reports)
	// entryReleased are instances this function releases without having
	// taken them: its callers hold them on entry.
	entryReleased map[string]bool
	// relClass is the class of each instance in a state's released set.
	relClass map[string]string
	acqSeen  map[string]bool
	openSeen map[string]bool
	cur      ssa.Instruction // the instruction being transferred
	// calleeGuards are a callee acquisition's guards mapped onto our own
	// parameters, while apply records it.
	calleeGuards []Guard
	// record: this pass over the blocks (the one after the fixpoint)
	// records edges, findings and the summary; fixpoint passes and
	// Result.HeldBefore's replays only move the held set.
	record bool
	// delegating are the held locks whose object's own field is the
	// receiver of the interface call being applied (a decorator calling
	// the object it wraps): edges from them are Delegate edges.
	delegating map[string]bool
	// blockOut is each block's state at its end (the recording pass), and
	// loopRelocks the acquisitions of a lock held on some paths only: see
	// mayheld.go.
	blockOut    []*state
	loopRelocks []loopRelock
	// freeCalling: the stored closures applyFreeCalls is applying.
	freeCalling map[*ssa.Function]bool
	// handed: where each lock's release was first handed to a callback or
	// goroutine (handAway); dropped: locks held because a call dropped an
	// acquire-on-success callee's error (droppedSuccess).
	handed  map[string]token.Pos
	dropped map[string]droppedCall
	// recursive: the summary being applied is of a function in fa.fn's own
	// recursive component (applyCallee).
	recursive bool
}

// maxSteps bounds the fixpoint work per function (blocks visited), and
// maxPackageSteps all of a package's.
var (
	maxSteps        = 20000
	maxPackageSteps = 5000000
)

func (m *model) newFuncAnalysis(fn *ssa.Function) *funcAnalysis {
	ref := FuncRefOf(fn)
	return &funcAnalysis{
		m: m, fn: fn, name: ref.String(), ref: ref, sum: &FuncSummary{},
		released: map[string]bool{}, acqSeen: map[string]bool{}, openSeen: map[string]bool{},
		entryReleased: map[string]bool{}, relClass: map[string]string{},
	}
}

func (m *model) analyzeFunc(fn *ssa.Function) *FuncSummary {
	fa := m.newFuncAnalysis(fn)
	if len(fn.Blocks) == 0 {
		return fa.sum
	}
	if m.steps > maxPackageSteps {
		m.budgetHit(fn, "package dataflow steps")
		return fa.sum
	}
	steps := 0
	in := fa.fixpoint(func() bool {
		steps++
		m.steps++
		if steps > maxSteps {
			m.budgetHit(fn, "dataflow steps")
			return false
		}
		return true
	})
	if m.rec.provisional(fn) {
		defer m.quiet()()
	}
	fa.record = true
	fa.blockOut = make([]*state, len(fn.Blocks))
	for i, b := range fn.Blocks {
		if in[i] != nil {
			fa.transferBlock(b, in[i].clone())
		}
	}
	fa.finish()
	return fa.sum
}

// fixpoint runs the held-set dataflow over fa.fn to its fixpoint (or until
// step, called before each block visited, says stop) and returns the state
// at each block's entry (nil for blocks not reached).
func (fa *funcAnalysis) fixpoint(step func() bool) []*state {
	fn := fa.fn
	in := make([]*state, len(fn.Blocks))
	if len(fn.Blocks) == 0 {
		return in
	}
	in[0] = newState()
	work := []int{0}
	queued := make([]bool, len(fn.Blocks))
	queued[0] = true
	for len(work) > 0 {
		// Lowest index first: blocks are roughly in source order.
		sort.Ints(work)
		i := work[0]
		work = work[1:]
		queued[i] = false
		if !step() {
			break
		}
		b := fn.Blocks[i]
		outs := fa.transferBlock(b, in[i].clone())
		for j, succ := range b.Succs {
			out := outs[j]
			if out == nil {
				continue // a constant condition's untaken branch
			}
			if in[succ.Index] == nil {
				in[succ.Index] = out.clone()
			} else if !mergeInto(in[succ.Index], out) {
				continue
			}
			if !queued[succ.Index] {
				queued[succ.Index] = true
				work = append(work, succ.Index)
			}
		}
	}
	return in
}

// transferBlock runs the block's instructions over st and returns the state
// for each successor. With fa.record set it also records edges, findings
// and the summary (done once, after the fixpoint).
func (fa *funcAnalysis) transferBlock(b *ssa.BasicBlock, st *state) []*state {
	for _, instr := range b.Instrs {
		fa.cur = instr
		switch instr := instr.(type) {
		case *ssa.Call:
			fa.call(st, instr.Common(), instr.Pos())
		case *ssa.Go:
			// The goroutine does not inherit our locks, but a callback we
			// hand it runs under the locks it takes itself; and a lock it
			// releases for us (go c.resetAndUnlock()) is handed off.
			callee := instr.Call.StaticCallee()
			var bindings []ssa.Value
			if mc, ok := instr.Call.Value.(*ssa.MakeClosure); ok {
				bindings = mc.Bindings
			}
			if callee != nil && fa.record {
				fa.m.noteCallSite(callee, fa.fn, nil, nil) // a goroutine starts with nothing held
			}
			if callee != nil {
				if sum := fa.m.summary(callee); sum != nil {
					for _, r := range sum.Releases {
						if e, ok := fa.mapRef(r, "", instr.Call.Args, bindings); ok || e.root != nil || e.global != "" {
							if h := st.find(e); h != nil {
								st.remove(h.key)
								if fa.record {
									fa.released[h.key] = true
									fa.noteHanded(h.key, instr.Pos())
								}
							}
						}
					}
					if fa.record {
						fa.closeParamCalls(nil, sum, funcName(callee), instr.Call.Args, instr.Pos())
					}
				}
			}
			fa.handAway(st, instr.Call.Args, instr.Pos())
		case *ssa.Defer:
			if instr.DeferStack == nil && !containsDefer(st.defers, instr) {
				st.defers = append(st.defers, instr)
			}
		case *ssa.RunDefers:
			for i := len(st.defers) - 1; i >= 0; i-- {
				d := st.defers[i]
				fa.call(st, d.Common(), d.Pos())
			}
			st.defers = nil
		case *ssa.Return:
			if fa.record {
				fa.returns = append(fa.returns, returnInfo{instr, st.clone()})
			}
		case *ssa.Store:
			if fa.record {
				fa.store(instr)
			}
		}
	}
	if fa.record {
		fa.blockOut[b.Index] = st
	}
	outs := make([]*state, len(b.Succs))
	for i := range outs {
		outs[i] = st
	}
	if len(b.Succs) == 2 {
		if ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
			if c, ok := ifi.Cond.(*ssa.Const); ok && c.Value != nil {
				// if false { return } (a branch kept only to quiet a
				// linter, nats-server's noDeferUnlock): the other
				// successor is never reached from here.
				if constant.BoolVal(c.Value) {
					outs[1] = nil
				} else {
					outs[0] = nil
				}
			} else if i, neg, ok := fa.boolParam(ifi.Cond); ok {
				outs[0], outs[1] = st.clone(), st.clone()
				outs[0].guards[i] = !neg
				outs[1].guards[i] = neg
			} else if v, bit, all, ok := fa.m.switchTest(ifi.Cond); ok {
				// v == k of a closed enum: when v is none of the other
				// values either, the false branch (a switch's default) is
				// dead.
				if mask := st.ruledOut[v] | bit; mask == all {
					outs[1] = nil
				} else {
					outs[1] = st.clone()
					if outs[1].ruledOut == nil {
						outs[1].ruledOut = map[ssa.Value]uint64{}
					}
					outs[1].ruledOut[v] = mask
				}
			} else if call, neg := tryLockCond(ifi.Cond); call != nil {
				taken := 0
				if neg {
					taken = 1
				}
				outs[0], outs[1] = st.clone(), st.clone()
				kind, recv := LockOpOf(call.Common())
				e := fa.m.resolveLocker(recv)
				mode := Write
				if kind == OpTryRLock {
					mode = Read
				}
				// TryLock never waits: it takes part in no cycle and is no
				// double lock; on success the lock is held.
				outs[taken].add(&heldLock{key: e.Key(), alias: e.alias, class: e.class, mode: mode, ref: e.Ref(),
					chain: []Site{fa.site(call.Pos(), exprString(e)+".TryLock()")}, pos: call.Pos()})
			}
		}
	}
	return outs
}

// boundValue returns what a closure's free variable (or its cell) was bound
// to where the closure was made, if the closure is made once; else nil.
func (fa *funcAnalysis) boundValue(v ssa.Value) ssa.Value {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		v = u.X
	}
	fv, ok := v.(*ssa.FreeVar)
	if !ok || fa.fn.Parent() == nil {
		return nil
	}
	idx := -1
	for i, q := range fa.fn.FreeVars {
		if q == fv {
			idx = i
		}
	}
	var bound ssa.Value
	for _, b := range fa.fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fa.fn && idx >= 0 && idx < len(mc.Bindings) {
				if bound != nil {
					return nil
				}
				bound = mc.Bindings[idx]
			}
		}
	}
	if alloc, ok := bound.(*ssa.Alloc); ok {
		bound = StoredValue(alloc)
	}
	return bound
}

// isRLocker: v is the sync.Locker that (*sync.RWMutex).RLocker returned.
func isRLocker(v ssa.Value) bool {
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	fn := call.Call.StaticCallee()
	return fn != nil && fn.Name() == "RLocker" && fn.Signature.Recv() != nil && SyncType(fn.Signature.Recv().Type()) == "RWMutex"
}

// boolParam recognizes `if p` and `if !p` on a bool parameter p, or on a
// closure's captured bool (fsLock := func() { if needFSLock { ... } }).
// The key is the parameter's index, or -(i+1) for free variable i.
func (fa *funcAnalysis) boolParam(v ssa.Value) (int, bool, bool) {
	neg := false
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.NOT {
		v, neg = u.X, true
	}
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		v = u.X // a captured variable's cell
	}
	switch p := v.(type) {
	case *ssa.Parameter:
		for i, q := range fa.fn.Params {
			if q == p {
				return i, neg, true
			}
		}
	case *ssa.FreeVar:
		for i, q := range fa.fn.FreeVars {
			if q == p {
				return -(i + 1), neg, true
			}
		}
	}
	return 0, false, false
}

func guardOf(key int, value bool) Guard {
	if key < 0 {
		return Guard{Param: -1, FreeVar: -key - 1, Value: value}
	}
	return Guard{Param: key, FreeVar: -1, Value: value}
}

// tryLockCond recognizes `if x.TryLock()` and `if !x.TryLock()`.
func tryLockCond(v ssa.Value) (*ssa.Call, bool) {
	neg := false
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.NOT {
		v, neg = u.X, true
	}
	call, ok := v.(*ssa.Call)
	if !ok {
		return nil, false
	}
	if k, _ := LockOpOf(call.Common()); k == OpTryLock || k == OpTryRLock {
		return call, neg
	}
	return nil, false
}

func (fa *funcAnalysis) site(pos token.Pos, what string) Site {
	p := fa.m.fset.Position(pos)
	return Site{File: p.Filename, Line: p.Line, Col: p.Column, Func: fa.ref, What: what}
}

// call applies one call's effect on the held set.
func (fa *funcAnalysis) call(st *state, c *ssa.CallCommon, pos token.Pos) {
	if kind, recv := LockOpOf(c); kind != OpNone {
		fa.lockCall(st, kind, recv, pos)
		return
	}
	callee := c.StaticCallee()
	var bindings []ssa.Value
	if mc, ok := c.Value.(*ssa.MakeClosure); ok {
		bindings = mc.Bindings
	}
	if callee == nil && !c.IsInvoke() {
		callee, bindings = storedClosure(c.Value)
		if callee == nil {
			callee, bindings = returnedClosure(c.Value)
		}
		if callee == nil {
			callee, bindings = fa.freeClosure(c.Value)
		}
		if callee == nil {
			fa.noteFreeCall(c.Value)
			fa.importedIterator(st, c, pos)
		}
	}
	if callee != nil {
		if fa.record {
			fa.m.noteCallSite(callee, fa.fn, heldClasses(st), fa.releasedClasses(st))
		}
		if sum := fa.m.summary(callee); sum != nil {
			fa.applyCallee(st, callee, sum, funcName(callee), c.Args, bindings, pos)
			if call, ok := fa.cur.(*ssa.Call); ok && call.Common() == c {
				fa.droppedSuccess(st, call, sum, funcName(callee), c.Args, bindings)
			}
		} else if fa.record && origin(callee) == origin(fa.fn) {
			fa.recursiveCall(st, callee, c.Args, pos)
		}
	} else {
		fa.dynamicCall(st, c, pos)
	}
	// Standard-library calls that run user code before they return
	// (sync.Once.Do(f), sort.Slice's less, fmt calling String): calls of
	// that code, here (one table: internal/callindex).
	for _, uc := range callindex.UserCode(fa.m.pkg.Prog, c) {
		once, isOnce := fa.onceDo(st, c, uc, pos)
		if fa.record && len(uc.Fn.Blocks) > 0 {
			fa.m.noteCallSite(uc.Fn, fa.fn, heldClasses(st), fa.releasedClasses(st))
		}
		if sum := fa.m.summary(uc.Fn); sum != nil {
			fa.applyCallee(st, uc.Fn, sum, funcName(uc.Fn)+" (run by "+uc.Via+")", uc.Args, uc.Bindings, pos)
		}
		if isOnce {
			fa.release(st, once)
		}
	}
	fa.handAway(st, c.Args, pos)
	// A range-over-func loop body is called by the iterator, here.
	for _, a := range c.Args {
		if mc, ok := a.(*ssa.MakeClosure); ok {
			if yf := mc.Fn.(*ssa.Function); yf.Synthetic == "range-over-func yield" {
				if sum := fa.m.summary(yf); sum != nil {
					fa.apply(st, sum, "the loop body", nil, mc.Bindings, pos)
				}
			}
		}
	}
}

// onceDo: a sync.Once.Do(f) call holds the Once's internal mutex while f
// runs, and a second Do of the same Once waits on it until f returns
// (quic-go #4266: Transport.close held t.mutex around a Do whose first
// run, on another goroutine, called back into t.mutex). The Once is
// taken here, in write mode, as a lock of its own class (the Once
// field) and released after f's effects: an edge from every lock held
// at the Do to the Once, from the Once to every lock f takes, and a Do
// of the same Once reached from f is a double lock (documented
// deadlock). It is held only inside this one call: no instruction sees
// it held, so nothing guarded by it is inferred.
func (fa *funcAnalysis) onceDo(st *state, c *ssa.CallCommon, uc callindex.UserCall, pos token.Pos) (Expr, bool) {
	if uc.Via != "sync.Once.Do" || c.IsInvoke() || len(c.Args) == 0 || SyncType(c.Args[0].Type()) != "Once" {
		return Expr{}, false
	}
	e := fa.m.resolveLocker(c.Args[0])
	if e.class == "" && !e.Ref().Valid() {
		return Expr{}, false
	}
	fa.acquire(st, e, Write, []Site{fa.site(pos, exprString(e)+".Do() (holds the Once while its function runs)")}, nil, nil, pos, true, false)
	return e, true
}

// heldClasses lists the classes held on every path, in key order.
func heldClasses(st *state) []string {
	var held []string
	for _, h := range sortedHeld(st.must) {
		if h.class != "" {
			held = append(held, h.class)
		}
	}
	return held
}

// dynamicCall handles interface method and func value calls: implementations
// declared in this package are applied (CHA); the call is also kept as an
// open call when locks are held, for downstream packages to close.
func (fa *funcAnalysis) dynamicCall(st *state, c *ssa.CallCommon, pos token.Pos) {
	if !c.IsInvoke() {
		fa.storedCall(st, c, pos)
	}
	key := openCallKey(c)
	if key == "" {
		return
	}
	if c.IsInvoke() {
		fa.delegating = delegatingHeld(st, c.Value)
		defer func() { fa.delegating = nil }()
		for _, impl := range fa.m.implementations(c) {
			if sum := fa.m.summary(impl); sum != nil && len(sum.Acquires) > 0 {
				args := append([]ssa.Value{c.Value}, c.Args...)
				// Only the acquisitions: which implementation runs is not
				// known, so no lock is taken to be held or released.
				fa.apply(st, &FuncSummary{Acquires: sum.Acquires}, funcName(impl), args, nil, pos)
			}
		}
	}
	if !fa.record || len(st.must) == 0 {
		return
	}
	oc := OpenCall{Key: key, Chain: []Site{fa.site(pos, "calls "+describeCall(c, key))}}
	for _, h := range sortedHeld(st.must) {
		oc.Held = append(oc.Held, Acquire{Class: h.class, Mode: h.mode, Ref: h.ref, Chain: h.chain, Delegate: fa.delegating[h.key]})
	}
	fa.addOpenCall(oc)
}

func (fa *funcAnalysis) addOpenCall(oc OpenCall) {
	if len(oc.Held) == 0 {
		return
	}
	var ks []string
	for _, h := range oc.Held {
		if h.Delegate {
			ks = append(ks, h.Class+"(delegate)")
		} else {
			ks = append(ks, h.Class)
		}
	}
	k := oc.Key + "|" + strings.Join(ks, ",")
	if fa.openSeen[k] || len(fa.sum.OpenCalls) >= maxOpenCalls {
		return
	}
	fa.openSeen[k] = true
	fa.sum.OpenCalls = append(fa.sum.OpenCalls, oc)
}

// Budgets that keep summaries small; see model.budgetHit for reporting.
const (
	maxAcquires  = 64
	maxOpenCalls = 32
	maxChain     = 12
)

// describeCall names a dynamic call's callee for a chain step: the
// parameter as written ("f", not its index), else describeOpen.
func describeCall(c *ssa.CallCommon, key string) string {
	if p, ok := c.Value.(*ssa.Parameter); ok && !c.IsInvoke() {
		return p.Name()
	}
	return describeOpen(key)
}

func describeOpen(key string) string {
	if i := strings.IndexByte(key, ':'); i >= 0 {
		return key[i+1:]
	}
	return key
}

// openCallKey names a dynamic call: "iface:pkg.I.M" for a method of a named
// interface, "field:(pkg.T).f" for a func loaded from a struct field.
func openCallKey(c *ssa.CallCommon) string {
	if c.IsInvoke() {
		n, ok := types.Unalias(c.Value.Type()).(*types.Named)
		if !ok {
			return ""
		}
		return "iface:" + typePath(n) + "." + c.Method.Name()
	}
	if p, ok := c.Value.(*ssa.Parameter); ok {
		if key := paramCallKey(p.Parent(), p); key != "" {
			return key
		}
	}
	return fieldKey(c.Value)
}

// paramCallKey names a call of fn's parameter v ("param:2"); "" when v is
// not one of fn's parameters.
func paramCallKey(fn *ssa.Function, v ssa.Value) string {
	for i, q := range fn.Params {
		if q == v {
			return fmt.Sprintf("param:%d", i)
		}
	}
	return ""
}

// paramCallIndex is the parameter a "param:N" open call calls; ok is false
// for other keys.
func paramCallIndex(key string) (i int, ok bool) {
	if !strings.HasPrefix(key, "param:") {
		return 0, false
	}
	fmt.Sscanf(key, "param:%d", &i)
	return i, true
}

// acquireClasses lists the classes of held locks, in order.
func acquireClasses(hs []Acquire) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Class)
	}
	return out
}

// fieldKey names the struct field a func value was loaded from.
func fieldKey(v ssa.Value) string {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		if fa, ok := u.X.(*ssa.FieldAddr); ok {
			if st, named := StructOf(fa.X.Type()); named != nil {
				return "field:(" + typePath(named) + ")." + st.Field(fa.Field).Name()
			}
		}
	}
	if f, ok := v.(*ssa.Field); ok {
		if st, named := StructOf(f.X.Type()); named != nil {
			return "field:(" + typePath(named) + ")." + st.Field(f.Field).Name()
		}
	}
	return ""
}

// store records a func-typed parameter stored into a struct field.
func (fa *funcAnalysis) store(s *ssa.Store) {
	if _, ok := s.Val.Type().Underlying().(*types.Signature); !ok {
		return
	}
	addr, ok := s.Addr.(*ssa.FieldAddr)
	if !ok {
		return
	}
	st, named := StructOf(addr.X.Type())
	if named == nil {
		return
	}
	field := "field:(" + typePath(named) + ")." + st.Field(addr.Field).Name()
	val := s.Val
	if u, ok := val.(*ssa.UnOp); ok && u.Op == token.MUL {
		if fv, ok := u.X.(*ssa.FreeVar); ok {
			val = fv // captured by reference: the parent binds an Alloc
		}
	}
	switch v := val.(type) {
	case *ssa.Parameter:
		for i, q := range fa.fn.Params {
			if q == v {
				fa.sum.ParamStores = append(fa.sum.ParamStores, ParamStore{Param: i, Field: field})
			}
		}
	case *ssa.FreeVar:
		// An option closure (func(c *cfg) { c.f = fn }) stores its
		// parent's parameter: credit the parent, once all are summarized.
		for i, q := range fa.fn.FreeVars {
			if q == v {
				fa.m.freeVarStores = append(fa.m.freeVarStores, freeVarStore{fa.fn, i, field})
			}
		}
	}
}

// lockCall applies Lock, Unlock, RLock, RUnlock and Cond.Wait.
func (fa *funcAnalysis) lockCall(st *state, kind LockOp, recv ssa.Value, pos token.Pos) {
	if isRLocker(recv) || isRLocker(fa.boundValue(recv)) || fa.m.condReadSide(recv) {
		// rw.RLocker().Lock() is rw.RLock().
		switch kind {
		case OpLock:
			kind = OpRLock
		case OpUnlock:
			kind = OpRUnlock
		}
	}
	switch kind {
	case OpLock, OpRLock:
		e := fa.m.resolveLocker(recv)
		mode, what := Write, ".Lock()"
		if kind == OpRLock {
			mode, what = Read, ".RLock()"
		}
		fa.acquire(st, e, mode, []Site{fa.site(pos, exprString(e)+what)}, nil, nil, pos, true, false)
	case OpUnlock, OpRUnlock:
		fa.release(st, fa.m.resolveLocker(recv))
	case OpWait:
		// Cond.Wait releases c.L and takes it again before returning: the
		// re-acquisition is ordered after every other held lock.
		e, ok := fa.m.condLock(recv)
		if !ok {
			return
		}
		h := st.find(e)
		if h == nil {
			return
		}
		st.remove(h.key)
		fa.acquire(st, e, h.mode, []Site{fa.site(pos, exprString(e)+" re-locked by Cond.Wait")}, nil, nil, pos, true, true)
		if nh, ok := st.must[e.Key()]; ok { // keep the original acquisition site
			nh.chain, nh.pos = h.chain, h.pos
		}
	}
}

// acquire takes lock e in mode, reached through chain. after lists held
// instances the acquisition is known to follow the release of. hold says
// whether the lock stays held afterwards; rewait marks Cond.Wait's re-lock.
func (fa *funcAnalysis) acquire(st *state, e Expr, mode Mode, chain []Site, after map[string]bool, afterRefs []Ref, pos token.Pos, hold, rewait bool) {
	if len(chain) > maxChain {
		chain = chain[:maxChain]
	}
	key := e.Key()
	if fa.record && !fa.recursive {
		fa.noteLoopRelock(st, e, mode, chain, pos, rewait)
	}
	if fa.record {
		var heldClasses []string
		for _, h := range sortedHeld(st.must) {
			if h.class != "" {
				heldClasses = append(heldClasses, h.class)
			}
		}
		for _, h := range sortedHeld(st.must) {
			if after[h.key] {
				continue
			}
			if h.key == key {
				if h.alias && e.alias && !rewait && !fa.recursive {
					fa.m.addSelfDeadlock(fa.fn, h, e, mode, chain, pos)
				}
				continue
			}
			if h.class == "" || e.class == "" || h.class == e.class {
				continue // same class, other instance: hand-over-hand, not ordered
			}
			if fa.fresh(h.root) || fa.fresh(e.root) {
				continue // no other goroutine can hold a lock of an unpublished object
			}
			fa.m.addEdge(fa.fn, h, e.class, mode, chain, heldClasses, fa.releasedClasses(st), fa.delegating[h.key], pos)
		}
		if mode == Write && e.class != "" {
			fa.m.writeClasses[e.class] = true
		}
		r := e.Ref()
		ak := fmt.Sprintf("%s|%s|%s|%v|%v", e.class, r, mode, st.guards, fa.calleeGuards)
		// A lock of an object not yet published is nobody else's: callers
		// holding locks while we take it are not ordered before it.
		if !fa.acqSeen[ak] && len(fa.sum.Acquires) < maxAcquires && (e.class != "" || r.Valid()) && !fa.fresh(e.root) {
			fa.acqSeen[ak] = true
			a := Acquire{Class: e.class, Mode: mode, Ref: r, Chain: chain}
			for _, k := range sortedKeys(st.released) {
				a.AfterRelease = append(a.AfterRelease, st.released[k])
			}
			for _, r := range afterRefs {
				if !containsRef(a.AfterRelease, r) {
					a.AfterRelease = append(a.AfterRelease, r)
				}
			}
			for _, i := range sortedIntKeys(st.guards) {
				a.Guards = append(a.Guards, guardOf(i, st.guards[i]))
			}
			for _, g := range fa.calleeGuards {
				if !containsGuard(a.Guards, g) {
					a.Guards = append(a.Guards, g)
				}
			}
			fa.sum.Acquires = append(fa.sum.Acquires, a)
		}
	}
	if hold {
		st.add(&heldLock{key: key, alias: e.alias, class: e.class, mode: mode, ref: e.Ref(), chain: chain, pos: pos, root: e.root})
	}
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// release drops lock e from the held set; a lock not held here was held by
// the caller, and the summary says the function releases it.
func (fa *funcAnalysis) release(st *state, e Expr) {
	if _, held := st.must[e.Key()]; !held && fa.record {
		// Not held on every path here: on some path the caller must hold
		// it (a loop that drops and retakes the caller's lock).
		fa.entryReleased[e.Key()] = true
	}
	if h := st.find(e); h != nil {
		if _, must := st.must[h.key]; !must {
			if st.condRel == nil {
				st.condRel = map[string]bool{}
			}
			st.condRel[h.key] = true
		}
		st.remove(h.key)
		if fa.record {
			fa.released[h.key] = true
		}
		return
	}
	r := e.Ref()
	if r.Valid() {
		st.released[e.Key()] = r
		if e.class != "" {
			fa.relClass[e.Key()] = e.class
			if fa.record {
				fa.m.noteEntryRelease(fa.fn, e.class)
			}
		}
		if fa.record && !containsRef(fa.sum.Releases, r) {
			fa.sum.Releases = append(fa.sum.Releases, r)
		}
	}
}

func containsRef(rs []Ref, r Ref) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// apply applies a callee's summary at a call site.
func (fa *funcAnalysis) apply(st *state, sum *FuncSummary, callee string, args, bindings []ssa.Value, pos token.Pos) {
	site := fa.site(pos, "calls "+callee)
	for _, a := range sum.Acquires {
		guards, taken := fa.mapGuards(a.Guards, args, bindings)
		if !taken {
			continue // the caller's constant argument skips this lock
		}
		e, ok := fa.mapRef(a.Ref, a.Class, args, bindings)
		if !ok {
			continue
		}
		fa.calleeGuards = guards
		after := map[string]bool{}
		var afterRefs []Ref
		for _, r := range a.AfterRelease {
			if re, ok := fa.mapRef(r, "", args, bindings); ok || re.root != nil || re.global != "" {
				after[re.Key()] = true
				if rr := re.Ref(); rr.Valid() {
					afterRefs = append(afterRefs, rr)
				}
			}
		}
		fa.acquire(st, e, a.Mode, prepend(site, a.Chain), after, afterRefs, pos, false, false)
		fa.calleeGuards = nil
	}
	for _, r := range sum.Releases {
		if e, ok := fa.mapRef(r, "", args, bindings); ok || e.root != nil || e.global != "" {
			if e.class == "" && e.root != nil {
				e.class = classAlong(e.root.Type(), e.path)
			}
			fa.release(st, e)
		}
	}
	for _, a := range sum.HeldAtReturn {
		if e, ok := fa.mapRef(a.Ref, a.Class, args, bindings); ok {
			st.add(&heldLock{key: e.Key(), alias: e.alias, class: e.class, mode: a.Mode, ref: e.Ref(), chain: prepend(site, a.Chain), pos: pos, root: e.root})
		}
	}
	fa.closeParamCalls(st, sum, callee, args, pos)
	fa.applyFreeCalls(st, sum, bindings, pos)
	if fa.record {
		for _, oc := range sum.OpenCalls {
			key := oc.Key
			if i, ok := paramCallIndex(key); ok {
				// Still open if the callback is our own parameter.
				if i >= len(args) {
					continue
				}
				if key = paramCallKey(fa.fn, args[i]); key == "" {
					continue
				}
			}
			noc := OpenCall{Key: key, Chain: prepend(site, oc.Chain)}
			for _, h := range sortedHeld(st.must) {
				noc.Held = append(noc.Held, Acquire{Class: h.class, Mode: h.mode, Ref: h.ref, Chain: h.chain})
			}
			for _, h := range oc.Held {
				if e, ok := fa.mapRef(h.Ref, h.Class, args, bindings); ok {
					noc.Held = append(noc.Held, Acquire{Class: e.class, Mode: h.Mode, Ref: e.Ref(), Chain: prepend(site, h.Chain), Delegate: h.Delegate})
				}
			}
			fa.addOpenCall(noc)
		}
	}
}

// closeParamCalls handles a callee that calls one of its func parameters
// while holding locks: when we pass a known function there, its locks are
// ordered after the callee's held locks (and after ours, when st is not nil:
// a plain call, not a go statement).
func (fa *funcAnalysis) closeParamCalls(st *state, sum *FuncSummary, callee string, args []ssa.Value, pos token.Pos) {
	for _, oc := range sum.OpenCalls {
		i, ok := paramCallIndex(oc.Key)
		if !ok || i >= len(args) {
			continue
		}
		cb, bindings := callindex.FuncValue(args[i])
		if cb == nil {
			continue
		}
		cs := fa.m.summary(cb)
		if cs == nil || len(cs.Acquires) == 0 {
			continue
		}
		site := fa.site(pos, "calls "+callee)
		for _, a := range cs.Acquires {
			e, ok := fa.mapRef(a.Ref, a.Class, nil, bindings)
			if !ok {
				continue
			}
			chain := append(append(prepend(site, oc.Chain), fa.site(pos, "passes "+funcName(cb)+" as the callback")), a.Chain...)
			if len(chain) > maxChain {
				chain = chain[:maxChain]
			}
			if fa.record {
				held := acquireClasses(oc.Held)
				for _, h := range oc.Held {
					if h.Class == "" || h.Class == e.class {
						continue
					}
					from := &heldLock{class: h.Class, mode: h.Mode, chain: prepend(site, h.Chain)}
					fa.m.addEdgeAt(callee, from, e.class, a.Mode, chain, held, false, pos)
				}
			}
			if st != nil {
				fa.acquire(st, e, a.Mode, chain, nil, nil, pos, false, false)
			}
		}
	}
}

// freeClosure resolves a call of a func value held in one of this
// closure's free variables when the one place that makes this closure
// binds it to a closure of the parent (doErr := func(err error) { …;
// js.mu.Unlock() } called from a time.AfterFunc callback that locked
// js.mu): the callee, and its bindings as this closure's own free
// variables where it captures the same values (nil where it does not).
func (fa *funcAnalysis) freeClosure(v ssa.Value) (*ssa.Function, []ssa.Value) {
	bound := fa.boundValue(v)
	if bound == nil {
		return nil, nil
	}
	fn, fb := callindex.FuncValue(bound)
	if fn == nil || fn == fa.fn {
		return nil, nil
	}
	var mine *ssa.MakeClosure
	for _, b := range fa.fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fa.fn {
				mine = mc
			}
		}
	}
	if mine == nil {
		return nil, nil
	}
	out := make([]ssa.Value, len(fb))
	for i, x := range fb {
		for j, y := range mine.Bindings {
			if y == x && j < len(fa.fn.FreeVars) {
				out[i] = fa.fn.FreeVars[j]
			}
		}
	}
	// Every lock the callee's summary names through a free variable must be
	// one we capture too; otherwise the call is left to our caller, which
	// binds both (applyFreeCalls: unlock := func() { mu.Unlock() }; defer
	// func() { unlock() }() does not capture mu itself).
	sum := fa.m.summary(fn)
	if sum == nil {
		return nil, nil
	}
	mapped := func(r Ref) bool { return r.FreeVar < 0 || r.FreeVar < len(out) && out[r.FreeVar] != nil }
	// An acquisition through a value only the callee captures is applied
	// by class here when no caller of ours could bind it: we escape (a
	// time.AfterFunc callback; nats.go's doErr running the stored error
	// callback on paf.js, which the retry callback does not capture).
	if _, onlyCalled := fa.m.ix.Callers(fa.fn); onlyCalled {
		for _, a := range sum.Acquires {
			if !mapped(a.Ref) {
				return nil, nil
			}
		}
	}
	for _, r := range sum.Releases {
		if !mapped(r) {
			return nil, nil
		}
	}
	for _, a := range sum.HeldAtReturn {
		if !mapped(a.Ref) {
			return nil, nil
		}
	}
	for _, i := range sum.freeCalls {
		if i >= len(out) || out[i] == nil {
			return nil, nil
		}
	}
	return fn, out
}

// noteFreeCall records a call of a func value held in one of this
// closure's free variables, for the caller that binds it (applyFreeCalls).
func (fa *funcAnalysis) noteFreeCall(v ssa.Value) {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		v = u.X // a captured variable's cell
	}
	fv, ok := v.(*ssa.FreeVar)
	if !ok {
		return
	}
	for i, q := range fa.fn.FreeVars {
		if q == fv && !slices.Contains(fa.sum.freeCalls, i) {
			fa.sum.freeCalls = append(fa.sum.freeCalls, i)
		}
	}
}

// applyFreeCalls applies, at a call of a closure, the functions its free
// variables hold and it calls: unlock := func() { mu.Unlock() }; defer
// func() { unlock() }() releases mu when the deferred closure runs. A
// binding that is our own free variable passes the call up to our caller.
func (fa *funcAnalysis) applyFreeCalls(st *state, sum *FuncSummary, bindings []ssa.Value, pos token.Pos) {
	for _, i := range sum.freeCalls {
		if i >= len(bindings) {
			continue
		}
		b := bindings[i]
		if alloc, ok := b.(*ssa.Alloc); ok {
			b = StoredValue(alloc)
		}
		if b == nil {
			continue
		}
		if _, ok := b.(*ssa.FreeVar); ok {
			fa.noteFreeCall(b)
			continue
		}
		fn, fb := callindex.FuncValue(b)
		if fn == nil {
			continue
		}
		if fa.freeCalling[fn] {
			continue // a closure stored in the variable it calls (var walk func(); walk = func() { walk() })
		}
		if cs := fa.m.summary(fn); cs != nil {
			if fa.freeCalling == nil {
				fa.freeCalling = map[*ssa.Function]bool{}
			}
			fa.freeCalling[fn] = true
			fa.applyCallee(st, fn, cs, funcName(fn), nil, fb, pos)
			delete(fa.freeCalling, fn)
		}
	}
}

// storedClosure sees through a local func variable that a closure captures
// (SSA keeps it in an Alloc cell): a load of a cell stored exactly once
// with a known function is a call of that function.
func storedClosure(v ssa.Value) (*ssa.Function, []ssa.Value) {
	u, ok := v.(*ssa.UnOp)
	if !ok || u.Op != token.MUL {
		return nil, nil
	}
	alloc, ok := u.X.(*ssa.Alloc)
	if !ok {
		return nil, nil
	}
	var stored ssa.Value
	for _, ref := range *alloc.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == alloc {
			if stored != nil {
				return nil, nil
			}
			stored = st.Val
		}
	}
	if stored == nil {
		return nil, nil
	}
	return callindex.FuncValue(stored)
}

// mapGuards evaluates a callee acquisition's guards at a call: a constant
// argument (or captured value) decides its guard (taken is false when one
// contradicts); one of our own bool parameters carries the guard over.
func (fa *funcAnalysis) mapGuards(guards []Guard, args, bindings []ssa.Value) (mapped []Guard, taken bool) {
	for _, g := range guards {
		var v ssa.Value
		switch {
		case g.Param >= 0 && g.Param < len(args):
			v = args[g.Param]
		case g.FreeVar >= 0 && g.FreeVar < len(bindings):
			v = bindings[g.FreeVar]
			if alloc, ok := v.(*ssa.Alloc); ok {
				v = StoredValue(alloc)
			}
		}
		switch a := v.(type) {
		case *ssa.Const:
			if a.Value != nil && a.Value.Kind() == constant.Bool && constant.BoolVal(a.Value) != g.Value {
				return nil, false
			}
		case *ssa.Parameter:
			for i, q := range fa.fn.Params {
				if q == a {
					mapped = append(mapped, guardOf(i, g.Value))
				}
			}
		}
	}
	return mapped, true
}

func containsGuard(gs []Guard, g Guard) bool {
	for _, x := range gs {
		if x == g {
			return true
		}
	}
	return false
}

func sortedIntKeys[V any](m map[int]V) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	return ks
}

func prepend(s Site, chain []Site) []Site {
	out := make([]Site, 0, len(chain)+1)
	if s.File != "" { // synthetic calls (a range-over-func body) have no position
		out = append(out, s)
	}
	out = append(out, chain...)
	if len(out) > maxChain {
		out = out[:maxChain]
	}
	return out
}

// mapRef maps a callee-relative Ref onto the caller's values. Without a
// Ref, the lock keeps its class and stands for an instance of its own. ok
// is false when the lock's class cannot be known.
func (fa *funcAnalysis) mapRef(r Ref, class string, args, bindings []ssa.Value) (Expr, bool) {
	var base ssa.Value
	switch {
	case r.Param >= 0 && r.Param < len(args):
		base = args[r.Param]
	case r.FreeVar >= 0 && r.FreeVar < len(bindings):
		base = bindings[r.FreeVar]
	case r.Global != "":
		return Expr{global: r.Global, path: r.Path, class: class, alias: true}, class != ""
	}
	if base == nil {
		return Expr{global: "class:" + class, class: class}, class != ""
	}
	be := Resolve(base)
	e := Expr{root: be.root, global: be.global, path: be.path + r.Path, class: class, alias: be.alias}
	if e.class == "" && r.Path == "" {
		e.class = be.class
	}
	return fa.m.instance(e), e.class != ""
}

// delegatingHeld lists the held locks of the object whose field holds the
// interface value v: s.ws.Write() while holding s.mu is s delegating to
// the object it wraps. A lock-order cycle made only of such calls needs an
// object that wraps itself (zap's BufferedWriteSyncer over a
// lockedWriteSyncer over the same BufferedWriteSyncer).
func delegatingHeld(st *state, v ssa.Value) map[string]bool {
	be := Resolve(v)
	if be.root == nil || be.path == "" || !be.alias {
		return nil
	}
	var out map[string]bool
	for _, h := range st.must {
		if h.root == be.root && h.alias {
			if out == nil {
				out = map[string]bool{}
			}
			out[h.key] = true
		}
	}
	return out
}
