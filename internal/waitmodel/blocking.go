package waitmodel

import (
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/kafkaapi"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
)

// Blocking operations with no bound of their own, and periodic goroutines
// (heartbeats, keepalives) that take a lock on every tick: the two sides
// of heartbeat starvation. The model answers where each is and what is
// held; which pairs make a report is waitlock's business.

// BlockingOp is an operation that can block for as long as a peer
// pleases: a read or write on a network connection with no deadline set
// before it, time.Sleep, a receive from a channel, a Kafka client's poll.
type BlockingOp struct {
	Pos  token.Pos
	What string // "c.conn.Read(…)", "time.Sleep(…)", "receives from c.resp"
	Kind string // "read", "write", "sleep", "receive", "poll"
	// Conn: for a read or write, the connection's class (a field:
	// "(pkg.T).conn") or "" when it has none.
	Conn string
}

// LockedBlock is a blocking operation reached while a lock is held (on
// every path), in Func or in a function of the package it calls.
type LockedBlock struct {
	Pos   token.Pos // the operation, or the call that reaches it, in Func
	Func  report.FuncRef
	Lock  string
	Class string
	Mode  lockmodel.Mode
	Held  []lockmodel.Site
	Path  []PathStep // from Pos down to the operation
	Op    BlockingOp
	roots []*ssa.Function // the goroutines that run Func (nil: unknown)
}

// PeriodicLock is a loop that runs on a timer (a ticker, time.After,
// time.Sleep in the loop) in a goroutine the package starts, and takes a
// lock on its way round.
type PeriodicLock struct {
	Func     report.FuncRef
	Go       GoStart
	Tick     token.Pos
	TickWhat string // "receives from t.C", "time.Sleep(…)"
	Lock     LockStep
	// Writes are the connection classes the loop writes to (a heartbeat
	// sent on the connection it shares with the lock's other holders).
	Writes []string
	// Liveness says what makes the loop look like a liveness signal to a
	// peer (a heartbeat, keepalive, ping or lease renewal): a function
	// named so ("heartbeatLoop"), or a write on a connection after the
	// tick. "" when nothing does (a cache refresh, a metrics flush).
	Liveness string
	root     *ssa.Function // the started function
}

// blockPath is a blocking operation reached from a function.
type blockPath struct {
	op    BlockingOp
	at    ssa.Instruction
	chain []PathStep
	// released: caller-held lock classes released on the way (a helper
	// that unlocks its caller's lock around a sleep).
	released []string
}

type blockModel struct {
	g     *waitGraph
	wm    *Model
	memo  map[waitsKey][]blockPath
	polls map[string]bool
	// closed: channel classes the package closes. A receive from one is a
	// wait for an event (a goroutine's exit, a shutdown), the wait checks'
	// business; a channel only sent on carries data (responses, records)
	// that come when the peer pleases.
	closed map[string]bool
	// conns memoises isConn by type (a *T by T): a method set per call
	// asked was the largest thing live at nats-server's peak (80 MB).
	conns map[connKey]bool
	// bufConn: fields holding a *bufio.Reader or *bufio.Writer made over a
	// connection, by class, to the class of the connection ("" for one
	// without a class, a parameter); bufOther: such fields some store puts
	// something else in.
	bufConn  map[string]string
	bufOther map[string]bool
}

type connKey struct {
	t   types.Type
	ptr bool
}

func newBlockModel(g *waitGraph) *blockModel {
	wm := g.wm
	bm := &blockModel{g: g, wm: wm, memo: map[waitsKey][]blockPath{}, polls: map[string]bool{}, closed: map[string]bool{}, conns: map[connKey]bool{}, bufConn: map[string]string{}, bufOther: map[string]bool{}}
	for _, fn := range wm.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if op, ch := ChanOpOf(instr); op == OpClose {
					bm.closed[wm.chanClass(ch)] = true
				}
				if st, ok := instr.(*ssa.Store); ok && isBufio(st.Val.Type()) {
					if fa, ok := st.Addr.(*ssa.FieldAddr); ok {
						class := lockmodel.Resolve(fa).Class()
						conn, ok := bm.newBufConn(st.Val)
						if prev, seen := bm.bufConn[class]; !ok || seen && prev != conn {
							bm.bufOther[class] = true
						}
						bm.bufConn[class] = conn
					}
				}
			}
		}
	}
	for _, e := range kafkaapi.Default().Entries() {
		if e.Kind == kafkaapi.Poll && e.Via == "result" {
			bm.polls[e.Name] = true
		}
	}
	return bm
}

// heartbeatStarvation returns the package's periodic lock-takers and the
// blocking operations made under the locks they take.
func (g *waitGraph) heartbeatStarvation(bm *blockModel) ([]LockedBlock, []PeriodicLock) {
	wm := g.wm
	periodic := bm.periodicLocks()
	if len(periodic) == 0 {
		return nil, nil
	}
	classes := map[string]bool{}
	for _, p := range periodic {
		classes[p.Lock.Class] = true
	}
	var out []LockedBlock
	best := map[string]int{}
	for _, fn := range wm.funcs {
		var roots []*ssa.Function
		for _, bp := range bm.blocksFrom(fn, 0) {
			if roots == nil {
				roots, _ = wm.ix.GoroutineRoots(fn, 64)
			}
			st := wm.Before(bp.at)
			if st == nil {
				continue
			}
			for _, h := range st.Must {
				if !classes[h.Class] || slices.Contains(bp.released, h.Class) {
					continue
				}
				k := h.Class + "|" + lockmodel.FuncName(fn) + "|" + bp.op.What
				if i, ok := best[k]; ok && len(out[i].Path) <= len(bp.chain) {
					continue
				}
				lb := LockedBlock{Pos: bp.chain[0].Pos, Func: lockmodel.FuncRefOf(fn), Lock: h.Lock, Class: h.Class, Mode: h.Mode,
					Held: h.Chain, Path: bp.chain, Op: bp.op, roots: roots}
				if i, ok := best[k]; ok {
					out[i] = lb
				} else {
					best[k] = len(out)
					out = append(out, lb)
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out, periodic
}

// SameGoroutine reports whether the blocking side runs only in the
// periodic goroutine itself (the heartbeat's own request holding the lock
// delays its next tick, not another goroutine's).
func (lb LockedBlock) SameGoroutine(p PeriodicLock) bool {
	if len(lb.roots) == 0 {
		return false
	}
	for _, r := range lb.roots {
		if r != p.root {
			return false
		}
	}
	return true
}

// blocksFrom returns the blocking operations fn performs, directly or
// through calls of this package (up to maxWaitDepth deep).
func (bm *blockModel) blocksFrom(fn *ssa.Function, depth int) []blockPath {
	k := waitsKey{fn, depth}
	if bp, ok := bm.memo[k]; ok {
		return bp
	}
	bm.memo[k] = nil
	var out []blockPath
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if op, ok := bm.blockingOp(instr); ok {
				out = append(out, blockPath{op: op, at: instr, chain: []PathStep{{Pos: instr.Pos(), What: op.What}}, released: bm.g.releasedAt(instr)})
				continue
			}
			call, ok := instr.(*ssa.Call)
			if !ok || depth >= maxWaitDepth {
				continue
			}
			for _, cc := range bm.wm.callees(call) {
				if cc.fn.Pkg != bm.wm.pkg || len(cc.fn.Blocks) == 0 {
					continue
				}
				for _, s := range bm.blocksFrom(cc.fn, depth+1) {
					if len(out) >= maxWaitPaths {
						break
					}
					if s.op.Conn != "" && bm.deadlineBefore(call, s.op) {
						continue // the caller set a deadline on the connection first
					}
					chain := append([]PathStep{{Pos: call.Pos(), What: cc.what, Callee: lockmodel.FuncRefOf(cc.fn)}}, s.chain...)
					out = append(out, blockPath{op: s.op, at: call, chain: chain, released: union(s.released, bm.g.releasedAt(call))})
				}
			}
		}
	}
	bm.memo[k] = out
	return out
}

// blockingOp recognizes an operation with no bound of its own.
func (bm *blockModel) blockingOp(instr ssa.Instruction) (BlockingOp, bool) {
	wm := bm.wm
	switch x := instr.(type) {
	case *ssa.UnOp:
		if x.Op != token.ARROW || IsTimerChan(x.X) {
			return BlockingOp{}, false
		}
		if _, ok := DoneOf(x.X); ok {
			return BlockingOp{}, false
		}
		if c := wm.chanClass(x.X); !strings.HasPrefix(c, "(") || bm.closed[c] || !bm.g.unbuffered(x.X) {
			// Only a field's channel, which a reader goroutine fills with
			// what the peer sends. Not: a parameter's channel (unknown), a
			// local one (results of goroutines the function started:
			// gocql's SetHosts waits for its dials), an event, a buffered
			// channel (often a semaphore).
			return BlockingOp{}, false
		}
		return BlockingOp{Pos: x.Pos(), What: "receives from " + wm.SrcText(x.Pos(), x.X), Kind: "receive"}, true
	case *ssa.Call:
		c := x.Common()
		text := wm.funText(c.Pos(), c.Value) + "(…)"
		if fn := c.StaticCallee(); fn != nil && fn.Pkg != nil {
			path := fn.Pkg.Pkg.Path()
			switch {
			case path == "time" && fn.Name() == "Sleep":
				return BlockingOp{Pos: x.Pos(), What: "time.Sleep(…)", Kind: "sleep"}, true
			case path == "io" && (fn.Name() == "ReadFull" || fn.Name() == "ReadAtLeast") && len(c.Args) > 0:
				conn, ok := "", false
				if cv, isConn := bm.connOf(c.Args[0]); isConn {
					conn, ok = lockmodel.Resolve(cv).Class(), true
				} else if mi, isIface := c.Args[0].(*ssa.MakeInterface); isIface {
					conn, ok = bm.bufConnOf(mi.X)
				}
				if ok {
					op := BlockingOp{Pos: x.Pos(), What: text, Kind: "read", Conn: conn}
					if !bm.deadlineBefore(x, op) {
						return op, true
					}
				}
				return BlockingOp{}, false
			}
			if obj, ok := fn.Object().(*types.Func); ok && bm.polls[obj.FullName()] && !bm.boundedCtx(c) {
				return BlockingOp{Pos: x.Pos(), What: text, Kind: "poll"}, true
			}
			if kind := bm.factUnbounded(fn); kind != "" {
				op := BlockingOp{Pos: x.Pos(), What: text, Kind: kind}
				if kind == "poll" && bm.boundedCtx(c) || (kind == "read" || kind == "write") && bm.deadlineBefore(x, op) {
					return BlockingOp{}, false
				}
				return op, true
			}
		}
		name, recv := methodCall(c)
		if (name == "Read" || name == "Write") && recv != nil && bm.isConn(recv.Type()) {
			op := BlockingOp{Pos: x.Pos(), What: text, Kind: strings.ToLower(name), Conn: lockmodel.Resolve(recv).Class()}
			if !bm.deadlineBefore(x, op) {
				return op, true
			}
		}
		if kind := bufioBlocks[name]; kind != "" && recv != nil && isBufio(recv.Type()) {
			if conn, ok := bm.bufConnOf(recv); ok {
				op := BlockingOp{Pos: x.Pos(), What: text, Kind: kind, Conn: conn}
				if !bm.deadlineBefore(x, op) {
					return op, true
				}
			}
		}
	}
	return BlockingOp{}, false
}

// unbounded returns the kind of the first operation with no bound fn
// makes, directly or through its package's functions, without releasing
// a lock of its caller first (FuncWaits.Unbounded); "" when none. A
// receive is left out: which channels a reader fills is the package's own
// business.
func (bm *blockModel) unbounded(fn *ssa.Function) string {
	for _, bp := range bm.blocksFrom(fn, 0) {
		if bp.op.Kind != "receive" && len(bp.released) == 0 {
			return bp.op.Kind
		}
	}
	return ""
}

// factUnbounded returns FuncWaits.Unbounded of fn, a function of another
// package; "" when it has none.
func (bm *blockModel) factUnbounded(fn *ssa.Function) string {
	if fn.Pkg == bm.wm.pkg {
		return ""
	}
	obj := fn.Object()
	if o := fn.Origin(); o != nil {
		obj = o.Object()
	}
	var f FuncWaits
	if obj == nil || !bm.wm.pass.ImportObjectFact(obj, &f) {
		return ""
	}
	return f.Unbounded
}

// bufioBlocks are the methods of *bufio.Reader and *bufio.Writer that
// wait for the connection under them: the reads (a buffered byte may be
// there already, but nothing says it is) and Flush. Write only blocks once
// the buffer is full, and is left out.
var bufioBlocks = map[string]string{
	"Read": "read", "ReadByte": "read", "ReadBytes": "read", "ReadLine": "read", "ReadRune": "read",
	"ReadSlice": "read", "ReadString": "read", "Peek": "read", "Discard": "read", "WriteTo": "read",
	"Flush": "write", "ReadFrom": "write",
}

// isBufio: t is *bufio.Reader or *bufio.Writer.
func isBufio(t types.Type) bool {
	p, ok := t.(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "bufio" && (n.Obj().Name() == "Reader" || n.Obj().Name() == "Writer")
}

// newBufConn recognizes bufio.NewReader(conn) (NewReaderSize, NewWriter,
// NewWriterSize) and returns the connection's class.
func (bm *blockModel) newBufConn(v ssa.Value) (string, bool) {
	call, ok := v.(*ssa.Call)
	if !ok {
		return "", false
	}
	fn := call.Common().StaticCallee()
	if fn == nil || fn.Pkg == nil || fn.Pkg.Pkg.Path() != "bufio" || !strings.HasPrefix(fn.Name(), "New") || len(call.Call.Args) == 0 {
		return "", false
	}
	conn, ok := bm.connOf(call.Call.Args[0])
	if !ok {
		return "", false
	}
	return lockmodel.Resolve(conn).Class(), true
}

// bufConnOf returns the class of the connection under a *bufio.Reader or
// *bufio.Writer: one made from the connection right here, or loaded from
// a field that only such are stored in.
func (bm *blockModel) bufConnOf(v ssa.Value) (string, bool) {
	if conn, ok := bm.newBufConn(v); ok {
		return conn, true
	}
	if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
		if fa, ok := ld.X.(*ssa.FieldAddr); ok {
			class := lockmodel.Resolve(fa).Class()
			conn, ok := bm.bufConn[class]
			return conn, ok && !bm.bufOther[class]
		}
	}
	return "", false
}

// methodCall returns the method name and receiver of a method call
// (static or through an interface).
func methodCall(c *ssa.CallCommon) (string, ssa.Value) {
	if c.IsInvoke() {
		return c.Method.Name(), c.Value
	}
	if fn := c.StaticCallee(); fn != nil && fn.Signature.Recv() != nil && len(c.Args) > 0 {
		return fn.Name(), c.Args[0]
	}
	return "", nil
}

// connOf returns the connection an io.Reader argument was made from.
func (bm *blockModel) connOf(v ssa.Value) (ssa.Value, bool) {
	switch x := v.(type) {
	case *ssa.MakeInterface:
		v = x.X
	case *ssa.ChangeInterface:
		v = x.X
	}
	if bm.isConn(v.Type()) {
		return v, true
	}
	return nil, false
}

// isConn: t has net.Conn's methods (net.Conn itself, *net.TCPConn,
// *tls.Conn, a type embedding one).
func (bm *blockModel) isConn(t types.Type) bool {
	k := connKey{t: t}
	if p, ok := t.(*types.Pointer); ok {
		k = connKey{t: p.Elem(), ptr: true} // SSA makes a new *T in many places
	}
	is, ok := bm.conns[k]
	if !ok {
		is = isConn(t)
		bm.conns[k] = is
	}
	return is
}

func isConn(t types.Type) bool {
	ms := types.NewMethodSet(t)
	for _, m := range []string{"Read", "Write", "RemoteAddr", "SetDeadline", "SetReadDeadline", "SetWriteDeadline"} {
		if ms.Lookup(nil, m) == nil {
			// Unexported-free lookup by name: method sets of types from
			// other packages need the package only for unexported names.
			return false
		}
	}
	return true
}

// deadlineBefore reports whether a deadline covering op is set on op's
// connection in at's function before at, on some path: SetDeadline, or
// SetReadDeadline before a read, SetWriteDeadline before a write.
func (bm *blockModel) deadlineBefore(at ssa.Instruction, op BlockingOp) bool {
	fn := at.Parent()
	reach := map[*ssa.BasicBlock]bool{}
	stack := []*ssa.BasicBlock{at.Block()}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if reach[b] {
			continue
		}
		reach[b] = true
		stack = append(stack, b.Preds...)
	}
	for _, b := range fn.Blocks {
		if !reach[b] {
			continue
		}
		for _, instr := range b.Instrs {
			if instr == at {
				break
			}
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			// The name first: this runs for every call before every
			// blocking operation, and most calls are no deadline setters.
			name, recv := methodCall(call.Common())
			if name != "SetDeadline" && !(name == "SetReadDeadline" && op.Kind == "read") && !(name == "SetWriteDeadline" && op.Kind == "write") {
				continue
			}
			if recv == nil || !bm.isConn(recv.Type()) {
				continue
			}
			if op.Conn == "" || lockmodel.Resolve(recv).Class() == op.Conn {
				return true
			}
		}
	}
	return false
}

// boundedCtx: the poll's context argument comes from WithTimeout or
// WithDeadline in this function.
func (bm *blockModel) boundedCtx(c *ssa.CallCommon) bool {
	for _, a := range c.Args {
		if !callindex.IsContext(a.Type()) {
			continue
		}
		if ex, ok := a.(*ssa.Extract); ok {
			if call, ok := ex.Tuple.(*ssa.Call); ok {
				if fn := call.Common().StaticCallee(); fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == "context" &&
					(strings.HasPrefix(fn.Name(), "WithTimeout") || strings.HasPrefix(fn.Name(), "WithDeadline")) {
					return true
				}
			}
		}
	}
	return false
}

// periodicLocks finds loops that wait on a timer and take a lock, in
// functions that run on goroutines the package starts.
func (bm *blockModel) periodicLocks() []PeriodicLock {
	var out []PeriodicLock
	for _, fn := range bm.wm.funcs {
		out = append(out, bm.periodicIn(fn)...)
	}
	return out
}

func (bm *blockModel) periodicIn(fn *ssa.Function) []PeriodicLock {
	var out []PeriodicLock
	var start *callindex.Start
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			tick, ok := tickOf(instr)
			if !ok {
				continue
			}
			loop := callindex.InnermostLoop(b)
			if loop == nil {
				continue
			}
			if start == nil {
				s, ok := bm.startOf(fn)
				if !ok {
					return nil
				}
				start = &s
			}
			region := tickRegion(instr, loop)
			for _, l := range bm.wm.locksTaken(region, nil) {
				if len(l.Chain) > maxTickLockDepth {
					continue
				}
				out = append(out, PeriodicLock{
					Func: lockmodel.FuncRefOf(fn), root: start.Fn,
					Go:   GoStart{Func: lockmodel.FuncRefOf(start.Fn), Pos: start.Instr.Pos(), By: lockmodel.FuncRefOf(start.Caller)},
					Tick: instr.Pos(), TickWhat: tick, Lock: l, Writes: bm.loopWrites(loop),
					Liveness: bm.liveness(fn, start.Fn, region),
				})
			}
		}
	}
	return out
}

// livenessWords are the name fragments (lower-cased) of a loop that tells
// a peer it is alive.
var livenessWords = []string{"heartbeat", "keepalive", "keep_alive", "ping", "beat", "lease", "renew", "liveness", "alive"}

// liveness says why a timer loop looks like a liveness signal: its
// function's, its goroutine's or a function it calls after the tick's
// name, or a write on a connection after the tick; "" otherwise.
func (bm *blockModel) liveness(fn, root *ssa.Function, region []ssa.Instruction) string {
	named := func(f *ssa.Function) bool {
		name := strings.ToLower(f.Name())
		for _, w := range livenessWords {
			if strings.Contains(name, w) {
				return true
			}
		}
		return false
	}
	for _, f := range []*ssa.Function{fn, root} {
		if named(f) {
			return "named " + f.Name()
		}
	}
	for _, instr := range region {
		call, ok := instr.(ssa.CallInstruction)
		if !ok {
			continue
		}
		if name, recv := methodCall(call.Common()); name == "Write" && recv != nil && bm.isConn(recv.Type()) {
			return "writes on a connection"
		}
		for _, cc := range bm.wm.callees(call) {
			if named(cc.fn) {
				return "calls " + cc.fn.Name()
			}
		}
	}
	return ""
}

// maxTickLockDepth: a lock the loop takes deeper than this many calls down
// (gocql's heartbeat reaches the pool lock 17 calls down, on a reconnect
// after an error) is not one it needs on every tick.
const maxTickLockDepth = 4

// tickRegion returns the instructions of a loop that run after its tick:
// for a select, the tick case's body; otherwise what the tick dominates.
func tickRegion(tick ssa.Instruction, loop map[*ssa.BasicBlock]bool) []ssa.Instruction {
	var out []ssa.Instruction
	from := tick.Block()
	if sel, ok := tick.(*ssa.Select); ok {
		from = nil
		for b := range loop {
			if s, k := SelectCase(b, 0); s == sel && k >= 0 && k < len(sel.States) && IsTimerChan(sel.States[k].Chan) {
				from = b.Succs[0]
				break
			}
		}
		if from == nil || from.Dominates(tick.Block()) {
			return nil // an empty case body: back to the loop's head
		}
	} else {
		out = append(out, tick.Block().Instrs[callindex.IndexIn(tick)+1:]...)
	}
	for b := range loop {
		if b != tick.Block() && from.Dominates(b) {
			out = append(out, b.Instrs...)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos() < out[j].Pos() })
	return out
}

// startOf returns a goroutine start that runs fn (fn itself, or a
// function that reaches it).
func (bm *blockModel) startOf(fn *ssa.Function) (callindex.Start, bool) {
	roots, ok := bm.wm.ix.GoroutineRoots(fn, 64)
	if !ok {
		return callindex.Start{}, false
	}
	for _, r := range roots {
		if s := bm.wm.ix.StartsOf(r); len(s) > 0 {
			return s[0], true
		}
	}
	return callindex.Start{}, false
}

// tickOf recognizes a wait on a timer: a receive (or a select case) on a
// ticker's or timer's channel, time.After, time.Tick; or time.Sleep.
func tickOf(instr ssa.Instruction) (string, bool) {
	switch x := instr.(type) {
	case *ssa.UnOp:
		if x.Op == token.ARROW && IsTimerChan(x.X) {
			return "waits for a timer tick", true
		}
	case *ssa.Select:
		for _, st := range x.States {
			if st.Dir == types.RecvOnly && IsTimerChan(st.Chan) {
				return "waits for a timer tick (select)", true
			}
		}
	case *ssa.Call:
		if fn := x.Common().StaticCallee(); fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == "time" && fn.Name() == "Sleep" {
			return "sleeps (time.Sleep)", true
		}
	}
	return "", false
}

// loopWrites returns the connection classes a loop writes to (deadline
// or not), directly or through the package's functions it calls.
func (bm *blockModel) loopWrites(loop map[*ssa.BasicBlock]bool) []string {
	var out []string
	seen := map[*ssa.Function]bool{}
	var visit func(instrs []ssa.Instruction, depth int)
	visit = func(instrs []ssa.Instruction, depth int) {
		for _, instr := range instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			if name, recv := methodCall(call.Common()); name == "Write" && recv != nil && bm.isConn(recv.Type()) {
				if c := lockmodel.Resolve(recv).Class(); c != "" && !slices.Contains(out, c) {
					out = append(out, c)
				}
				continue
			}
			if depth >= maxWaitDepth {
				continue
			}
			for _, cc := range bm.wm.callees(call) {
				if cc.fn.Pkg == bm.wm.pkg && !seen[cc.fn] {
					seen[cc.fn] = true
					for _, b := range cc.fn.Blocks {
						visit(b.Instrs, depth+1)
					}
				}
			}
		}
	}
	for b := range loop {
		visit(b.Instrs, 0)
	}
	sort.Strings(out)
	return out
}
