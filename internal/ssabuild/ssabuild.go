// Package ssabuild builds a package's SSA once for every kafkalint
// analyzer, as golang.org/x/tools/go/analysis/passes/buildssa does, but
// not for the standard library.
//
// The lock model exports facts, so drivers run it (and what it requires)
// on every dependency, std included. Requiring buildssa would build SSA
// for all of std on every run: most of the driver's cost, for code the
// model does not summarize. Every kafkalint analyzer requires this one
// instead, so SSA is built once per package and instructions are shared
// (lockmodel.Result.HeldBefore is keyed by them).
package ssabuild

import (
	"context"
	"go/ast"
	"go/build"
	"go/types"
	"path/filepath"
	"reflect"
	"runtime/trace"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"
)

// Analyzer provides the package's SSA, built on first use. Its result is
// a *Result.
var Analyzer = &analysis.Analyzer{
	Name:       "kafkalintssa",
	Doc:        "build SSA for kafkalint's analyzers, on demand (not for the standard library)",
	Run:        run,
	ResultType: reflect.TypeOf((*Result)(nil)),
}

// Result builds the SSA when first asked: the lock model skips
// dependencies that cannot lock, and they then never pay for SSA.
type Result struct {
	once sync.Once
	pass *analysis.Pass
	ssa  *buildssa.SSA
}

// SSA returns the package's SSA, or nil for the standard library.
func (r *Result) SSA() *buildssa.SSA {
	r.once.Do(func() {
		if !InGoroot(r.pass) {
			reg := trace.StartRegion(context.Background(), "ssa")
			r.ssa = buildSSA(r.pass)
			reg.End()
		}
		r.pass = nil
	})
	return r.ssa
}

func run(pass *analysis.Pass) (any, error) {
	return &Result{pass: pass}, nil
}

// InGoroot reports whether the package's files live in GOROOT/src.
//
// A package given to the analyzers without files (the kafkalint CLI loads
// std from export data) counts as std: there is nothing to analyze.
func InGoroot(pass *analysis.Pass) bool {
	if len(pass.Files) == 0 {
		return true
	}
	name := pass.Fset.File(pass.Files[0].Pos()).Name()
	return strings.HasPrefix(name, GorootSrc())
}

// GorootSrc is GOROOT/src with a trailing separator.
func GorootSrc() string {
	return filepath.Join(build.Default.GOROOT, "src") + string(filepath.Separator)
}

func buildSSA(pass *analysis.Pass) *buildssa.SSA {
	prog := ssa.NewProgram(pass.Fset, ssa.BuilderMode(0))
	prog.SetNoReturn(noReturn)
	for _, p := range pass.Pkg.Imports() {
		prog.CreatePackage(p, nil, nil, true)
	}
	pkg := prog.CreatePackage(pass.Pkg, pass.Files, pass.TypesInfo, false)
	pkg.Build()

	var funcs []*ssa.Function
	var addAnons func(f *ssa.Function)
	addAnons = func(f *ssa.Function) {
		funcs = append(funcs, f)
		for _, anon := range f.AnonFuncs {
			addAnons(anon)
		}
	}
	for _, file := range pass.Files {
		for _, decl := range file.Decls {
			decl, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			obj, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
			if !ok {
				continue
			}
			if f := prog.FuncValue(obj); f != nil {
				addAnons(f)
			}
		}
	}
	return &buildssa.SSA{Pkg: pkg, SrcFuncs: funcs}
}

// noReturn lists the standard functions that never return. passes/ctrlflow
// would compute this for every function of every package (with facts, so
// over all of std, with an inspector each): a large share of a run, for
// the few functions that matter. Paths ending in these calls are not
// returns, so no lock is "held at return" after log.Fatal.
func noReturn(fn *types.Func) bool {
	pkg := fn.Pkg()
	if pkg == nil {
		return false
	}
	name := fn.Name()
	switch pkg.Path() {
	case "os":
		return name == "Exit"
	case "log":
		switch name {
		case "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln":
			return true
		}
	case "runtime":
		return name == "Goexit"
	case "testing":
		switch name {
		case "FailNow", "Fatal", "Fatalf", "SkipNow", "Skip", "Skipf":
			return fn.Signature().Recv() != nil
		}
	case "log/slog", "go.uber.org/zap", "github.com/sirupsen/logrus":
		switch name {
		case "Fatal", "Fatalf", "Fatalln", "Fatalw", "Panic", "Panicf", "Panicln", "Panicw":
			return true
		}
	}
	return false
}
