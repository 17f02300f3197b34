// Package realtest helps tests that run the built kafkalint binary on real
// modules fetched through the Go module proxy (the Kafka clients at pinned
// versions). Such tests are skipped with -short, with KAFKALINT_OFFLINE=1,
// or when a module cannot be downloaded.
package realtest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// Skip skips the test in -short mode or when KAFKALINT_OFFLINE is set.
func Skip(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs kafkalint on modules from the module proxy; skipped with -short")
	}
	if os.Getenv("KAFKALINT_OFFLINE") != "" {
		t.Skip("KAFKALINT_OFFLINE is set")
	}
}

// Root is the repository root.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Binary builds cmd/kafkalint into a temporary directory.
func Binary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kafkalint")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/kafkalint")
	cmd.Dir = Root()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/kafkalint: %v\n%s", err, out)
	}
	return bin
}

// Module makes a scratch module requiring each module@version in requires
// and importing each package in imports, and downloads what it needs.
func Module(t testing.TB, requires []string, imports []string) string {
	t.Helper()
	dir := t.TempDir()
	var src strings.Builder
	src.WriteString("package scratch\n\nimport (\n")
	sorted := append([]string(nil), imports...)
	sort.Strings(sorted)
	for _, p := range sorted {
		src.WriteString("\t_ \"" + p + "\"\n")
	}
	src.WriteString(")\n")
	for name, text := range map[string]string{
		"go.mod":  "module example.com/scratch\n\ngo 1.26\n",
		"deps.go": src.String(),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{append([]string{"get"}, requires...), {"mod", "tidy"}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = Env()
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Skipf("go %s: %v (module proxy unreachable?)\n%s", strings.Join(args, " "), err, out)
		}
	}
	return dir
}

// Env is the environment for go commands and kafkalint in a scratch module.
func Env() []string {
	return append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
}

// Run runs the binary in dir and returns its combined output and exit code.
func Run(t testing.TB, bin, dir string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = Env()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), code
}

// Reports returns the report lines of kafkalint's text output (not the
// indented related lines).
func Reports(out string) []string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if l != "" && !strings.HasPrefix(l, "\t") && strings.Count(l, ":") >= 3 {
			lines = append(lines, l)
		}
	}
	return lines
}

// Expect checks one run's output for a version of a module: with want nil,
// no report at all (exit 0); otherwise findings (exit 3) and a report
// matching want. It reports whether the run had findings to look into
// further (false also when the test has already failed).
func Expect(t testing.TB, what, out string, code int, want *regexp.Regexp) bool {
	t.Helper()
	if want == nil {
		if code != 0 || strings.TrimSpace(out) != "" {
			t.Fatalf("%s: want no reports (exit 0), got exit %d:\n%s", what, code, out)
		}
		return false
	}
	if code != 3 {
		t.Fatalf("%s: want exit 3 (findings), got %d:\n%s", what, code, out)
	}
	if !want.MatchString(out) {
		t.Fatalf("%s: no report matching %s in:\n%s", what, want, out)
	}
	return true
}
