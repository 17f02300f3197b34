package waitmodel

import (
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// This file answers "can anything ever end this wait?" for resources whose
// whole world is known (design.md §2b): a channel made in a function that
// never escapes it (chanUses), a channel kept in an unexported field whose
// every store is a fresh make and whose every load is operated on in place,
// a Cond made or kept the same way, and a local WaitGroup. Anything else (a
// parameter, an exported field, a value passed out of the package) may have
// partners the model cannot see, and is never answered "no".

// PartnerOp is the kind of a wait with no possible partner.
type PartnerOp int

const (
	NoSender    PartnerOp = iota + 1 // a receive nothing sends to or closes
	NoReceiver                       // a send on an unbuffered channel nobody receives from
	NoSignal                         // a Cond.Wait nothing signals or broadcasts
	DoneSkipped                      // a goroutine's path that skips the WaitGroup.Done a Wait counts on
)

// Partnerless is a wait nothing in its resource's known world can end.
type Partnerless struct {
	Op    PartnerOp
	Pos   token.Pos // the receive, send or Cond.Wait; for DoneSkipped, the return that skips Done
	What  string    // the channel, Cond or WaitGroup as written
	Func  string    // the function that waits (DoneSkipped: the goroutine)
	Made  token.Pos // where it is made (make, sync.NewCond, the WaitGroup's declaration)
	Owner string    // the function that makes it
	Field string    // the field class ("(pkg.T).ch") when it is kept in a field
	// Close: for NoReceiver, a close of the channel (which makes the send
	// fail at run time; it never completes it), or NoPos.
	Close token.Pos
	// For DoneSkipped: the goroutine's Done, its start and the Wait.
	Done, Go, Wait token.Pos
}

// Partnerless returns the waits of the package that nothing can ever end,
// in source order.
func (w *Waits) Partnerless() []Partnerless {
	wm := w.model()
	if wm == nil {
		return nil
	}
	var out []Partnerless
	for _, fn := range wm.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.MakeChan:
					out = append(out, wm.localChanPartners(x)...)
				case *ssa.Call:
					if isNewCond(x.Common()) {
						out = append(out, wm.localCondPartners(x)...)
					}
				case *ssa.Alloc:
					out = append(out, wm.doneSkips(x)...)
				}
			}
		}
	}
	out = append(out, wm.fieldPartners()...)
	seen := map[token.Pos]bool{}
	out = slices.DeleteFunc(out, func(p Partnerless) bool {
		dup := seen[p.Pos]
		seen[p.Pos] = true
		return dup
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

// intendedPark: package main's main may park itself on purpose
// (<-make(chan struct{})), a program that serves until killed.
func intendedPark(fn *ssa.Function) bool {
	return fn.Pkg != nil && fn.Pkg.Pkg.Name() == "main" && fn.Name() == "main" && fn.Parent() == nil
}

// localChanPartners: the plain receives and sends on a channel made by mc
// that never escapes, and that nothing can complete.
func (wm *Model) localChanPartners(mc *ssa.MakeChan) []Partnerless {
	uses, escapes := wm.chanUses(mc)
	if escapes {
		return nil
	}
	var ops []chanOpSite
	for _, u := range uses {
		ops = append(ops, chanOpSite{instr: u.instr, op: u.op, sel: u.sel})
	}
	own := func(fn *ssa.Function) bool {
		// The channel's own operations, not those of a helper that other
		// callers hand other channels.
		if NestedIn(fn, mc.Parent()) {
			return true
		}
		calls, complete := wm.ix.Callers(fn)
		return complete && len(calls) == 1 && NestedIn(calls[0].Caller, mc.Parent())
	}
	out := wm.partnerless(ops, []int64{capOf(mc)}, mc.Pos(), "", own)
	for i := range out {
		out[i].Owner = lockmodel.FuncName(mc.Parent())
	}
	return out
}

type chanOpSite struct {
	instr ssa.Instruction
	op    ChanOp
	sel   int // select case, or -1
}

// partnerless decides, for the operations of one channel world, which
// plain receives and sends can never complete. caps are the capacities of
// the channels of the world (-1: not constant).
func (wm *Model) partnerless(ops []chanOpSite, caps []int64, made token.Pos, field string, own func(*ssa.Function) bool) []Partnerless {
	var sends, recvs int
	var closePos token.Pos
	for _, o := range ops {
		switch o.op {
		case OpSend:
			sends++
		case OpRecv:
			recvs++
		case OpClose:
			if !closePos.IsValid() {
				closePos = o.instr.Pos()
			}
			sends++ // a close ends every blocked receive
		}
	}
	unbuffered := len(caps) > 0
	for _, c := range caps {
		unbuffered = unbuffered && c == 0
	}
	var out []Partnerless
	for _, o := range ops {
		fn := o.instr.Parent()
		if o.sel >= 0 || !own(fn) || intendedPark(fn) {
			continue
		}
		_, ch := ChanOpOf(o.instr)
		p := Partnerless{Pos: o.instr.Pos(), Func: lockmodel.FuncName(fn), Made: made, Field: field}
		switch {
		case o.op == OpRecv && sends == 0:
			p.Op = NoSender
		case o.op == OpSend && recvs == 0 && unbuffered:
			p.Op, p.Close = NoReceiver, closePos
		default:
			continue
		}
		p.What = wm.SrcText(o.instr.Pos(), ch)
		out = append(out, p)
	}
	return out
}

// fieldPartners: channels and Conds kept in unexported fields of the
// package's struct types, whose every store is a fresh make (or
// sync.NewCond) and every load is operated on where it is loaded.
func (wm *Model) fieldPartners() []Partnerless {
	type world struct {
		refs  []ssa.Instruction // FieldAddr and Field instructions
		first token.Pos
	}
	worlds := map[*types.Var]*world{}
	var order []*types.Var
	for _, fn := range wm.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				f := fieldOf(instr)
				if f == nil || f.Exported() || f.Pkg() != wm.pkg.Pkg || !isChanOrCond(f.Type()) || wm.inTestFile(f.Pos()) {
					continue
				}
				w := worlds[f]
				if w == nil {
					w = &world{}
					worlds[f] = w
					order = append(order, f)
				}
				w.refs = append(w.refs, instr)
			}
		}
	}
	var out []Partnerless
	for _, f := range order {
		w := worlds[f]
		if _, isChan := f.Type().Underlying().(*types.Chan); isChan {
			out = append(out, wm.fieldChanPartners(w.refs)...)
		} else {
			out = append(out, wm.fieldCondPartners(w.refs)...)
		}
	}
	return out
}

// inTestFile: pos is in a _test.go file. A test fake's field that nothing
// sends on belongs to a method the tests never call (etcd's
// mvcc.fakeIndex.RangeEvents): fields of types declared in tests are left
// alone.
func (wm *Model) inTestFile(pos token.Pos) bool {
	return strings.HasSuffix(wm.pass.Fset.Position(pos).Filename, "_test.go")
}

// fieldOf returns the field (its generic origin) a FieldAddr or Field
// instruction selects.
func fieldOf(instr ssa.Instruction) *types.Var {
	var t types.Type
	var i int
	switch x := instr.(type) {
	case *ssa.FieldAddr:
		p, ok := x.X.Type().Underlying().(*types.Pointer)
		if !ok {
			return nil
		}
		t, i = p.Elem(), x.Field
	case *ssa.Field:
		t, i = x.X.Type(), x.Field
	default:
		return nil
	}
	st, named := lockmodel.StructOf(t)
	if st == nil || named == nil || i >= st.NumFields() {
		return nil
	}
	return st.Field(i).Origin()
}

// onlyStored: v (a make, a sync.NewCond) is used only by stores to
// fields: it lives only in them (etcd's raft node makes notifyc, sends on
// it as a local and hands it over in a struct field).
func onlyStored(v ssa.Value) bool {
	for _, r := range *v.Referrers() {
		switch x := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if _, isField := x.Addr.(*ssa.FieldAddr); !isField || x.Val != v {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func isChanOrCond(t types.Type) bool {
	if _, ok := t.Underlying().(*types.Chan); ok {
		return true
	}
	return lockmodel.SyncType(t) == "Cond"
}

// fieldChanPartners: a channel field's world, when known.
func (wm *Model) fieldChanPartners(refs []ssa.Instruction) []Partnerless {
	var ops []chanOpSite
	var caps []int64
	var made token.Pos
	var class, owner string
	for _, ref := range refs {
		v := ref.(ssa.Value)
		if class == "" {
			class = wm.chanClass(v)
		}
		if _, isField := ref.(*ssa.Field); isField {
			o, ok := loadedChanOps(v)
			if !ok {
				return nil
			}
			ops = append(ops, o...)
			continue
		}
		for _, r := range *v.Referrers() {
			switch x := r.(type) {
			case *ssa.DebugRef:
			case *ssa.Store:
				mc, ok := x.Val.(*ssa.MakeChan)
				if !ok || x.Addr != v || !onlyStored(mc) {
					return nil // not fresh: also kept (and used) elsewhere
				}
				caps = append(caps, capOf(mc))
				if !made.IsValid() {
					made, owner = mc.Pos(), lockmodel.FuncName(mc.Parent())
				}
			case *ssa.UnOp:
				if x.Op != token.MUL {
					return nil
				}
				o, ok := loadedChanOps(x)
				if !ok {
					return nil
				}
				ops = append(ops, o...)
			default:
				return nil
			}
		}
	}
	if len(caps) == 0 || class == "" {
		return nil // never made here: nil, or set by code not visible
	}
	// A load of the channel, once made, in the class's field: but the
	// class's name is the load's, so take it from an operation.
	if len(ops) > 0 {
		_, ch := ChanOpOf(ops[0].instr)
		if ch != nil {
			if c := wm.chanClass(ch); c != "" {
				class = c
			}
		}
	}
	out := wm.partnerless(ops, caps, made, class, func(*ssa.Function) bool { return true })
	for i := range out {
		out[i].Owner = owner
	}
	return out
}

// loadedChanOps returns the operations on a loaded channel value, false
// when it is used otherwise (passed, stored, returned, converted).
func loadedChanOps(v ssa.Value) ([]chanOpSite, bool) {
	var out []chanOpSite
	for _, r := range *v.Referrers() {
		switch x := r.(type) {
		case *ssa.DebugRef:
		case *ssa.UnOp:
			if x.Op != token.ARROW {
				return nil, false
			}
			out = append(out, chanOpSite{instr: x, op: OpRecv, sel: -1})
		case *ssa.Send:
			if x.Chan != v {
				return nil, false
			}
			out = append(out, chanOpSite{instr: x, op: OpSend, sel: -1})
		case *ssa.Select:
			for i, st := range x.States {
				switch {
				case st.Send == v:
					return nil, false
				case st.Chan == v && st.Dir == types.SendOnly:
					out = append(out, chanOpSite{instr: x, op: OpSend, sel: i})
				case st.Chan == v:
					out = append(out, chanOpSite{instr: x, op: OpRecv, sel: i})
				}
			}
		case *ssa.BinOp: // ch == nil
		case ssa.CallInstruction:
			b, ok := x.Common().Value.(*ssa.Builtin)
			if !ok {
				return nil, false
			}
			switch b.Name() {
			case "close":
				out = append(out, chanOpSite{instr: x, op: OpClose, sel: -1})
			case "len", "cap":
			default:
				return nil, false
			}
		default:
			return nil, false
		}
	}
	return out, true
}

func isNewCond(c *ssa.CallCommon) bool {
	fn := c.StaticCallee()
	return fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == "sync" && fn.Name() == "NewCond"
}

// condCallOn returns the sync.Cond method a call makes on v ("Wait",
// "Signal", "Broadcast"), or "".
func condCallOn(instr ssa.Instruction, v ssa.Value) string {
	ci, ok := instr.(ssa.CallInstruction)
	if !ok {
		return ""
	}
	c := ci.Common()
	fn := c.StaticCallee()
	if fn == nil || fn.Signature.Recv() == nil || len(c.Args) == 0 || c.Args[0] != v || lockmodel.SyncType(fn.Signature.Recv().Type()) != "Cond" {
		return ""
	}
	for _, a := range c.Args[1:] {
		if a == v {
			return ""
		}
	}
	return fn.Name()
}

// followLocal walks a pointer value (a *sync.Cond, a *sync.WaitGroup)
// through the local variables it is kept in and the closures that capture
// it, and hands every other use to use, with the value it uses. It returns
// false when the value goes where uses cannot be followed (stored
// elsewhere, copied) or use says so.
func followLocal(root ssa.Value, use func(r ssa.Instruction, v ssa.Value) bool) bool {
	seen := map[ssa.Value]bool{}
	work := []ssa.Value{root}
	for len(work) > 0 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[v] {
			continue
		}
		seen[v] = true
		refs := v.Referrers()
		if refs == nil {
			continue
		}
		for _, r := range *refs {
			switch x := r.(type) {
			case *ssa.DebugRef:
				continue
			case *ssa.Store: // kept in a variable
				if a, isAlloc := x.Addr.(*ssa.Alloc); isAlloc && x.Val == v {
					work = append(work, a)
					continue
				}
			case *ssa.UnOp: // loaded from one (a copy of the value is not followed)
				if _, ptr := x.Type().(*types.Pointer); ptr && x.Op == token.MUL {
					work = append(work, x)
					continue
				}
			case *ssa.MakeClosure:
				for i, b := range x.Bindings {
					if b == v {
						work = append(work, x.Fn.(*ssa.Function).FreeVars[i])
					}
				}
				continue
			}
			if !use(r, v) {
				return false
			}
		}
	}
	return true
}

// condUses follows a *sync.Cond value and returns its Wait calls and
// whether it is ever signalled; ok is false when it goes where uses
// cannot be followed.
func condUses(v ssa.Value) (waits []*ssa.Call, signalled, ok bool) {
	ok = followLocal(v, func(r ssa.Instruction, v ssa.Value) bool {
		switch condCallOn(r, v) {
		case "Wait":
			call, isCall := r.(*ssa.Call)
			waits = append(waits, call)
			return isCall
		case "Signal", "Broadcast":
			signalled = true
			return true
		}
		fa, isField := r.(*ssa.FieldAddr) // c.L
		return isField && fa.X == v && fa.Field == 0
	})
	return waits, signalled, ok
}

// localCondPartners: the waits on a Cond made by sync.NewCond and kept in
// local variables, when nothing signals it.
func (wm *Model) localCondPartners(call *ssa.Call) []Partnerless {
	// A Cond stored straight into a field is the field's world.
	for _, r := range *call.Referrers() {
		if st, ok := r.(*ssa.Store); ok {
			if _, isField := st.Addr.(*ssa.FieldAddr); isField {
				return nil
			}
		}
	}
	waits, signalled, ok := condUses(call)
	if !ok || signalled {
		return nil
	}
	out := wm.condPartners(waits, call.Pos(), "")
	for i := range out {
		out[i].Owner = lockmodel.FuncName(call.Parent())
	}
	return out
}

func (wm *Model) condPartners(waits []*ssa.Call, made token.Pos, field string) []Partnerless {
	var out []Partnerless
	for _, w := range waits {
		if intendedPark(w.Parent()) {
			continue
		}
		out = append(out, Partnerless{
			Op: NoSignal, Pos: w.Pos(), What: wm.SrcText(w.Pos(), w.Call.Args[0]),
			Func: lockmodel.FuncName(w.Parent()), Made: made, Field: field,
		})
	}
	return out
}

// fieldCondPartners: a Cond field's world (*sync.Cond stored from
// sync.NewCond, or a sync.Cond value), when known.
func (wm *Model) fieldCondPartners(refs []ssa.Instruction) []Partnerless {
	var waits []*ssa.Call
	signalled := false
	var made token.Pos
	class, owner := "", ""
	for _, ref := range refs {
		fa, ok := ref.(*ssa.FieldAddr)
		if !ok {
			return nil // a Cond copied out of a struct value
		}
		if class == "" {
			class = lockmodel.Resolve(fa).Class()
		}
		if _, isPtr := fa.Type().(*types.Pointer).Elem().(*types.Pointer); !isPtr {
			// A sync.Cond value: its address is the Cond.
			if !made.IsValid() {
				made, owner = fa.Pos(), lockmodel.FuncName(fa.Parent())
			}
			ws, sig, ok := condUses(fa)
			if !ok {
				return nil
			}
			waits, signalled = append(waits, ws...), signalled || sig
			continue
		}
		for _, r := range *fa.Referrers() {
			switch x := r.(type) {
			case *ssa.DebugRef:
			case *ssa.Store:
				call, ok := x.Val.(*ssa.Call)
				if !ok || x.Addr != fa || !isNewCond(call.Common()) || !onlyStored(call) {
					return nil
				}
				if !made.IsValid() {
					made, owner = call.Pos(), lockmodel.FuncName(call.Parent())
				}
			case *ssa.UnOp:
				if x.Op != token.MUL {
					return nil
				}
				ws, sig, ok := condUses(x)
				if !ok {
					return nil
				}
				waits, signalled = append(waits, ws...), signalled || sig
			default:
				return nil
			}
		}
	}
	if signalled || !made.IsValid() || !isPackageClass(class) {
		return nil
	}
	out := wm.condPartners(waits, made, class)
	for i := range out {
		out[i].Owner = owner
	}
	return out
}

func isPackageClass(c string) bool { return len(c) > 0 && c[0] == '(' }

// doneSkips: a local WaitGroup (alloc) whose whole world is this function
// and its closures, waited for, with a goroutine that calls Done on some
// paths and returns without it on another.
func (wm *Model) doneSkips(alloc *ssa.Alloc) []Partnerless {
	if !isWGPointer(alloc.Type()) {
		return nil
	}
	var dones, waits []ssa.Instruction
	known := followLocal(alloc, func(r ssa.Instruction, v ssa.Value) bool {
		ci, isCall := r.(ssa.CallInstruction)
		if !isCall {
			return false
		}
		c := ci.Common()
		fn := c.StaticCallee()
		if fn == nil || fn.Signature.Recv() == nil || len(c.Args) == 0 || c.Args[0] != v || lockmodel.SyncType(fn.Signature.Recv().Type()) != "WaitGroup" {
			return false
		}
		switch fn.Name() {
		case "Done":
			dones = append(dones, r)
		case "Wait":
			waits = append(waits, r)
		case "Add":
		default:
			return false // Go: Done by the library
		}
		return true
	})
	if !known {
		return nil
	}
	if len(waits) == 0 || len(dones) == 0 {
		return nil
	}
	byFn := map[*ssa.Function][]ssa.Instruction{}
	var fns []*ssa.Function
	for _, d := range dones {
		f := d.Parent()
		if byFn[f] == nil {
			fns = append(fns, f)
		}
		byFn[f] = append(byFn[f], d)
	}
	var out []Partnerless
	for _, g := range fns {
		ds := byFn[g]
		if !wm.OnlyStarted(g) || hasDefer(g) || len(wm.goStarts(g)) != 1 {
			continue
		}
		touches := map[ssa.Instruction]bool{}
		skip := false
		for _, d := range ds {
			if _, deferred := d.(*ssa.Defer); deferred || callindex.InLoop(d) {
				skip = true
			}
			touches[d] = true
		}
		if skip {
			continue
		}
		for _, b := range g.Blocks {
			for _, instr := range b.Instrs {
				if c, ok := instr.(ssa.CallInstruction); ok && noReturn(c.Common()) {
					touches[instr] = true
				}
			}
		}
		ret, ok := untouchedExit(g.Blocks[0], touches, nil)
		if !ok {
			continue
		}
		out = append(out, Partnerless{
			Op: DoneSkipped, Pos: ret, What: wm.SrcText(ds[0].Pos(), ds[0].(ssa.CallInstruction).Common().Args[0]),
			Func: lockmodel.FuncName(g), Made: alloc.Pos(), Done: ds[0].Pos(), Go: wm.goStarts(g)[0].Pos(), Wait: waits[0].Pos(),
		})
	}
	return out
}

// isWGPointer: t is *sync.WaitGroup (not a pointer to a pointer).
func isWGPointer(t types.Type) bool {
	p, ok := t.(*types.Pointer)
	if !ok {
		return false
	}
	_, ptr := p.Elem().(*types.Pointer)
	return !ptr && lockmodel.SyncType(p.Elem()) == "WaitGroup"
}

// hasDefer: fn defers a call (a deferred closure may call Done).
func hasDefer(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if _, ok := instr.(*ssa.Defer); ok {
				return true
			}
		}
	}
	return false
}

// noReturn recognizes calls that do not return to their caller (os.Exit,
// log.Fatal, runtime.Goexit, t.FailNow and friends): a path through one
// ends no wait by returning.
func noReturn(c *ssa.CallCommon) bool {
	var name string
	if c.IsInvoke() {
		name = c.Method.Name()
	} else if fn := c.StaticCallee(); fn != nil {
		name = fn.Name()
	} else {
		return false
	}
	switch name {
	case "Exit", "Goexit", "Fatal", "Fatalf", "Fatalln", "FailNow", "Panic", "Panicf", "Panicln", "Skip", "Skipf", "SkipNow":
		return true
	}
	return false
}
