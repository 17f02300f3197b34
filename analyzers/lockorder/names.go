package lockorder

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
)

// Names a reader recognises. The lock model names a closure as SSA does
// (produce$3: the third func literal in produce); reports name it by
// where it is written ("func literal in produce (producer.go:123)"), and a
// goroutine started from a func literal by its go statement ("goroutine
// started in produce (producer.go:123)"). A chain whose function is not an
// entry point starts at one: the nearest function up its callers that the
// call index knows as a root (an exported function or method, a function
// started as a goroutine, handed out as a value or reached through an
// interface, a test).

// closureName matches a closure's display name: its outermost function's
// name followed by $1, $2... (nested literals add more).
var closureName = regexp.MustCompile(`(?:\(\*?[^()\s]+\)\.)?[\pL\pN_.\[\]]*[\pL\pN_\]](?:\$\d+)+`)

// goroutineOfClosure matches the lock model's name of a goroutine that runs
// a func literal.
var goroutineOfClosure = regexp.MustCompile(`goroutine ((?:\(\*?[^()\s]+\)\.)?[\pL\pN_.\[\]]*[\pL\pN_\]](?:\$\d+)+) \(started by ([^()]*(?:\([^()]*\)[^()]*)*)\)`)

// namer renders function names for reports of one package.
type namer struct {
	fset     *token.FileSet
	ix       *callindex.Index
	closures map[string]*ssa.Function // this package's closures by display name
}

func newNamer(pass *analysis.Pass, ix *callindex.Index) *namer {
	n := &namer{fset: pass.Fset, ix: ix, closures: map[string]*ssa.Function{}}
	for _, fn := range ix.Funcs() {
		if fn.Parent() != nil {
			n.closures[lockmodel.FuncName(fn)] = fn
		}
	}
	return n
}

// outer returns the name of the named function a closure is written in.
func outer(closure string) string {
	if i := strings.IndexByte(closure, '$'); i >= 0 {
		return closure[:i]
	}
	return closure
}

// where is "file.go:line" of pos.
func (n *namer) where(pos token.Pos) string {
	p := n.fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// closure names one closure as written: "func literal in F (f.go:12)", or
// without a place when it is not this package's.
func (n *namer) closure(name string) string {
	if fn := n.closures[name]; fn != nil && fn.Pos().IsValid() {
		return fmt.Sprintf("func literal in %s (%s)", outer(name), n.where(fn.Pos()))
	}
	return "func literal in " + outer(name)
}

// text renders every closure name in s as a reader would read it.
func (n *namer) text(s string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	s = goroutineOfClosure.ReplaceAllStringFunc(s, func(m string) string {
		sub := goroutineOfClosure.FindStringSubmatch(m)
		if outer(sub[1]) != sub[2] {
			return m // started elsewhere than where it is written: keep both names
		}
		if fn := n.closures[sub[1]]; fn != nil {
			if st := n.ix.StartsOf(fn); len(st) > 0 {
				return fmt.Sprintf("goroutine started in %s (%s)", sub[2], n.where(st[0].Instr.Pos()))
			}
		}
		return "goroutine started in " + sub[2]
	})
	return closureName.ReplaceAllStringFunc(s, n.closure)
}

// diagnostic renders the names in d's message and related information.
func (n *namer) diagnostic(d analysis.Diagnostic) analysis.Diagnostic {
	d.Message = n.text(d.Message)
	for i := range d.Related {
		d.Related[i].Message = n.text(d.Related[i].Message)
	}
	return d
}

// maxRootSearch bounds the functions rootCalls walks.
const maxRootSearch = 200

// A hop is a call of callee on the way from a root down to a function.
type hop struct {
	call   callindex.Call
	callee *ssa.Function
}

// rootCalls returns the calls from the nearest root of fn down to fn (nil
// when fn is a root itself or none is found within the bound), in order.
func (n *namer) rootCalls(fn *ssa.Function) []hop {
	if fn == nil {
		return nil
	}
	if _, complete := n.ix.Callers(fn); !complete {
		return nil
	}
	// Breadth first up the callers: the first root reached is nearest.
	via := map[*ssa.Function]hop{}
	seen := map[*ssa.Function]bool{fn: true}
	work := []*ssa.Function{fn}
	for len(work) > 0 && len(seen) <= maxRootSearch {
		f := work[0]
		work = work[1:]
		calls, complete := n.ix.Callers(f)
		if !complete {
			var path []hop
			for g := f; g != fn; {
				h := via[g]
				path = append(path, h)
				g = h.callee
			}
			return path
		}
		for _, c := range calls {
			if !seen[c.Caller] {
				seen[c.Caller] = true
				via[c.Caller] = hop{call: c, callee: f}
				work = append(work, c.Caller)
			}
		}
	}
	return nil
}

// rootSteps renders rootCalls(fn) as chain steps: "R: calls A", "A: calls
// fn"; a root started as a goroutine says so first.
func (n *namer) rootSteps(fn *ssa.Function) []report.Step {
	calls := n.rootCalls(fn)
	if len(calls) == 0 {
		return nil
	}
	var steps []report.Step
	root := calls[0].call.Caller
	if st := n.ix.StartsOf(root); len(st) > 0 && n.ix.OnlyStarted(root) {
		steps = append(steps, report.Step{Pos: st[0].Instr.Pos(), Message: fmt.Sprintf("%s: runs as a goroutine (started by %s)", lockmodel.FuncName(root), lockmodel.FuncName(st[0].Caller))})
	}
	for _, h := range calls {
		what := "calls " + lockmodel.FuncName(h.callee)
		if h.call.Via != "" {
			what += " (run by " + h.call.Via + ")"
		}
		steps = append(steps, report.Step{Pos: h.call.Instr.Pos(), Message: lockmodel.FuncName(h.call.Caller) + ": " + what})
	}
	return steps
}

// entryChain is rootSteps(fn) as an "entry" chain of related information:
// how a reader gets from an entry point to fn, for reports (self-deadlock,
// leak) whose own chain starts inside fn. Nil when fn is an entry point.
func (n *namer) entryChain(fn *ssa.Function) []analysis.RelatedInformation {
	steps := n.rootSteps(fn)
	if len(steps) == 0 {
		return nil
	}
	return report.Chain("entry", steps...)
}

// funcAt returns the innermost function of the package whose syntax
// contains pos, or nil.
func (n *namer) funcAt(pos token.Pos) *ssa.Function {
	var best *ssa.Function
	for _, fn := range n.ix.Funcs() {
		syn := fn.Syntax()
		if syn == nil || pos < syn.Pos() || pos >= syn.End() {
			continue
		}
		if best == nil || syn.End()-syn.Pos() < best.Syntax().End()-best.Syntax().Pos() {
			best = fn
		}
	}
	return best
}

// lockSubject names a self-deadlock's lock as the code writes it at the
// second acquisition and, when that is a field bound at construction to
// another instance, says which: "c.mu, which is p.mu stored by newConn,".
func lockSubject(pass *analysis.Pass, sd lockmodel.SelfDeadlock) string {
	if sd.Alias == "" {
		return sd.Lock
	}
	written := receiverAt(pass, sd.Pos)
	if written == "" {
		written = sd.Lock
	}
	if written == sd.Alias {
		return sd.Lock
	}
	return fmt.Sprintf("%s, which is %s stored by %s,", written, sd.Alias, sd.AliasBy.Short())
}

// receiverAt is the receiver, as written, of the method call whose '(' is
// at pos ("c.mu" of c.mu.Lock()); "" when there is none.
func receiverAt(pass *analysis.Pass, pos token.Pos) string {
	for _, f := range pass.Files {
		if pos < f.FileStart || pos >= f.FileEnd {
			continue
		}
		var text string
		ast.Inspect(f, func(n ast.Node) bool {
			if text != "" || n == nil || pos < n.Pos() || pos >= n.End() {
				return false
			}
			if call, ok := n.(*ast.CallExpr); ok && call.Lparen == pos {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
					text = types.ExprString(sel.X)
				}
			}
			return true
		})
		return text
	}
	return ""
}
