package plugin

import (
	"flag"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/suite"
)

// restoreFlags puts every flag of analyzers back to its current value when
// the test ends: settings are process-wide.
func restoreFlags(t *testing.T, analyzers []*analysis.Analyzer) {
	t.Helper()
	for _, a := range analyzers {
		a.Flags.VisitAll(func(f *flag.Flag) {
			old := f.Value.String()
			t.Cleanup(func() { a.Flags.Set(f.Name, old) })
		})
	}
}

func flagValue(a *analysis.Analyzer, name string) string {
	return a.Flags.Lookup(name).Value.String()
}

func TestRegistered(t *testing.T) {
	newPlugin, err := register.GetPlugin(Name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(nil)
	if err != nil {
		t.Fatalf("New(nil): %v", err)
	}
	if got := p.GetLoadMode(); got != register.LoadModeTypesInfo {
		t.Errorf("GetLoadMode() = %q, want %q", got, register.LoadModeTypesInfo)
	}
	got, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	want := suite.Analyzers()
	if len(got) != len(want) {
		t.Fatalf("BuildAnalyzers() returned %d analyzers, suite has %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("analyzer %d is %s, want %s", i, got[i].Name, want[i].Name)
		}
	}
}

// TestSuiteFlags sets every flag of every suite analyzer through the
// settings, to its default text: each flag is reachable as a setting.
func TestSuiteFlags(t *testing.T) {
	analyzers := suite.Analyzers()
	restoreFlags(t, analyzers)
	raw := map[string]any{}
	n := 0
	for _, a := range analyzers {
		flags := map[string]any{}
		a.Flags.VisitAll(func(f *flag.Flag) { flags[f.Name] = f.DefValue; n++ })
		if len(flags) > 0 {
			raw[a.Name] = flags
		}
	}
	if n == 0 {
		t.Fatal("no suite analyzer has a flag; expected at least -check-ignores")
	}
	if _, err := New(raw); err != nil {
		t.Fatalf("New(every flag at its default): %v", err)
	}
}

func TestCheckIgnoresSetting(t *testing.T) {
	analyzers := suite.Analyzers()
	restoreFlags(t, analyzers)
	var registered *analysis.Analyzer
	for _, a := range analyzers {
		if a.Flags.Lookup(report.CheckIgnoresFlag) != nil {
			registered = a
			break
		}
	}
	if registered == nil {
		t.Fatal("no suite analyzer has -check-ignores")
	}
	if got := flagValue(registered, report.CheckIgnoresFlag); got != "false" {
		t.Fatalf("%s.check-ignores starts as %s, want false", registered.Name, got)
	}
	// As golangci-lint passes it: the YAML map decoded by viper.
	raw := map[string]any{registered.Name: map[string]any{report.CheckIgnoresFlag: true}}
	if _, err := New(raw); err != nil {
		t.Fatal(err)
	}
	if got := flagValue(registered, report.CheckIgnoresFlag); got != "true" {
		t.Errorf("%s.check-ignores = %s after the setting, want true", registered.Name, got)
	}
}

// testAnalyzers are analyzers with flags of each kind, so the settings
// decoding is tested apart from which flags the suite has today.
func testAnalyzers() (*analysis.Analyzer, *analysis.Analyzer, *listFlag) {
	a := &analysis.Analyzer{Name: "alpha", Doc: "alpha", Run: func(*analysis.Pass) (any, error) { return nil, nil }}
	a.Flags.Bool("strict", false, "")
	a.Flags.Int("depth", 5, "")
	a.Flags.String("table", "", "")
	a.Flags.Float64("ratio", 0.5, "")
	list := &listFlag{}
	a.Flags.Var(list, "pkg", "may be repeated")
	b := &analysis.Analyzer{Name: "beta", Doc: "beta", Run: func(*analysis.Pass) (any, error) { return nil, nil }}
	return a, b, list
}

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func TestApply(t *testing.T) {
	a, b, list := testAnalyzers()
	raw := map[string]any{
		"alpha": map[string]any{
			"strict": true,
			"depth":  12,
			"table":  "kafka.api",
			"ratio":  0.25,
			"pkg":    []any{"example.com/a", "example.com/b"},
		},
		"beta": map[string]any{},
	}
	if err := apply(raw, []*analysis.Analyzer{a, b}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"strict": "true", "depth": "12", "table": "kafka.api", "ratio": "0.25"} {
		if got := flagValue(a, name); got != want {
			t.Errorf("alpha.%s = %q, want %q", name, got, want)
		}
	}
	if got, want := strings.Join(*list, " "), "example.com/a example.com/b"; got != want {
		t.Errorf("alpha.pkg = %q, want %q (one Set per list element)", got, want)
	}
}

func TestApplyRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		raw  any
		want string // in the error
	}{
		{"unknown analyzer", map[string]any{"gamma": map[string]any{"x": 1}}, `unknown analyzer "gamma" (analyzers: alpha, beta)`},
		{"unknown flag", map[string]any{"alpha": map[string]any{"strikt": true}}, `analyzer alpha has no setting "strikt" (settings: depth, pkg, ratio, strict, table)`},
		{"analyzer without flags", map[string]any{"beta": map[string]any{"strict": true}}, `analyzer beta has no setting "strict" (it has no settings)`},
		{"bad bool", map[string]any{"alpha": map[string]any{"strict": "maybe"}}, `alpha.strict: invalid value "maybe"`},
		{"bad int", map[string]any{"alpha": map[string]any{"depth": 1.5}}, `alpha.depth: invalid value "1.5"`},
		{"null", map[string]any{"alpha": map[string]any{"table": nil}}, `alpha.table: no value`},
		{"map value", map[string]any{"alpha": map[string]any{"table": map[string]any{"a": 1}}}, `alpha.table: want a string`},
		{"nested list", map[string]any{"alpha": map[string]any{"pkg": []any{[]any{"a"}}}}, `alpha.pkg: a list may hold only`},
		{"flat flag", map[string]any{"alpha": true}, `decoding settings`},
		{"not a map", []any{"alpha"}, `decoding settings`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b, _ := testAnalyzers()
			err := apply(tc.raw, []*analysis.Analyzer{a, b})
			if err == nil {
				t.Fatalf("apply(%v) succeeded, want an error containing %q", tc.raw, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("apply(%v) error = %q, want it to contain %q", tc.raw, err, tc.want)
			}
		})
	}
}

// TestApplyAllOrNothing: a misspelled name anywhere leaves every flag as it
// was, so a failed configuration never runs half-applied.
func TestApplyAllOrNothing(t *testing.T) {
	a, b, _ := testAnalyzers()
	raw := map[string]any{
		"alpha": map[string]any{"strict": true, "table": "x"},
		"beta":  map[string]any{"typo": 1},
	}
	if err := apply(raw, []*analysis.Analyzer{a, b}); err == nil {
		t.Fatal("apply succeeded with an unknown flag")
	}
	if got := flagValue(a, "strict"); got != "false" {
		t.Errorf("alpha.strict = %s after a rejected configuration, want false", got)
	}
	if got := flagValue(a, "table"); got != "" {
		t.Errorf("alpha.table = %q after a rejected configuration, want empty", got)
	}
}

func TestNewWrapsError(t *testing.T) {
	_, err := New(map[string]any{"nosuchanalyzer": map[string]any{}})
	if err == nil || !strings.HasPrefix(err.Error(), "kafkalint settings: unknown analyzer \"nosuchanalyzer\"") {
		t.Errorf("New with an unknown analyzer: error %v", err)
	}
}
