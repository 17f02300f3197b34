package lockmodel

import (
	"go/ast"
	"go/token"
	"sort"

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
// waits, waits under locks) on top of a finished Result. It re-runs the
// model's own held-set transfer functions where it needs the held set at
// an instruction that Result.HeldAt does not keep (static calls, Cond
// calls without a held lock), so both always agree.
//
// Analyzers of one package may run in parallel: waitModel never writes to
// the Result, it works on a private model over a copy of the summaries.
type waitModel struct {
	pass  *analysis.Pass
	res   *Result
	m     *model
	funcs []*ssa.Function
	// states holds, per function analysed so far, the held set before each
	// instruction that a query asked about.
	states map[*ssa.Function]*funcStates
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
	// The lock model's SSA (internal/ssabuild): Summaries and HeldAt are
	// keyed by it. Read without Result.Program, which stores into the
	// shared Result: condwait and ctxcancel may run at once.
	ssainfo := res.SSA
	if ssainfo == nil && res.ssaRes != nil {
		ssainfo = res.ssaRes.SSA() // once-guarded
	}
	if ssainfo == nil {
		return nil
	}
	sums := make(map[*ssa.Function]*FuncSummary, len(res.Summaries))
	for fn, s := range res.Summaries {
		sums[fn] = s
	}
	m := &model{
		pass: pass, fset: pass.Fset, pkg: ssainfo.Pkg,
		sums: sums, inProgress: map[*ssa.Function]bool{},
		condLocks: map[string]CondLock{}, writeClasses: map[string]bool{},
		edges: map[[2]string]*LocalEdge{}, selfSeen: map[token.Pos]bool{},
		impls: map[string][]*ssa.Function{}, goroutines: map[*ssa.Function]Site{},
		res: &Result{HeldAt: map[ssa.Instruction][]HeldLock{}},
	}
	for _, d := range res.Deps {
		for _, cl := range d.CondLocks {
			m.condLocks[cl.Cond] = cl
		}
	}
	m.findCondLocks(ssainfo.SrcFuncs)
	wm := &waitModel{
		pass: pass, res: res, m: m, funcs: ssainfo.SrcFuncs,
		states:   map[*ssa.Function]*funcStates{},
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

// funcStates is the result of the held-set fixpoint over one function.
type funcStates struct {
	fa *funcAnalysis
	in []*state // at block entry; nil for unreachable blocks
}

// flow runs the model's held-set fixpoint over fn (without recording
// anything) and keeps the state at every block entry.
func (wm *waitModel) flow(fn *ssa.Function) *funcStates {
	if fs, ok := wm.states[fn]; ok {
		return fs
	}
	fa := &funcAnalysis{
		m: wm.m, fn: fn, name: funcName(fn), sum: &FuncSummary{},
		released: map[string]bool{}, acqSeen: map[string]bool{}, openSeen: map[string]bool{}, relClass: map[string]string{},
	}
	fs := &funcStates{fa: fa, in: make([]*state, len(fn.Blocks))}
	wm.states[fn] = fs
	if len(fn.Blocks) == 0 {
		return fs
	}
	fs.in[0] = newState()
	work := []int{0}
	queued := make([]bool, len(fn.Blocks))
	queued[0] = true
	for steps := 0; len(work) > 0 && steps <= maxSteps; steps++ {
		sort.Ints(work)
		i := work[0]
		work = work[1:]
		queued[i] = false
		outs := fa.transferBlock(fn.Blocks[i], fs.in[i].clone(), false)
		for j, succ := range fn.Blocks[i].Succs {
			out := outs[j]
			if out == nil {
				continue // a constant condition's untaken branch
			}
			if fs.in[succ.Index] == nil {
				fs.in[succ.Index] = out.clone()
			} else if !mergeInto(fs.in[succ.Index], out) {
				continue
			}
			if !queued[succ.Index] {
				queued[succ.Index] = true
				work = append(work, succ.Index)
			}
		}
	}
	return fs
}

// before returns the held set just before instr, or nil when its block is
// unreachable.
func (wm *waitModel) before(instr ssa.Instruction) *state {
	fn := instr.Parent()
	b := instr.Block()
	fs := wm.flow(fn)
	if b == nil || fs.in[b.Index] == nil {
		return nil
	}
	st := fs.in[b.Index].clone()
	for i, x := range b.Instrs {
		if x == instr {
			// The model's transfer over the prefix of the block: a block
			// without successors runs the instructions only.
			fs.fa.transferBlock(&ssa.BasicBlock{Instrs: b.Instrs[:i]}, st, false)
			return st
		}
	}
	return nil
}
