package waitmodel

import (
	"fmt"
	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Waits as pseudo-locks (design.md §2). A goroutine that waits for a
// channel, WaitGroup, Cond or context while holding lock L, where whoever
// would end the wait must first take L, deadlocks just like a lock-order
// cycle: L → wait → L. The graph here has two kinds of nodes, lock classes
// and wait resources ("chan:(pkg.T).done", "wg:…", "cond:…", "ctx:…", and
// "select@…" for a select, which is stuck only while all its cases are):
//
//   - L → R: somewhere R is waited for with L held (on every path);
//   - R → X: every operation in the package that ends a wait for R (close,
//     send, Done, Signal, cancel) is preceded, on every path and through
//     every in-package caller, by taking X (a lock) or by waiting for X.
//
// A cycle through one L → R edge and R → … → L edges is reported. Both sides
// must be visible in the package: a resource with no visible wake-up has no
// out-edges, and a wake-up the model cannot see (another package, a func
// value) may end the wait, which is why resources are only channels, groups
// and contexts that the package itself makes or keeps in its own fields.

// waitSite is an operation that blocks until another goroutine acts.
type waitSite struct {
	instr ssa.Instruction
	node  string   // the resource, or "select@pos" for a select
	cases []string // for a select: the resources of its cases
	text  string   // as written, e.g. "s.done"
	what  string   // e.g. "receives from s.done"
	kind  string
	// condLock: for Cond.Wait, the class of c.L, which is released while
	// waiting and so is not held during the wait.
	condLock string
}

// wakeSite is an operation that ends waits for a resource.
type wakeSite struct {
	instr ssa.Instruction // for a deferred operation, the Defer
	res   string
	what  string
}

// witness says how a prerequisite comes first at a wake-up.
type witness struct {
	pos  token.Pos
	what string
	mode lockmodel.Mode
	via  []PathStep
}

type nodeSet map[string]witness

type waitGraph struct {
	wm         *Model
	waits      []*waitSite
	waitsIn    map[*ssa.Function][]*waitSite // waitsByFunc, once asked
	wakesIn    map[*ssa.Function][]*wakeSite // wakesByFunc, once asked
	waitByNode map[string]*waitSite
	wakes      map[string][]*wakeSite
	nodeText   map[string]string
	nodeKind   map[string]string
	prereqMemo map[string]nodeSet
	siteMemo   map[ssa.Instruction]nodeSet
	inProgress map[ssa.Instruction]bool
	waitsMemo  map[waitsKey][]waitPath // by function and depth: deeper calls see fewer levels
	cancelCtx  map[string]string       // cancel func field class -> context key
	ctxOfCall  map[*ssa.Call]string
	ctxOpen    map[string]bool    // context nodes a deadline or a parent context the package does not cancel may end
	chanCaps   map[string][]int64 // field class -> capacities of the channels made for it
	callerMemo map[*ssa.Function]callerSet
	freeWake   map[ssa.Instruction]bool     // wake-ups whose prerequisites are unknown (none assumed)
	factLocks  map[ssa.Instruction][]string // calls of other packages' functions: locks they take before waking
	wgOps      []WaitGroupOp
}

// WaitGroupOp is a call of a sync.WaitGroup method on a WaitGroup the
// package keeps (a field of its types, or a local variable).
type WaitGroupOp struct {
	Node  string // the WaitGroup: "wg:(pkg.T).wg" or "wg:var@pos"
	Op    string // "Add", "Done", "Wait", "Go"
	Instr ssa.CallInstruction
	Delta int64  // Add's constant argument (0 when not constant)
	Text  string // the WaitGroup as written
}

func newWaitGraph(wm *Model) *waitGraph {
	g := &waitGraph{
		wm: wm, waitByNode: map[string]*waitSite{}, wakes: map[string][]*wakeSite{},
		nodeText: map[string]string{}, nodeKind: map[string]string{},
		prereqMemo: map[string]nodeSet{}, siteMemo: map[ssa.Instruction]nodeSet{},
		inProgress: map[ssa.Instruction]bool{}, waitsMemo: map[waitsKey][]waitPath{},
		cancelCtx: map[string]string{}, ctxOfCall: map[*ssa.Call]string{}, ctxOpen: map[string]bool{}, chanCaps: map[string][]int64{},
		callerMemo: map[*ssa.Function]callerSet{}, freeWake: map[ssa.Instruction]bool{},
		factLocks: map[ssa.Instruction][]string{},
	}
	g.scanBindings()
	for _, fn := range wm.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				g.scan(instr)
			}
		}
	}
	return g
}

// isWithCancel recognizes context.WithCancel and its relatives, which
// return a context and the function that cancels it.
func isWithCancel(c *ssa.CallCommon) bool {
	fn := c.StaticCallee()
	if fn == nil || fn.Pkg == nil || fn.Pkg.Pkg.Path() != "context" {
		return false
	}
	switch fn.Name() {
	case "WithCancel", "WithTimeout", "WithDeadline", "WithCancelCause", "WithTimeoutCause", "WithDeadlineCause":
		return true
	}
	return false
}

// cancelOnly: a WithCancel-style call whose context ends only when cancelled
// (no deadline).
func cancelOnly(c *ssa.CallCommon) bool {
	fn := c.StaticCallee()
	return fn != nil && (fn.Name() == "WithCancel" || fn.Name() == "WithCancelCause")
}

// rootContext: v is context.Background() or context.TODO(), which nobody
// cancels.
func (g *waitGraph) rootContext(v ssa.Value) bool {
	call, ok := g.local(v).(*ssa.Call)
	if !ok {
		return false
	}
	fn := call.Common().StaticCallee()
	return fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == "context" && (fn.Name() == "Background" || fn.Name() == "TODO")
}

// scanBindings finds which context each cancel function cancels, and the
// capacities of channels stored in fields.
func (g *waitGraph) scanBindings() {
	for _, fn := range g.wm.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.Call:
					if isWithCancel(x.Common()) {
						g.bindCancel(x)
					}
				case *ssa.Store:
					if mc, ok := x.Val.(*ssa.MakeChan); ok {
						if fa, ok := x.Addr.(*ssa.FieldAddr); ok {
							if c := lockmodel.Resolve(fa).Class(); strings.HasPrefix(c, "(") {
								g.chanCaps[c] = append(g.chanCaps[c], CapOf(mc))
							}
						}
					}
				}
			}
		}
	}
}

func (g *waitGraph) bindCancel(call *ssa.Call) {
	ctxKey := fmt.Sprintf("ctxcall@%d", call.Pos())
	var cancelFields []string
	for _, r := range *call.Referrers() {
		ex, ok := r.(*ssa.Extract)
		if !ok {
			continue
		}
		for _, er := range *ex.Referrers() {
			st, ok := er.(*ssa.Store)
			if !ok || st.Val != ex {
				continue
			}
			fa, ok := st.Addr.(*ssa.FieldAddr)
			if !ok {
				continue
			}
			c := lockmodel.Resolve(fa).Class()
			if !strings.HasPrefix(c, "(") {
				continue
			}
			if ex.Index == 0 {
				ctxKey = c
			} else {
				cancelFields = append(cancelFields, c)
			}
		}
	}
	g.ctxOfCall[call] = ctxKey
	if !cancelOnly(call.Common()) || !g.rootContext(call.Common().Args[0]) {
		g.ctxOpen["ctx:"+ctxKey] = true
	}
	for _, f := range cancelFields {
		g.cancelCtx[f] = ctxKey
	}
}

// local follows a value through local variables and free variables to
// what was stored in them.
func (g *waitGraph) local(v ssa.Value) ssa.Value {
	for i := 0; i < 6; i++ {
		switch x := v.(type) {
		case *ssa.UnOp:
			if a, ok := x.X.(*ssa.Alloc); ok && x.Op == token.MUL {
				if s := singleStored(a); s != nil {
					v = s
					continue
				}
			}
			if fv, ok := x.X.(*ssa.FreeVar); ok && x.Op == token.MUL {
				if b := g.wm.Binding(fv); b != nil {
					if a, ok := b.(*ssa.Alloc); ok {
						if s := singleStored(a); s != nil {
							v = s
							continue
						}
					}
				}
			}
		case *ssa.FreeVar:
			if b := g.wm.Binding(x); b != nil {
				v = b
				continue
			}
		case *ssa.ChangeType:
			v = x.X
			continue
		}
		return v
	}
	return v
}

// ctxKey names the context a value is: a field holding a context made by
// WithCancel in this package, or such a call; "" otherwise (a parameter:
// whoever cancels it is not visible).
func (g *waitGraph) ctxKey(v ssa.Value) string {
	v = g.local(v)
	if ex, ok := v.(*ssa.Extract); ok && ex.Index == 0 {
		if call, ok := ex.Tuple.(*ssa.Call); ok {
			return g.ctxOfCall[call]
		}
	}
	e := lockmodel.Resolve(v)
	if strings.HasPrefix(e.Class(), "(") && e.Path() != "" {
		for _, k := range g.ctxOfCall {
			if k == e.Class() {
				return k
			}
		}
	}
	return ""
}

// cancelKey names the context a cancel function value cancels.
func (g *waitGraph) cancelKey(v ssa.Value) string {
	v = g.local(v)
	if ex, ok := v.(*ssa.Extract); ok && ex.Index == 1 {
		if call, ok := ex.Tuple.(*ssa.Call); ok {
			return g.ctxOfCall[call]
		}
	}
	e := lockmodel.Resolve(v)
	if strings.HasPrefix(e.Class(), "(") && e.Path() != "" {
		return g.cancelCtx[e.Class()]
	}
	return ""
}

// chanNode names a channel resource; "" when the channel is not the
// package's own.
func (g *waitGraph) chanNode(v ssa.Value) string {
	if c := g.wm.chanClass(v); c != "" {
		return "chan:" + c
	}
	return ""
}

// unbuffered reports whether every channel a channel node stands for is
// unbuffered, so that a send on it waits for a receiver.
func (g *waitGraph) unbuffered(v ssa.Value) bool {
	if mc := g.wm.MakeChanOf(v); mc != nil {
		return CapOf(mc) == 0
	}
	caps := g.chanCaps[g.wm.chanClass(v)]
	if len(caps) == 0 {
		return false
	}
	for _, c := range caps {
		if c != 0 {
			return false
		}
	}
	return true
}

// objNode names a WaitGroup or Cond resource by its field class, or by
// the local variable holding it.
func (g *waitGraph) objNode(prefix string, v ssa.Value) string {
	e := lockmodel.Resolve(v)
	if strings.HasPrefix(e.Class(), "(") && e.Path() != "" {
		return prefix + e.Class()
	}
	if fv, ok := e.Root().(*ssa.FreeVar); ok {
		if b := g.wm.Binding(fv); b != nil {
			be := lockmodel.Resolve(b)
			e = e.Under(be)
		}
	}
	if a, ok := e.Root().(*ssa.Alloc); ok {
		return fmt.Sprintf("%svar@%d%s", prefix, a.Pos(), e.Path())
	}
	return ""
}

func (g *waitGraph) addWait(w *waitSite) {
	g.waits = append(g.waits, w)
	if _, ok := g.waitByNode[w.node]; !ok {
		g.waitByNode[w.node] = w
	}
}

func (g *waitGraph) addWake(res string, instr ssa.Instruction, what string) {
	if res == "" {
		return
	}
	g.wakes[res] = append(g.wakes[res], &wakeSite{instr: instr, res: res, what: what})
}

func (g *waitGraph) name(node, text, kind string) {
	if _, ok := g.nodeText[node]; !ok {
		g.nodeText[node] = text
		g.nodeKind[node] = kind
	}
}

// scan records the waits and wake-ups of one instruction.
func (g *waitGraph) scan(instr ssa.Instruction) {
	switch x := instr.(type) {
	case *ssa.UnOp:
		if x.Op != token.ARROW {
			return
		}
		text := g.wm.SrcText(x.Pos(), x.X)
		if ctx, ok := DoneOf(x.X); ok {
			if k := g.ctxKey(ctx); k != "" {
				node := "ctx:" + k
				text = "<-" + text
				g.name(node, text, "context")
				g.addWait(&waitSite{instr: x, node: node, text: text, what: "waits for " + text, kind: "context"})
			}
			return
		}
		if node := g.chanNode(x.X); node != "" {
			g.name(node, text, "channel")
			g.addWait(&waitSite{instr: x, node: node, text: text, what: "receives from " + text, kind: "channel"})
			if g.unbuffered(x.X) {
				g.addWake("send"+node[len("chan"):], x, "receives from "+text)
			}
		}
	case *ssa.Send:
		node := g.chanNode(x.Chan)
		if node == "" {
			return
		}
		text := g.wm.SrcText(x.Pos(), x.Chan)
		g.addWake(node, x, "sends on "+text)
		if g.unbuffered(x.Chan) {
			snode := "send" + node[len("chan"):]
			g.name(snode, text, "send")
			g.addWait(&waitSite{instr: x, node: snode, text: text, what: "sends on " + text, kind: "send"})
		}
	case *ssa.Select:
		g.scanSelect(x)
	case ssa.CallInstruction:
		g.scanCall(x)
	}
}

func (g *waitGraph) scanSelect(sel *ssa.Select) {
	var cases, texts []string
	stuckable := sel.Blocking
	for _, st := range sel.States {
		text := g.wm.SrcText(st.Pos, st.Chan)
		var node string
		if st.Dir == types.RecvOnly {
			if ctx, ok := DoneOf(st.Chan); ok {
				if k := g.ctxKey(ctx); k != "" {
					node = "ctx:" + k
					text = "<-" + text
					g.name(node, text, "context")
				}
			} else if node = g.chanNode(st.Chan); node != "" {
				g.name(node, text, "channel")
				if g.unbuffered(st.Chan) {
					g.addWake("send"+node[len("chan"):], sel, "receives from "+text)
				}
			}
		} else {
			if n := g.chanNode(st.Chan); n != "" {
				g.addWake(n, sel, "sends on "+text)
				if g.unbuffered(st.Chan) {
					node = "send" + n[len("chan"):]
					g.name(node, text, "send")
				}
			}
		}
		if node == "" {
			stuckable = false // a timer, a parameter's channel: may fire
		}
		cases = append(cases, node)
		texts = append(texts, text)
	}
	if !stuckable || len(cases) == 0 {
		return
	}
	node := fmt.Sprintf("select@%d", sel.Pos())
	text := "select on " + joinNames(texts)
	g.name(node, text, "select")
	g.addWait(&waitSite{instr: sel, node: node, cases: cases, text: joinNames(texts), what: "waits in a " + text, kind: "select"})
}

func (g *waitGraph) scanCall(ci ssa.CallInstruction) {
	c := ci.Common()
	if isBuiltin(c, "close") {
		if node := g.chanNode(c.Args[0]); node != "" {
			g.addWake(node, ci, "close("+g.wm.SrcText(c.Pos(), c.Args[0])+")")
		}
		return
	}
	if _, isGo := ci.(*ssa.Go); isGo {
		return
	}
	if fn := c.StaticCallee(); fn != nil && fn.Pkg != g.wm.pkg {
		g.scanFactCall(ci, fn)
	}
	if fn := c.StaticCallee(); fn != nil && fn.Signature.Recv() != nil && len(c.Args) > 0 {
		recv := c.Args[0]
		text := g.wm.SrcText(c.Pos(), recv)
		switch lockmodel.SyncType(fn.Signature.Recv().Type()) {
		case "WaitGroup":
			node := g.objNode("wg:", recv)
			if node == "" {
				return
			}
			g.name(node, text, "wait group")
			op := WaitGroupOp{Node: node, Op: fn.Name(), Instr: ci, Text: text}
			if fn.Name() == "Add" {
				if k, ok := c.Args[1].(*ssa.Const); ok && k.Value != nil {
					op.Delta = k.Int64()
				}
			}
			g.wgOps = append(g.wgOps, op)
			switch fn.Name() {
			case "Wait":
				if call, ok := ci.(*ssa.Call); ok {
					g.addWait(&waitSite{instr: call, node: node, text: text, what: "calls " + text + ".Wait()", kind: "wait group"})
				}
			case "Done":
				g.addWake(node, ci, text+".Done()")
			case "Go":
				// wg.Go(f) calls Done when f returns, in a goroutine whose
				// path the graph does not follow: a wake-up that needs
				// nothing known.
				g.addWake(node, ci, text+".Go(…)")
				g.freeWake[ci] = true
			case "Add":
				if k, ok := c.Args[1].(*ssa.Const); ok && k.Value != nil && k.Int64() < 0 {
					g.addWake(node, ci, text+".Add(<0)")
				}
			}
		case "Cond":
			node := g.objNode("cond:", recv)
			if node == "" {
				return
			}
			g.name(node, text, "cond")
			switch fn.Name() {
			case "Wait":
				call, ok := ci.(*ssa.Call)
				if !ok {
					return
				}
				// Wait releases c.L while waiting: without knowing c.L, any
				// held lock might be it.
				if l, ok := g.wm.CondLockOf(recv); ok && l.Class() != "" {
					g.addWait(&waitSite{instr: call, node: node, text: text, what: "waits in " + text + ".Wait()", kind: "cond", condLock: l.Class()})
				}
			case "Signal", "Broadcast":
				g.addWake(node, ci, text+"."+fn.Name()+"()")
			}
		}
		return
	}
	if c.StaticCallee() == nil && !c.IsInvoke() {
		if k := g.cancelKey(c.Value); k != "" {
			g.addWake("ctx:"+k, ci, g.wm.funText(c.Pos(), c.Value)+"()")
		}
	}
}

// scanFactCall records the waits and wake-ups a function of another
// package performs (its FuncWaits fact) as made at the call: resources in
// fields have one name in every package. Its wake-ups need first the
// locks the fact says it takes.
func (g *waitGraph) scanFactCall(ci ssa.CallInstruction, fn *ssa.Function) {
	obj := fn.Object()
	if o := fn.Origin(); o != nil {
		obj = o.Object()
	}
	var f FuncWaits
	if obj == nil || !g.wm.pass.ImportObjectFact(obj, &f) {
		return
	}
	var pw PackageWaits
	if obj.Pkg() == nil || !g.wm.pass.ImportPackageFact(obj.Pkg(), &pw) {
		return
	}
	visible := func(nodes []string) []string {
		return slices.DeleteFunc(slices.Clone(nodes), func(n string) bool { return slices.Contains(pw.Hidden, n) })
	}
	f.BlocksOn, f.Closes, f.SendsTo, f.Signals = visible(f.BlocksOn), visible(f.Closes), visible(f.SendsTo), visible(f.Signals)
	name := lockmodel.FuncName(fn)
	text := func(node string) string { return lockmodel.ShortClass(node[strings.IndexByte(node, ':')+1:]) }
	if call, ok := ci.(*ssa.Call); ok {
		for _, n := range f.BlocksOn {
			kind := nodeKinds[n[:strings.IndexByte(n, ':')]]
			g.name(n, text(n), kind)
			g.addWait(&waitSite{instr: call, node: n, text: text(n), what: "calls " + name + ", which waits for " + text(n), kind: kind})
		}
	}
	wake := func(nodes []string, verb string) {
		for _, n := range nodes {
			g.addWake(n, ci, "calls "+name+", which "+verb+" "+text(n))
			if len(f.LocksFirst) > 0 {
				g.factLocks[ci] = f.LocksFirst
			}
		}
	}
	wake(f.Closes, "closes")
	wake(f.SendsTo, "sends on")
	wake(f.Signals, "signals")
}

// nodeKinds: the kind of a resource by its node prefix.
var nodeKinds = map[string]string{"chan": "channel", "send": "send", "wg": "wait group", "cond": "cond", "ctx": "context"}

// --- the waiting side -------------------------------------------------------

// waitPath is a wait reached from a function: the locks the function
// itself holds there, and the calls down to the wait.
type waitPath struct {
	site  *waitSite
	at    ssa.Instruction // the wait, or the call that reaches it, in the function
	held  []lockmodel.HeldLock
	chain []PathStep
	// released: classes of the locks the function's callers hold that it
	// (or a callee on the way) releases before the wait (a helper that
	// unlocks its caller's lock to wait): not held across the wait.
	released []string
}

const (
	maxWaitDepth = 3
	maxWaitPaths = 64
)

type waitsKey struct {
	fn    *ssa.Function
	depth int
}

// waitsFrom returns the waits fn performs, directly or through calls of
// this package, with the locks fn holds at each.
func (g *waitGraph) waitsFrom(fn *ssa.Function, depth int) []waitPath {
	k := waitsKey{fn, depth}
	if wp, ok := g.waitsMemo[k]; ok {
		return wp
	}
	g.waitsMemo[k] = nil // recursion: nothing more
	var out []waitPath
	for _, w := range g.waits {
		if w.instr.Parent() != fn {
			continue
		}
		out = append(out, waitPath{site: w, at: w.instr, held: g.heldAt(w.instr, w.condLock), chain: []PathStep{{Pos: w.instr.Pos(), What: w.what}}, released: g.releasedAt(w.instr)})
	}
	if depth < maxWaitDepth {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok {
					continue
				}
				for _, cc := range g.wm.callees(call) {
					callee := cc.fn
					if callee.Pkg != g.wm.pkg || len(callee.Blocks) == 0 {
						continue
					}
					sub := g.waitsFrom(callee, depth+1)
					if len(sub) == 0 {
						continue
					}
					held := g.heldAt(call, "")
					for _, s := range sub {
						if len(out) >= maxWaitPaths {
							break
						}
						chain := append([]PathStep{{Pos: call.Pos(), What: cc.what, Callee: lockmodel.FuncRefOf(callee)}}, s.chain...)
						h := exclude(held, s.site.condLock)
						for _, c := range s.released {
							h = exclude(h, c)
						}
						out = append(out, waitPath{site: s.site, at: call, held: h, chain: chain, released: union(s.released, g.releasedAt(call))})
					}
				}
			}
		}
	}
	g.waitsMemo[k] = out
	return out
}

// releasedAt returns the classes of the caller-held locks instr's function
// releases on some path before instr.
func (g *waitGraph) releasedAt(instr ssa.Instruction) []string {
	st := g.wm.Before(instr)
	if st == nil {
		return nil
	}
	var out []string
	for _, r := range st.Released {
		if r.Class != "" {
			out = append(out, r.Class)
		}
	}
	return out
}

func union(a, b []string) []string {
	if len(b) == 0 {
		return a
	}
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// heldAt returns the locks held on every path to instr, without the Cond
// lock a Cond.Wait releases.
func (g *waitGraph) heldAt(instr ssa.Instruction, condLock string) []lockmodel.HeldLock {
	st := g.wm.Before(instr)
	if st == nil {
		return nil
	}
	return exclude(st.Must, condLock)
}

func exclude(hs []lockmodel.HeldLock, class string) []lockmodel.HeldLock {
	if class == "" {
		return hs
	}
	var out []lockmodel.HeldLock
	for _, h := range hs {
		if h.Class != class {
			out = append(out, h)
		}
	}
	return out
}

// --- the waking side --------------------------------------------------------

// prereqs returns what every wake-up of node needs first: nil when node
// has no wake-up in the package (then it is not part of any cycle).
func (g *waitGraph) prereqs(node string) nodeSet {
	if p, ok := g.prereqMemo[node]; ok {
		return p
	}
	g.prereqMemo[node] = nil
	var out nodeSet
	if w := g.waitByNode[node]; w != nil && w.cases != nil {
		// A select is stuck while every case is: what all of them need.
		for i, c := range w.cases {
			p := g.prereqs(c)
			if p == nil {
				out = nil
				break
			}
			if i == 0 {
				out = copySet(p)
			} else {
				out = intersectSet(out, p)
			}
		}
	} else {
		for i, wk := range g.wakes[node] {
			p := nodeSet{}
			if !g.freeWake[wk.instr] {
				p = g.sitePrereqs(wk.instr, 0)
			}
			if i == 0 {
				out = copySet(p)
			} else {
				out = intersectSet(out, p)
			}
		}
	}
	g.prereqMemo[node] = out
	return out
}

// sitePrereqs returns what comes first, on every path, before instr runs:
// locks held or taken before it, and waits before it, in its function and
// in every in-package caller. A deferred operation runs when its function
// returns: what every return needs.
func (g *waitGraph) sitePrereqs(instr ssa.Instruction, depth int) nodeSet {
	if p, ok := g.siteMemo[instr]; ok {
		return p
	}
	if g.inProgress[instr] || depth > maxWaitDepth {
		return nodeSet{}
	}
	g.inProgress[instr] = true
	defer delete(g.inProgress, instr)
	fn := instr.Parent()
	var out nodeSet
	if d, ok := instr.(*ssa.Defer); ok {
		first := true
		for _, b := range fn.Blocks {
			for _, x := range b.Instrs {
				rd, ok := x.(*ssa.RunDefers)
				if !ok || !d.Block().Dominates(b) {
					continue
				}
				p := g.ownPrereqs(rd)
				if first {
					out, first = p, false
				} else {
					out = intersectSet(out, p)
				}
			}
		}
		if out == nil {
			out = nodeSet{}
		}
	} else {
		out = g.ownPrereqs(instr)
	}
	if callers, ok := g.callers(fn); ok && len(callers) > 0 {
		var common nodeSet
		for i, c := range callers {
			p := g.sitePrereqs(c, depth+1)
			step := PathStep{Pos: c.Pos(), What: "calls " + lockmodel.FuncName(fn), Callee: lockmodel.FuncRefOf(fn)}
			q := nodeSet{}
			for k, w := range p {
				w.via = append(append([]PathStep(nil), w.via...), step)
				q[k] = w
			}
			if i == 0 {
				common = q
			} else {
				common = intersectSet(common, q)
			}
		}
		for k, w := range common {
			if _, ok := out[k]; !ok {
				out[k] = w
			}
		}
	}
	g.siteMemo[instr] = out
	return out
}

// ownPrereqs is what comes first before instr within its function: locks
// held there, Lock calls and waits that dominate it.
func (g *waitGraph) ownPrereqs(instr ssa.Instruction) nodeSet {
	out := nodeSet{}
	if st := g.wm.Before(instr); st != nil {
		for _, h := range st.Must {
			if h.Class != "" {
				out[h.Class] = witness{pos: h.Pos, what: "locks " + h.Lock, mode: h.Mode}
			}
		}
	}
	for _, l := range g.factLocks[instr] {
		mode := lockmodel.Write
		if c, ok := strings.CutSuffix(l, readSuffix); ok {
			l, mode = c, lockmodel.Read
		}
		if _, ok := out[l]; !ok {
			out[l] = witness{pos: instr.Pos(), what: "locks " + lockmodel.ShortClass(l) + " (in the callee)", mode: mode}
		}
	}
	fn := instr.Parent()
	for _, b := range fn.Blocks {
		if !b.Dominates(instr.Block()) {
			continue
		}
		for _, x := range b.Instrs {
			if x == instr {
				break
			}
			if call, ok := x.(*ssa.Call); ok {
				if kind, recv := lockmodel.LockOpOf(call.Common()); kind == lockmodel.OpLock || kind == lockmodel.OpRLock {
					e := g.wm.res.ResolveLocker(recv)
					if e.Class() != "" {
						if _, ok := out[e.Class()]; !ok {
							mode := lockmodel.Write
							if kind == lockmodel.OpRLock {
								mode = lockmodel.Read
							}
							out[e.Class()] = witness{pos: call.Pos(), what: "locks " + e.String(), mode: mode}
						}
					}
				}
			}
		}
	}
	for _, w := range g.waits {
		if w.instr.Parent() != fn || w.instr == instr {
			continue
		}
		wb := w.instr.Block()
		if wb == instr.Block() {
			if callindex.IndexIn(w.instr) > callindex.IndexIn(instr) {
				continue
			}
		} else if !wb.Dominates(instr.Block()) {
			continue
		}
		if _, ok := out[w.node]; !ok {
			out[w.node] = witness{pos: w.instr.Pos(), what: w.what}
		}
	}
	return out
}

// callers returns the call sites of fn in the package; ok is false when
// fn may be called from elsewhere (exported, a method reachable through an
// interface, a func value), so that no caller's prerequisites can be
// assumed. Goroutine entries have no callers that matter: a go statement
// passes no locks.
func (g *waitGraph) callers(fn *ssa.Function) ([]ssa.Instruction, bool) {
	if c, ok := g.callerMemo[fn]; ok {
		return c.calls, c.ok
	}
	calls, ok := g.findCallers(fn)
	g.callerMemo[fn] = callerSet{calls, ok}
	return calls, ok
}

type callerSet struct {
	calls []ssa.Instruction
	ok    bool
}

func (g *waitGraph) findCallers(fn *ssa.Function) ([]ssa.Instruction, bool) {
	calls, complete := g.wm.ix.Callers(fn)
	if !complete {
		return nil, false
	}
	out := make([]ssa.Instruction, len(calls))
	for i, c := range calls {
		out[i] = c.Instr
	}
	return out, true
}

func copySet(s nodeSet) nodeSet {
	out := make(nodeSet, len(s))
	for k, v := range s {
		out[k] = v
	}
	return out
}

func intersectSet(a, b nodeSet) nodeSet {
	out := nodeSet{}
	for k, v := range a {
		if _, ok := b[k]; ok {
			out[k] = v
		}
	}
	return out
}

// --- cycles -----------------------------------------------------------------

// wokenByWaiter reports whether the goroutine holding the lock itself
// performs a wake-up of a resource of the cycle, before (or beside) its
// wait rather than only after it: then that resource is not stuck (Close
// closing b.responses and then waiting for b.done, which the reader closes
// once b.responses is drained).
//
// A wake-up at a call on the wait's own chain (the call that waits, or a
// call of a function on the way down to it) is the waiter's own doing
// too: a callee that both waits on and wakes a resource of its own (a
// token pool, leveldb's write path) runs that protocol on this very call,
// whose goroutine already holds the lock; nobody has to take it.
func (g *waitGraph) wokenByWaiter(wp waitPath, path []string) bool {
	fn := wp.at.Parent()
	after := callindex.Reachable(wp.at.Block().Succs, nil)
	onChain := map[token.Pos]bool{wp.at.Pos(): true}
	for _, st := range wp.chain {
		onChain[st.Pos] = true
	}
	for _, node := range path {
		nodes := []string{node}
		if w := g.waitByNode[node]; w != nil && w.cases != nil {
			nodes = w.cases
		}
		for _, n := range nodes {
			for _, wk := range g.wakes[n] {
				if _, call := wk.instr.(ssa.CallInstruction); call && onChain[wk.instr.Pos()] {
					return true
				}
				if !NestedIn(wk.instr.Parent(), fn) {
					continue
				}
				b := wk.instr.Block()
				if wk.instr.Parent() != fn || !after[b] || b.Dominates(wp.at.Block()) {
					return true
				}
			}
		}
	}
	return false
}

func (g *waitGraph) isResource(node string) bool {
	_, ok := g.nodeKind[node]
	return ok
}
