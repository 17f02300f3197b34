// Package cli is the kafkalint command-line driver: go/packages patterns
// in, diagnostics out as text, JSON or SARIF, built on
// golang.org/x/tools/go/analysis/checker. Under go vet -vettool the same
// binary runs in unitchecker mode instead (see RunVet).
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"runtime/trace"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/kafkalint/kafkalint/internal/lockgraph"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
)

// Exit codes, as the x/tools drivers.
const (
	ExitClean    = 0 // no findings
	ExitError    = 1 // bad usage, packages that do not load or type-check, analyzer failures
	ExitFindings = 3 // findings, and no errors
)

// maxErrorsPerPackage bounds the errors printed for one broken package.
const maxErrorsPerPackage = 10

// Main runs the CLI with args (os.Args[1:]) and returns the exit code.
func Main(args []string, analyzers []*analysis.Analyzer, stdout, stderr io.Writer) int {
	var opts options
	fs, enabled := newFlagSet(&opts, analyzers)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(stderr, fs, analyzers) }
	patterns, err := parseArgs(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitClean
		}
		return ExitError
	}
	if opts.version {
		fmt.Fprintln(stdout, version())
		return ExitClean
	}
	if len(patterns) > 0 && patterns[0] == "help" {
		if len(patterns) == 1 {
			usage(stdout, fs, analyzers)
			return ExitClean
		}
		opts.explain = patterns[1]
	}
	if opts.explain != "" {
		text, ok := report.Explain(opts.explain, analyzers)
		if !ok {
			fmt.Fprintf(stderr, "kafkalint: no check or analyzer named %q; kafkalint help lists them\n", opts.explain)
			return ExitError
		}
		fmt.Fprint(stdout, text)
		return ExitClean
	}
	format, err := opts.outputFormat()
	if err == nil {
		err = opts.checkLockGraphFlags()
	}
	if err != nil {
		fmt.Fprintf(stderr, "kafkalint: %v\n", err)
		return ExitError
	}
	if len(patterns) == 0 {
		usage(stderr, fs, analyzers)
		return ExitError
	}

	if opts.cpuprofile != "" {
		f, err := os.Create(opts.cpuprofile)
		if err != nil {
			fmt.Fprintf(stderr, "kafkalint: %v\n", err)
			return ExitError
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(stderr, "kafkalint: %v\n", err)
			return ExitError
		}
		defer pprof.StopCPUProfile()
	}
	if opts.memprofile != "" {
		defer startPeakHeapProfile(opts.memprofile, stderr).Stop()
	}
	// KAFKALINT_TRACE=file writes an execution trace (go tool trace) with
	// a region per stage of each package (parse, type-check, each
	// analyzer): the critical path of a run. Unlike -cpuprofile it keeps
	// the cache on, so an edit re-run can be traced as it runs.
	if name := os.Getenv("KAFKALINT_TRACE"); name != "" {
		f, err := os.Create(name)
		if err != nil {
			fmt.Fprintf(stderr, "kafkalint: %v\n", err)
			return ExitError
		}
		defer f.Close()
		if err := trace.Start(f); err != nil {
			fmt.Fprintf(stderr, "kafkalint: %v\n", err)
			return ExitError
		}
		defer trace.Stop()
	}

	// GOGC is Go's default (100) above a heap floor (gc.go). The CLI set
	// 50 while it held every package's syntax, types and SSA to the end;
	// analysing package by package (unit.go) bounds memory instead; on
	// client-go GOGC=50 cost 36% more CPU (69.6 s against 51.0 s) for 11%
	// less peak RSS (334 against 377 MiB, both well under staticcheck's 509).
	setMinHeap()
	cwd, _ := os.Getwd()
	if opts.debug {
		lockmodel.SetBudgetLog(func(msg string) { fmt.Fprintf(stderr, "kafkalint: budget: %s\n", msg) })
		defer lockmodel.SetBudgetLog(nil)
	}
	d := &driver{
		analyzers: selectAnalyzers(analyzers, enabled),
		opts:      opts,
		format:    format,
		cwd:       cwd,
		stdout:    stdout,
		stderr:    stderr,
	}
	return d.run(patterns)
}

func (o options) outputFormat() (string, error) {
	format := o.format
	for _, short := range []struct {
		set  bool
		name string
	}{{o.json, "json"}, {o.sarif, "sarif"}} {
		if !short.set {
			continue
		}
		if format != "text" && format != short.name {
			return "", fmt.Errorf("-%s contradicts -format=%s", short.name, format)
		}
		format = short.name
	}
	switch format {
	case "text", "json", "sarif":
		return format, nil
	}
	return "", fmt.Errorf("unknown -format %q: want text, json or sarif", format)
}

// A driver is one run of the CLI over a set of patterns.
type driver struct {
	analyzers []*analysis.Analyzer
	opts      options
	format    string
	cwd       string
	stdout    io.Writer
	stderr    io.Writer
}

// An actionError is an analyzer that failed on a package.
type actionError struct {
	pkg, analyzer string
	err           error
}

func (d *driver) run(patterns []string) int {
	start := time.Now()
	// The per-package cache (pkgcache.go) and the list cache
	// (listcache.go); runs that profile the analysis or need more than
	// findings (the lock graph) do without them.
	var cache *pkgCache
	var lc *listCache
	if d.opts.cache && d.opts.cpuprofile == "" && d.opts.memprofile == "" && d.opts.lockgraph == "" {
		cache = openPkgCache()
		lc = openListCache(d.opts.tests, patterns)
	}
	pkgs, err := listPackages(d.opts.tests, patterns, lc)
	if err != nil {
		fmt.Fprintf(d.stderr, "kafkalint: %s\n", goCommandError(err))
		return ExitError
	}
	pkgs = dropTestMains(pkgs)
	if len(pkgs) == 0 {
		fmt.Fprintf(d.stderr, "kafkalint: no packages matched %s\n", strings.Join(patterns, " "))
		return ExitError
	}
	listed := time.Now()

	r := newUnitRunner(d.analysisSet())
	r.keepLockEdges = d.opts.lockgraph != ""
	if cache != nil {
		if sum, ok := cacheConfig(r.rootSet, r.depSet); ok {
			r.cache, r.config = cache, sum
		}
	}
	units := r.run(pkgs)
	if r.cache != nil {
		r.cache.trim()
	}
	if lc != nil {
		lc.c.trim()
	}
	notAnalyzed := d.reportLoadErrors(pkgs, r.units)
	loadFailed := len(notAnalyzed) > 0
	var results []*rootResult
	var lockEdges []lockmodel.Edge
	var lockCycles []lockgraph.Report
	for _, p := range pkgs {
		if u := r.units[p]; u.result != nil {
			results = append(results, u.result)
			lockEdges = append(lockEdges, u.lockEdges...)
			lockCycles = append(lockCycles, u.lockCycles...)
		}
	}
	findings := selectedFindings(collectFindings(results), d.analyzers)
	errs := actionErrors(units)
	for _, e := range errs {
		fmt.Fprintf(d.stderr, "kafkalint: %s on %s: %v\n", e.analyzer, e.pkg, e.err)
	}
	if d.opts.debug {
		d.printTimings(r, lc, units, len(pkgs), listed.Sub(start), time.Since(listed))
	}

	printFindings, err := d.writeLockGraph(lockEdges, lockCycles, findings)
	if err != nil {
		fmt.Fprintf(d.stderr, "kafkalint: writing the lock graph: %v\n", err)
		return ExitError
	}
	switch {
	case !printFindings:
	case d.format == "json":
		err = writeJSON(d.stdout, findings, append(loadErrors(notAnalyzed, d.analyzers), errs...))
	case d.format == "sarif":
		err = writeSARIF(d.stdout, d.cwd, d.analyzers, findings, loadFailed || len(errs) > 0)
	default:
		err = writeText(d.stdout, d.cwd, findings)
	}
	if err != nil {
		fmt.Fprintf(d.stderr, "kafkalint: writing output: %v\n", err)
		return ExitError
	}
	switch {
	case loadFailed || len(errs) > 0:
		return ExitError
	case len(findings) > 0:
		return ExitFindings
	}
	return ExitClean
}

// dropTestMains removes the generated main packages of test binaries
// ("p.test"): nothing of the user's is in them.
func dropTestMains(pkgs []*packages.Package) []*packages.Package {
	var keep []*packages.Package
	for _, p := range pkgs {
		if !(p.Name == "main" && strings.HasSuffix(p.ID, ".test")) {
			keep = append(keep, p)
		}
	}
	return keep
}

// A loadFailure is a root package not analyzed because it, or a package it
// imports, failed to load, parse or type-check.
type loadFailure struct {
	pkg string // package ID
	err string // its own errors, one per line
}

// reportLoadErrors prints, for every package that failed to load, parse or
// type-check (the roots and their dependencies), its first errors, and the
// roots left unanalysed because of them, which it returns.
func (d *driver) reportLoadErrors(roots []*packages.Package, units map[*packages.Package]*unit) (failed []loadFailure) {
	errorsOf := map[string][]string{} // package path → distinct messages, in order
	for _, u := range units {
		for _, e := range u.errs {
			msg := d.errorString(e)
			if !contains(errorsOf[u.pkg.PkgPath], msg) {
				errorsOf[u.pkg.PkgPath] = append(errorsOf[u.pkg.PkgPath], msg)
			}
		}
	}
	var skipped []string
	for _, p := range roots {
		if !units[p].broken {
			continue
		}
		if !contains(skipped, p.PkgPath) {
			skipped = append(skipped, p.PkgPath)
		}
		msgs := errorsOf[p.PkgPath]
		if len(msgs) == 0 {
			msgs = []string{"a package it imports has errors"}
		}
		failed = append(failed, loadFailure{p.ID, strings.Join(msgs, "\n")})
	}
	if len(errorsOf) == 0 {
		return failed
	}
	paths := make([]string, 0, len(errorsOf))
	for path := range errorsOf {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		msgs := errorsOf[path]
		fmt.Fprintf(d.stderr, "kafkalint: package %s has errors:\n", path)
		for i, msg := range msgs {
			if i == maxErrorsPerPackage {
				fmt.Fprintf(d.stderr, "\t(and %d more)\n", len(msgs)-i)
				break
			}
			fmt.Fprintf(d.stderr, "\t%s\n", strings.ReplaceAll(msg, "\n", "\n\t"))
		}
	}
	sort.Strings(skipped)
	fmt.Fprintf(d.stderr, "kafkalint: not analyzed because of these errors: %s\n", strings.Join(skipped, ", "))
	return failed
}

// loadErrors are the JSON output's entries for packages not analyzed: for
// each, an error under every analyzer, as the x/tools drivers' JSON has
// for an analyzer that failed on a package.
func loadErrors(failed []loadFailure, analyzers []*analysis.Analyzer) []actionError {
	var errs []actionError
	for _, f := range failed {
		for _, a := range analyzers {
			errs = append(errs, actionError{pkg: f.pkg, analyzer: a.Name, err: errors.New("not analyzed: " + f.err)})
		}
	}
	return errs
}

func (d *driver) errorString(e packages.Error) string {
	// go list heads a package's compile errors with "# path", which the
	// caller already prints.
	msg := e.Msg
	if rest, ok := strings.CutPrefix(msg, "# "); ok {
		if _, after, found := strings.Cut(rest, "\n"); found {
			msg = after
		}
	}
	if e.Pos == "" || e.Pos == "-" {
		return msg
	}
	return relPath(d.cwd, e.Pos) + ": " + msg
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// actionErrors returns the analyzer failures of the run, sorted ("failed
// prerequisites" echoes of a failure already listed are not recorded).
func actionErrors(units []*unit) []actionError {
	var errs []actionError
	for _, u := range units {
		errs = append(errs, u.actErrs...)
	}
	sort.Slice(errs, func(i, j int) bool {
		if errs[i].pkg != errs[j].pkg {
			return errs[i].pkg < errs[j].pkg
		}
		return errs[i].analyzer < errs[j].analyzer
	})
	return errs
}

// printTimings prints, for -debug, the load time, the cache's hits and
// misses, and each analyzer's time summed over the packages it ran on
// (dependencies included).
func (d *driver) printTimings(r *unitRunner, lc *listCache, units []*unit, npkgs int, load, analysis time.Duration) {
	type total struct {
		name    string
		time    time.Duration
		actions int
	}
	byName := map[string]*total{}
	for _, u := range units {
		for name, dt := range u.timings {
			t := byName[name]
			if t == nil {
				t = &total{name: name}
				byName[name] = t
			}
			t.time += dt
			t.actions++
		}
	}
	var totals []*total
	for _, t := range byName {
		totals = append(totals, t)
	}
	sort.Slice(totals, func(i, j int) bool {
		if totals[i].time != totals[j].time {
			return totals[i].time > totals[j].time
		}
		return totals[i].name < totals[j].name
	})
	fmt.Fprintf(d.stderr, "kafkalint: go list %v (%d packages matched), analysis %v wall\n",
		load.Round(time.Millisecond), npkgs, analysis.Round(time.Millisecond))
	if lc != nil {
		fmt.Fprintf(d.stderr, "kafkalint: list cache %s: hit %v\n", lc.c.dir, lc.hit)
	}
	if r.cache != nil {
		fmt.Fprintf(d.stderr, "kafkalint: cache %s: %d hits, %d misses\n", r.cache.dir, r.cache.hits.Load(), r.cache.misses.Load())
	} else {
		fmt.Fprintf(d.stderr, "kafkalint: cache off\n")
	}
	for _, t := range totals {
		fmt.Fprintf(d.stderr, "kafkalint:   %-20s %10v over %d packages\n", t.name, t.time.Round(time.Millisecond), t.actions)
	}
	if r.analyseStd {
		var withFacts []string
		nstd := 0
		for _, u := range units {
			if u.std && !u.root && u.timings != nil {
				nstd++
				if u.facts != nil && (len(u.facts.obj) > 0 || len(u.facts.pkg) > 0) {
					withFacts = append(withFacts, u.pkg.PkgPath)
				}
			}
		}
		fmt.Fprintf(d.stderr, "kafkalint: std analysed: %d packages, %d with facts %v\n", nstd, len(withFacts), withFacts)
	}
}

func usage(w io.Writer, fs *flag.FlagSet, analyzers []*analysis.Analyzer) {
	fmt.Fprint(w, `kafkalint finds concurrency bugs that hang Kafka clients.

Usage:
	kafkalint [flags] packages... [flags]   # e.g. kafkalint ./...
	kafkalint -explain <check|analyzer>     # documentation of a check
	kafkalint help [check|analyzer]
	kafkalint -version
	go vet -vettool=/absolute/path/to/kafkalint [flags] packages...

Exit status: 0 no findings, 3 findings, 1 errors.

Analyzers and their checks:
`)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, a := range analyzers {
		fmt.Fprintf(tw, "  %s\t%s\n", a.Name, strings.SplitN(a.Doc, "\n", 2)[0])
		for _, c := range report.ChecksOf(a.Name) {
			fmt.Fprintf(tw, "    %s\t%s\n", c.Name, c.Title)
		}
	}
	fmt.Fprintf(tw, "  every analyzer\twith -check-ignores\n")
	for _, c := range report.LayerChecks() {
		fmt.Fprintf(tw, "    %s\t%s\n", c.Name, c.Title)
	}
	tw.Flush()
	fmt.Fprint(w, "\nFlags (before or after the packages):\n")
	out := fs.Output()
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(out)
}
