package commiterr

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/kafkaapi"
)

// errorSwitch is an assignment of true to a config field that makes commit
// errors go to an Errors channel (sarama cfg.Consumer.Return.Errors = true).
type errorSwitch struct {
	pos   token.Pos
	entry *kafkaapi.Entry
}

// findErrorSwitches records the assignments `x.Field.Path = true` where x has
// (or points to) a type named by an errors-switch entry.
func (c *checker) findErrorSwitches() {
	switches := c.table.OfKind(kafkaapi.ErrorsSwitch)
	if len(switches) == 0 {
		return
	}
	ins := c.pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	ins.Preorder([]ast.Node{(*ast.AssignStmt)(nil)}, func(n ast.Node) {
		as := n.(*ast.AssignStmt)
		if as.Tok != token.ASSIGN || len(as.Lhs) != len(as.Rhs) {
			return
		}
		for i, lhs := range as.Lhs {
			tv, ok := c.pass.TypesInfo.Types[as.Rhs[i]]
			if !ok || tv.Value == nil || tv.Value.Kind() != constant.Bool || !constant.BoolVal(tv.Value) {
				continue
			}
			if e := c.switchEntry(lhs, switches); e != nil {
				c.switches = append(c.switches, errorSwitch{pos: lhs.Pos(), entry: e})
			}
		}
	})
}

// switchEntry returns the entry whose type and field path lhs selects.
func (c *checker) switchEntry(lhs ast.Expr, switches []*kafkaapi.Entry) *kafkaapi.Entry {
	var path []string
	x := ast.Unparen(lhs)
	for {
		sel, ok := x.(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		s, ok := c.pass.TypesInfo.Selections[sel]
		if !ok || s.Kind() != types.FieldVal || len(s.Index()) != 1 {
			return nil // not a plain field selection (embedded promotions are not followed)
		}
		path = append([]string{sel.Sel.Name}, path...)
		x = ast.Unparen(sel.X)
		name := namedTypeName(c.pass.TypesInfo.TypeOf(x))
		if name == "" {
			continue
		}
		for _, e := range switches {
			if e.Name == name && e.Field == strings.Join(path, ".") {
				return e
			}
		}
	}
}

// namedTypeName returns "pkg/path.Name" for a named type or a pointer to
// one, or "".
func namedTypeName(t types.Type) string {
	if t == nil {
		return ""
	}
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return ""
	}
	return n.Obj().Pkg().Path() + "." + n.Obj().Name()
}

// switchedOn reports whether the package turns the errors channel of the
// client on anywhere.
func (c *checker) switchedOn(client string) bool {
	for _, s := range c.switches {
		if s.entry.Client == client {
			return true
		}
	}
	return false
}

// checkUndrainedErrors reports an errors switch turned on in a package that
// creates the owner of an Errors channel (a consumer group, a partition
// offset manager) and never receives from that channel.
func (c *checker) checkUndrainedErrors() {
	if len(c.switches) == 0 {
		return
	}
	for _, errs := range c.table.OfKind(kafkaapi.Errors) {
		owner := c.firstOwnerCall(errs)
		if owner == nil || c.drains(errs) {
			continue
		}
		for _, s := range c.switches {
			if s.entry.Client != errs.Client {
				continue
			}
			what := "once the channel's buffer (Config.ChannelBufferSize) is full, further commit errors are silently dropped"
			if errs.Blocking {
				what = "the offset manager sends each commit error with a blocking send while holding its lock, so once the buffer (Config.ChannelBufferSize) is full every later commit hangs"
			}
			c.report(analysis.Diagnostic{
				Pos:      s.pos,
				Category: catUndrained,
				Message: fmt.Sprintf("%s is set to true but nothing in this package receives from %s(): %s; drain it in a goroutine (for err := range x.Errors() { log it; on %s drop the revoked partitions' state }), or leave %s false so the client logs the errors",
					s.entry.Field, kafkaapi.ShortName(errs.Name), what, rebalanceErrors(errs.Client), s.entry.Field),
				Related: []analysis.RelatedInformation{{Pos: owner.instr.Pos(), Message: "created here: " + label(owner.callee)}},
			})
		}
	}
}

// firstOwnerCall returns the first call in the package that creates an
// owner of the errors channel and does not hand it out of the package (an
// exported function of a library returning it lets the caller drain it).
func (c *checker) firstOwnerCall(errs *kafkaapi.Entry) *apiCall {
	for _, fn := range c.ssa.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok {
					continue
				}
				callee := calleeOf(&call.Call)
				if callee == nil || !containsString(errs.Owners, callee.FullName()) {
					continue
				}
				v := resultValue(call, 0)
				if v != nil && c.escapesToCaller(v, fn) {
					continue
				}
				return &apiCall{instr: call, fn: fn, callee: callee, entry: errs}
			}
		}
	}
	return nil
}

// escapesToCaller reports whether the owner v leaves the package, where its
// Errors() may be drained: it is returned by (or stored by) a function
// another package can call, or passed to a function of another package
// (a shared drain helper).
func (c *checker) escapesToCaller(v ssa.Value, fn *ssa.Function) bool {
	exported := false
	if c.pass.Pkg.Name() != "main" {
		for f := fn; f != nil; f = f.Parent() {
			if obj := f.Object(); obj != nil {
				exported = obj.Exported()
			}
		}
	}
	ownerPkg := ""
	if call, ok := v.(*ssa.Call); ok {
		if callee := calleeOf(&call.Call); callee != nil && callee.Pkg() != nil {
			ownerPkg = callee.Pkg().Path()
		}
	} else if ex, ok := v.(*ssa.Extract); ok {
		if call, ok := ex.Tuple.(*ssa.Call); ok {
			if callee := calleeOf(&call.Call); callee != nil && callee.Pkg() != nil {
				ownerPkg = callee.Pkg().Path()
			}
		}
	}
	seen := map[ssa.Value]bool{}
	var flows func(v ssa.Value) bool
	flows = func(v ssa.Value) bool {
		if seen[v] {
			return false
		}
		seen[v] = true
		for _, r := range *v.Referrers() {
			switch r := r.(type) {
			case *ssa.Return, *ssa.Store:
				if exported {
					return true // handed to a caller in another package
				}
			case *ssa.Phi, *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.ChangeType:
				if flows(r.(ssa.Value)) {
					return true
				}
			case ssa.CallInstruction:
				callee := calleeOf(r.Common())
				if callee == nil || callee.Pkg() == nil {
					continue
				}
				p := callee.Pkg().Path()
				if p != c.pass.Pkg.Path() && p != ownerPkg {
					for _, a := range r.Common().Args {
						if a == v {
							return true // drainHelpers.Drain(group)
						}
					}
				}
			}
		}
		return false
	}
	return flows(v)
}

// drains reports whether the package receives from (or passes on) the
// channel returned by the Errors method of the entry.
func (c *checker) drains(errs *kafkaapi.Entry) bool {
	for _, call := range c.calls {
		if call.entry != errs {
			continue
		}
		switch instr := call.instr.(type) {
		case *ssa.Call:
			if isRead(instr) {
				return true
			}
		case *ssa.Go, *ssa.Defer:
		}
	}
	return false
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
