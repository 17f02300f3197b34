package condwait

import (
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// Handoff is a lock handed to an exiting goroutine: a goroutine returns
// holding lock L (by design, so that the function that started it takes L
// over) and signals its exit on channel W, and the function that started it
// acquires L on a path that has not received from W first. If the
// goroutine has already exited at that point, the acquisition waits for a
// lock nobody will release.
type Handoff struct {
	Pos       token.Pos // the acquisition that can wait forever, or the spawner's call that reaches it
	Acquire   token.Pos // the Lock call
	Lock      string    // the lock as written where it is acquired, e.g. "p.mu"
	Class     string
	Chan      string         // the exit signal channel, as written in the goroutine
	Spawner   report.FuncRef // the function that starts the goroutine
	Goroutine report.FuncRef // the goroutine's function
	Go        token.Pos
	// Taken is how the goroutine comes to hold the lock; Exit is a return
	// at which it still holds it; Signal is its close or send on W.
	Taken    []lockmodel.Site
	Exit     token.Pos
	Signal   token.Pos
	SignalOp string // "close" or "send"
	Deferred bool   // the signal is deferred
	// Always: the goroutine holds the lock at every return (a deliberate
	// hand-off), not only at some.
	Always bool
	// Path is the spawner's route from the go statement to the
	// acquisition: the select case taken and the calls made.
	Path []waitmodel.PathStep
}

// handoffs returns the package's lock hand-offs to exiting goroutines
// whose lock the starting function can acquire before receiving the exit
// signal, in source order.
func handoffs(wm *waitmodel.Model) []Handoff {
	var out []Handoff
	seen := map[token.Pos]bool{}
	for _, fn := range wm.Funcs() {
		for _, b := range fn.Blocks {
			for i, instr := range b.Instrs {
				g, ok := instr.(*ssa.Go)
				if !ok {
					continue
				}
				for _, h := range handoffsAt(wm, fn, g, b, i) {
					if !seen[h.Pos] {
						seen[h.Pos] = true
						out = append(out, h)
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

// handoffsAt checks the goroutine started by g (instruction i of block b of
// fn) for hand-offs that fn can acquire before receiving the signal.
func handoffsAt(wm *waitmodel.Model, fn *ssa.Function, g *ssa.Go, b *ssa.BasicBlock, i int) []Handoff {
	callee := g.Call.StaticCallee()
	if callee == nil || len(callee.Blocks) == 0 || callee.Pkg != wm.Pkg() {
		return nil
	}
	holds := wm.ExitHolds(callee)
	if len(holds) == 0 {
		return nil
	}
	root := waitmodel.RootFrame(fn)
	gf := root.Callee(&g.Call, callee, g.Pos())
	var out []Handoff
	for _, eh := range holds {
		lock, ok := gf.LiftRef(eh.Lock.Ref)
		if !ok {
			continue
		}
		ch, ok := gf.Lift(eh.Chan)
		if !ok {
			continue
		}
		s := &handoffSearch{wm: wm, lockKey: wm.Locks().Instance(lock).Key(), chanKey: ch.Key(), visiting: map[*ssa.Function]bool{fn: true}}
		for _, hit := range s.walk(root, b, i+1, nil).hits {
			_, chv := waitmodel.ChanOpOf(eh.Signal)
			pos := hit.pos
			if !waitmodel.NestedIn(hit.fn, fn) {
				// The acquisition is in a function of its own, reached from
				// elsewhere too: report the spawner's call that reaches it.
				for _, st := range hit.path {
					if strings.HasPrefix(st.What, "calls ") {
						pos = st.Pos
						break
					}
				}
			}
			out = append(out, Handoff{
				Pos: pos, Acquire: hit.pos, Lock: hit.lock, Class: eh.Lock.Class,
				Chan: wm.SrcText(eh.Signal.Pos(), chv), Spawner: lockmodel.FuncRefOf(fn), Goroutine: lockmodel.FuncRefOf(callee),
				Go: g.Pos(), Taken: eh.Lock.Chain, Exit: lockmodel.ReturnPos(callee, eh.Exit), Signal: eh.Signal.Pos(), SignalOp: signalOp(eh.Signal), Deferred: isDefer(eh.Signal),
				Always: eh.Always, Path: hit.path,
			})
		}
	}
	return out
}

// handoffSearch walks the starting function's paths after the go
// statement, looking for acquisitions of the handed-off lock that come
// before any receive of the exit signal.
type handoffSearch struct {
	wm       *waitmodel.Model
	lockKey  string
	chanKey  string
	visiting map[*ssa.Function]bool
	budget   int
}

type handoffHit struct {
	pos  token.Pos
	fn   *ssa.Function // the function of the acquisition
	lock string
	path []waitmodel.PathStep
}

type walkResult struct {
	hits []handoffHit
	// open: some path returns without having received the signal.
	open bool
}

const (
	maxHandoffDepth  = 4
	maxHandoffBudget = 20000 // instructions visited per goroutine and lock
)

// key returns the instance key of a value of Frame f, lifted to the root.
func (s *handoffSearch) key(f *waitmodel.Frame, v ssa.Value) string {
	e, ok := f.Lift(lockmodel.Resolve(v))
	if !ok {
		return ""
	}
	return e.Key()
}

// isLock: e, lifted to the root frame, is the handed-off lock's instance
// (pointer fields bound at construction followed, as the lock model does).
func (s *handoffSearch) isLock(e lockmodel.Expr) bool {
	return s.wm.Locks().Instance(e).Key() == s.lockKey
}

// isCondL: the Locker recv, lifted to the root, is the handed-off lock
// named by its Cond (c.L of a Cond made over its own new mutex, whose class
// is the same for every Cond; see waitmodel's hand-over exit holds).
func (s *handoffSearch) isCondL(f *waitmodel.Frame, recv ssa.Value) bool {
	e := lockmodel.Resolve(recv)
	if !strings.HasSuffix(e.Path(), ".L") {
		return false
	}
	le, ok := f.Lift(e)
	return ok && s.isLock(le)
}

// releaser: g starts a goroutine that receives the exit signal and then
// unlocks the handed-off lock before every return (jackc/puddle v1.1.0's
// go func() { <-waitChan; p.cond.Signal(); p.cond.L.Unlock() }()): once it
// has started, a later Lock waits only for that unlock, as if this path
// had received the signal itself.
func (s *handoffSearch) releaser(f *waitmodel.Frame, g *ssa.Go) bool {
	callee := g.Call.StaticCallee()
	if callee == nil || len(callee.Blocks) == 0 || callee.Pkg != s.wm.Pkg() {
		return false
	}
	gf := f.Callee(&g.Call, callee, g.Pos())
	var recvs, unlocks []ssa.Instruction
	var rets []*ssa.BasicBlock
	for _, b := range callee.Blocks {
		for _, instr := range b.Instrs {
			if op, ch := waitmodel.ChanOpOf(instr); op == waitmodel.OpRecv && s.key(gf, ch) == s.chanKey {
				recvs = append(recvs, instr)
			}
			switch instr := instr.(type) {
			case *ssa.Call:
				if kind, recv := lockmodel.LockOpOf(instr.Common()); kind == lockmodel.OpUnlock || kind == lockmodel.OpRUnlock {
					if le, ok := gf.Lift(s.wm.Locks().ResolveLocker(recv)); ok && s.isLock(le) || s.isCondL(gf, recv) {
						unlocks = append(unlocks, instr)
					}
				}
			case *ssa.Return:
				rets = append(rets, b)
			}
		}
	}
	for _, u := range unlocks {
		if !slices.ContainsFunc(recvs, func(r ssa.Instruction) bool { return waitmodel.RunsAfter(r, u) }) {
			continue
		}
		if len(rets) > 0 && !slices.ContainsFunc(rets, func(b *ssa.BasicBlock) bool { return !u.Block().Dominates(b) }) {
			return true
		}
	}
	return false
}

// walk explores f's function from instruction i of block b along the paths
// that have not received from the signal channel.
func (s *handoffSearch) walk(f *waitmodel.Frame, b *ssa.BasicBlock, i int, path []waitmodel.PathStep) walkResult {
	var res walkResult
	type item struct {
		b    *ssa.BasicBlock
		i    int
		path []waitmodel.PathStep
	}
	visited := map[*ssa.BasicBlock]bool{}
	work := []item{{b, i, path}}
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		if it.i == 0 {
			if visited[it.b] {
				continue
			}
			visited[it.b] = true
		}
		received, stop := false, false
		for _, instr := range it.b.Instrs[it.i:] {
			if s.budget++; s.budget > maxHandoffBudget {
				return res
			}
			if op, ch := waitmodel.ChanOpOf(instr); op == waitmodel.OpRecv && s.key(f, ch) == s.chanKey {
				received = true
				break
			}
			switch instr := instr.(type) {
			case *ssa.Go:
				received = s.releaser(f, instr)
			case *ssa.Return:
				res.open = true
			case *ssa.Panic:
				stop = true
			case *ssa.Call:
				c := instr.Common()
				if kind, recv := lockmodel.LockOpOf(c); kind == lockmodel.OpLock || kind == lockmodel.OpRLock {
					e := s.wm.Locks().ResolveLocker(recv)
					if le, ok := f.Lift(e); ok && s.isLock(le) || s.isCondL(f, recv) {
						lock := e.String()
						if !le.Ref().Valid() {
							lock = lockmodel.Resolve(recv).String() // p.cond.L, not its class
						}
						res.hits = append(res.hits, handoffHit{pos: instr.Pos(), fn: f.Fn(), lock: lock, path: it.path})
						stop = true
					}
					break
				}
				callee := c.StaticCallee()
				if callee == nil {
					break
				}
				step := waitmodel.PathStep{Pos: instr.Pos(), What: "calls " + lockmodel.FuncName(callee), Callee: lockmodel.FuncRefOf(callee)}
				if len(callee.Blocks) > 0 && callee.Pkg == s.wm.Pkg() && f.Depth() < maxHandoffDepth && !s.visiting[callee] {
					s.visiting[callee] = true
					sub := s.walk(f.Callee(c, callee, instr.Pos()), callee.Blocks[0], 0, appendStep(it.path, step))
					delete(s.visiting, callee)
					res.hits = append(res.hits, sub.hits...)
					if len(sub.hits) > 0 || !sub.open {
						stop = true // reported, or every path through the callee received
					}
					break
				}
				if sum := s.wm.Locks().Summary(callee); sum != nil {
					for _, a := range sum.Acquires {
						if le, ok := f.Callee(c, callee, instr.Pos()).LiftRef(a.Ref); ok && s.isLock(le) {
							res.hits = append(res.hits, handoffHit{pos: instr.Pos(), fn: f.Fn(), lock: le.String(), path: appendStep(it.path, step)})
							stop = true
							break
						}
					}
				}
			}
			if stop || received {
				break
			}
		}
		if received || stop {
			continue
		}
		for j, succ := range it.b.Succs {
			p := it.path
			if sel, k := waitmodel.SelectCase(it.b, j); sel != nil && k >= 0 && k < len(sel.States) {
				st := sel.States[k]
				if st.Dir == types.RecvOnly && s.key(f, st.Chan) == s.chanKey {
					continue // this case received the signal
				}
				p = appendStep(p, waitmodel.PathStep{Pos: st.Pos, What: "takes this select case"})
			}
			work = append(work, item{succ, 0, p})
		}
	}
	return res
}

func signalOp(instr ssa.Instruction) string {
	if op, _ := waitmodel.ChanOpOf(instr); op == waitmodel.OpSend {
		return "send"
	}
	return "close"
}

func isDefer(instr ssa.Instruction) bool {
	_, ok := instr.(*ssa.Defer)
	return ok
}

func appendStep(path []waitmodel.PathStep, s waitmodel.PathStep) []waitmodel.PathStep {
	out := make([]waitmodel.PathStep, 0, len(path)+1)
	return append(append(out, path...), s)
}
