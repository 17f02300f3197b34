package commiterr

import (
	"go/token"
	"go/types"
	"regexp"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// isRead reports whether v is used at all: some instruction other than a
// debug reference or a φ-node that is itself unread refers to it.
func isRead(v ssa.Value) bool {
	return isReadSeen(v, map[ssa.Value]bool{})
}

func isReadSeen(v ssa.Value, seen map[ssa.Value]bool) bool {
	if seen[v] {
		return false
	}
	seen[v] = true
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Phi:
			if isReadSeen(r, seen) {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// isNil reports whether v is the constant nil.
func isNil(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.IsNil()
}

// nilTest describes an `if x != nil` (or `x == nil`) branch.
type nilTest struct {
	block   *ssa.BasicBlock // ends with the If
	nonNil  *ssa.BasicBlock // successor taken when x != nil
	nilSide *ssa.BasicBlock // successor taken when x == nil
}

// nilTests returns the branches that test x against nil directly.
func nilTests(x ssa.Value) []nilTest {
	var out []nilTest
	refs := x.Referrers()
	if refs == nil {
		return nil
	}
	for _, r := range *refs {
		bin, ok := r.(*ssa.BinOp)
		if !ok || (bin.Op != token.EQL && bin.Op != token.NEQ) {
			continue
		}
		if !(bin.X == x && isNil(bin.Y)) && !(bin.Y == x && isNil(bin.X)) {
			continue
		}
		for _, u := range *bin.Referrers() {
			iff, ok := u.(*ssa.If)
			if !ok {
				continue
			}
			b := iff.Block()
			t := nilTest{block: b, nonNil: b.Succs[0], nilSide: b.Succs[1]}
			if bin.Op == token.EQL {
				t.nonNil, t.nilSide = t.nilSide, t.nonNil
			}
			out = append(out, t)
		}
	}
	return out
}

// errorFlow is the set of values that carry a given error: the error itself
// and what is computed from it (wrapped with fmt.Errorf, converted to an
// interface, packed into a variadic argument slice, passed through a φ).
type errorFlow struct {
	values map[ssa.Value]bool
}

func newErrorFlow(root ssa.Value) *errorFlow {
	f := &errorFlow{values: map[ssa.Value]bool{}}
	f.add(root)
	return f
}

func (f *errorFlow) has(v ssa.Value) bool { return f.values[v] }

func (f *errorFlow) add(v ssa.Value) {
	if v == nil || f.values[v] {
		return
	}
	f.values[v] = true
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Phi, *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.ChangeType, *ssa.Slice:
			f.add(r.(ssa.Value))
		case *ssa.Call:
			// A value computed by a call that takes the error (fmt.Errorf,
			// errors.Join, err.Error(), zap.Error) carries it.
			if r.Call.Signature().Results().Len() == 1 {
				f.add(r)
			} else {
				for _, u := range *r.Referrers() {
					if ex, ok := u.(*ssa.Extract); ok {
						f.add(ex)
					}
				}
			}
		case *ssa.Store:
			// Packing into a variadic slice: Store(IndexAddr(alloc), x).
			if r.Val == v {
				if alloc := localAlloc(r.Addr); alloc != nil {
					f.add(alloc)
				}
			}
		case *ssa.IndexAddr:
			if r.X == v { // the alloc holding a variadic slice
				f.add(r)
			}
		}
	}
}

// localAlloc returns the non-escaping local variable, or the array of a
// variadic call's arguments, that addr points into, or nil.
func localAlloc(addr ssa.Value) *ssa.Alloc {
	switch a := addr.(type) {
	case *ssa.Alloc:
		if !a.Heap || a.Comment == "varargs" {
			return a
		}
	case *ssa.IndexAddr:
		return localAlloc(a.X)
	}
	return nil
}

// handling says what an instruction does with an error it touches.
type handling int

const (
	notTouched handling = iota
	carried             // the instruction only computes a value that carries the error on
	logged              // the error is only written to a log
	handed              // the error leaves the local flow: returned, sent, stored, classified, passed to a handler
)

// handles classifies what instr does with the errors in f.
func handles(instr ssa.Instruction, f *errorFlow) handling {
	switch instr := instr.(type) {
	case *ssa.Return:
		for _, r := range instr.Results {
			if f.has(r) {
				return handed
			}
		}
	case *ssa.Send:
		if f.has(instr.X) {
			return handed
		}
	case *ssa.Store:
		if f.has(instr.Val) && localAlloc(instr.Addr) == nil {
			return handed // stored where someone else can read it
		}
	case *ssa.MapUpdate:
		if f.has(instr.Value) || f.has(instr.Key) {
			return handed
		}
	case *ssa.BinOp:
		// Comparing with a sentinel (err == kafka.RebalanceInProgress)
		// classifies it; comparing with nil does not.
		if (instr.Op == token.EQL || instr.Op == token.NEQ) &&
			((f.has(instr.X) && !isNil(instr.Y)) || (f.has(instr.Y) && !isNil(instr.X))) {
			return handed
		}
	case *ssa.TypeAssert:
		if f.has(instr.X) {
			return handed // err.(kafka.Error), errors.As-like classification
		}
	case ssa.CallInstruction:
		common := instr.Common()
		touches := common.IsInvoke() && f.has(common.Value)
		for _, a := range common.Args {
			if f.has(a) {
				touches = true
			}
		}
		if !touches {
			return notTouched
		}
		switch classifyCall(common) {
		case callLog:
			return logged
		case callWrap:
			return carried
		default:
			return handed
		}
	}
	return notTouched
}

type callKind int

const (
	callOther callKind = iota // handles the error: classification, a handler, t.Error…
	callLog                   // writes to a log
	callWrap                  // computes a value from it (fmt.Errorf, err.Error())
)

// logName matches the names of logging functions and methods in common
// logging packages and home-grown loggers: Printf, Errorf, Warnw, Info,
// ErrorContext, Log, …
var logName = regexp.MustCompile(`^(Print|Log|Error|Warn|Warning|Info|Debug|Trace|Notice|Critical)(f|ln|w|s|Context|Ctx|Depth)?$`)

// classifyCall says whether a call that receives an error only logs it,
// only wraps it, or does something that counts as handling it.
func classifyCall(common *ssa.CallCommon) callKind {
	if b, ok := common.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "append":
			return callWrap
		case "print", "println":
			return callLog
		}
		return callOther
	}
	callee := calleeOf(common)
	if callee == nil {
		return callOther // a func value: an error handler we cannot see
	}
	pkg := ""
	if callee.Pkg() != nil {
		pkg = callee.Pkg().Path()
	}
	name := callee.Name()
	switch pkg {
	case "fmt":
		if strings.HasPrefix(name, "Sprint") || name == "Errorf" || name == "Append" || name == "Appendf" || name == "Appendln" {
			return callWrap
		}
		if strings.HasPrefix(name, "Print") || strings.HasPrefix(name, "Fprint") {
			return callLog
		}
	case "log":
		if strings.HasPrefix(name, "Print") || name == "Output" {
			return callLog
		}
	case "log/slog":
		if strings.HasPrefix(name, "Any") || name == "String" || name == "Group" {
			return callWrap
		}
		return callLog
	case "errors":
		if name == "Join" || name == "New" {
			return callWrap
		}
		return callOther // errors.Is, errors.As, errors.Unwrap: classification
	case "github.com/pkg/errors":
		if strings.HasPrefix(name, "Wrap") || strings.HasPrefix(name, "With") {
			return callWrap
		}
	case "testing":
		return callOther // t.Error marks the test failed
	case "github.com/rs/zerolog":
		if name == "Msg" || name == "Msgf" || name == "Send" {
			return callLog
		}
		return callWrap // Err, AnErr, Str…: build the event
	}
	if name == "Error" && callee.Signature().Recv() != nil && callee.Signature().Params().Len() == 0 {
		return callWrap // err.Error()
	}
	if isZapField(callee) || strings.HasPrefix(name, "With") {
		return callWrap // zap.Error(err), logrus.WithError(err): a field or logger to log with
	}
	if logName.MatchString(name) {
		return callLog
	}
	return callOther
}

// isZapField reports whether f builds a zap field from the error
// (zap.Error, zap.NamedError): the field is logged, the error is not handled.
func isZapField(f *types.Func) bool {
	if f.Pkg() == nil || f.Pkg().Path() != "go.uber.org/zap" || f.Signature().Recv() != nil {
		return false
	}
	return f.Name() == "Error" || f.Name() == "NamedError" || f.Name() == "Any" || f.Name() == "Errors"
}

// isCancel reports whether the call invokes a context cancel function: the
// code is shutting the work down on purpose, not losing the error.
func isCancel(common *ssa.CallCommon) bool {
	if common.IsInvoke() {
		return false
	}
	n, ok := common.Value.Type().(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "context" {
		return false
	}
	return strings.HasPrefix(n.Obj().Name(), "Cancel")
}
