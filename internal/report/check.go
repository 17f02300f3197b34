package report

import (
	"flag"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"

	"golang.org/x/tools/go/analysis"
)

// A Check documents one kind of diagnostic: the Diagnostic.Category an
// analyzer reports it with. Its Name is what users write in
// //kafkalint:ignore and pass to kafkalint -explain; Title and Doc are what
// -explain prints and what SARIF rules carry as help text.
type Check struct {
	Name  string // e.g. "lock-cycle": lower case words joined by '-'
	Title string // one line, no final period
	Doc   string // what is reported, why it hangs, an example, the fix, known false positives

	// Analyzer is the name of the analyzer that reports the check. Register
	// sets it; it is empty for the checks of the reporting layer itself.
	Analyzer string
}

// Categories reported by the reporting layer itself.
const (
	CategoryIgnoreSyntax = "ignore-syntax" // a malformed //kafkalint:ignore
	CategoryUnusedIgnore = "unused-ignore" // a //kafkalint:ignore that suppressed nothing (-check-ignores)
)

// CheckIgnoresFlag is the analyzer flag Register adds: with it set, the
// analyzer's Reporter.Finish reports suppressions naming the analyzer's
// checks that suppressed nothing. Drivers expose it as -NAME.check-ignores
// (and kafkalint as -check-ignores, which sets it on every analyzer).
const CheckIgnoresFlag = "check-ignores"

var checkName = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

var registry = struct {
	sync.Mutex
	checks    map[string]Check              // by Name
	analyzers map[string]*analysis.Analyzer // by Name, those that called Register
}{
	checks: map[string]Check{
		CategoryIgnoreSyntax: {
			Name:     CategoryIgnoreSyntax,
			Analyzer: "ignoredirective", // analyzers/ignoredirective
			Title:    "malformed //kafkalint:ignore comment",
			Doc: `A suppression must read //kafkalint:ignore <check>[,<check>] <reason>:
no space after //, at least one check name (a check such as lock-cycle or
an analyzer name such as lockorder), and a reason. A malformed suppression
suppresses nothing. A name that is no kafkalint check or analyzer (a typo
such as double-lcok) suppresses nothing either, and is reported too, with
the nearest name when there is one. Reported by the ignoredirective
analyzer, in every driver; it cannot be suppressed: fix the comment. See
docs/suppress.md.`,
		},
		CategoryUnusedIgnore: {
			Name:  CategoryUnusedIgnore,
			Title: "//kafkalint:ignore that suppresses nothing",
			Doc: `Reported with -check-ignores (or -NAME.check-ignores under go vet): a
suppression names a check of this analyzer but no diagnostic of that check
was reported on its line or the line after it. The code was probably fixed
or moved; delete the comment. Each analyzer reports only the suppressions
that name its own checks. See docs/suppress.md.`,
		},
	},
	analyzers: map[string]*analysis.Analyzer{},
}

// Register records the checks analyzer a reports, for -explain, SARIF rules
// and -check-ignores, and adds the reporting layer's flags to a.Flags
// (-check-ignores). Call it once per analyzer, from the analyzer package's
// init function:
//
//	func init() { report.Register(Analyzer, checks...) }
//
// Register panics on a malformed or duplicate check name: that is a
// programming error.
func Register(a *analysis.Analyzer, checks ...Check) {
	registry.Lock()
	defer registry.Unlock()
	if _, dup := registry.analyzers[a.Name]; dup {
		panic(fmt.Sprintf("report.Register: analyzer %s registered twice", a.Name))
	}
	if _, dup := registry.checks[a.Name]; dup {
		panic(fmt.Sprintf("report.Register: analyzer name %s is already a check name", a.Name))
	}
	for _, c := range checks {
		if !checkName.MatchString(c.Name) {
			panic(fmt.Sprintf("report.Register: %s: malformed check name %q", a.Name, c.Name))
		}
		if prev, dup := registry.checks[c.Name]; dup {
			panic(fmt.Sprintf("report.Register: %s: check %s already registered by %q", a.Name, c.Name, prev.Analyzer))
		}
		if _, dup := registry.analyzers[c.Name]; dup {
			panic(fmt.Sprintf("report.Register: %s: check name %s is an analyzer name", a.Name, c.Name))
		}
		c.Analyzer = a.Name
		registry.checks[c.Name] = c
	}
	registry.analyzers[a.Name] = a
	if a.Flags.Lookup(CheckIgnoresFlag) == nil {
		a.Flags.Bool(CheckIgnoresFlag, false, "report //kafkalint:ignore comments naming this analyzer's checks that suppress nothing")
	}
}

// LookupCheck returns the registered check with the given name.
func LookupCheck(name string) (Check, bool) {
	registry.Lock()
	defer registry.Unlock()
	c, ok := registry.checks[name]
	return c, ok
}

// ChecksOf returns the checks registered for the analyzer named analyzer,
// sorted by name.
func ChecksOf(analyzer string) []Check {
	registry.Lock()
	defer registry.Unlock()
	var checks []Check
	for _, c := range registry.checks {
		if c.Analyzer == analyzer {
			checks = append(checks, c)
		}
	}
	sort.Slice(checks, func(i, j int) bool { return checks[i].Name < checks[j].Name })
	return checks
}

// LayerChecks returns the checks every analyzer using a Reporter may
// report (unused-ignore), sorted by name.
func LayerChecks() []Check { return ChecksOf("") }

// CheckName is the check name a diagnostic of analyzer a is shown and
// suppressed under: its Category, or the analyzer's name when it has none.
func CheckName(a *analysis.Analyzer, d analysis.Diagnostic) string {
	if d.Category != "" {
		return d.Category
	}
	return a.Name
}

// owns reports whether a suppression of check name is the business of
// analyzer a: name is a's name or one of a's registered checks.
func owns(a *analysis.Analyzer, name string) bool {
	if name == a.Name {
		return true
	}
	c, ok := LookupCheck(name)
	return ok && c.Analyzer == a.Name
}

// checkIgnores reports whether the analyzer's -check-ignores flag is set.
func checkIgnores(a *analysis.Analyzer) bool {
	f := a.Flags.Lookup(CheckIgnoresFlag)
	if f == nil {
		return false
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return false
	}
	on, _ := g.Get().(bool)
	return on
}

// Explain returns the documentation of a check or of an analyzer, by name,
// as kafkalint -explain prints it. analyzers lists the analyzers known to the
// caller, for names that are analyzers without registered checks.
func Explain(name string, analyzers []*analysis.Analyzer) (string, bool) {
	if c, ok := LookupCheck(name); ok {
		var b strings.Builder
		fmt.Fprintf(&b, "%s: %s\n", c.Name, c.Title)
		switch {
		case c.Name == CategoryIgnoreSyntax:
			fmt.Fprintf(&b, "Reported by the %s analyzer. Fix the comment; this report cannot be suppressed.\n", c.Analyzer)
		case c.Analyzer != "":
			fmt.Fprintf(&b, "Reported by the %s analyzer. Suppress with //kafkalint:ignore %s <reason>.\n", c.Analyzer, c.Name)
		}
		fmt.Fprintf(&b, "\n%s\n", strings.TrimSpace(c.Doc))
		return b.String(), true
	}
	for _, a := range analyzers {
		if a.Name != name {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s (analyzer)\n\n%s\n", a.Name, strings.TrimSpace(a.Doc))
		if checks := ChecksOf(a.Name); len(checks) > 0 {
			fmt.Fprintf(&b, "\nChecks (kafkalint -explain <check> for each):\n")
			tw := tabwriter.NewWriter(&b, 0, 8, 2, ' ', 0)
			for _, c := range checks {
				fmt.Fprintf(tw, "  %s\t%s\n", c.Name, c.Title)
			}
			tw.Flush()
		}
		var flags []string
		a.Flags.VisitAll(func(f *flag.Flag) {
			flags = append(flags, fmt.Sprintf("  -%s.%s\t%s", a.Name, f.Name, f.Usage))
		})
		if len(flags) > 0 {
			fmt.Fprintf(&b, "\nFlags:\n%s\n", strings.Join(flags, "\n"))
		}
		return b.String(), true
	}
	return "", false
}
