package cli_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestREADMESuppression: the README's suppression example, put where it
// says in the example module, suppresses the lock-cycle report the README
// shows (a suppression has to sit where the report lands).
func TestREADMESuppression(t *testing.T) {
	_, kafkalint := binaries(t)
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)```go\n(.*?//kafkalint:ignore lock-cycle.*?)```").FindSubmatch(readme)
	if block == nil {
		t.Fatal("README has no ```go block with a //kafkalint:ignore lock-cycle suppression")
	}
	// The suppression is a comment line above the code it suppresses, or a
	// comment at the end of that line.
	var ignore, code string
	above := false
	lines := strings.Split(string(block[1]), "\n")
	for i, l := range lines {
		before, comment, ok := strings.Cut(l, "//kafkalint:ignore")
		if !ok {
			continue
		}
		ignore, code = "//kafkalint:ignore"+comment, strings.TrimSpace(before)
		if code == "" && i+1 < len(lines) {
			code, above = strings.TrimSpace(lines[i+1]), true
		}
	}
	if code == "" {
		t.Fatalf("README's suppression example shows no code to suppress:\n%s", block[1])
	}
	mod := t.TempDir()
	if out, err := exec.Command("cp", "-r", filepath.Join("..", "..", "examples")+"/.", mod).CombinedOutput(); err != nil {
		t.Fatalf("copying examples: %v\n%s", err, out)
	}
	const reported = "consumer/consumer.go:45:32: lock order inversion"
	lint := func() string {
		t.Helper()
		cmd := exec.Command(kafkalint, "-cache=false", "./...")
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
		out, _ := cmd.Output()
		return string(out)
	}
	if out := lint(); !strings.Contains(out, reported) {
		t.Fatalf("the example module no longer reports what the README shows (%s):\n%s", reported, out)
	}
	src := filepath.Join(mod, "consumer", "consumer.go")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var edited []string
	placed := false
	for _, l := range strings.Split(string(data), "\n") {
		if !placed && strings.HasPrefix(strings.TrimSpace(l), code) {
			placed = true
			if !above {
				edited = append(edited, l+" "+ignore)
				continue
			}
			indent := l[:len(l)-len(strings.TrimLeft(l, "\t "))]
			edited = append(edited, indent+ignore)
		}
		edited = append(edited, l)
	}
	if !placed {
		t.Fatalf("the README's suppressed code %q is not in examples/consumer/consumer.go", code)
	}
	if err := os.WriteFile(src, []byte(strings.Join(edited, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	out := lint()
	if !strings.Contains(out, "(lock-leak)") {
		t.Fatalf("the edited example module reports nothing else: did the edit break it?\n%s", out)
	}
	if strings.Contains(out, "lock order inversion") {
		t.Errorf("the README's suppression, placed as it shows, does not suppress the report:\n%s", out)
	}
}

// TestExampleMarkedLines: kafkalint reports exactly the example module's
// lines marked "kafkalint reports here" — what `examples/run.sh -check`
// checks in .ci/run, here so that `go test ./...` catches a check that
// starts reporting (or stops reporting) on the README's example.
func TestExampleMarkedLines(t *testing.T) {
	_, kafkalint := binaries(t)
	root := filepath.Join("..", "..", "examples")
	var want []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		for i, l := range strings.Split(string(data), "\n") {
			if strings.Contains(l, "kafkalint reports here") {
				want = append(want, fmt.Sprintf("%s:%d", filepath.ToSlash(rel), i+1))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("no line of examples/ is marked \"kafkalint reports here\"")
	}
	cmd := exec.Command(kafkalint, "-cache=false", "./...")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	out, _ := cmd.Output()
	var got []string
	for _, l := range strings.Split(string(out), "\n") {
		if m := regexp.MustCompile(`^(\S+\.go:\d+):\d+: `).FindStringSubmatch(l); m != nil {
			got = append(got, m[1])
		}
	}
	sort.Strings(want)
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Errorf("kafkalint on examples/ reports at\n\t%s\nbut the lines marked \"kafkalint reports here\" are\n\t%s\noutput:\n%s",
			strings.Join(got, "\n\t"), strings.Join(want, "\n\t"), out)
	}
}
