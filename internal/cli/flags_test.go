package cli_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/suite"
)

// TestFlagsAfterPatterns: kafkalint ./... -json takes -json as a flag, as
// go vet does, not as a package pattern; after "--" everything is a pattern.
func TestFlagsAfterPatterns(t *testing.T) {
	bugtool, _ := binaries(t)
	before := run(t, bugtool, "-test=false", "-json", "./finding")
	after := run(t, bugtool, "./finding", "-json", "-test=false")
	wantCode(t, after, 3)
	if after.stdout != before.stdout || after.stderr != "" {
		t.Errorf("flags after the pattern: got\n%s%s\nwant\n%s", after.stdout, after.stderr, before.stdout)
	}
	res := run(t, bugtool, "./clean", "--", "-json")
	wantCode(t, res, 1)
	if !strings.Contains(res.stderr, `"-json"`) {
		t.Errorf("after --, -json must be a pattern:\n%s", res.stderr)
	}
}

// TestVersion: -version prints the module version and, for a build from a
// checkout with VCS stamping, the revision.
func TestVersion(t *testing.T) {
	_, kafkalint := binaries(t)
	res := run(t, kafkalint, "-version")
	wantCode(t, res, 0)
	if !strings.HasPrefix(res.stdout, "kafkalint ") || !strings.Contains(res.stdout, "built with go1.") {
		t.Errorf("-version: %q", res.stdout)
	}
}

// TestHelpListsEveryCheck: kafkalint help names every check of the
// registry, the reporting layer's own (unused-ignore) included.
func TestHelpListsEveryCheck(t *testing.T) {
	_, kafkalint := binaries(t)
	res := run(t, kafkalint, "help")
	wantCode(t, res, 0)
	names := []string{report.CategoryUnusedIgnore, report.CategoryIgnoreSyntax}
	for _, a := range suite.Analyzers() {
		names = append(names, a.Name)
		for _, c := range report.ChecksOf(a.Name) {
			names = append(names, c.Name)
		}
	}
	for _, name := range names {
		if !strings.Contains(res.stdout, "  "+name+" ") {
			t.Errorf("kafkalint help does not list %s:\n%s", name, res.stdout)
		}
	}
}

// TestGoCommandError: when the go command itself fails, the error says so
// in its own words, without go/packages' "err: exit status 1: stderr:".
func TestGoCommandError(t *testing.T) {
	bugtool, _ := binaries(t)
	cmd := exec.Command(bugtool, "-cache=false", "./clean")
	cmd.Dir = filepath.Join("..", "..", "testdata", "cli")
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=bogus")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Run()
	if got := stderr.String(); !strings.HasPrefix(got, "kafkalint: the go command failed: -mod=bogus not supported") {
		t.Errorf("stderr: %q", got)
	}
}
