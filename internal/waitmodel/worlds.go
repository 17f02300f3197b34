package waitmodel

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
)

// This file answers "what is the whole world of this channel, Cond or
// WaitGroup?" for resources whose every use is known (design.md §2b): a
// channel made in a function that never escapes it (ChanUses), a channel
// kept in an unexported field whose every store is a fresh make and whose
// every load is operated on in place, a Cond made or kept the same way,
// and a local WaitGroup. Anything else (a parameter, an exported field, a
// value passed out of the package) may have partners the model cannot
// see, and has no World.

// WorldKind is what a World is the world of.
type WorldKind int

const (
	WorldChan      WorldKind = iota + 1 // a channel: Ops, Caps, Own
	WorldCond                           // a sync.Cond: Waits, Signalled
	WorldWaitGroup                      // a local sync.WaitGroup: Dones, WGWaits
)

// World is every operation on one channel, Cond or WaitGroup whose whole
// world is known.
type World struct {
	Kind  WorldKind
	Made  token.Pos      // the make, sync.NewCond, or the WaitGroup's declaration
	Owner report.FuncRef // the function that makes it (zero for a WaitGroup)
	Field string         // the field class ("(pkg.T).ch") when kept in a field
	// A channel's operations, the capacities of the channels made for it
	// (-1: not constant), and which functions' operations are its own (not
	// those of a helper that other callers hand other channels).
	Ops  []ChanUse
	Caps []int64
	Own  func(*ssa.Function) bool
	// A Cond's Wait calls, and whether anything signals or broadcasts it.
	Waits     []*ssa.Call
	Signalled bool
	// A WaitGroup's Done and Wait calls.
	Dones, WGWaits []ssa.Instruction
}

// Worlds returns the package's resources whose whole world is known: the
// channels, Conds and WaitGroups made in its functions in instruction
// order, then those kept in its unexported fields.
func (wm *Model) Worlds() []World {
	var out []World
	add := func(w World, ok bool) {
		if ok {
			out = append(out, w)
		}
	}
	for _, fn := range wm.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.MakeChan:
					add(wm.localChanWorld(x))
				case *ssa.Call:
					if isNewCond(x.Common()) {
						add(localCondWorld(x))
					}
				case *ssa.Alloc:
					add(localWaitGroupWorld(x))
				}
			}
		}
	}
	return append(out, wm.fieldWorlds()...)
}

// localChanWorld: the operations on a channel made by mc that never
// escapes.
func (wm *Model) localChanWorld(mc *ssa.MakeChan) (World, bool) {
	uses, escapes := wm.ChanUses(mc)
	if escapes {
		return World{}, false
	}
	own := func(fn *ssa.Function) bool {
		if NestedIn(fn, mc.Parent()) {
			return true
		}
		calls, complete := wm.ix.Callers(fn)
		return complete && len(calls) == 1 && NestedIn(calls[0].Caller, mc.Parent())
	}
	return World{Kind: WorldChan, Made: mc.Pos(), Owner: lockmodel.FuncRefOf(mc.Parent()), Ops: uses, Caps: []int64{CapOf(mc)}, Own: own}, true
}

// fieldWorlds: channels and Conds kept in unexported fields of the
// package's struct types, whose every store is a fresh make (or
// sync.NewCond) and every load is operated on where it is loaded.
func (wm *Model) fieldWorlds() []World {
	type refs struct {
		refs []ssa.Instruction // FieldAddr and Field instructions
	}
	worlds := map[*types.Var]*refs{}
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
					w = &refs{}
					worlds[f] = w
					order = append(order, f)
				}
				w.refs = append(w.refs, instr)
			}
		}
	}
	var out []World
	for _, f := range order {
		var w World
		var ok bool
		if _, isChan := f.Type().Underlying().(*types.Chan); isChan {
			w, ok = wm.fieldChanWorld(worlds[f].refs)
		} else {
			w, ok = fieldCondWorld(worlds[f].refs)
		}
		if ok {
			out = append(out, w)
		}
	}
	return out
}

// fieldChanWorld: a channel field's world, when known.
func (wm *Model) fieldChanWorld(refs []ssa.Instruction) (World, bool) {
	var ops []ChanUse
	var caps []int64
	var made token.Pos
	var class string
	var owner report.FuncRef
	for _, ref := range refs {
		v := ref.(ssa.Value)
		if class == "" {
			class = wm.chanClass(v)
		}
		if _, isField := ref.(*ssa.Field); isField {
			o, ok := loadedChanOps(v)
			if !ok {
				return World{}, false
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
					return World{}, false // not fresh: also kept (and used) elsewhere
				}
				caps = append(caps, CapOf(mc))
				if !made.IsValid() {
					made, owner = mc.Pos(), lockmodel.FuncRefOf(mc.Parent())
				}
			case *ssa.UnOp:
				if x.Op != token.MUL {
					return World{}, false
				}
				o, ok := loadedChanOps(x)
				if !ok {
					return World{}, false
				}
				ops = append(ops, o...)
			default:
				return World{}, false
			}
		}
	}
	if len(caps) == 0 || class == "" {
		return World{}, false // never made here: nil, or set by code not visible
	}
	// A load of the channel, once made, in the class's field: but the
	// class's name is the load's, so take it from an operation.
	if len(ops) > 0 {
		_, ch := ChanOpOf(ops[0].Instr)
		if ch != nil {
			if c := wm.chanClass(ch); c != "" {
				class = c
			}
		}
	}
	return World{Kind: WorldChan, Made: made, Owner: owner, Field: class, Ops: ops, Caps: caps, Own: func(*ssa.Function) bool { return true }}, true
}

// localCondWorld: a Cond made by sync.NewCond and kept in local
// variables.
func localCondWorld(call *ssa.Call) (World, bool) {
	// A Cond stored straight into a field is the field's world.
	for _, r := range *call.Referrers() {
		if st, ok := r.(*ssa.Store); ok {
			if _, isField := st.Addr.(*ssa.FieldAddr); isField {
				return World{}, false
			}
		}
	}
	waits, signalled, ok := condUses(call)
	if !ok {
		return World{}, false
	}
	return World{Kind: WorldCond, Made: call.Pos(), Owner: lockmodel.FuncRefOf(call.Parent()), Waits: waits, Signalled: signalled}, true
}

// fieldCondWorld: a Cond field's world (*sync.Cond stored from
// sync.NewCond, or a sync.Cond value), when known.
func fieldCondWorld(refs []ssa.Instruction) (World, bool) {
	var waits []*ssa.Call
	signalled := false
	var made token.Pos
	var class string
	var owner report.FuncRef
	for _, ref := range refs {
		fa, ok := ref.(*ssa.FieldAddr)
		if !ok {
			return World{}, false // a Cond copied out of a struct value
		}
		if class == "" {
			class = lockmodel.Resolve(fa).Class()
		}
		if _, isPtr := fa.Type().(*types.Pointer).Elem().(*types.Pointer); !isPtr {
			// A sync.Cond value: its address is the Cond.
			if !made.IsValid() {
				made, owner = fa.Pos(), lockmodel.FuncRefOf(fa.Parent())
			}
			ws, sig, ok := condUses(fa)
			if !ok {
				return World{}, false
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
					return World{}, false
				}
				if !made.IsValid() {
					made, owner = call.Pos(), lockmodel.FuncRefOf(call.Parent())
				}
			case *ssa.UnOp:
				if x.Op != token.MUL {
					return World{}, false
				}
				ws, sig, ok := condUses(x)
				if !ok {
					return World{}, false
				}
				waits, signalled = append(waits, ws...), signalled || sig
			default:
				return World{}, false
			}
		}
	}
	if !made.IsValid() || !isPackageClass(class) {
		return World{}, false
	}
	return World{Kind: WorldCond, Made: made, Owner: owner, Field: class, Waits: waits, Signalled: signalled}, true
}

// localWaitGroupWorld: a local WaitGroup (alloc) whose whole world is its
// function and their closures: its Done and Wait calls.
func localWaitGroupWorld(alloc *ssa.Alloc) (World, bool) {
	if !isWGPointer(alloc.Type()) {
		return World{}, false
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
		return World{}, false
	}
	return World{Kind: WorldWaitGroup, Made: alloc.Pos(), Dones: dones, WGWaits: waits}, true
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

// loadedChanOps returns the operations on a loaded channel value, false
// when it is used otherwise (passed, stored, returned, converted).
func loadedChanOps(v ssa.Value) ([]ChanUse, bool) {
	var out []ChanUse
	for _, r := range *v.Referrers() {
		switch x := r.(type) {
		case *ssa.DebugRef:
		case *ssa.UnOp:
			if x.Op != token.ARROW {
				return nil, false
			}
			out = append(out, ChanUse{Instr: x, Op: OpRecv, Sel: -1})
		case *ssa.Send:
			if x.Chan != v {
				return nil, false
			}
			out = append(out, ChanUse{Instr: x, Op: OpSend, Sel: -1})
		case *ssa.Select:
			for i, st := range x.States {
				switch {
				case st.Send == v:
					return nil, false
				case st.Chan == v && st.Dir == types.SendOnly:
					out = append(out, ChanUse{Instr: x, Op: OpSend, Sel: i})
				case st.Chan == v:
					out = append(out, ChanUse{Instr: x, Op: OpRecv, Sel: i})
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
				out = append(out, ChanUse{Instr: x, Op: OpClose, Sel: -1})
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

func isPackageClass(c string) bool { return len(c) > 0 && c[0] == '(' }

// isWGPointer: t is *sync.WaitGroup (not a pointer to a pointer).
func isWGPointer(t types.Type) bool {
	p, ok := t.(*types.Pointer)
	if !ok {
		return false
	}
	_, ptr := p.Elem().(*types.Pointer)
	return !ptr && lockmodel.SyncType(p.Elem()) == "WaitGroup"
}
