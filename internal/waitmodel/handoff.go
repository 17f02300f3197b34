package waitmodel

import (
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
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
	Chan      string // the exit signal channel, as written in the goroutine
	Spawner   string // the function that starts the goroutine
	Goroutine string // the goroutine's function
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
	Path []PathStep
}

// PathStep is one step of a route through the code.
type PathStep struct {
	Pos  token.Pos
	What string
}

// Handoffs returns the package's lock hand-offs to exiting goroutines
// whose lock the starting function can acquire before receiving the exit
// signal, in source order.
func (w *Waits) Handoffs() []Handoff {
	wm := w.model()
	if wm == nil {
		return nil
	}
	var out []Handoff
	seen := map[token.Pos]bool{}
	for _, fn := range wm.funcs {
		for _, b := range fn.Blocks {
			for i, instr := range b.Instrs {
				g, ok := instr.(*ssa.Go)
				if !ok {
					continue
				}
				for _, h := range wm.handoffsAt(fn, g, b, i) {
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

// exitHold is a lock a goroutine may return holding, with its exit signal.
type exitHold struct {
	lock   lockmodel.HeldLock
	exit   *ssa.Return
	always bool
	signal ssa.Instruction
	ch     lockmodel.Expr // the signal's channel in the goroutine's frame
}

// exitHolds finds the locks g's function may return holding that it
// signals its exit with: a deferred close(W) that runs at such a return, or
// a close or send on W while the lock is held.
func (wm *waitModel) exitHolds(fn *ssa.Function) []exitHold {
	var rets []*ssa.Return
	for _, b := range fn.Blocks {
		if r, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			rets = append(rets, r)
		}
	}
	if len(rets) == 0 {
		return nil
	}
	var out []exitHold
	seen := map[string]bool{}
	for _, ret := range rets {
		st := wm.before(ret)
		if st == nil {
			continue
		}
		for _, h := range st.Must {
			if seen[h.Key] || !h.Ref.Valid() {
				continue
			}
			sig, ch := wm.exitSignal(fn, h, ret)
			if sig == nil {
				continue
			}
			seen[h.Key] = true
			always := true
			for _, r := range rets {
				if s := wm.before(r); s != nil && !holds(s.Must, h.Key) {
					always = false
				}
			}
			out = append(out, exitHold{lock: h, exit: ret, always: always, signal: sig, ch: ch})
		}
	}
	return out
}

// exitSignal finds how fn tells its starter that it is returning at ret
// holding h: a close(W) deferred on every path to ret, or a close or send
// on W with h held.
func (wm *waitModel) exitSignal(fn *ssa.Function, h lockmodel.HeldLock, ret *ssa.Return) (ssa.Instruction, lockmodel.Expr) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			op, ch := chanOpOf(instr)
			if op == 0 || op == opRecv {
				continue
			}
			e := lockmodel.Resolve(ch)
			if !e.Ref().Valid() {
				continue
			}
			if _, deferred := instr.(*ssa.Defer); deferred {
				if b.Dominates(ret.Block()) {
					return instr, e
				}
				continue
			}
			if st := wm.before(instr); st != nil && holds(st.Must, h.Key) && b.Dominates(ret.Block()) {
				return instr, e
			}
		}
	}
	return nil, lockmodel.Expr{}
}

// handoffsAt checks the goroutine started by g (instruction i of block b of
// fn) for hand-offs that fn can acquire before receiving the signal.
func (wm *waitModel) handoffsAt(fn *ssa.Function, g *ssa.Go, b *ssa.BasicBlock, i int) []Handoff {
	callee := g.Call.StaticCallee()
	if callee == nil || len(callee.Blocks) == 0 || callee.Pkg != wm.pkg {
		return nil
	}
	holds := wm.exitHolds(callee)
	if len(holds) == 0 {
		return nil
	}
	root := &frame{fn: fn}
	gf := root.calleeFrame(&g.Call, callee, g.Pos())
	var out []Handoff
	for _, eh := range holds {
		lock, ok := gf.liftRef(eh.lock.Ref)
		if !ok {
			continue
		}
		ch, ok := gf.lift(eh.ch)
		if !ok {
			continue
		}
		s := &handoffSearch{wm: wm, lockKey: lock.Key(), chanKey: ch.Key(), visiting: map[*ssa.Function]bool{fn: true}}
		for _, hit := range s.walk(root, b, i+1, nil).hits {
			_, chv := chanOpOf(eh.signal)
			pos := hit.pos
			if !nestedIn(hit.fn, fn) {
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
				Pos: pos, Acquire: hit.pos, Lock: hit.lock, Class: eh.lock.Class,
				Chan: wm.srcText(eh.signal.Pos(), chv), Spawner: lockmodel.FuncName(fn), Goroutine: lockmodel.FuncName(callee),
				Go: g.Pos(), Taken: eh.lock.Chain, Exit: lockmodel.ReturnPos(callee, eh.exit), Signal: eh.signal.Pos(), SignalOp: signalOp(eh.signal), Deferred: isDefer(eh.signal),
				Always: eh.always, Path: hit.path,
			})
		}
	}
	return out
}

// handoffSearch walks the starting function's paths after the go
// statement, looking for acquisitions of the handed-off lock that come
// before any receive of the exit signal.
type handoffSearch struct {
	wm       *waitModel
	lockKey  string
	chanKey  string
	visiting map[*ssa.Function]bool
	budget   int
}

type handoffHit struct {
	pos  token.Pos
	fn   *ssa.Function // the function of the acquisition
	lock string
	path []PathStep
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

// key returns the instance key of a value of frame f, lifted to the root.
func (s *handoffSearch) key(f *frame, v ssa.Value) string {
	e, ok := f.lift(lockmodel.Resolve(v))
	if !ok {
		return ""
	}
	return e.Key()
}

// walk explores f's function from instruction i of block b along the paths
// that have not received from the signal channel.
func (s *handoffSearch) walk(f *frame, b *ssa.BasicBlock, i int, path []PathStep) walkResult {
	var res walkResult
	type item struct {
		b    *ssa.BasicBlock
		i    int
		path []PathStep
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
			if op, ch := chanOpOf(instr); op == opRecv && s.key(f, ch) == s.chanKey {
				received = true
				break
			}
			switch instr := instr.(type) {
			case *ssa.Return:
				res.open = true
			case *ssa.Panic:
				stop = true
			case *ssa.Call:
				c := instr.Common()
				if kind, recv := lockmodel.LockOpOf(c); kind == lockmodel.OpLock || kind == lockmodel.OpRLock {
					e := s.wm.res.ResolveLocker(recv)
					if le, ok := f.lift(e); ok && le.Key() == s.lockKey {
						res.hits = append(res.hits, handoffHit{pos: instr.Pos(), fn: f.fn, lock: e.String(), path: it.path})
						stop = true
					}
					break
				}
				callee := c.StaticCallee()
				if callee == nil {
					break
				}
				step := PathStep{Pos: instr.Pos(), What: "calls " + lockmodel.FuncName(callee)}
				if len(callee.Blocks) > 0 && callee.Pkg == s.wm.pkg && f.depth() < maxHandoffDepth && !s.visiting[callee] {
					s.visiting[callee] = true
					sub := s.walk(f.calleeFrame(c, callee, instr.Pos()), callee.Blocks[0], 0, appendStep(it.path, step))
					delete(s.visiting, callee)
					res.hits = append(res.hits, sub.hits...)
					if len(sub.hits) > 0 || !sub.open {
						stop = true // reported, or every path through the callee received
					}
					break
				}
				if sum := s.wm.res.Summary(callee); sum != nil {
					for _, a := range sum.Acquires {
						if le, ok := f.calleeFrame(c, callee, instr.Pos()).liftRef(a.Ref); ok && le.Key() == s.lockKey {
							res.hits = append(res.hits, handoffHit{pos: instr.Pos(), fn: f.fn, lock: le.String(), path: appendStep(it.path, step)})
							stop = true
							break
						}
					}
				}
			}
			if stop {
				break
			}
		}
		if received || stop {
			continue
		}
		for j, succ := range it.b.Succs {
			p := it.path
			if sel, k := selectCase(it.b, j); sel != nil && k >= 0 && k < len(sel.States) {
				st := sel.States[k]
				if st.Dir == types.RecvOnly && s.key(f, st.Chan) == s.chanKey {
					continue // this case received the signal
				}
				p = appendStep(p, PathStep{Pos: st.Pos, What: "takes this select case"})
			}
			work = append(work, item{succ, 0, p})
		}
	}
	return res
}

func signalOp(instr ssa.Instruction) string {
	if op, _ := chanOpOf(instr); op == opSend {
		return "send"
	}
	return "close"
}

func isDefer(instr ssa.Instruction) bool {
	_, ok := instr.(*ssa.Defer)
	return ok
}

// nestedIn reports whether fn is outer or a closure lexically inside it.
func nestedIn(fn, outer *ssa.Function) bool {
	for ; fn != nil; fn = fn.Parent() {
		if fn == outer {
			return true
		}
	}
	return false
}

func appendStep(path []PathStep, s PathStep) []PathStep {
	out := make([]PathStep, 0, len(path)+1)
	return append(append(out, path...), s)
}
