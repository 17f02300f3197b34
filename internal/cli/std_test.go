package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestStdFactsNotNeeded: the CLI imports the standard library from export
// data and never runs the analyzers over it. That loses nothing only if no
// analyzer would have exported a fact about a std package: what std does
// with user code (sync.Once.Do, sort.Slice, fmt's String, time.AfterFunc,
// context.AfterFunc, http handlers) and with locks and waits is answered by
// the models' tables. With KAFKALINT_ANALYZE_STD=on the fact-exporting
// analyzers run over every std package too; this test fails if any of
// them exports a fact there, or if the findings differ.
func TestStdFactsNotNeeded(t *testing.T) {
	_, kafkalint := binaries(t)
	files := map[string]string{"go.mod": "module example.com/stdcalls\n\ngo 1.26\n"}
	for _, name := range []string{"a.go", "b.go"} {
		data, err := os.ReadFile(filepath.Join("testdata", "stdcalls", name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(data)
	}
	m := newCacheModule(t, files)

	plain, code := m.run([]string{"KAFKALINT_CACHE=off"}, kafkalint, "./...")
	if code != 3 {
		t.Fatalf("exit %d, want 3:\n%s", code, plain)
	}
	// The findings that go through std's calls of user code.
	for _, want := range []string{
		"(run by sort.Slice) again while already locked",
		"(run by sync.Once.Do) again while already locked",
		"(run by fmt.Println) again while already locked",
		"(wg-add-in-goroutine)",
	} {
		if !strings.Contains(plain, want) {
			t.Errorf("missing finding %q:\n%s", want, plain)
		}
	}

	withStd, code := m.run([]string{"KAFKALINT_CACHE=off", "KAFKALINT_ANALYZE_STD=on"}, kafkalint, "-debug", "./...")
	if code != 3 {
		t.Fatalf("std analysed: exit %d, want 3:\n%s", code, withStd)
	}
	var findings []string
	for _, line := range strings.SplitAfter(withStd, "\n") {
		if !strings.HasPrefix(line, "kafkalint: ") {
			findings = append(findings, line)
		}
	}
	if got := strings.Join(findings, ""); got != plain {
		t.Errorf("findings differ with std analysed:\n%s\nvs\n%s", got, plain)
	}
	sm := regexp.MustCompile(`kafkalint: std analysed: (\d+) packages, (\d+) with facts (.*)`).FindStringSubmatch(withStd)
	if sm == nil {
		t.Fatalf("no std line in -debug output:\n%s", withStd)
	}
	if n, _ := strconv.Atoi(sm[1]); n < 20 {
		t.Errorf("only %d std packages analysed; want the closure of sync, fmt, net/http (dozens)", n)
	}
	if sm[2] != "0" {
		t.Errorf("analyzers exported facts about std packages %s: the CLI, which does not analyse std, would miss them", sm[3])
	}
}
