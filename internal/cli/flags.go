package cli

import (
	"flag"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/kafkalint/kafkalint/internal/report"
)

// options are the CLI's own flags.
type options struct {
	tests      bool
	format     string // "text", "json" or "sarif"
	json       bool   // -json, same as -format=json
	sarif      bool   // -sarif, same as -format=sarif
	explain    string
	cpuprofile string
	memprofile string
	debug      bool
	// -lockgraph: "dot" or "svg" writes the lock-order graph (lockgraph.go)
	lockgraph    string
	lockgraphOut string
	cache        bool // the result cache (cache.go)
	version      bool
}

// newFlagSet declares the CLI flags: the driver's own, -check-ignores, and
// for each analyzer -NAME (select it) and -NAME.flag (its flags), as
// multichecker does, so analyzer knobs are spelled alike in every driver.
func newFlagSet(opts *options, analyzers []*analysis.Analyzer) (*flag.FlagSet, map[*analysis.Analyzer]*triState) {
	fs := flag.NewFlagSet("kafkalint", flag.ContinueOnError)
	fs.BoolVar(&opts.tests, "test", true, "analyze test packages (_test.go files) too")
	fs.StringVar(&opts.format, "format", "text", "output format: text, json or sarif")
	fs.BoolVar(&opts.json, "json", false, "same as -format=json (the x/tools drivers' JSON)")
	fs.BoolVar(&opts.sarif, "sarif", false, "same as -format=sarif (SARIF 2.1.0)")
	fs.StringVar(&opts.explain, "explain", "", "print the documentation of a check or an analyzer, and exit")
	fs.BoolVar(&opts.version, "version", false, "print kafkalint's version (module version, VCS revision) and exit")
	fs.StringVar(&opts.cpuprofile, "cpuprofile", "", "write a CPU profile to this file")
	fs.StringVar(&opts.memprofile, "memprofile", "", "write a heap profile to this file: the heap at its largest live size")
	fs.BoolVar(&opts.debug, "debug", false, "print timings (load, and each analyzer summed over packages) to stderr")
	fs.StringVar(&opts.lockgraph, "lockgraph", "",
		"write the lock-order graph instead of the findings: dot (Graphviz DOT) or svg (needs Graphviz's dot); exit code as usual")
	fs.StringVar(&opts.lockgraphOut, "lockgraph-out", "", "write the -lockgraph graph to this file, and the findings to stdout as usual")
	fs.BoolVar(&opts.cache, "cache", true, "reuse each unchanged package's results from the per-package cache (KAFKALINT_CACHE=off also disables it)")
	fs.Var(checkIgnoresFlag(analyzers), "check-ignores",
		"report //kafkalint:ignore comments that suppress nothing (sets -NAME.check-ignores of every analyzer)")

	enabled := make(map[*analysis.Analyzer]*triState)
	for _, a := range analyzers {
		enable := new(triState)
		fs.Var(enable, a.Name, fmt.Sprintf("enable the %s analyzer (-%s=false: run all others)", a.Name, a.Name))
		enabled[a] = enable
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	return fs, enabled
}

// selectAnalyzers applies the -NAME flags like multichecker: if any is
// true, only those run; otherwise all but those set false.
func selectAnalyzers(analyzers []*analysis.Analyzer, enabled map[*analysis.Analyzer]*triState) []*analysis.Analyzer {
	anyTrue := false
	for _, ts := range enabled {
		anyTrue = anyTrue || *ts == setTrue
	}
	var keep []*analysis.Analyzer
	for _, a := range analyzers {
		if anyTrue && *enabled[a] == setTrue || !anyTrue && *enabled[a] != setFalse {
			keep = append(keep, a)
		}
	}
	return keep
}

// A triState is a boolean flag that knows whether it was set.
type triState int

const (
	unset triState = iota
	setTrue
	setFalse
)

func (ts *triState) IsBoolFlag() bool { return true }
func (ts *triState) Get() any         { return *ts == setTrue }
func (ts *triState) String() string {
	if ts != nil && *ts == setFalse {
		return "false"
	}
	return "true"
}
func (ts *triState) Set(value string) error {
	b, err := strconv.ParseBool(value)
	if err != nil {
		return fmt.Errorf("want true or false")
	}
	*ts = setFalse
	if b {
		*ts = setTrue
	}
	return nil
}

// checkIgnoresFlag is -check-ignores: it sets the report.CheckIgnoresFlag
// of every analyzer that has one (those that call report.Register).
type checkIgnoresFlag []*analysis.Analyzer

func (c checkIgnoresFlag) IsBoolFlag() bool { return true }
func (c checkIgnoresFlag) String() string   { return "false" }
func (c checkIgnoresFlag) Set(value string) error {
	if _, err := strconv.ParseBool(value); err != nil {
		return fmt.Errorf("want true or false")
	}
	for _, a := range c {
		if a.Flags.Lookup(report.CheckIgnoresFlag) != nil {
			if err := a.Flags.Set(report.CheckIgnoresFlag, value); err != nil {
				return err
			}
		}
	}
	return nil
}

// parseArgs parses the flags, before and after the package patterns
// (kafkalint ./... -json), and returns the patterns. "--" ends the flags.
func parseArgs(fs *flag.FlagSet, args []string) (patterns []string, err error) {
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(patterns, rest...), nil
		}
		if len(rest) == 0 {
			return patterns, nil
		}
		patterns = append(patterns, rest[0])
		args = rest[1:]
	}
}

// version describes the binary from its build information: the module
// version (a tag, a pseudo-version, or (devel) for a build from a
// checkout), the VCS revision when the build recorded one, and Go's
// version.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "kafkalint (no build information)"
	}
	return versionOf(info)
}

func versionOf(info *debug.BuildInfo) string {
	var b strings.Builder
	fmt.Fprintf(&b, "kafkalint %s", info.Main.Version)
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		fmt.Fprintf(&b, ", %s revision %s", settings["vcs"], rev)
		if t := settings["vcs.time"]; t != "" {
			fmt.Fprintf(&b, " (%s)", t)
		}
		if settings["vcs.modified"] == "true" {
			b.WriteString(", with uncommitted changes")
		}
	} else {
		b.WriteString(", no VCS revision recorded (built outside a checkout, or with -buildvcs=false)")
	}
	fmt.Fprintf(&b, ", built with %s", info.GoVersion)
	return b.String()
}
