// Command floor is the baseline bench.sh compares kafkalint to: it loads
// packages the way kafkalint's CLI does (go/packages, LoadAllSyntax, because
// kafkalint's analyzers use facts) and runs only the buildssa pass. What it
// costs is the unavoidable price of load + type-check + SSA; whatever
// kafkalint spends above it is its own.
//
// Usage:
//
//	floor [-test] [-deps | -exportdeps] packages...
//
// By default buildssa runs on the named packages only, as it would for an
// analyzer without facts. With -deps it runs on every package in the import
// graph, standard library included, which is what an analyzer that requires
// buildssa and exports facts pays under the standalone driver. With
// -exportdeps the named packages are type-checked from source and their
// dependencies read from the compiler's export data (go/packages
// LoadSyntax): the least any tool that builds SSA of the named packages
// pays, the floor of bench/scale.sh.
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/types"
	"os"
	"runtime"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
)

func main() {
	tests := flag.Bool("test", false, "load and analyze test packages too")
	deps := flag.Bool("deps", false, "build SSA for every package in the import graph, not only the named ones")
	exportDeps := flag.Bool("exportdeps", false, "load dependencies from export data, not from source (LoadSyntax)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: floor [-test] [-deps | -exportdeps] packages...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}

	if *deps && *exportDeps {
		fatal(fmt.Errorf("-deps needs the dependencies' syntax; it contradicts -exportdeps"))
	}
	mode := packages.LoadAllSyntax
	if *exportDeps {
		mode = packages.LoadSyntax
	}
	cfg := &packages.Config{
		Mode:  mode | packages.NeedModule,
		Tests: *tests,
	}
	roots, err := packages.Load(cfg, flag.Args()...)
	if err != nil {
		fatal(err)
	}
	if packages.PrintErrors(roots) > 0 {
		os.Exit(1)
	}

	if *exportDeps {
		// buildssa requires ctrlflow, whose facts need every dependency's
		// syntax; build the roots' SSA directly, as buildssa would.
		pkgs, funcs := buildRoots(roots)
		fmt.Fprintf(os.Stderr, "floor: %d packages analyzed, %d source functions in SSA\n", pkgs, funcs)
		return
	}

	targets := roots
	if *deps {
		targets = nil
		packages.Visit(roots, nil, func(p *packages.Package) { targets = append(targets, p) })
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{buildssa.Analyzer}, targets, nil)
	if err != nil {
		fatal(err)
	}

	var funcs int
	for _, act := range graph.Roots {
		if act.Err != nil {
			fatal(fmt.Errorf("%s: %v", act.Package.PkgPath, act.Err))
		}
		funcs += len(act.Result.(*buildssa.SSA).SrcFuncs)
	}
	// A line on stderr shows the run did real work (and how much).
	fmt.Fprintf(os.Stderr, "floor: %d packages analyzed, %d source functions in SSA\n", len(graph.Roots), funcs)
}

// buildRoots builds SSA for each root package (its imports from types
// only), in parallel, and counts the source functions as buildssa's
// SrcFuncs would: declared functions and methods and their closures.
func buildRoots(roots []*packages.Package) (pkgs, funcs int) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, p := range roots {
		wg.Add(1)
		go func(p *packages.Package) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			prog := ssa.NewProgram(p.Fset, ssa.InstantiateGenerics)
			created := map[*types.Package]bool{}
			var create func(tp *types.Package)
			create = func(tp *types.Package) {
				if created[tp] {
					return
				}
				created[tp] = true
				for _, imp := range tp.Imports() {
					create(imp)
				}
				if tp != p.Types {
					prog.CreatePackage(tp, nil, nil, true)
				}
			}
			create(p.Types)
			sp := prog.CreatePackage(p.Types, p.Syntax, p.TypesInfo, false)
			sp.Build()
			n := 0
			var count func(fn *ssa.Function)
			count = func(fn *ssa.Function) {
				n++
				for _, anon := range fn.AnonFuncs {
					count(anon)
				}
			}
			for _, f := range p.Syntax {
				for _, decl := range f.Decls {
					if fd, ok := decl.(*ast.FuncDecl); ok {
						if obj, ok := p.TypesInfo.Defs[fd.Name].(*types.Func); ok {
							if fn := prog.FuncValue(obj); fn != nil {
								count(fn)
							}
						}
					}
				}
			}
			mu.Lock()
			pkgs++
			funcs += n
			mu.Unlock()
		}(p)
	}
	wg.Wait()
	return pkgs, funcs
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "floor:", err)
	os.Exit(1)
}
