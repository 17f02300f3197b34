package lockmodel

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// Waits answers the shutdown analyzers' questions about one package: lock
// hand-offs to exiting goroutines (Handoffs), sync.Cond misuse
// (CondWaits), goroutines left blocked by cancellation (ChanLeaks), waits
// a context cannot interrupt (BlindWaits) and locks held while waiting
// (Cycles). Make one per pass with NewWaits; its methods share the work.
type Waits struct {
	pass *analysis.Pass
	res  *Result
	wm   *waitModel
	done bool
}

// NewWaits returns the wait model of the pass's package, on top of the lock
// model's result (it uses the model's SSA, res.SSA).
func NewWaits(pass *analysis.Pass, res *Result) *Waits {
	return &Waits{pass: pass, res: res}
}

func (w *Waits) model() *waitModel {
	if !w.done {
		w.wm, w.done = newWaitModel(w.pass, w.res), true
	}
	return w.wm
}

// waitModel answers the shutdown analyzers' questions (hand-offs, Cond
// waits, waits under locks) on top of a finished Result: held sets come
// from Result.HeldBefore, so both always agree.
//
// Analyzers of one package may run in parallel: waitModel never writes to
// the Result (m is the finished lock model, read-only).
type waitModel struct {
	pass  *analysis.Pass
	res   *Result
	m     *model
	funcs []*ssa.Function
	// closures maps each anonymous function to the MakeClosure instructions
	// that create it (usually one), to lift free variables to the parent.
	closures map[*ssa.Function][]*ssa.MakeClosure
	// goCalled marks functions started by a go statement, directCalled those
	// also called directly (their entry held set is then not known empty).
	goCalled, directCalled map[*ssa.Function]bool
	// exprAt indexes channel operations' source expressions (srcText).
	exprAt map[token.Pos]ast.Expr
	callAt map[token.Pos]*ast.CallExpr
}

// newWaitModel builds the private model for pass. It returns nil for
// packages the lock model skips (the standard library).
func newWaitModel(pass *analysis.Pass, res *Result) *waitModel {
	if inGoroot(pass) {
		return nil
	}
	// The lock model's SSA (internal/ssabuild): Summaries and HeldBefore
	// are keyed by it. Read without Result.Program, which stores into the
	// shared Result: condwait and ctxcancel may run at once.
	ssainfo := res.SSA
	if ssainfo == nil && res.ssaRes != nil {
		ssainfo = res.ssaRes.SSA() // once-guarded
	}
	if ssainfo == nil {
		return nil
	}
	m := res.model()
	wm := &waitModel{
		pass: pass, res: res, m: m, funcs: ssainfo.SrcFuncs,
		closures: map[*ssa.Function][]*ssa.MakeClosure{},
		goCalled: map[*ssa.Function]bool{}, directCalled: map[*ssa.Function]bool{},
	}
	for _, fn := range ssainfo.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.MakeClosure:
					cl := instr.Fn.(*ssa.Function)
					wm.closures[cl] = append(wm.closures[cl], instr)
				case *ssa.Go:
					if callee := instr.Call.StaticCallee(); callee != nil {
						wm.goCalled[callee] = true
					}
				case ssa.CallInstruction:
					if callee := instr.Common().StaticCallee(); callee != nil {
						wm.directCalled[callee] = true
					}
				}
			}
		}
	}
	return wm
}

// before returns the held set just before instr (the lock model's, see
// Result.HeldBefore), or nil when its block is unreachable.
func (wm *waitModel) before(instr ssa.Instruction) *state {
	return wm.res.stateBefore(instr)
}
