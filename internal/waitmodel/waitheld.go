package waitmodel

import (
	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/ssabuild"
	"go/ast"
	"go/token"
	"maps"
	"slices"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// Model answers the wait analyzers' questions (what is held before an
// instruction, the whole world of a channel, Cond or WaitGroup, what a
// goroutine holds when it exits, how the source writes a wait) on top of
// the lock model's finished Result: held sets come from
// Result.HeldBefore, so both always agree.
//
// Analyzers of one package may run in parallel: Model never writes to
// the lock model's Result, and asks it only through its concurrency-safe
// methods.
type Model struct {
	pass  *analysis.Pass
	res   *lockmodel.Result
	pkg   *ssa.Package
	funcs []*ssa.Function
	ix    *callindex.Index
	// exprAt indexes channel operations' source expressions (SrcText),
	// built once: analyzers of the package may ask in parallel.
	srcOnce sync.Once
	exprAt  map[token.Pos]ast.Expr
	callAt  map[token.Pos]*ast.CallExpr
}

// newWaitModel builds the model for pass. It returns nil for
// packages the lock model skips (the standard library).
func newWaitModel(pass *analysis.Pass, res *lockmodel.Result) *Model {
	if ssabuild.InGoroot(pass) {
		return nil
	}
	// The lock model's SSA (internal/ssabuild): Summaries and HeldBefore
	// are keyed by it.
	ssainfo := res.Program()
	if ssainfo == nil {
		return nil
	}
	wm := &Model{
		pass: pass, res: res, pkg: ssainfo.Pkg, funcs: ssainfo.SrcFuncs,
		ix: pass.ResultOf[callindex.Analyzer].(*callindex.Index),
	}
	return wm
}

// Funcs are the package's source functions (the lock model's).
func (wm *Model) Funcs() []*ssa.Function { return wm.funcs }

// Pkg is the package's SSA (the lock model's).
func (wm *Model) Pkg() *ssa.Package { return wm.pkg }

// Locks is the lock model the wait model asks what is held.
func (wm *Model) Locks() *lockmodel.Result { return wm.res }

// Index is the package's call index.
func (wm *Model) Index() *callindex.Index { return wm.ix }

// Before returns the lock state just before instr (the lock model's, see
// Result.LocksBefore), or nil when its block is unreachable.
func (wm *Model) Before(instr ssa.Instruction) *lockmodel.LockState {
	st, ok := wm.res.LocksBefore(instr)
	if !ok {
		return nil
	}
	return &st
}

// callee is a function a call runs in the caller's goroutine.
type callee struct {
	fn   *ssa.Function
	what string // "calls f", "calls f (run by sync.Once.Do)"
}

// callees returns what call runs synchronously: its static callee, and
// the user code a standard-library call runs (sync.Once.Do(f)).
func (wm *Model) callees(call ssa.CallInstruction) []callee {
	var out []callee
	if fn := call.Common().StaticCallee(); fn != nil {
		out = append(out, callee{fn, "calls " + lockmodel.FuncName(fn)})
	}
	for _, uc := range wm.ix.UserCode(call.Common()) {
		out = append(out, callee{uc.Fn, "calls " + lockmodel.FuncName(uc.Fn) + " (run by " + uc.Via + ")"})
	}
	return out
}

// OnlyStarted: fn runs only at the top of goroutines started by go
// statements (never called directly): it starts with nothing held.
func (wm *Model) OnlyStarted(fn *ssa.Function) bool {
	calls, _ := wm.ix.Callers(fn)
	return len(wm.GoStarts(fn)) > 0 && len(calls) == 0
}

// holds reports whether hs has the instance key.
func holds(hs []lockmodel.HeldLock, key string) bool {
	return slices.ContainsFunc(hs, func(h lockmodel.HeldLock) bool { return h.Key == key })
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
