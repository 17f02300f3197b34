package lockmodel

import (
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/ssabuild"
)

// LockState is what the model knows about locks right before an
// instruction.
type LockState struct {
	// Must: held on every path to the instruction, sorted by Key.
	Must []HeldLock
	// May: held on some path (Must included), sorted by Key.
	May []HeldLock
	// Released: locks the function's callers hold on entry that it
	// released on some path to here (a helper that unlocks its caller's
	// lock before waiting), sorted by Key.
	Released []ReleasedLock
}

// ReleasedLock is a caller-held lock released in the function.
type ReleasedLock struct {
	Key   string // instance key, as HeldLock.Key
	Class string // "" when not known
	Ref   Ref    // relative to the function's inputs
}

// HeldBefore returns the locks held on every path right before instr
// (sorted by Key); nil when none is held or instr's block cannot be
// reached. It is what the lock model's own dataflow has at that point:
// callees' summaries applied, Cond.Wait re-locks, TryLock branches,
// deferred unlocks at RunDefers. Locks the caller held on entry are not
// included (a function's dataflow starts empty).
//
// Computed lazily per function, at most once; safe for concurrent use by
// the analyzers of one package.
func (r *Result) HeldBefore(instr ssa.Instruction) []HeldLock {
	var out []HeldLock
	r.atState(instr, func(st *state) { out = heldLocks(sortedHeld(st.must)) })
	return out
}

// LocksBefore returns the whole lock state right before instr; ok is false
// when instr's block cannot be reached or the model did not run on its
// package (the standard library). Safe for concurrent use, as HeldBefore.
func (r *Result) LocksBefore(instr ssa.Instruction) (LockState, bool) {
	var st *state
	r.atState(instr, func(at *state) { st = at.clone() })
	if st == nil {
		return LockState{}, false
	}
	ls := LockState{Must: heldLocks(sortedHeld(st.must)), May: heldLocks(sortedHeld(st.may))}
	hs := r.held
	for _, k := range sortedKeys(st.released) {
		ls.Released = append(ls.Released, ReleasedLock{Key: k, Class: hs.relClass(instr.Parent(), k), Ref: st.released[k]})
	}
	return ls, true
}

func heldLocks(hs []*heldLock) []HeldLock {
	if len(hs) == 0 {
		return nil
	}
	out := make([]HeldLock, len(hs))
	for i, h := range hs {
		out[i] = HeldLock{Class: h.class, Mode: h.mode, Lock: lockText(h), Key: h.key, Alias: h.alias, Ref: h.ref, Pos: h.pos, Chain: h.chain, Root: h.root}
	}
	return out
}

// heldState answers HeldBefore. It replays the model's own block transfer
// (funcAnalysis.transferBlock, not recording) on a scratch model: the
// finished Result is read by several analyzers at once and is never
// written; the scratch model's caches (summaries of functions the model did
// not need, interface implementations) are behind mu.
type heldState struct {
	mu     sync.Mutex
	pass   *analysis.Pass // the lock model's pass (facts import)
	ssaRes *ssabuild.Result
	ix     *callindex.Index
	base   *model // the finished model, read-only; built empty on demand where the model skipped the package
	m      *model // the scratch model, built on first use
	flows  map[*ssa.Function]*funcStates
	noLock map[*ssa.Function]bool // TakesNoLock's answers
	// skipped: the model did not run on the package (neither it nor its
	// imports take a lock); set before the Result is handed out.
	skipped bool
}

// TakesNoLock reports whether no lock is ever held inside fn by fn's own
// doing: it makes no lock operation (Lock, TryLock, Unlock, Wait...), and
// its summary records no acquisition, release or lock held at a return
// (its callees' effects included). HeldBefore is then empty at every
// instruction of fn, and a caller asking about many of them can skip the
// held-set fixpoint (guardedstate asks about every field access). Locks
// its callers hold are not fn's doing: they are not in HeldBefore either.
// Safe for concurrent use.
func (r *Result) TakesNoLock(fn *ssa.Function) bool {
	hs := r.held
	if hs == nil {
		return false
	}
	hs.mu.Lock()
	defer hs.mu.Unlock()
	if v, ok := hs.noLock[fn]; ok {
		return v
	}
	v := !hasLockOp(fn)
	if v {
		sum := hs.scratch().summary(fn)
		v = sum != nil && len(sum.Acquires) == 0 && len(sum.Releases) == 0 && len(sum.HeldAtReturn) == 0 &&
			len(sum.HeldOnSuccess) == 0 && len(sum.MayHoldAtReturn) == 0
	}
	if hs.noLock == nil {
		hs.noLock = map[*ssa.Function]bool{}
	}
	hs.noLock[fn] = v
	return v
}

// NoneTakesLock reports whether TakesNoLock holds for every function of
// fns: no lock is held anywhere in them by their own doing, so HeldBefore
// is empty at every instruction. Where the model skipped the package (it
// and everything it imports take no lock) it is answered from their lock
// operations alone: with none, no callee's summary can hold a lock (the
// package's make no lock operation, the imports' have none), and the
// summaries are not computed. Safe for concurrent use.
func (r *Result) NoneTakesLock(fns []*ssa.Function) bool {
	hs := r.held
	if hs == nil {
		return false
	}
	if hs.skipped {
		for _, fn := range fns {
			if hasLockOp(fn) {
				return false
			}
		}
		return true
	}
	for _, fn := range fns {
		if !r.TakesNoLock(fn) {
			return false
		}
	}
	return true
}

// hasLockOp: fn calls, defers or starts a lock operation itself.
func hasLockOp(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if ci, ok := instr.(ssa.CallInstruction); ok {
				if op, _ := LockOpOf(ci.Common()); op != OpNone {
					return true
				}
			}
		}
	}
	return false
}

// funcStates is the held-set fixpoint over one function.
type funcStates struct {
	fa *funcAnalysis
	in []*state // at block entry; nil for unreachable blocks
	// cur is the state before instruction curIdx of block curBlock: the
	// last answer, carried on to the next question about a later
	// instruction of the same block instead of replaying the block from
	// its entry (guardedstate asks about every access, in order).
	cur              *state
	curBlock, curIdx int
}

// atState calls read with the held set just before instr, unless its
// block is unreachable. read runs with hs.mu held and must not keep or
// change the state (HeldBefore reads only the must-held locks: no copy).
func (r *Result) atState(instr ssa.Instruction, read func(*state)) {
	hs := r.held
	b := instr.Block()
	if hs == nil || b == nil {
		return
	}
	hs.mu.Lock()
	defer hs.mu.Unlock()
	fs := hs.flow(instr.Parent())
	if fs.in[b.Index] == nil {
		return
	}
	for i, x := range b.Instrs {
		if x == instr {
			// The transfer over the prefix of the block (a block without
			// successors runs the instructions only), from the last
			// answer when it is earlier in the block: the transfer is
			// one instruction after another.
			from := 0
			if fs.cur == nil || fs.curBlock != b.Index || fs.curIdx > i {
				fs.cur, fs.curBlock = fs.in[b.Index].clone(), b.Index
			} else {
				from = fs.curIdx
			}
			fs.fa.transferBlock(&ssa.BasicBlock{Instrs: b.Instrs[from:i]}, fs.cur)
			fs.curIdx = i
			read(fs.cur)
			return
		}
	}
}

func (hs *heldState) relClass(fn *ssa.Function, key string) string {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	if fs := hs.flows[fn]; fs != nil {
		return fs.fa.relClass[key]
	}
	return ""
}

// flow runs the held-set fixpoint over fn (recording nothing) and keeps the
// state at every block entry. hs.mu is held.
func (hs *heldState) flow(fn *ssa.Function) *funcStates {
	if fs, ok := hs.flows[fn]; ok {
		return fs
	}
	m := hs.scratch()
	fa := m.newFuncAnalysis(fn)
	steps := 0
	fs := &funcStates{fa: fa, in: fa.fixpoint(func() bool { steps++; return steps <= maxSteps })}
	hs.flows[fn] = fs
	return fs
}

// finished returns the finished model, read-only. hs.mu is held.
func (hs *heldState) finished() *model {
	if hs.base == nil {
		// The model skipped the package (it takes no lock): an empty one.
		hs.base = newModel(hs.pass, hs.ssaRes.SSA().Pkg)
		hs.base.ix = hs.ix
	}
	return hs.base
}

// scratch returns the scratch model. hs.mu is held.
func (hs *heldState) scratch() *model {
	if hs.m == nil {
		b := hs.finished()
		hs.m = newModel(hs.pass, b.pkg)
		hs.m.frozen = b.sums
		hs.m.ix = b.ix
		hs.m.condLocks = b.condLocks // complete once run has finished; only read
		hs.m.stored = b.stored       // likewise, when run built it
		// Interface implementations depend on the package alone: the
		// scratch model reuses (and adds to) those run found, instead of
		// testing every type of the package again (types.Implements).
		hs.m.impls = b.impls
		hs.m.implTypes = b.implTypes
		hs.m.iflow = b.iflow // nil when run needed none: built on first use
		hs.m.srcFuncs = hs.ssaRes.SSA().SrcFuncs
		hs.m.unstable = b.unstable // likewise
		hs.m.enums = b.enums
	}
	return hs.m
}

// Summary returns fn's lock summary: computed for this package's
// functions, read from facts for dependencies'; nil when nothing is known
// (or the model did not run: the standard library). Safe for concurrent
// use.
func (r *Result) Summary(fn *ssa.Function) *FuncSummary {
	hs := r.held
	if hs == nil {
		return nil
	}
	hs.mu.Lock()
	defer hs.mu.Unlock()
	return hs.scratch().summary(fn)
}

// model returns the finished model (read-only: lock expressions and Cond
// locks), for the wait side.
func (r *Result) model() *model {
	hs := r.held
	if hs == nil {
		return nil
	}
	hs.mu.Lock()
	defer hs.mu.Unlock()
	return hs.finished()
}
