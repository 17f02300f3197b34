package cli_test

import (
	"os"
	"strings"
	"testing"
)

// listHit runs bugtool -debug and says whether the listing came from the
// list cache.
func (m *cacheModule) listHit(bin string, args ...string) bool {
	m.t.Helper()
	out, _ := m.run(nil, bin, append([]string{"-debug"}, args...)...)
	switch {
	case strings.Contains(out, ": hit true"):
		return true
	case strings.Contains(out, ": hit false"):
		return false
	}
	m.t.Fatalf("-debug says nothing of the list cache:\n%s", out)
	return false
}

// TestListCache: go list's answer is reused while what go list reads is
// unchanged — an edit in a function body, a comment after the package
// clause — and asked again when a file's imports, build constraints or
// package clause change, or a package appears under ./...; every run
// prints what a run without the cache prints.
func TestListCache(t *testing.T) {
	bugtool, _ := binaries(t)
	m := newCacheModule(t, bugModule)
	same := func(step string) {
		t.Helper()
		got, code := m.run(nil, bugtool, "./...")
		want, wantCode := m.run(nil, bugtool, "-cache=false", "./...")
		if got != want || code != wantCode {
			t.Errorf("%s: exit %d\n%s\nwant (cache off) exit %d\n%s", step, code, got, wantCode, want)
		}
	}
	for _, step := range []struct {
		name     string
		edit     func()
		wantHit  bool
		wantText string // in the output after the step
	}{
		{"first run", func() {}, false, "lib.Helper"},
		{"repeat", func() {}, true, "lib.Helper"},
		{"body edit", func() {
			m.write("q/q.go", "package q\n\nfunc bug() {}\n\nfunc G() { bug() }\n")
		}, true, "q/q.go"},
		{"comment after the package clause", func() {
			m.write("q/q.go", "package q\n\n// a comment\n\nfunc bug() {}\n\nfunc G() { bug() }\n")
		}, true, "q/q.go"},
		{"new import", func() {
			m.write("q/q.go", "package q\n\nimport \"example.com/cached/lib\"\n\nfunc G() { lib.Helper() }\n")
		}, false, "q/q.go"},
		{"new package under ./...", func() {
			m.write("r/deep/r.go", "package r\n\nfunc bug() {}\n\nfunc R() { bug() }\n")
		}, false, "r/deep/r.go"},
		{"build constraint", func() {
			m.write("r/deep/r.go", "//go:build ignore\n\npackage r\n\nfunc bug() {}\n\nfunc R() { bug() }\n")
		}, false, ""},
		{"package removed", func() {
			os.RemoveAll(m.dir + "/r")
		}, false, ""},
	} {
		step.edit()
		if hit := m.listHit(bugtool, "./..."); hit != step.wantHit {
			t.Errorf("%s: list cache hit %v, want %v", step.name, hit, step.wantHit)
		}
		same(step.name)
		out, _ := m.run(nil, bugtool, "./...")
		if step.wantText != "" && !strings.Contains(out, step.wantText) {
			t.Errorf("%s: want %q in the output:\n%s", step.name, step.wantText, out)
		}
		if step.name == "build constraint" && strings.Contains(out, "r/deep") {
			t.Errorf("%s: the ignored file was analysed:\n%s", step.name, out)
		}
	}
	if n := len(m.listEntries()); n != 1 {
		t.Errorf("want one list entry (one key: same patterns, go.mod, environment), got %d", n)
	}
	// Another pattern is another key.
	if m.listHit(bugtool, "./lib"); len(m.listEntries()) != 2 {
		t.Errorf("after a run on ./lib: want 2 list entries, got %d", len(m.listEntries()))
	}
	if !m.listHit(bugtool, "./lib") {
		t.Errorf("./lib again: want a list cache hit")
	}
	// go.mod is part of the key.
	m.write("go.mod", "module example.com/cached\n\ngo 1.25\n")
	if m.listHit(bugtool, "./...") {
		t.Errorf("after go.mod changed: want a miss")
	}
	same("go.mod changed")
}

// TestListCacheCorrupt: a list entry that does not verify is ignored and
// rewritten; the output is that of a run without the cache.
func TestListCacheCorrupt(t *testing.T) {
	bugtool, _ := binaries(t)
	m := newCacheModule(t, bugModule)
	want, wantCode := m.run(nil, bugtool, "-cache=false", "./...")
	m.run(nil, bugtool, "./...")
	for i, corrupt := range corruptions {
		entries := m.listEntries()
		if len(entries) != 1 {
			t.Fatalf("want 1 list entry, got %d: %v", len(entries), entries)
		}
		data, err := os.ReadFile(entries[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(entries[0], corrupt(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if m.listHit(bugtool, "./...") {
			t.Fatalf("corruption %d: the corrupt entry was used", i)
		}
		if got, code := m.run(nil, bugtool, "./..."); got != want || code != wantCode {
			t.Fatalf("corruption %d: exit %d\n%s\nwant exit %d\n%s", i, code, got, wantCode, want)
		}
		if !m.listHit(bugtool, "./...") {
			t.Fatalf("corruption %d: the entry was not rewritten", i)
		}
	}
}
