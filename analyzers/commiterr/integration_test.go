package commiterr_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestIntegration builds the kafkalint binary and runs it over the nested
// module testdata/integration/commiterr, whose programs use the real, pinned
// client modules (confluent through cgo). The findings must be exactly the
// `// expect: CATEGORY[,CATEGORY]` comments of the sources: this is what
// proves the stubs under testdata/src match the real APIs. Files named
// negative*.go must have none. The first run needs the module proxy.
func TestIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("builds kafkalint and loads the real Kafka clients; skipped with -short")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "kafkalint")
	build := exec.Command(goTool, "build", "-o", bin, "./cmd/kafkalint")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/kafkalint: %v\n%s", err, out)
	}

	dir := filepath.Join(root, "testdata", "integration", "commiterr")
	want, negatives := expectations(t, dir)

	cmd := exec.Command(bin, "-commiterr", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1", "GOWORK=off", "GOFLAGS=-mod=readonly")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("kafkalint -commiterr ./... = %v, want exit status 3 (diagnostics found)\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}

	got := findings(t, stdout.String())
	for _, key := range sortedKeys(want) {
		if !slices.Equal(got[key], want[key]) {
			t.Errorf("%s: got %v, want %v", key, got[key], want[key])
		}
	}
	for _, key := range sortedKeys(got) {
		if _, ok := want[key]; !ok {
			t.Errorf("%s: unexpected %v", key, got[key])
		}
		file := key[:strings.LastIndex(key, ":")]
		if negatives[file] {
			t.Errorf("%s: finding in a negative file: %v", key, got[key])
		}
	}
	if t.Failed() {
		t.Logf("kafkalint output:\n%s%s", stdout.String(), stderr.String())
	}
	if len(want) < 20 {
		t.Errorf("only %d expectations found; the integration programs lost their // expect: comments?", len(want))
	}
}

var expectComment = regexp.MustCompile(`// expect: ([a-z,-]+)\s*$`)

// expectations reads the `// expect:` comments of the module's Go files,
// keyed "dir/file.go:line", and the set of negative*.go files.
func expectations(t *testing.T, dir string) (map[string][]string, map[string]bool) {
	want := map[string][]string{}
	negatives := map[string]bool{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(filepath.Base(path), "negative") {
			negatives[rel] = true
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for line := 1; sc.Scan(); line++ {
			if m := expectComment.FindStringSubmatch(sc.Text()); m != nil {
				cats := strings.Split(m[1], ",")
				slices.Sort(cats)
				want[fmt.Sprintf("%s:%d", rel, line)] = cats
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return want, negatives
}

var diagLine = regexp.MustCompile(`^(\S+\.go):(\d+):\d+: .* \(([a-z-]+)\)$`)

// findings parses kafkalint's text output into categories keyed
// "dir/file.go:line" (related lines, indented, are skipped).
func findings(t *testing.T, out string) map[string][]string {
	got := map[string][]string{}
	for _, line := range strings.Split(out, "\n") {
		if line == "" || strings.HasPrefix(line, "\t") {
			continue
		}
		m := diagLine.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("unparsed output line: %q", line)
			continue
		}
		key := filepath.ToSlash(m[1]) + ":" + m[2]
		got[key] = append(got[key], m[3])
		slices.Sort(got[key])
	}
	return got
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
