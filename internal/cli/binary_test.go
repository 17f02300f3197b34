package cli_test

// These tests build binaries and run them on the fixture module
// testdata/cli (its own go.mod, module example.com/fixture): bugtool
// (testdata/bugtool: this driver with a test analyzer whose findings are
// known) for the driver's behavior, and the real kafkalint for its wiring.

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
	"github.com/xeipuuv/gojsonschema"
)

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// binaries builds bugtool and kafkalint once per test run.
func binaries(t *testing.T) (bugtool, kafkalint string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds binaries; skipped with -short")
	}
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "kafkalint-cli-test")
		if buildErr != nil {
			return
		}
		for name, pkg := range map[string]string{
			"bugtool":   "./testdata/bugtool",
			"kafkalint": "../../cmd/kafkalint",
		} {
			out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, name), pkg).CombinedOutput()
			if err != nil {
				buildErr = errors.New("go build " + pkg + ": " + err.Error() + "\n" + string(out))
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(binDir, "bugtool"), filepath.Join(binDir, "kafkalint")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

// run runs a command in the fixture module.
func run(t *testing.T, name string, args ...string) result {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "cli"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	res := result{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()}
	if strings.Contains(res.stdout+res.stderr, "panic") {
		t.Errorf("%s %s panicked:\n%s%s", filepath.Base(name), strings.Join(args, " "), res.stdout, res.stderr)
	}
	return res
}

func wantCode(t *testing.T, res result, code int) {
	t.Helper()
	if res.code != code {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", res.code, code, res.stdout, res.stderr)
	}
}

// findingText is bugtool's text output on ./finding: sorted by position,
// related entries indented under their diagnostic, the suppressed call
// (line 13) absent, the malformed suppression reported and not obeyed.
// lib.Helper's position comes from lib's export data, which keeps lines,
// not columns (x/tools' gcimporter), as under go vet: analyzers that need
// exact positions in other packages carry them in their facts.
const findingText = `finding/finding.go:8:2: call to bug (bug-call)
finding/finding.go:18:2: call to lib.Helper, which calls bug (bug-caller)
	finding/finding.go:18:2: [caller] CrossPackage calls lib.Helper
	lib/lib.go:7:1: [callee] lib.Helper calls bug
finding/finding.go:27:2: kafkalint:ignore needs a reason after the check names: //kafkalint:ignore <check>[,<check>] <reason> (ignore-syntax)
finding/finding.go:28:2: call to bug (bug-call)
finding/finding_test.go:6:2: call to bug (bug-call)
`

func TestCleanPackage(t *testing.T) {
	bugtool, _ := binaries(t)
	res := run(t, bugtool, "./clean", "./lib")
	wantCode(t, res, 0)
	if res.stdout != "" || res.stderr != "" {
		t.Errorf("clean packages printed something:\n%s%s", res.stdout, res.stderr)
	}
}

func TestFindingsText(t *testing.T) {
	bugtool, _ := binaries(t)
	res := run(t, bugtool, "./finding")
	wantCode(t, res, 3)
	if res.stdout != findingText {
		t.Errorf("stdout:\n%s\nwant:\n%s", res.stdout, findingText)
	}
	if res.stderr != "" {
		t.Errorf("stderr: %s", res.stderr)
	}
	// Byte-identical across runs, whatever the scheduling of the analysis.
	if again := run(t, bugtool, "./finding"); again.stdout != res.stdout {
		t.Errorf("second run differs:\n%s\nfirst:\n%s", again.stdout, res.stdout)
	}
}

func TestNoTests(t *testing.T) {
	bugtool, _ := binaries(t)
	res := run(t, bugtool, "-test=false", "./finding")
	wantCode(t, res, 3)
	if strings.Contains(res.stdout, "finding_test.go") {
		t.Errorf("-test=false reported in a test file:\n%s", res.stdout)
	}
	if !strings.Contains(res.stdout, "finding/finding.go:8:2: call to bug") {
		t.Errorf("-test=false lost the non-test finding:\n%s", res.stdout)
	}
}

func TestCheckIgnores(t *testing.T) {
	bugtool, _ := binaries(t)
	const unused = "finding/finding.go:22:2: kafkalint:ignore bug-call suppresses nothing here"
	// -test=false here and below: the test files add nothing but load time.
	if res := run(t, bugtool, "-test=false", "./finding"); strings.Contains(res.stdout, unused) {
		t.Errorf("unused suppression reported without -check-ignores:\n%s", res.stdout)
	}
	res := run(t, bugtool, "-test=false", "-check-ignores", "./finding", "./lib")
	wantCode(t, res, 3)
	if n := strings.Count(res.stdout, "suppresses nothing"); n != 1 || !strings.Contains(res.stdout, unused) {
		t.Errorf("-check-ignores: want exactly the stale suppression at finding.go:22 reported, got:\n%s", res.stdout)
	}
	// The per-analyzer spelling works too.
	res = run(t, bugtool, "-test=false", "-bugcall.check-ignores", "./finding")
	if !strings.Contains(res.stdout, unused) {
		t.Errorf("-bugcall.check-ignores: unused suppression not reported:\n%s", res.stdout)
	}
}

func TestSelectAnalyzers(t *testing.T) {
	bugtool, _ := binaries(t)
	res := run(t, bugtool, "-test=false", "-bugcall=false", "./finding")
	wantCode(t, res, 3)
	if strings.Contains(res.stdout, "call to bug") || !strings.Contains(res.stdout, "(ignore-syntax)") {
		t.Errorf("-bugcall=false: want only ignore-syntax findings:\n%s", res.stdout)
	}
	res = run(t, bugtool, "-test=false", "-bugcall", "./finding")
	if strings.Contains(res.stdout, "ignore-syntax") || !strings.Contains(res.stdout, "call to bug") {
		t.Errorf("-bugcall: want only bugcall findings:\n%s", res.stdout)
	}
	// bugcount requires bugcall: run as its prerequisite only, bugcall
	// prints nothing.
	res = run(t, bugtool, "-test=false", "-bugcount", "./finding")
	if strings.Contains(res.stdout, "call to bug") || strings.Contains(res.stdout, "ignore-syntax") {
		t.Errorf("-bugcount: want no findings of the analyzers it requires or of the others:\n%s", res.stdout)
	}
}

func TestTypeErrors(t *testing.T) {
	bugtool, _ := binaries(t)
	res := run(t, bugtool, "-test=false", "./broken", "./clean")
	wantCode(t, res, 1)
	for _, want := range []string{
		"kafkalint: package example.com/fixture/broken has errors:\n",
		"\tbroken/broken.go:3:17: cannot use \"three\" (untyped string constant) as int value",
		"not analyzed because of these errors: example.com/fixture/broken\n",
	} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
		}
	}
	// The healthy packages are still analyzed; findings there still print.
	res = run(t, bugtool, "./broken", "./finding")
	wantCode(t, res, 1)
	if res.stdout != findingText {
		t.Errorf("findings beside a broken package:\n%s\nwant:\n%s", res.stdout, findingText)
	}
}

func TestNoPackages(t *testing.T) {
	bugtool, _ := binaries(t)
	for _, tc := range []struct {
		pattern, want string
	}{
		{"./nope", "kafkalint: package ./nope has errors:"},
		{"example.com/elsewhere", "kafkalint: package example.com/elsewhere has errors:"},
		{"./nope/...", "nope"},
	} {
		res := run(t, bugtool, tc.pattern)
		wantCode(t, res, 1)
		if !strings.Contains(res.stderr, tc.want) {
			t.Errorf("%s: stderr lacks %q:\n%s", tc.pattern, tc.want, res.stderr)
		}
	}
	res := run(t, bugtool)
	wantCode(t, res, 1)
	if !strings.Contains(res.stderr, "Usage:") {
		t.Errorf("no arguments: want usage, got:\n%s", res.stderr)
	}
}

func TestJSON(t *testing.T) {
	bugtool, _ := binaries(t)
	res := run(t, bugtool, "-test=false", "-json", "./finding")
	wantCode(t, res, 3)
	var tree map[string]map[string][]struct {
		Category string `json:"category"`
		Posn     string `json:"posn"`
		Message  string `json:"message"`
		Related  []struct {
			Posn    string `json:"posn"`
			Message string `json:"message"`
		} `json:"related"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &tree); err != nil {
		t.Fatalf("-json output does not parse: %v\n%s", err, res.stdout)
	}
	diags := tree["example.com/fixture/finding"]["bugcall"]
	if len(diags) != 3 {
		t.Fatalf("want 3 bugcall diagnostics in example.com/fixture/finding, got %d:\n%s", len(diags), res.stdout)
	}
	cross := diags[1]
	if cross.Category != "bug-caller" || !strings.HasSuffix(cross.Posn, filepath.Join("finding", "finding.go")+":18:2") ||
		len(cross.Related) != 2 || cross.Related[1].Message != "[callee] lib.Helper calls bug" {
		t.Errorf("cross-package diagnostic: %+v", cross)
	}
}

func TestSARIF(t *testing.T) {
	bugtool, _ := binaries(t)
	res := run(t, bugtool, "-format=sarif", "./finding")
	wantCode(t, res, 3)
	if short := run(t, bugtool, "-sarif", "-test=false", "./clean"); short.code != 0 || !strings.Contains(short.stdout, `"version": "2.1.0"`) {
		t.Errorf("-sarif: exit %d, output:\n%s", short.code, short.stdout)
	}
	validateSARIF(t, res.stdout)
	rep, err := sarif.FromBytes([]byte(res.stdout), sarif.WithStrictValidation())
	if err != nil {
		t.Fatalf("SARIF output does not parse: %v", err)
	}
	run0 := rep.Runs[0]
	var rules []string
	for _, r := range run0.Tool.Driver.Rules {
		rules = append(rules, *r.ID)
		if r.Help == nil || r.Help.Text == nil || *r.Help.Text == "" {
			t.Errorf("rule %s has no help text", *r.ID)
		}
	}
	if got := strings.Join(rules, " "); got != "bug-call bug-caller ignore-syntax bugcount unused-ignore" {
		t.Errorf("rules = %s", got)
	}
	if len(run0.Results) != 5 {
		t.Fatalf("want 5 results (as the text output), got %d", len(run0.Results))
	}
	cross := run0.Results[1]
	if *cross.RuleID != "bug-caller" || *run0.Tool.Driver.Rules[cross.RuleIndex].ID != "bug-caller" {
		t.Errorf("cross-package result has rule %s / index %d", *cross.RuleID, cross.RuleIndex)
	}
	loc := cross.Locations[0].PhysicalLocation
	if *loc.ArtifactLocation.URI != "finding/finding.go" || *loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || *loc.Region.StartLine != 18 {
		t.Errorf("cross-package result location: %s %s line %d", *loc.ArtifactLocation.URI, *loc.ArtifactLocation.URIBaseID, *loc.Region.StartLine)
	}
	if len(cross.RelatedLocations) != 2 || len(cross.CodeFlows) != 1 {
		t.Fatalf("cross-package result: %d related locations, %d code flows; want 2, 1", len(cross.RelatedLocations), len(cross.CodeFlows))
	}
	flows := cross.CodeFlows[0].ThreadFlows
	if len(flows) != 2 || *flows[0].ID != "caller" || *flows[1].ID != "callee" {
		t.Fatalf("want threadFlows caller, callee; got %d", len(flows))
	}
	step := flows[1].Locations[0].Location
	if *step.Message.Text != "lib.Helper calls bug" || *step.PhysicalLocation.ArtifactLocation.URI != "lib/lib.go" {
		t.Errorf("callee step: %q at %s", *step.Message.Text, *step.PhysicalLocation.ArtifactLocation.URI)
	}
	if plain := run0.Results[0]; len(plain.CodeFlows) != 0 {
		t.Errorf("a result without chains has code flows")
	}
}

func TestExplain(t *testing.T) {
	bugtool, _ := binaries(t)
	res := run(t, bugtool, "-explain", "bug-caller")
	wantCode(t, res, 0)
	if !strings.HasPrefix(res.stdout, "bug-caller: call to a function that calls bug\n") {
		t.Errorf("-explain bug-caller:\n%s", res.stdout)
	}
	res = run(t, bugtool, "help", "ignore-syntax")
	wantCode(t, res, 0)
	if !strings.Contains(res.stdout, "suppresses nothing") {
		t.Errorf("help ignore-syntax:\n%s", res.stdout)
	}
	res = run(t, bugtool, "-explain", "no-such-check")
	wantCode(t, res, 1)
	if !strings.Contains(res.stderr, `no check or analyzer named "no-such-check"`) {
		t.Errorf("-explain no-such-check:\n%s", res.stderr)
	}
}

// TestVet runs bugtool under go vet: one process per package, the callsBug
// fact of lib reaching finding through vet's fact files.
func TestVet(t *testing.T) {
	bugtool, _ := binaries(t)
	res := run(t, "go", "vet", "-vettool="+bugtool, "./finding", "./lib", "./clean")
	if res.code == 0 {
		t.Fatalf("go vet: exit 0 with findings\n%s", res.stderr)
	}
	for _, want := range []string{
		"finding/finding.go:8:2: call to bug\n",
		"finding/finding.go:18:2: call to lib.Helper, which calls bug\n", // needs the fact from lib
		"finding/finding.go:18:2: \t[caller] CrossPackage calls lib.Helper\n",
		"finding/finding.go:27:2: kafkalint:ignore needs a reason",
	} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("go vet output lacks %q:\n%s", want, res.stderr)
		}
	}
	if strings.Contains(res.stderr, "finding.go:13:") || strings.Contains(res.stderr, "suppresses nothing") {
		t.Errorf("go vet: suppression not obeyed, or unused suppression reported without -check-ignores:\n%s", res.stderr)
	}
	res = run(t, "go", "vet", "-vettool="+bugtool, "-check-ignores", "./finding")
	if !strings.Contains(res.stderr, "finding/finding.go:22:2: kafkalint:ignore bug-call suppresses nothing here") {
		t.Errorf("go vet -check-ignores: unused suppression not reported:\n%s", res.stderr)
	}
	res = run(t, "go", "vet", "-vettool="+bugtool, "./clean", "./lib")
	wantCode(t, res, 0)

	// The whole module, broken package included: its type error and the
	// other packages' findings are both printed.
	res = run(t, "go", "vet", "-vettool="+bugtool, "./...")
	if res.code == 0 || !strings.Contains(res.stderr, "broken/broken.go:3:17: cannot use") ||
		!strings.Contains(res.stderr, "finding/finding.go:18:2: call to lib.Helper, which calls bug\n") {
		t.Errorf("go vet ./...: exit %d\n%s", res.code, res.stderr)
	}
}

// TestKafkalintBinary checks the real binary's wiring: the suite's
// analyzers in both modes, on code where they have nothing to report.
func TestKafkalintBinary(t *testing.T) {
	_, kafkalint := binaries(t)
	res := run(t, kafkalint, "-test=false", "./clean")
	wantCode(t, res, 0)
	// lib's suppression names bugtool's check, unknown to the real suite.
	res = run(t, kafkalint, "-test=false", "./lib")
	wantCode(t, res, 3)
	if res.stdout != "lib/lib.go:8:8: kafkalint:ignore names bug-call, which is no kafkalint check or analyzer: it suppresses nothing (kafkalint help lists the checks) (ignore-syntax)\n" {
		t.Errorf("the real suite on lib: want only the unknown check name reported:\n%s", res.stdout)
	}
	res = run(t, kafkalint, "-test=false", "-sarif", "./clean")
	wantCode(t, res, 0)
	validateSARIF(t, res.stdout)
	res = run(t, kafkalint, "-explain", "lockorder")
	wantCode(t, res, 0)
	if !strings.HasPrefix(res.stdout, "lockorder (analyzer)\n") {
		t.Errorf("-explain lockorder:\n%s", res.stdout)
	}
	res = run(t, kafkalint, "-V=full")
	wantCode(t, res, 0)
	if !strings.Contains(res.stdout, "version") {
		t.Errorf("-V=full: %q", res.stdout)
	}
	res = run(t, "go", "vet", "-vettool="+kafkalint, "./clean")
	wantCode(t, res, 0)
	res = run(t, "go", "vet", "-vettool="+kafkalint, "./lib")
	if !strings.Contains(res.stderr, "lib/lib.go:8:8: kafkalint:ignore names bug-call") {
		t.Errorf("go vet: the unknown check name is not reported:\n%s", res.stderr)
	}
	res = run(t, kafkalint, "-test=false", "./finding")
	if !strings.Contains(res.stdout, "finding/finding.go:27:2: kafkalint:ignore needs a reason") {
		t.Errorf("the real suite does not report the malformed suppression:\n%s", res.stdout)
	}
}

// validateSARIF validates output, as bytes, against the SARIF 2.1.0 JSON
// schema, and through go-sarif's own Validate.
func validateSARIF(t *testing.T, output string) {
	t.Helper()
	for _, e := range sarifSchemaErrors(t, output) {
		t.Errorf("SARIF output violates the 2.1.0 schema: %s", e)
	}
	rep, err := sarif.FromBytes([]byte(output), sarif.WithStrictValidation())
	if err != nil {
		t.Fatalf("SARIF output does not parse: %v", err)
	}
	if err := rep.Validate(); err != nil {
		t.Errorf("go-sarif Validate: %v", err)
	}
}

// sarifSchemaErrors validates doc against the SARIF 2.1.0 JSON schema that
// go-sarif ships (an unexported constant in its schema.go, read from the
// module's source).
func sarifSchemaErrors(t *testing.T, doc string) []string {
	t.Helper()
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/owenrumney/go-sarif/v3").Output()
	if err != nil {
		t.Fatalf("go list -m go-sarif: %v", err)
	}
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(dir)), "pkg", "report", "v210", "sarif", "schema.go"))
	if err != nil {
		t.Fatal(err)
	}
	start, end := bytes.IndexByte(src, '`'), bytes.LastIndexByte(src, '`')
	if start < 0 || end <= start {
		t.Fatal("no schema literal in go-sarif's schema.go")
	}
	schema := src[start+1 : end]
	if !bytes.Contains(schema, []byte("SARIF) Version 2.1.0 JSON Schema")) {
		t.Fatal("go-sarif's schema.go does not hold the SARIF 2.1.0 schema")
	}
	result, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewStringLoader(doc))
	if err != nil {
		t.Fatalf("validating SARIF: %v", err)
	}
	var errs []string
	for _, e := range result.Errors() {
		errs = append(errs, e.String())
	}
	return errs
}

// TestSARIFSchemaRejects: the schema check is not vacuous.
func TestSARIFSchemaRejects(t *testing.T) {
	for _, doc := range []string{
		`{"version": "2.0.0", "runs": []}`,
		`{"version": "2.1.0", "runs": [{"results": [{"message": {"text": "x"}, "level": "fatal"}]}]}`,
	} {
		if errs := sarifSchemaErrors(t, doc); len(errs) == 0 {
			t.Errorf("schema accepted %s", doc)
		}
	}
}
