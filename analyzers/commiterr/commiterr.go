package commiterr

import (
	"cmp"
	"fmt"
	"github.com/kafkalint/kafkalint/internal/callindex"
	"go/token"
	"go/types"
	"os"
	"slices"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/kafkaapi"
	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/ssabuild"
)

// Analyzer reports dropped and mishandled Kafka commit errors.
var Analyzer = &analysis.Analyzer{
	Name:     "commiterr",
	Doc:      doc,
	URL:      "https://github.com/kafkalint/kafkalint/blob/main/docs/commiterr.md",
	Requires: []*analysis.Analyzer{ssabuild.Analyzer, inspect.Analyzer, callindex.Analyzer},
	Run:      run,
}

// apiFile is the -commiterr.api flag: a file of extra table lines.
var apiFile string

func init() {
	Analyzer.Flags.StringVar(&apiFile, "api", "",
		"file with extra API table lines (commit wrappers, poll functions); format in docs/commiterr.md")
}

// Diagnostic categories, one per shape.
const (
	catDropped      = "commit-error-dropped"
	catCallback     = "commit-callback-drops-error"
	catUndrained    = "errors-channel-not-drained"
	catExits        = "consumer-exits-on-commit-error"
	catRetryForever = "commit-retried-forever"
)

func run(pass *analysis.Pass) (any, error) {
	table, err := loadTable(apiFile)
	if err != nil {
		return nil, err
	}
	rep := report.New(pass)
	defer rep.Finish()
	if !importsTablePackage(pass.Pkg, table) {
		return nil, nil
	}
	built := pass.ResultOf[ssabuild.Analyzer].(*ssabuild.Result).SSA()
	if built == nil {
		return nil, nil // the standard library
	}
	c := &checker{
		pass:     pass,
		reporter: rep,
		table:    table,
		ssa:      built,
		index:    pass.ResultOf[callindex.Analyzer].(*callindex.Index),
		noReturn: map[*ssa.Function]bool{},
	}
	c.indexCalls()
	c.findErrorSwitches()

	c.checkDiscarded()
	c.checkCallbacks()
	c.checkPartitionErrors()
	c.checkUndrainedErrors()
	c.checkConsumerExits()
	c.checkRetryLoops()

	c.flush()
	return nil, nil
}

// checker holds one package's state while the shapes are checked.
type checker struct {
	pass     *analysis.Pass
	reporter *report.Reporter // honours //kafkalint:ignore
	table    *kafkaapi.Table
	ssa      *buildssa.SSA

	calls    []*apiCall       // every call of a table function, in source order
	index    *callindex.Index // goroutine starts (go statements, errgroup-style Go)
	switches []errorSwitch    // assignments turning an errors channel on
	loops    map[*ssa.Function][]*callindex.Loop
	noReturn map[*ssa.Function]bool // memo of neverReturns

	diags []analysis.Diagnostic
}

// apiCall is one call of a table function.
type apiCall struct {
	instr  ssa.CallInstruction // *ssa.Call, *ssa.Go or *ssa.Defer
	fn     *ssa.Function       // enclosing function
	callee *types.Func
	entry  *kafkaapi.Entry
}

func (c *checker) report(d analysis.Diagnostic) {
	c.diags = append(c.diags, d)
}

// flush reports the collected diagnostics in file, line and column order,
// once each, so the output depends neither on the order of the checks nor on
// the order the driver added the files to the FileSet (go/packages parses
// them concurrently, so token.Pos order between files varies run to run).
func (c *checker) flush() {
	slices.SortStableFunc(c.diags, func(a, b analysis.Diagnostic) int {
		pa, pb := c.pass.Fset.Position(a.Pos), c.pass.Fset.Position(b.Pos)
		return cmp.Or(cmp.Compare(pa.Filename, pb.Filename), cmp.Compare(pa.Line, pb.Line), cmp.Compare(pa.Column, pb.Column),
			cmp.Compare(a.Category, b.Category), cmp.Compare(a.Message, b.Message))
	})
	var last *analysis.Diagnostic
	for i := range c.diags {
		d := &c.diags[i]
		if last != nil && last.Pos == d.Pos && last.Category == d.Category && last.Message == d.Message {
			continue
		}
		last = d
		c.reporter.Report(*d)
	}
}

var tableCache struct {
	sync.Mutex
	byFile map[string]*kafkaapi.Table
}

// loadTable returns the built-in table, extended by the lines of file.
func loadTable(file string) (*kafkaapi.Table, error) {
	if file == "" {
		return kafkaapi.Default(), nil
	}
	tableCache.Lock()
	defer tableCache.Unlock()
	if t, ok := tableCache.byFile[file]; ok {
		return t, nil
	}
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("commiterr: reading -commiterr.api: %v", err)
	}
	user, err := kafkaapi.Parse(file, string(src))
	if err != nil {
		return nil, fmt.Errorf("commiterr: %v", err)
	}
	t := kafkaapi.Default().Merge(user)
	if tableCache.byFile == nil {
		tableCache.byFile = make(map[string]*kafkaapi.Table)
	}
	tableCache.byFile[file] = t
	return t, nil
}

// importsTablePackage reports whether pkg (or anything it imports) is a
// package the table names; other packages cannot call a table function.
func importsTablePackage(pkg *types.Package, table *kafkaapi.Table) bool {
	paths := map[string]bool{}
	for _, e := range table.Entries() {
		paths[pkgPathOf(e.Name)] = true
		for _, o := range e.Owners {
			paths[pkgPathOf(o)] = true
		}
	}
	if paths[pkg.Path()] {
		return true
	}
	seen := map[*types.Package]bool{}
	var walk func(p *types.Package) bool
	walk = func(p *types.Package) bool {
		if seen[p] {
			return false
		}
		seen[p] = true
		if paths[p.Path()] {
			return true
		}
		for _, imp := range p.Imports() {
			if walk(imp) {
				return true
			}
		}
		return false
	}
	return walk(pkg)
}

// pkgPathOf returns the package path of a function or type full name.
func pkgPathOf(name string) string {
	if len(name) > 0 && name[0] == '(' {
		end := 0
		for end < len(name) && name[end] != ')' {
			end++
		}
		name = name[1:end]
		if len(name) > 0 && name[0] == '*' {
			name = name[1:]
		}
	}
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '.' {
			return name[:i]
		}
	}
	return name
}

// indexCalls records every call of a table function.
func (c *checker) indexCalls() {
	for _, fn := range c.ssa.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				common := call.Common()
				callee := calleeOf(common)
				if callee == nil {
					continue
				}
				for _, e := range c.table.Lookup(callee.FullName()) {
					c.calls = append(c.calls, &apiCall{instr: call, fn: fn, callee: callee, entry: e})
				}
			}
		}
	}
	slices.SortStableFunc(c.calls, func(a, b *apiCall) int {
		pa, pb := c.pass.Fset.Position(a.instr.Pos()), c.pass.Fset.Position(b.instr.Pos())
		return cmp.Or(cmp.Compare(pa.Filename, pb.Filename), cmp.Compare(pa.Offset, pb.Offset))
	})
}

// callsOf returns the indexed calls whose entry has the given kind.
func (c *checker) callsOf(kind kafkaapi.Kind) []*apiCall {
	var out []*apiCall
	for _, call := range c.calls {
		if call.entry.Kind == kind {
			out = append(out, call)
		}
	}
	return out
}

// calleeOf returns the function a call invokes, when it is known statically
// (a function, a concrete method, or an interface method), or nil.
func calleeOf(common *ssa.CallCommon) *types.Func {
	if common.IsInvoke() {
		return common.Method.Origin()
	}
	if f := common.StaticCallee(); f != nil {
		if obj, ok := f.Object().(*types.Func); ok {
			return obj.Origin()
		}
	}
	return nil
}

// label names a function for messages with package names, not paths:
// (*kgo.Client).CommitRecords, (sarama.ConsumerGroup).Errors, kgo.AutoCommitCallback.
func label(f *types.Func) string {
	qual := func(p *types.Package) string { return p.Name() }
	sig := f.Signature()
	if recv := sig.Recv(); recv != nil {
		t := recv.Type()
		star := ""
		if p, ok := t.(*types.Pointer); ok {
			t, star = p.Elem(), "*"
		}
		if n, ok := t.(*types.Named); ok {
			t = n.Origin()
		}
		return "(" + star + types.TypeString(t, qual) + ")." + f.Name()
	}
	if f.Pkg() == nil {
		return f.Name()
	}
	return f.Pkg().Name() + "." + f.Name()
}

var errorType = types.Universe.Lookup("error").Type()

// errorResult returns the index of the last result of type error, or -1.
func errorResult(sig *types.Signature) int {
	for i := sig.Results().Len() - 1; i >= 0; i-- {
		if types.Identical(sig.Results().At(i).Type(), errorType) {
			return i
		}
	}
	return -1
}

// resultValue returns the SSA value of result i of a call: the call itself
// when it has one result, else the Extract of index i, or nil when the
// result is never taken out of the tuple.
func resultValue(call *ssa.Call, i int) ssa.Value {
	if call.Call.Signature().Results().Len() == 1 {
		return call
	}
	for _, r := range *call.Referrers() {
		if ex, ok := r.(*ssa.Extract); ok && ex.Index == i {
			return ex
		}
	}
	return nil
}

// argValue returns argument i of a call (the receiver not counted), or nil.
func argValue(common *ssa.CallCommon, i int) ssa.Value {
	if !common.IsInvoke() && common.Signature().Recv() != nil {
		i++ // a static method call passes the receiver as Args[0]
	}
	if i < len(common.Args) {
		return common.Args[i]
	}
	return nil
}

// posOr returns p, or fallback when p is not a valid position.
func posOr(p, fallback token.Pos) token.Pos {
	if p.IsValid() {
		return p
	}
	return fallback
}

// neverReturns reports whether the call instruction calls a function of this
// package that cannot return (a die helper that ends in os.Exit or
// log.Fatal). The shared SSA builder knows only the standard no-return
// functions; this adds the package's own, which ctrlflow used to find.
func (c *checker) neverReturns(instr ssa.Instruction) bool {
	call, ok := instr.(*ssa.Call)
	if !ok {
		return false
	}
	fn := call.Call.StaticCallee()
	if fn == nil || fn.Pkg != c.ssa.Pkg || fn.Blocks == nil {
		return false
	}
	return c.functionNeverReturns(fn, 0)
}

func (c *checker) functionNeverReturns(fn *ssa.Function, depth int) bool {
	if v, ok := c.noReturn[fn]; ok {
		return v
	}
	if depth > 4 {
		return false
	}
	c.noReturn[fn] = false // assume it returns while recursing
	result := true
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); !ok {
			continue
		}
		// A block that returns, unless a call in it never returns.
		stops := false
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok {
				if f := call.Call.StaticCallee(); f != nil && f.Pkg == c.ssa.Pkg && f.Blocks != nil && c.functionNeverReturns(f, depth+1) {
					stops = true
					break
				}
			}
		}
		if !stops {
			result = false
			break
		}
	}
	c.noReturn[fn] = result
	return result
}
