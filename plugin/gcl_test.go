package plugin_test

// These tests build the custom golangci-lint binary (plugin/gcl: golangci-lint
// v2 with the kafkalint plugin compiled in) and run it on the module
// testdata/golangci the way a user, CI and editors run it. The first build
// downloads golangci-lint's dependencies (about 300 MB in the module cache)
// and compiles them (minutes), so the tests run only with
// KAFKALINT_GOLANGCI=1 (.ci/run sets it). The binary is kept in
// $XDG_CACHE_HOME/kafkalint-gcl (os.UserCacheDir), keyed by a hash of
// everything compiled into it, so later runs reuse it until an input
// changes.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// gclEnv is the environment variable that enables these tests.
const gclEnv = "KAFKALINT_GOLANGCI"

// gclFailure is golangci-lint's exit code for a failed run (a bad
// configuration, no linters): pkg/exitcodes.Failure.
const gclFailure = 3

var (
	gclOnce sync.Once
	gclPath string
	gclLog  []string
	gclErr  error
)

// customGCL returns the path of the custom golangci-lint binary, building it
// on first use in this process (or finding it in the cache).
func customGCL(t *testing.T) string {
	t.Helper()
	if os.Getenv(gclEnv) != "1" {
		t.Skipf("builds golangci-lint with the plugin (minutes and ~300 MB of modules on first run); set %s=1 to run", gclEnv)
	}
	first := false
	gclOnce.Do(func() {
		first = true
		// Stop the build before go test's -timeout would kill the whole test
		// binary, so a cold build reports what to do instead of a panic.
		ctx := context.Background()
		if deadline, ok := t.Deadline(); ok {
			var cancel context.CancelFunc
			ctx, cancel = context.WithDeadline(ctx, deadline.Add(-time.Minute))
			defer cancel()
		}
		gclPath, gclLog, gclErr = buildCustomGCL(ctx)
	})
	if first || gclErr != nil {
		for _, l := range gclLog {
			t.Log(l)
		}
	}
	if gclErr != nil {
		t.Fatal(gclErr)
	}
	return gclPath
}

// buildCustomGCL builds plugin/gcl into the cache, unless a binary built
// from the same inputs is there. It works on copies of plugin/gcl's go.mod
// and go.sum (-modfile, -mod=mod), so a go.mod that lags behind the root
// module's requirements is reported, but never edited in the checkout.
func buildCustomGCL(ctx context.Context) (bin string, log []string, err error) {
	logf := func(format string, args ...any) { log = append(log, fmt.Sprintf(format, args...)) }
	gclDir, err := filepath.Abs("gcl")
	if err != nil {
		return "", log, err
	}
	tmp, err := os.MkdirTemp("", "kafkalint-gcl-mod")
	if err != nil {
		return "", log, err
	}
	defer os.RemoveAll(tmp)
	for _, name := range []string{"go.mod", "go.sum"} {
		if err := copyFile(filepath.Join(gclDir, name), filepath.Join(tmp, name)); err != nil {
			return "", log, err
		}
	}
	modfile := filepath.Join(tmp, "go.mod")
	goFlags := []string{"-modfile=" + modfile, "-mod=mod"}

	start := time.Now()
	key, err := buildKey(gclDir, goFlags)
	if err != nil {
		return "", log, err
	}
	logf("custom-gcl inputs hashed in %v: key %s", time.Since(start).Round(time.Millisecond), key[:16])
	for _, name := range []string{"go.mod", "go.sum"} {
		committed, _ := os.ReadFile(filepath.Join(gclDir, name))
		resolved, _ := os.ReadFile(filepath.Join(tmp, name))
		if !bytes.Equal(committed, resolved) {
			err = errors.Join(err, fmt.Errorf("plugin/gcl/%s is out of date with the root module's requirements, so the documented `go build` in plugin/gcl fails; run `cd plugin/gcl && go mod tidy` and commit it", name))
		}
	}
	if err != nil {
		return "", log, err
	}

	cacheRoot := gclCacheRoot()
	dir := filepath.Join(cacheRoot, key[:32])
	bin = filepath.Join(dir, "custom-gcl")
	if fi, statErr := os.Stat(bin); statErr == nil && fi.Mode().IsRegular() {
		now := time.Now()
		os.Chtimes(dir, now, now) // mark as used, for pruneCache
		logf("custom-gcl: reusing %s", bin)
		return bin, log, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", log, err
	}
	// Build beside the final name and rename: a concurrent test process
	// never sees a half-written binary.
	part := fmt.Sprintf("%s.%d.part", bin, os.Getpid())
	start = time.Now()
	args := append([]string{"build"}, goFlags...)
	args = append(args, "-o", part, ".")
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = gclDir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(part)
		if ctx.Err() != nil {
			return "", log, fmt.Errorf("go %s (in plugin/gcl) stopped after %v, close to go test's -timeout: a first build compiles all of golangci-lint; run again with a larger -timeout (e.g. go test -timeout 30m ./plugin), later runs reuse the binary", strings.Join(args, " "), time.Since(start).Round(time.Second))
		}
		return "", log, fmt.Errorf("go %s (in plugin/gcl): %v\n%s", strings.Join(args, " "), err, out)
	}
	if err := os.Rename(part, bin); err != nil {
		return "", log, err
	}
	logf("custom-gcl: built %s in %v", bin, time.Since(start).Round(time.Second))
	pruneCache(cacheRoot, dir, logf)
	return bin, log, nil
}

// buildKey hashes what the binary is made of: the Go toolchain and build
// environment, plugin/gcl's files, the resolved go.mod and go.sum (they pin
// every dependency, golangci-lint included), and the source files of every
// package of this module that the binary imports (listed by go list, so a
// new analyzer package or an embedded file is covered without a list here).
func buildKey(gclDir string, goFlags []string) (string, error) {
	h := sha256.New()
	env, err := goOutput(gclDir, "env", "GOVERSION", "GOOS", "GOARCH", "GOAMD64", "GOARM64", "CGO_ENABLED", "GOEXPERIMENT", "GOFLAGS", "CC")
	if err != nil {
		return "", err
	}
	fmt.Fprintf(h, "go env\n%s\n", env)

	// go list first: with -mod=mod it completes the copied go.mod and go.sum,
	// which are hashed after it.
	listArgs := append([]string{"list"}, goFlags...)
	listArgs = append(listArgs, "-deps", "-json=ImportPath,Dir,Module,GoFiles,CgoFiles,CFiles,HFiles,SFiles,SysoFiles,EmbedFiles", ".")
	out, err := goOutput(gclDir, listArgs...)
	if err != nil {
		return "", err
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath, Dir                                                  string
			Module                                                           *struct{ Path string }
			GoFiles, CgoFiles, CFiles, HFiles, SFiles, SysoFiles, EmbedFiles []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return "", fmt.Errorf("go list: %v", err)
		}
		// Modules from the proxy are pinned by go.sum; this module (through
		// the replace directive) and plugin/gcl itself are hashed by content.
		if p.Module == nil || (p.Module.Path != "github.com/kafkalint/kafkalint" && p.Module.Path != "github.com/kafkalint/kafkalint/plugin/gcl") {
			continue
		}
		fmt.Fprintf(h, "package %s\n", p.ImportPath)
		var files []string
		for _, list := range [][]string{p.GoFiles, p.CgoFiles, p.CFiles, p.HFiles, p.SFiles, p.SysoFiles, p.EmbedFiles} {
			files = append(files, list...)
		}
		sort.Strings(files)
		for _, f := range files {
			if err := hashFile(h, filepath.Join(p.Dir, f), f); err != nil {
				return "", err
			}
		}
	}
	modfile := strings.TrimPrefix(goFlags[0], "-modfile=")
	for _, f := range []string{modfile, strings.TrimSuffix(modfile, ".mod") + ".sum"} {
		if err := hashFile(h, f, filepath.Base(f)); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashFile(h io.Writer, path, name string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(h, "file %s %d\n", name, len(data))
	h.Write(data)
	return nil
}

func goOutput(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return out, nil
}

// gclCacheRoot is where built binaries are kept between runs.
func gclCacheRoot() string {
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "kafkalint-gcl")
	}
	return filepath.Join(os.TempDir(), "kafkalint-gcl")
}

// pruneCache removes binaries of other inputs not used for a week (each is
// about 70 MB). Recent ones stay: another checkout may be using them.
func pruneCache(root, keep string, logf func(string, ...any)) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		dir := filepath.Join(root, e.Name())
		if dir == keep {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > 7*24*time.Hour {
			if os.RemoveAll(dir) == nil {
				logf("custom-gcl: pruned %s", dir)
			}
		}
	}
}

// --- running the binary --------------------------------------------------

// copyModule copies testdata/golangci into a temporary directory, so a test
// may edit it.
func copyModule(t *testing.T) string {
	t.Helper()
	src, err := filepath.Abs(filepath.Join("..", "testdata", "golangci"))
	if err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		return copyFile(path, filepath.Join(dst, rel))
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

type gclResult struct {
	code           int
	stdout, stderr string
}

// runGCL runs the binary in dir with its own analysis cache (cacheDir).
func runGCL(t *testing.T, bin, dir, cacheDir string, args ...string) gclResult {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOLANGCI_LINT_CACHE="+cacheDir, "GOWORK=off")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	var exit *exec.ExitError
	code := 0
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("custom-gcl %s: %v", strings.Join(args, " "), err)
	}
	t.Logf("custom-gcl %s (in %s): exit %d in %v", strings.Join(args, " "), filepath.Base(dir), code, time.Since(start).Round(time.Millisecond))
	return gclResult{code, stdout.String(), stderr.String()}
}

// gclIssue is an issue in golangci-lint's JSON output (printers.JSON).
type gclIssue struct {
	FromLinter string
	Text       string
	Pos        struct {
		Filename     string
		Line, Column int
	}
}

func parseJSON(t *testing.T, stdout string) []gclIssue {
	t.Helper()
	var report struct{ Issues []gclIssue }
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatalf("golangci-lint JSON output: %v\n%s", err, stdout)
	}
	return report.Issues
}

// lineOf returns the 1-based line of the one line of file that contains
// substr, so expectations follow the testdata when it is edited.
func lineOf(t *testing.T, file, substr string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	line := 0
	for i, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, substr) {
			if line != 0 {
				t.Fatalf("%s: %q is on lines %d and %d", file, substr, line, i+1)
			}
			line = i + 1
		}
	}
	if line == 0 {
		t.Fatalf("%s: no line contains %q", file, substr)
	}
	return line
}

// lineIs returns the 1-based line of the one line of file that is text,
// leading and trailing blanks aside.
func lineIs(t *testing.T, file, text string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	line := 0
	for i, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) == text {
			if line != 0 {
				t.Fatalf("%s: %q is lines %d and %d", file, text, line, i+1)
			}
			line = i + 1
		}
	}
	if line == 0 {
		t.Fatalf("%s: no line is %q", file, text)
	}
	return line
}

// A finding is an expected report: where, and how its text starts (the
// analyzer name, as golangci-lint prefixes it, then the message).
type finding struct {
	file string // slash-separated, relative to the module
	line int
	text string
}

func (f finding) String() string { return fmt.Sprintf("%s:%d: %s", f.file, f.line, f.text) }

const related = "lockorder(related information): "

// wantFindings are the reports on an unedited copy of testdata/golangci
// with its .golangci.yml (lockorder.check-ignores on).
func wantFindings(t *testing.T, mod string) []finding {
	return []finding{
		{"client/client.go", lineOf(t, filepath.Join(mod, "client/client.go"), "return c.coord.Generation()"),
			"lockorder: lock order inversion: coord.Coordinator.mu is acquired here while holding client.Client.mu"},
		{"client/stale.go", lineOf(t, filepath.Join(mod, "client/stale.go"), "//kafkalint:ignore lock-cycle counters used to be locked in pairs"),
			"lockorder: kafkalint:ignore lock-cycle suppresses nothing here"},
		{"client/stale.go", lineIs(t, filepath.Join(mod, "client/stale.go"), "//kafkalint:ignore lock-cycle"),
			"ignoredirective: kafkalint:ignore needs a reason"},
	}
}

// checkFindings compares the issues that are not related information with
// want, exactly, and checks that all issues come from the kafkalint linter
// and that related information stays in the files of the cycles.
func checkFindings(t *testing.T, issues []gclIssue, want []finding) {
	t.Helper()
	// golangci-lint turns each Related entry into an issue of its own, moved
	// to the diagnostic's position when it is in another file.
	cycleFiles := map[string]bool{}
	for _, w := range want {
		if strings.Contains(w.text, "lock order inversion") {
			cycleFiles[w.file] = true
		}
	}
	var got []gclIssue
	for _, is := range issues {
		if is.FromLinter != "kafkalint" {
			t.Errorf("issue from linter %q, want kafkalint: %+v", is.FromLinter, is)
		}
		if strings.HasPrefix(is.Text, related) {
			if !cycleFiles[filepath.ToSlash(is.Pos.Filename)] {
				t.Errorf("related information outside the files of the reported cycles: %+v", is)
			}
			continue
		}
		got = append(got, is)
	}
	matched := make([]bool, len(got))
	for _, w := range want {
		found := false
		for i, is := range got {
			if !matched[i] && filepath.ToSlash(is.Pos.Filename) == w.file && is.Pos.Line == w.line && strings.HasPrefix(is.Text, w.text) {
				matched[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("missing report %s", w)
		}
	}
	for i, is := range got {
		if !matched[i] {
			t.Errorf("unexpected report %s:%d:%d: %s", is.Pos.Filename, is.Pos.Line, is.Pos.Column, is.Text)
		}
	}
}

// jsonArgs ask for JSON on stdout and nothing else there.
var jsonArgs = []string{"run", "--output.json.path=stdout", "--output.text.path=", "--show-stats=false"}

func TestGolangciLint(t *testing.T) {
	bin := customGCL(t)
	mod := copyModule(t)
	cache := t.TempDir()
	want := wantFindings(t, mod)

	cold := runGCL(t, bin, mod, cache, append(jsonArgs, "./...")...)
	if cold.code != 1 {
		t.Fatalf("exit code %d, want 1 (issues found)\nstderr:\n%s", cold.code, cold.stderr)
	}
	issues := parseJSON(t, cold.stdout)
	checkFindings(t, issues, want)

	// Again with golangci-lint's cache filled: the same reports (its facts
	// and issues cache had bugs before v2.14.0).
	warm := runGCL(t, bin, mod, cache, append(jsonArgs, "./...")...)
	if warm.code != 1 {
		t.Fatalf("cached run: exit code %d, want 1\nstderr:\n%s", warm.code, warm.stderr)
	}
	if again := parseJSON(t, warm.stdout); !sameIssues(issues, again) {
		t.Errorf("cached run reported differently:\nfirst:  %+v\nsecond: %+v", issues, again)
	}

	// Only the client package: the cycle needs coord's facts, which
	// golangci-lint computes for the dependency without reporting in it.
	pkg := runGCL(t, bin, mod, t.TempDir(), append(jsonArgs, "./client")...)
	checkFindings(t, parseJSON(t, pkg.stdout), want)
}

func sameIssues(a, b []gclIssue) bool {
	key := func(list []gclIssue) []string {
		var out []string
		for _, is := range list {
			out = append(out, fmt.Sprintf("%s|%s:%d:%d|%s", is.FromLinter, is.Pos.Filename, is.Pos.Line, is.Pos.Column, is.Text))
		}
		sort.Strings(out)
		return out
	}
	ka, kb := key(a), key(b)
	return strings.Join(ka, "\n") == strings.Join(kb, "\n")
}

// TestGolangciLintSuppression deletes the //kafkalint:ignore in cache.go:
// the cycle it suppressed is reported, so the silence of the unedited
// module is the suppression's doing.
func TestGolangciLintSuppression(t *testing.T) {
	bin := customGCL(t)
	mod := copyModule(t)
	want := wantFindings(t, mod)

	cachePath := filepath.Join(mod, "client", "cache.go")
	src, err := os.ReadFile(cachePath)
	if err != nil {
		t.Fatal(err)
	}
	const ignore = "\t//kafkalint:ignore lock-cycle Refresh runs once at startup, before any caller can reach Len\n"
	if !bytes.Contains(src, []byte(ignore)) {
		t.Fatalf("client/cache.go lacks the line %q", ignore)
	}
	if err := os.WriteFile(cachePath, bytes.Replace(src, []byte(ignore), nil, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	want = append(want, finding{"client/cache.go", lineOf(t, cachePath, "return c.registry.Size()"),
		"lockorder: lock order inversion: coord.Registry.mu is acquired here while holding client.Cache.mu"})

	res := runGCL(t, bin, mod, t.TempDir(), append(jsonArgs, "./...")...)
	checkFindings(t, parseJSON(t, res.stdout), want)

	// golangci-lint's //nolint:kafkalint on the reported line drops the
	// report but not its related information, which golangci-lint made
	// issues of their own on other lines: docs/golangci-lint.md says so,
	// and recommends //kafkalint:ignore.
	src, err = os.ReadFile(cachePath)
	if err != nil {
		t.Fatal(err)
	}
	const call = "return c.registry.Size()\n"
	if err := os.WriteFile(cachePath, bytes.Replace(src, []byte(call), []byte("return c.registry.Size() //nolint:kafkalint // accepted\n"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	res = runGCL(t, bin, mod, t.TempDir(), append(jsonArgs, "./...")...)
	var rest []gclIssue
	leftovers := 0
	for _, is := range parseJSON(t, res.stdout) {
		if filepath.ToSlash(is.Pos.Filename) == "client/cache.go" && strings.HasPrefix(is.Text, related) {
			leftovers++
			continue
		}
		rest = append(rest, is)
	}
	checkFindings(t, rest, want[:len(want)-1])
	if leftovers == 0 {
		t.Errorf("//nolint:kafkalint left no related information behind; docs/golangci-lint.md says it does")
	}
}

// TestGolangciLintSettings runs without the plugin settings: no
// unused-suppression report (lockorder.check-ignores is off by default), so
// the report in TestGolangciLint is the setting's doing.
func TestGolangciLintSettings(t *testing.T) {
	bin := customGCL(t)
	mod := copyModule(t)
	cfg := filepath.Join(mod, ".golangci.yml")
	editConfig(t, cfg, "        settings:\n          lockorder:\n            check-ignores: true\n", "")

	res := runGCL(t, bin, mod, t.TempDir(), append(jsonArgs, "./...")...)
	var want []finding
	for _, f := range wantFindings(t, mod) {
		if !strings.Contains(f.text, "suppresses nothing") {
			want = append(want, f)
		}
	}
	checkFindings(t, parseJSON(t, res.stdout), want)
}

// TestGolangciLintRejectsUnknownSettings: a misspelled analyzer or flag
// stops golangci-lint with an error that names it, before any analysis.
func TestGolangciLintRejectsUnknownSettings(t *testing.T) {
	bin := customGCL(t)
	for _, tc := range []struct{ old, new, want string }{
		{"check-ignores: true", "check-ignore: true", `kafkalint settings: analyzer lockorder has no setting "check-ignore"`},
		{"lockorder:", "lockordr:", `kafkalint settings: unknown analyzer "lockordr"`},
		{"check-ignores: true", "check-ignores: sometimes", `kafkalint settings: lockorder.check-ignores: invalid value "sometimes"`},
	} {
		t.Run(tc.new, func(t *testing.T) {
			mod := copyModule(t)
			editConfig(t, filepath.Join(mod, ".golangci.yml"), tc.old, tc.new)
			res := runGCL(t, bin, mod, t.TempDir(), append(jsonArgs, "./...")...)
			if res.code != gclFailure {
				t.Errorf("exit code %d, want %d (failure)", res.code, gclFailure)
			}
			if !strings.Contains(res.stderr, tc.want) {
				t.Errorf("stderr does not say %q:\n%s", tc.want, res.stderr)
			}
			if strings.Contains(res.stdout, "kafkalint") {
				t.Errorf("reports despite the bad configuration:\n%s", res.stdout)
			}
		})
	}
}

func editConfig(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s lacks %q", path, old)
	}
	if err := os.WriteFile(path, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

// --- editors ---------------------------------------------------------------
//
// Editors run golangci-lint as a command and parse its output. These tests
// run the custom binary with the exact arguments each integration passes
// (docs/editors.md) and parse the output the way it does.

// vscodeProblem is the line pattern of the VS Code Go extension's runTool
// (extension/src/util.ts), which parses lint and vet output.
var vscodeProblem = regexp.MustCompile(`^([^:]*: )?((.:)?[^:]*):(\d+)(:(\d+)?)?:(?:\w+:)? (.*)$`)

type editorProblem struct {
	file      string // absolute
	line, col int
	msg       string
}

// parseVSCode parses output lines as runTool does, resolving relative file
// names against cwd.
func parseVSCode(output, cwd string) []editorProblem {
	var out []editorProblem
	for _, l := range strings.Split(output, "\n") {
		m := vscodeProblem.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		var p editorProblem
		p.file = m[2]
		if !filepath.IsAbs(p.file) {
			p.file = filepath.Join(cwd, p.file)
		}
		fmt.Sscan(m[4], &p.line)
		fmt.Sscan(m[6], &p.col)
		p.msg = m[7]
		out = append(out, p)
	}
	return out
}

func findProblem(problems []editorProblem, file string, line int, msgPrefix string) bool {
	for _, p := range problems {
		if p.file == file && p.line == line && strings.HasPrefix(p.msg, msgPrefix) {
			return true
		}
	}
	return false
}

// TestEditorVSCode runs the binary as the VS Code Go extension does with
// "go.lintTool": "golangci-lint-v2" and lint on save at package scope: in
// the saved file's directory, golangci-lint v2 flags appended by the
// extension, text output parsed line by line.
func TestEditorVSCode(t *testing.T) {
	bin := customGCL(t)
	mod := copyModule(t)
	pkgDir := filepath.Join(mod, "client")
	// extension/src/goLint.ts, golangci-lint v2: run, the user's
	// go.lintFlags (none here), then these.
	args := []string{"run", "--issues-exit-code=0", "--output.text.print-issued-lines=false",
		"--show-stats=false", "--output.text.path=stdout", "--path-mode=abs"}
	res := runGCL(t, bin, pkgDir, t.TempDir(), args...)
	// The extension drops all results when the tool fails and writes to
	// stderr; --issues-exit-code=0 makes findings a success.
	if res.code != 0 {
		t.Fatalf("exit code %d, want 0\nstderr:\n%s", res.code, res.stderr)
	}
	problems := parseVSCode(res.stdout, pkgDir)
	for _, f := range wantFindings(t, mod) {
		file := filepath.Join(mod, filepath.FromSlash(f.file))
		if !findProblem(problems, file, f.line, f.text) {
			t.Errorf("VS Code would not show %s; output:\n%s", f, res.stdout)
		}
	}
	for _, p := range problems {
		if !strings.HasSuffix(p.msg, "(kafkalint)") {
			t.Errorf("problem without the linter name: %+v", p)
		}
	}
}

// TestEditorNeovim runs the binary as nvim-lint's golangcilint linter does
// for golangci-lint ≥ v2.1 (lua/lint/linters/golangcilint.lua): from the
// project root, on the saved file's directory, JSON on stdout, and keeps
// the issues whose Pos.Filename is the buffer's absolute path. GoLand's Go
// Linter plugin and none-ls read the same JSON.
func TestEditorNeovim(t *testing.T) {
	bin := customGCL(t)
	mod := copyModule(t)
	pkgDir := filepath.Join(mod, "client")
	args := []string{"run", "--output.json.path=stdout",
		"--output.text.path=", "--output.tab.path=", "--output.html.path=", "--output.checkstyle.path=",
		"--output.code-climate.path=", "--output.junit-xml.path=", "--output.teamcity.path=", "--output.sarif.path=",
		"--issues-exit-code=0", "--show-stats=false", "--path-mode=abs", pkgDir}
	res := runGCL(t, bin, mod, t.TempDir(), args...)
	if res.code != 0 {
		t.Fatalf("exit code %d, want 0\nstderr:\n%s", res.code, res.stderr)
	}
	issues := parseJSON(t, res.stdout)
	buffer := filepath.Join(pkgDir, "client.go")
	line := lineOf(t, buffer, "return c.coord.Generation()")
	found := false
	for _, is := range issues {
		if is.Pos.Filename == buffer && is.Pos.Line == line && is.FromLinter == "kafkalint" &&
			strings.HasPrefix(is.Text, "lockorder: lock order inversion") && is.Pos.Column > 0 {
			found = true
		}
	}
	if !found {
		t.Errorf("no lock-order issue at %s:%d with an absolute path; output:\n%s", buffer, line, res.stdout)
	}
}

// TestEditorFastOnly: golangci-lint's editor advice (--fast-only) drops
// kafkalint, which needs type information; docs/editors.md says to leave
// the flag out. Here kafkalint is the only linter, so nothing is left.
func TestEditorFastOnly(t *testing.T) {
	bin := customGCL(t)
	mod := copyModule(t)
	res := runGCL(t, bin, mod, t.TempDir(), append(jsonArgs, "--fast-only", "./...")...)
	if strings.Contains(res.stdout, `"FromLinter":"kafkalint"`) {
		t.Errorf("kafkalint ran under --fast-only; docs/editors.md says it does not:\n%s", res.stdout)
	}
	if res.code != gclFailure || !strings.Contains(res.stderr, "no linters enabled") {
		t.Errorf("exit code %d, stderr %q; want %d and \"no linters enabled\"", res.code, res.stderr, gclFailure)
	}
}

// TestEditorVersionDetection: nvim-lint and none-ls run "golangci-lint
// version" to choose between v1 and v2 flags. The custom binary must read
// as v2.1 or later to both: none-ls wants "version 2" or "version v2",
// nvim-lint must not see "version 1", "version v1" or "version 2.0.".
func TestEditorVersionDetection(t *testing.T) {
	bin := customGCL(t)
	res := runGCL(t, bin, t.TempDir(), t.TempDir(), "version")
	if res.code != 0 {
		t.Fatalf("custom-gcl version: exit %d\n%s", res.code, res.stderr)
	}
	out := res.stdout + res.stderr
	if !strings.Contains(out, "version 2") && !strings.Contains(out, "version v2") {
		t.Errorf("none-ls would take %q for golangci-lint v1", out)
	}
	for _, v1 := range []string{"version v1", "version 1", "version v2.0.", "version 2.0."} {
		if strings.Contains(out, v1) {
			t.Errorf("nvim-lint would take %q for an old golangci-lint (%q)", out, v1)
		}
	}
	if !regexp.MustCompile(`version 2\.\d+\.\d+-kafkalint-[0-9a-f]{12} `).MatchString(out) {
		t.Errorf("version output %q lacks the golangci-lint version and the executable hash", out)
	}
}

// TestEditorNoneLS runs the binary as none-ls's diagnostics.golangci_lint
// builtin does for golangci-lint v2: from the directory of go.mod, no
// package argument, JSON on stdout, file names joined to that directory.
func TestEditorNoneLS(t *testing.T) {
	bin := customGCL(t)
	mod := copyModule(t)
	res := runGCL(t, bin, mod, t.TempDir(), "run", "--fix=false", "--show-stats=false", "--output.json.path=stdout")
	if res.code > 2 { // none-ls accepts exit codes up to 2
		t.Fatalf("exit code %d, none-ls takes it for a failure\nstderr:\n%s", res.code, res.stderr)
	}
	// With the default text output also on stdout, JSON is the first line.
	first, _, _ := strings.Cut(res.stdout, "\n")
	issues := parseJSON(t, first)
	buffer := filepath.Join(mod, "client", "client.go")
	line := lineOf(t, buffer, "return c.coord.Generation()")
	found := false
	for _, is := range issues {
		if filepath.Join(mod, is.Pos.Filename) == buffer && is.Pos.Line == line && is.FromLinter == "kafkalint" &&
			strings.HasPrefix(is.Text, "lockorder: lock order inversion") {
			found = true
		}
	}
	if !found {
		t.Errorf("no lock-order issue at %s:%d; output:\n%s", buffer, line, res.stdout)
	}
}
