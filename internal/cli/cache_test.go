package cli_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestResultCache: a repeat run on unchanged code replays the stored
// output; a changed file, a changed flag, or -cache=false runs afresh.
func TestResultCache(t *testing.T) {
	bugtool, _ := binaries(t)
	mod := t.TempDir()
	for name, text := range map[string]string{
		"go.mod":   "module example.com/cached\n\ngo 1.26\n",
		"p/p.go":   "package p\n\nfunc bug() {}\n\nfunc F() {\n\tbug()\n}\n",
		"q/q.go":   "package q\n\nfunc G() {}\n",
		"p/doc.go": "// Package p has one finding.\npackage p\n",
	} {
		path := filepath.Join(mod, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cache := t.TempDir()
	runIn := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(bugtool, args...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=", "XDG_CACHE_HOME="+cache, "KAFKALINT_CACHE=")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		cmd.Run()
		return out.String(), cmd.ProcessState.ExitCode()
	}
	entries := func() int {
		n := 0
		filepath.Walk(filepath.Join(cache, "kafkalint"), func(_ string, info os.FileInfo, _ error) error {
			if info != nil && info.Mode().IsRegular() {
				n++
			}
			return nil
		})
		return n
	}

	first, code := runIn("./...")
	if code != 3 || first == "" {
		t.Fatalf("first run: exit %d, output %q; want exit 3 with a finding", code, first)
	}
	if entries() != 1 {
		t.Fatalf("want 1 cache entry after the first run, got %d", entries())
	}
	again, code2 := runIn("./...")
	if again != first || code2 != code {
		t.Fatalf("repeat run differs:\n%s\nvs\n%s", again, first)
	}
	if entries() != 1 {
		t.Fatalf("a repeat run stored a new entry: %d", entries())
	}

	// Another flag: another key.
	runIn("-json", "./...")
	if entries() != 2 {
		t.Fatalf("-json did not get an entry of its own: %d entries", entries())
	}

	// A changed file: the stored output must not be replayed.
	if err := os.WriteFile(filepath.Join(mod, "q/q.go"), []byte("package q\n\nfunc bug() {}\n\nfunc G() {\n\tbug()\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	changed, _ := runIn("./...")
	if changed == first {
		t.Fatalf("output after editing q/q.go is the cached one:\n%s", changed)
	}

	// -cache=false neither reads nor writes.
	before := entries()
	runIn("-cache=false", "-test=false", "./...")
	if entries() != before {
		t.Fatalf("-cache=false wrote a cache entry")
	}
}
