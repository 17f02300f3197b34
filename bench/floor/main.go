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
	"os"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/packages"
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

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "floor:", err)
	os.Exit(1)
}
