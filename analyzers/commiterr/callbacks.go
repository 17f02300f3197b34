package commiterr

import (
	"fmt"
	"github.com/kafkalint/kafkalint/internal/callindex"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/kafkaapi"
)

// checkCallbacks reports commit callbacks that drop the error: a nil onDone,
// or a callback that reads neither its error parameter nor the response
// carrying the per-partition error codes.
func (c *checker) checkCallbacks() {
	for _, call := range c.calls {
		e := call.entry
		if (e.Kind != kafkaapi.Commit && e.Kind != kafkaapi.CallbackOpt) || e.Error != kafkaapi.InCallback {
			continue
		}
		arg := argValue(call.instr.Common(), e.Arg)
		if arg == nil {
			continue
		}
		param := callbackParamName(call.callee, e.Arg)
		if isNil(arg) {
			if e.Kind != kafkaapi.Commit {
				continue // AutoCommitCallback(nil): not a shape we know the effect of
			}
			c.report(analysis.Diagnostic{
				Pos:      call.instr.Pos(),
				Category: catCallback,
				Message: fmt.Sprintf("%s is called with a nil %s: the commit's error and its per-partition error codes are dropped, so a commit that fails in a rebalance (%s) goes unnoticed; pass a callback that checks err and each partition's ErrorCode (kerr.ErrorForCode)",
					label(call.callee), param, rebalanceErrors(e.Client)),
			})
			continue
		}
		fn := c.callbackBody(arg)
		if fn == nil {
			continue // a func value we cannot see into
		}
		errParam, partsParam := callbackParams(fn, e)
		if errParam == nil {
			continue // signature does not match the table
		}
		if isRead(errParam) || (partsParam != nil && isRead(partsParam)) {
			continue
		}
		what := "the commit's error"
		if e.Kind == kafkaapi.CallbackOpt {
			what = "the autocommit's error"
		}
		parts := ""
		if partsParam != nil {
			parts = " nor the response's per-partition error codes"
		}
		c.report(analysis.Diagnostic{
			Pos:      call.instr.Pos(),
			Category: catCallback,
			Message: fmt.Sprintf("the %s passed to %s reads neither its error%s: %s is dropped, so a commit that fails in a rebalance (%s) goes unnoticed; check err and each partition's ErrorCode (kerr.ErrorForCode), and on rebalance errors drop the revoked partitions' state",
				param, label(call.callee), parts, what, rebalanceErrors(e.Client)),
			Related: []analysis.RelatedInformation{{Pos: fn.Pos(), Message: "the callback"}},
		})
	}
}

// callbackParamName is the name of the callee's callback parameter
// ("onDone", "fn"), for messages.
func callbackParamName(f *types.Func, arg int) string {
	params := f.Signature().Params()
	if arg < params.Len() && params.At(arg).Name() != "" {
		return params.At(arg).Name()
	}
	return "callback"
}

// callbackBody returns the function a callback argument denotes when its body
// is in this package: a func literal, a declared function or a method value.
func (c *checker) callbackBody(v ssa.Value) *ssa.Function {
	fn, _ := callindex.FuncValue(v)
	if fn == nil {
		return nil
	}
	if fn.Synthetic != "" && strings.HasPrefix(fn.Synthetic, "bound method wrapper") {
		obj, ok := fn.Object().(*types.Func)
		if !ok {
			return nil
		}
		fn = fn.Prog.FuncValue(obj)
	}
	if fn == nil || fn.Blocks == nil || fn.Pkg != c.ssa.Pkg {
		return nil
	}
	return fn
}

// callbackParams returns the callback's error parameter (its last parameter
// of type error) and, when the entry names one, the parameter carrying the
// per-partition errors.
func callbackParams(fn *ssa.Function, e *kafkaapi.Entry) (errParam, partsParam *ssa.Parameter) {
	sig := fn.Signature
	offset := 0
	if sig.Recv() != nil {
		offset = 1 // a method: Params[0] is the receiver
	}
	for i := sig.Params().Len() - 1; i >= 0; i-- {
		if types.Identical(sig.Params().At(i).Type(), errorType) {
			if i+offset < len(fn.Params) {
				errParam = fn.Params[i+offset]
			}
			break
		}
	}
	if e.Partitions >= 0 && e.Partitions+offset < len(fn.Params) && e.Partitions < sig.Params().Len() {
		partsParam = fn.Params[e.Partitions+offset]
	}
	return errParam, partsParam
}

// checkPartitionErrors reports per-partition errors that are never read
// although the partitions are used: confluent's []TopicPartition results
// (.Error), kafka-go's OffsetCommitResponse (.Topics[t][i].Error), and
// confluent OffsetsCommitted events.
func (c *checker) checkPartitionErrors() {
	for _, call := range c.callsOf(kafkaapi.Commit) {
		e := call.entry
		if e.Error != kafkaapi.InResult || e.Partitions < 0 {
			continue
		}
		sc, ok := call.instr.(*ssa.Call)
		if !ok || e.Partitions >= sc.Call.Signature().Results().Len() {
			continue
		}
		v := resultValue(sc, e.Partitions)
		if v == nil {
			continue
		}
		use := walkFields(v, "Error")
		if !use.partitionUsed || use.errRead || use.opaque {
			continue
		}
		c.report(analysis.Diagnostic{
			Pos:      sc.Pos(),
			Category: catCallback,
			Message: fmt.Sprintf("the partitions returned by %s are used but their .Error is never read: a partition whose commit failed (%s after a rebalance) looks committed; check each partition's .Error as well as the returned error",
				label(call.callee), rebalanceErrors(e.Client)),
		})
	}
	c.checkCommitEvents()
}

// checkCommitEvents reports handled commit-result events (confluent
// kafka.OffsetsCommitted) whose error field is never read although other
// fields are.
func (c *checker) checkCommitEvents() {
	events := c.table.OfKind(kafkaapi.Event)
	if len(events) == 0 {
		return
	}
	for _, fn := range c.ssa.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				ta, ok := instr.(*ssa.TypeAssert)
				if !ok {
					continue
				}
				e := eventEntry(events, ta.AssertedType)
				if e == nil {
					continue
				}
				v := ssa.Value(ta)
				if ta.CommaOk {
					v = nil
					for _, r := range *ta.Referrers() {
						if ex, ok := r.(*ssa.Extract); ok && ex.Index == 0 {
							v = ex
						}
					}
					if v == nil {
						continue
					}
				}
				use := walkFields(v, e.Field)
				if !use.fieldUsed || use.errRead || use.opaque {
					continue
				}
				c.report(analysis.Diagnostic{
					Pos:      ta.Pos(),
					Category: catCallback,
					Message: fmt.Sprintf("this %s event is used but its .%s is never read: a failed automatic commit (%s after a rebalance) goes unnoticed; check .%s and each offset's .Error",
						types.TypeString(ta.AssertedType, func(p *types.Package) string { return p.Name() }), e.Field, rebalanceErrors(e.Client), e.Field),
				})
			}
		}
	}
}

func eventEntry(events []*kafkaapi.Entry, t types.Type) *kafkaapi.Entry {
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return nil
	}
	name := n.Obj().Pkg().Path() + "." + n.Obj().Name()
	for _, e := range events {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// fieldUse summarizes how a value holding per-partition errors is used.
type fieldUse struct {
	partitionUsed bool // a field of a struct that has an error field (a partition) was read
	fieldUsed     bool // some field other than the error field was read
	errRead       bool // the error field (or ErrorCode) was read
	opaque        bool // the value, or a part of it, went somewhere we do not follow
}

// walkFields follows v through indexing, ranging, loads, copies into local
// variables and field selections, and records which fields are read. It
// only follows values that can hold a partition (a struct with the error
// field); errField is the name of that field, ErrorCode counts as well.
func walkFields(v ssa.Value, errField string) fieldUse {
	var u fieldUse
	seen := map[ssa.Value]bool{}
	var walk func(v ssa.Value)
	walk = func(v ssa.Value) {
		if seen[v] || u.opaque || !mayHoldPartitions(v.Type(), errField, 0) {
			return
		}
		seen[v] = true
		refs := v.Referrers()
		if refs == nil {
			return
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.DebugRef, *ssa.If, *ssa.BinOp:
			case *ssa.Field:
				u.field(r.X.Type(), r.Field, errField)
				walk(r)
			case *ssa.FieldAddr:
				u.field(r.X.Type(), r.Field, errField)
				walk(r)
			case *ssa.Index:
				if r.X == v {
					walk(r)
				}
			case *ssa.IndexAddr:
				if r.X == v {
					walk(r)
				}
			case *ssa.Lookup:
				if r.X == v {
					walk(r)
				}
			case *ssa.Slice:
				walk(r)
			case *ssa.UnOp:
				walk(r) // a load (*p)
			case *ssa.Phi:
				walk(r)
			case *ssa.Range:
				for _, n := range *r.Referrers() {
					if next, ok := n.(*ssa.Next); ok {
						for _, x := range *next.Referrers() {
							if ex, ok := x.(*ssa.Extract); ok && ex.Index == 2 {
								walk(ex)
							}
						}
					}
				}
			case *ssa.Store:
				if r.Val != v {
					continue // a write into the value
				}
				if alloc, ok := r.Addr.(*ssa.Alloc); ok && !alloc.Heap {
					walk(alloc) // copied into a local variable (for _, p := range parts)
					continue
				}
				u.opaque = true
			case *ssa.Call:
				if b, ok := r.Call.Value.(*ssa.Builtin); ok && (b.Name() == "len" || b.Name() == "cap") {
					continue
				}
				u.opaque = true
			default:
				u.opaque = true
			}
		}
	}
	walk(v)
	return u
}

// mayHoldPartitions reports whether a value of type t can contain a
// partition: a struct with the error field, directly or through pointers,
// slices, arrays, maps and struct fields.
func mayHoldPartitions(t types.Type, errField string, depth int) bool {
	if depth > 4 {
		return false
	}
	switch t := t.Underlying().(type) {
	case *types.Pointer:
		return mayHoldPartitions(t.Elem(), errField, depth+1)
	case *types.Slice:
		return mayHoldPartitions(t.Elem(), errField, depth+1)
	case *types.Array:
		return mayHoldPartitions(t.Elem(), errField, depth+1)
	case *types.Map:
		return mayHoldPartitions(t.Elem(), errField, depth+1)
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			if n := t.Field(i).Name(); n == errField || n == "ErrorCode" {
				return true
			}
		}
		for i := 0; i < t.NumFields(); i++ {
			if mayHoldPartitions(t.Field(i).Type(), errField, depth+1) {
				return true
			}
		}
	}
	return false
}

// field records the selection of field i of the struct (or pointer to
// struct) type t.
func (u *fieldUse) field(t types.Type, i int, errField string) {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return
	}
	name := st.Field(i).Name()
	if name == errField || name == "ErrorCode" {
		u.errRead = true
		return
	}
	u.fieldUsed = true
	for j := 0; j < st.NumFields(); j++ {
		if n := st.Field(j).Name(); n == errField || n == "ErrorCode" {
			u.partitionUsed = true
		}
	}
}
