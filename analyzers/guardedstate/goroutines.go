package guardedstate

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// roots approximates which goroutines run a function: the functions it is
// reached from, through this package's static calls, that are started by
// a go statement (or a timer) or entered from outside (exported, method
// values, closures handed on). Computed on demand, memoized.
type roots struct {
	c *callers
	// hidden: closures run by code this package cannot see; as roots
	// they say nothing (they are not reported either), so they are left
	// out.
	hidden func(*ssa.Function) bool
	memo   map[*ssa.Function]rootSet
	fns    []*ssa.Function
	// receivers: by channel field, the functions that run the function
	// values received from it.
	receivers map[string][]*ssa.Function
}

type rootSet struct {
	fns []*ssa.Function
	ok  bool // false: too far to walk, not known
}

const maxRootWalk = 200

// of returns fn's roots, sorted; ok is false when the walk was too long.
func (r *roots) of(fn *ssa.Function) ([]*ssa.Function, bool) {
	if rs, ok := r.memo[fn]; ok {
		return rs.fns, rs.ok
	}
	seen := map[*ssa.Function]bool{fn: true}
	work := []*ssa.Function{fn}
	var out []*ssa.Function
	for len(work) > 0 {
		if len(seen) > maxRootWalk {
			r.memo[fn] = rootSet{}
			return nil, false
		}
		f := work[len(work)-1]
		work = work[:len(work)-1]
		if parent, ok := r.c.joined[f]; ok {
			// A forked goroutine its starter waits for.
			if !seen[parent] {
				seen[parent] = true
				work = append(work, parent)
			}
			continue
		}
		if loc, ok := r.c.runOn[f]; ok {
			// Runs on the goroutines that receive it from loc.
			if _, done := r.receivers[loc]; !done {
				r.receivers[loc] = funcReceivers(r.fns, loc)
			}
			for _, g := range r.receivers[loc] {
				if !seen[g] {
					seen[g] = true
					work = append(work, g)
				}
			}
			if len(r.receivers[loc]) > 0 {
				continue
			}
		}
		if r.c.unknown[f] || len(r.c.sites[f]) == 0 {
			if !r.hidden(f) {
				out = append(out, f)
			}
			continue
		}
		for _, s := range r.c.sites[f] {
			if s.later() {
				// Run later by a wrapper's closure: a root of its own.
				if !slices.Contains(out, f) {
					out = append(out, f)
				}
				continue
			}
			if !seen[s.caller] {
				seen[s.caller] = true
				work = append(work, s.caller)
			}
		}
	}
	sortFuncs(out)
	r.memo[fn] = rootSet{out, true}
	return out, true
}

// goRoot: fn runs only as a goroutine this package starts (go f(), a
// timer), not also as an entry point others call.
func (r *roots) goRoot(fn *ssa.Function) bool {
	if !r.c.async[fn] {
		return false
	}
	obj := fn.Object()
	return fn.Parent() != nil || obj != nil && !obj.Exported()
}

// singleGoroutine: a and every function of others run only on the one
// goroutine root g (the field's only writer goroutine).
func (r *roots) singleGoroutine(a *ssa.Function, others []*ssa.Function) bool {
	ra, ok := r.of(a)
	if !ok || len(ra) != 1 || !r.goRoot(ra[0]) {
		return false
	}
	for _, o := range others {
		ro, ok := r.of(o)
		if !ok || len(ro) > 1 || len(ro) == 1 && ro[0] != ra[0] {
			return false
		}
	}
	return true
}

// joined: before instr, its function (or a function of the package it
// calls first) receives from a channel field or waits on a WaitGroup
// field that every root of the writers closes or marks Done as it exits:
// the writers are done.
func (r *roots) joined(instr ssa.Instruction, writers []*ssa.Function) bool {
	joins := joinsBefore(instr)
	if len(joins) == 0 || len(writers) == 0 {
		return false
	}
	for _, w := range writers {
		rs, ok := r.of(w)
		if !ok {
			return false
		}
		for _, g := range rs {
			if !r.goRoot(g) || !endsAny(g, joins) {
				return false
			}
		}
	}
	return true
}

// joinedAll: every goroutine this package starts that reaches one of
// sites is done before instr (compress's Encoder.Reset shuts the job
// workers down, then resets the state they wrote under its lock); the
// other sites run on their callers' goroutines, as instr does.
func (r *roots) joinedAll(instr ssa.Instruction, sites []*access) bool {
	joins := joinsBefore(instr)
	if len(joins) == 0 {
		return false
	}
	started := 0
	seen := map[*ssa.Function]bool{}
	for _, a := range sites {
		if seen[a.fn] {
			continue
		}
		seen[a.fn] = true
		rs, ok := r.of(a.fn)
		if !ok {
			return false
		}
		for _, g := range rs {
			if !r.goRoot(g) && !r.c.async[g] {
				continue
			}
			if !r.goRoot(g) || !endsAny(g, joins) {
				return false
			}
			started++
		}
	}
	return started > 0
}

// joinsBefore: the channel fields ("chan:(T).f") received from and the
// WaitGroup fields ("wg:(T).f") waited on before instr, in its function
// or in a function of the package it calls before instr.
func joinsBefore(instr ssa.Instruction) []string {
	var out []string
	fn := instr.Parent()
	for _, b := range fn.Blocks {
		for _, x := range b.Instrs {
			if x == instr || !callindex.Before(x, instr) {
				continue
			}
			out = append(out, joinsAt(x)...)
			if c, ok := x.(*ssa.Call); ok {
				if callee := c.Call.StaticCallee(); callee != nil && callee.Pkg == fn.Pkg && callee != fn {
					for _, cb := range callee.Blocks {
						for _, y := range cb.Instrs {
							out = append(out, joinsAt(y)...)
						}
					}
				}
			}
		}
	}
	return out
}

// joinsAt: the join x is, if any (a receive from a channel field, a Wait
// on a WaitGroup field).
func joinsAt(x ssa.Instruction) []string {
	switch x := x.(type) {
	case *ssa.UnOp:
		if x.Op == token.ARROW {
			if loc := chanField(x.X); loc != "" {
				return []string{"chan:" + loc}
			}
		}
	case *ssa.Call:
		if isWGCall(x.Common(), "Wait") {
			if loc := fieldLoc(x.Call.Args[0]); loc != "" {
				return []string{"wg:" + loc}
			}
		}
	}
	return nil
}

// endsAny: fn closes one of the channel fields or calls Done on one of
// the WaitGroup fields of joins (directly or deferred).
func endsAny(fn *ssa.Function, joins []string) bool {
	for _, b := range fn.Blocks {
		for _, x := range b.Instrs {
			ci, ok := x.(ssa.CallInstruction)
			if !ok {
				continue
			}
			var end string
			if bi, ok := ci.Common().Value.(*ssa.Builtin); ok && bi.Name() == "close" && len(ci.Common().Args) == 1 {
				if loc := chanField(ci.Common().Args[0]); loc != "" {
					end = "chan:" + loc
				}
			} else if isWGCall(ci.Common(), "Done") {
				if loc := fieldLoc(ci.Common().Args[0]); loc != "" {
					end = "wg:" + loc
				}
			}
			if end != "" && slices.Contains(joins, end) {
				return true
			}
		}
	}
	return false
}

// fieldLoc: v is the address of a field: its location ("(T).f").
func fieldLoc(v ssa.Value) string {
	fa, ok := v.(*ssa.FieldAddr)
	if !ok {
		return ""
	}
	st, named := lockmodel.StructOf(fa.X.Type())
	if st == nil || named == nil {
		return ""
	}
	return "(" + typeName(named) + ")." + st.Field(fa.Field).Name()
}

// chanField: v is a channel loaded from a field: its field location.
func chanField(v ssa.Value) string {
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return ""
	}
	return fieldLoc(ld.X)
}

// sendsParamOn: fn sends its parameter i — or a closure that calls it —
// on a channel field, for another goroutine to run (franz-go's
// blockingMetadataFn hands its function to the metadata loop): the
// field's location, or "".
func sendsParamOn(fn *ssa.Function, i int) string {
	if i >= len(fn.Params) {
		return ""
	}
	p := fn.Params[i]
	runsP := func(v ssa.Value) bool {
		if v == p {
			return true
		}
		mc, ok := v.(*ssa.MakeClosure)
		if !ok {
			return false
		}
		for j, b := range mc.Bindings {
			if b != p && !cellOf(b, p) {
				continue
			}
			fv := mc.Fn.(*ssa.Function).FreeVars[j]
			for _, r := range *fv.Referrers() {
				if c, ok := r.(*ssa.Call); ok && c.Call.Value == fv {
					return true
				}
				if ld, ok := r.(*ssa.UnOp); ok && ld.Op == token.MUL {
					for _, r2 := range *ld.Referrers() {
						if c, ok := r2.(*ssa.Call); ok && c.Call.Value == ld {
							return true
						}
					}
				}
			}
		}
		return false
	}
	for _, b := range fn.Blocks {
		for _, x := range b.Instrs {
			switch x := x.(type) {
			case *ssa.Send:
				if runsP(x.X) {
					return chanField(x.Chan)
				}
			case *ssa.Select:
				for _, st := range x.States {
					if st.Send != nil && runsP(st.Send) {
						return chanField(st.Chan)
					}
				}
			}
		}
	}
	return ""
}

// funcReceivers: the functions that receive function values from channel
// field loc and call them.
func funcReceivers(fns []*ssa.Function, loc string) []*ssa.Function {
	var out []*ssa.Function
	for _, fn := range fns {
		if receivesAndCalls(fn, loc) {
			out = append(out, fn)
		}
	}
	return out
}

func receivesAndCalls(fn *ssa.Function, loc string) bool {
	for _, b := range fn.Blocks {
		for _, x := range b.Instrs {
			c, ok := x.(*ssa.Call)
			if !ok {
				continue
			}
			switch v := c.Call.Value.(type) {
			case *ssa.UnOp:
				if v.Op == token.ARROW && chanField(v.X) == loc {
					return true
				}
			case *ssa.Extract:
				if sel, ok := v.Tuple.(*ssa.Select); ok && v.Index >= 2 {
					// recv values follow (index, recvOK) in the tuple, one per receive state
					n := 0
					for _, st := range sel.States {
						if st.Dir == types.RecvOnly {
							if n == v.Index-2 && chanField(st.Chan) == loc {
								return true
							}
							n++
						}
					}
				}
			}
		}
	}
	return false
}

// cellOf: v is the cell SSA spills captured parameter p to (an Alloc
// whose only store is p).
func cellOf(v ssa.Value, p *ssa.Parameter) bool {
	alloc, ok := v.(*ssa.Alloc)
	if !ok {
		return false
	}
	stored := false
	for _, r := range *alloc.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == alloc {
			if st.Val != p {
				return false
			}
			stored = true
		}
	}
	return stored
}
