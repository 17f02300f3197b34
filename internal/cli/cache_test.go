package cli_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// cacheModule is a scratch module and a cache directory of its own for the
// per-package cache tests.
type cacheModule struct {
	t       *testing.T
	dir     string
	cache   string // XDG_CACHE_HOME
	gocache string
}

func newCacheModule(t *testing.T, files map[string]string) *cacheModule {
	t.Helper()
	gocache, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	m := &cacheModule{t: t, dir: t.TempDir(), cache: t.TempDir(), gocache: strings.TrimSpace(string(gocache))}
	for name, text := range files {
		m.write(name, text)
	}
	return m
}

func (m *cacheModule) write(name, text string) {
	m.t.Helper()
	path := filepath.Join(m.dir, name)
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		m.t.Fatal(err)
	}
}

// run runs a binary in the module with the module's cache; env adds to
// the environment.
func (m *cacheModule) run(env []string, bin string, args ...string) (string, int) {
	m.t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = m.dir
	// GOCACHE stays the usual one: XDG_CACHE_HOME would move it too, and
	// the standard library's export data would be rebuilt.
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=", "XDG_CACHE_HOME="+m.cache, "GOCACHE="+m.gocache, "KAFKALINT_CACHE=")
	cmd.Env = append(cmd.Env, env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Run()
	return out.String(), cmd.ProcessState.ExitCode()
}

// entries returns the per-package cache's entry files.
func (m *cacheModule) entries() []string { return m.files("pkg-v1") }

// listEntries returns the list cache's entry files.
func (m *cacheModule) listEntries() []string { return m.files("list-v1") }

func (m *cacheModule) files(sub string) []string {
	var names []string
	filepath.Walk(filepath.Join(m.cache, "kafkalint", sub), func(name string, info os.FileInfo, _ error) error {
		if info != nil && info.Mode().IsRegular() && filepath.Base(name) != "trimmed" {
			names = append(names, name)
		}
		return nil
	})
	return names
}

// bugModule: three packages, a cross-package finding (the callsBug fact of
// lib reaches app through the cache) and a clean package.
var bugModule = map[string]string{
	"go.mod":     "module example.com/cached\n\ngo 1.26\n",
	"lib/lib.go": "package lib\n\nfunc bug() {}\n\n// Helper calls bug.\nfunc Helper() {\n\tbug()\n}\n",
	"app/app.go": "package app\n\nimport \"example.com/cached/lib\"\n\nfunc F() {\n\tlib.Helper()\n}\n",
	"q/q.go":     "package q\n\nfunc G() {}\n",
}

// TestResultCache: a repeat run on unchanged code reads every package from
// the cache and prints the same bytes; a changed file is analysed again,
// and so are its importers; -cache=false and KAFKALINT_CACHE=off neither
// read nor write.
func TestResultCache(t *testing.T) {
	bugtool, _ := binaries(t)
	m := newCacheModule(t, bugModule)

	off, offCode := m.run(nil, bugtool, "-cache=false", "./...")
	if len(m.entries()) != 0 {
		t.Fatalf("-cache=false wrote %d cache entries", len(m.entries()))
	}
	m.run([]string{"KAFKALINT_CACHE=off"}, bugtool, "./...")
	if len(m.entries()) != 0 {
		t.Fatalf("KAFKALINT_CACHE=off wrote %d cache entries", len(m.entries()))
	}
	if offCode != 3 || !strings.Contains(off, "which calls bug") {
		t.Fatalf("cache off: exit %d, output %q; want exit 3 with the cross-package finding", offCode, off)
	}

	cold, code := m.run(nil, bugtool, "./...")
	if cold != off || code != offCode {
		t.Fatalf("cold cache run differs from -cache=false:\n%s\nvs\n%s", cold, off)
	}
	n := len(m.entries())
	if n != 3 {
		t.Fatalf("want one cache entry per package (3), got %d", n)
	}
	warm, code := m.run(nil, bugtool, "./...")
	if warm != off || code != offCode {
		t.Fatalf("warm run differs:\n%s\nvs\n%s", warm, off)
	}
	if len(m.entries()) != n {
		t.Fatalf("a repeat run stored new entries: %d, was %d", len(m.entries()), n)
	}
	debug, _ := m.run(nil, bugtool, "-debug", "./...")
	if !strings.Contains(debug, "3 hits, 0 misses") {
		t.Errorf("warm -debug run: want 3 hits, 0 misses:\n%s", debug)
	}
	// The output format is not part of a package's results.
	m.run(nil, bugtool, "-json", "./...")
	if len(m.entries()) != n {
		t.Fatalf("-json stored entries of its own: %d, was %d", len(m.entries()), n)
	}

	// lib changes (its fact goes): lib and its importer app are redone, q
	// is not, and the finding in app goes away.
	m.write("lib/lib.go", "package lib\n\nfunc bug() {}\n\n// Helper calls nothing.\nfunc Helper() {\n}\n\nfunc H() { bug() }\n")
	debug, _ = m.run(nil, bugtool, "-debug", "./...")
	if !strings.Contains(debug, "1 hits, 2 misses") {
		t.Errorf("after editing lib: want q from the cache and lib, app redone (1 hits, 2 misses):\n%s", debug)
	}
	changed, _ := m.run(nil, bugtool, "./...")
	if strings.Contains(changed, "which calls bug") {
		t.Errorf("after lib stopped calling bug, app's cached finding was replayed:\n%s", changed)
	}
	if off2, _ := m.run(nil, bugtool, "-cache=false", "./..."); changed != off2 {
		t.Errorf("after the edit, cached output differs from -cache=false:\n%s\nvs\n%s", changed, off2)
	}
}

// TestCacheKeyFlagFile: the content of a file named by an analyzer flag
// (-commiterr.api) is part of the key: after the file changes, the stored
// result must not be replayed.
func TestCacheKeyFlagFile(t *testing.T) {
	_, kafkalint := binaries(t)
	m := newCacheModule(t, map[string]string{
		"go.mod": "module example.com/wrapped\n\ngo 1.26\n",
		"kafkautil/kafkautil.go": `package kafkautil

import "errors"

type Committer struct{}

func (c *Committer) Commit() error { return errors.New("rebalanced") }
`,
		"app/app.go": `package app

import "example.com/wrapped/kafkautil"

func dropped(c *kafkautil.Committer) {
	c.Commit()
}
`,
		"team.api": "# no wrappers yet\n",
	})
	api := filepath.Join(m.dir, "team.api")
	out, code := m.run(nil, kafkalint, "-commiterr.api="+api, "./...")
	if code != 0 {
		t.Fatalf("without the wrapper in the table: exit %d, want 0:\n%s", code, out)
	}
	m.write("team.api", "commit team (*example.com/wrapped/kafkautil.Committer).Commit error=result\n")
	out, code = m.run(nil, kafkalint, "-commiterr.api="+api, "./...")
	if code != 3 || !strings.Contains(out, "commit-error-dropped") {
		t.Fatalf("after adding the wrapper to %s: exit %d, want 3 with commit-error-dropped (stale cache replayed?):\n%s", api, code, out)
	}
}

// corruptions turn a cache file into one that must not verify: "null",
// empty, truncated, its last byte flipped.
var corruptions = []func([]byte) []byte{
	func([]byte) []byte { return []byte("null") },
	func([]byte) []byte { return nil },
	func(b []byte) []byte { return b[:len(b)/2] },
	func(b []byte) []byte {
		b = bytes.Clone(b)
		b[len(b)-1] ^= 0xff
		return b
	},
}

// TestCacheCorruptEntries: entries that do not verify — "null", garbage,
// truncated — are ignored, recomputed and overwritten; the output is that
// of a run without the cache.
func TestCacheCorruptEntries(t *testing.T) {
	bugtool, _ := binaries(t)
	m := newCacheModule(t, bugModule)
	want, wantCode := m.run(nil, bugtool, "-cache=false", "./...")
	m.run(nil, bugtool, "./...")
	for _, corrupt := range corruptions {
		entries := m.entries()
		if len(entries) != 3 {
			t.Fatalf("want 3 entries, got %d: %v", len(entries), entries)
		}
		for _, e := range entries {
			data, err := os.ReadFile(e)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(e, corrupt(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, code := m.run(nil, bugtool, "./...")
		if got != want || code != wantCode {
			t.Fatalf("with corrupt entries: exit %d\n%s\nwant exit %d\n%s", code, got, wantCode, want)
		}
		debug, _ := m.run(nil, bugtool, "-debug", "./...")
		if !strings.Contains(debug, "3 hits, 0 misses") {
			t.Fatalf("corrupt entries were not rewritten:\n%s", debug)
		}
	}
}

// TestCacheConcurrentRuns: runs sharing one cache at once, with different
// parallelism, all print what a run without the cache prints, and a
// later run reads what they stored.
func TestCacheConcurrentRuns(t *testing.T) {
	bugtool, _ := binaries(t)
	m := newCacheModule(t, bugModule)
	for i := 0; i < 6; i++ {
		m.write(fmt.Sprintf("p%d/p.go", i), fmt.Sprintf("package p%d\n\nimport \"example.com/cached/app\"\n\nfunc bug() {}\n\nfunc F() {\n\tapp.F()\n\tbug()\n}\n", i))
	}
	want, wantCode := m.run(nil, bugtool, "-cache=false", "./...")
	type res struct {
		out  string
		code int
	}
	results := make([]res, 4)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			out, code := m.run([]string{fmt.Sprintf("GOMAXPROCS=%d", 1+i%3)}, bugtool, "./...")
			results[i] = res{out, code}
		}(i)
	}
	wg.Wait()
	for i, r := range results {
		if r.out != want || r.code != wantCode {
			t.Errorf("concurrent run %d: exit %d\n%s\nwant exit %d\n%s", i, r.code, r.out, wantCode, want)
		}
	}
	for _, procs := range []string{"GOMAXPROCS=1", "GOMAXPROCS=4"} {
		got, code := m.run([]string{procs}, bugtool, "-debug", "./...")
		if !strings.Contains(got, "9 hits, 0 misses") {
			t.Errorf("%s after the concurrent runs: want every package from the cache:\n%s", procs, got)
		}
		if got, code2 := m.run([]string{procs}, bugtool, "./..."); got != want || code2 != wantCode {
			t.Errorf("%s warm: exit %d (%d)\n%s\nwant\n%s", procs, code2, code, got, want)
		}
	}
}

// TestCacheNoFactsEntry: a package analysed where nothing imports it keeps
// no facts in its entry; a later run in which another package imports it
// analyses it again for them (the cross-package finding appears, as
// without the cache), and the entry it stores then serves both kinds of
// run.
func TestCacheNoFactsEntry(t *testing.T) {
	bugtool, _ := binaries(t)
	m := newCacheModule(t, bugModule)
	want, wantCode := m.run(nil, bugtool, "-cache=false", "./...")
	m.run(nil, bugtool, "./lib") // lib alone: no importer, no facts kept
	debug, _ := m.run(nil, bugtool, "-debug", "./...")
	if !strings.Contains(debug, "0 hits, 3 misses") {
		t.Errorf("./... after ./lib: want lib redone for its facts (0 hits, 3 misses):\n%s", debug)
	}
	for _, patterns := range [][]string{{"./..."}, {"./lib"}, {"./app"}} {
		got, code := m.run(nil, bugtool, patterns...)
		wantOut, wantC := want, wantCode
		if patterns[0] != "./..." {
			wantOut, wantC = m.run(nil, bugtool, append([]string{"-cache=false"}, patterns...)...)
		}
		if got != wantOut || code != wantC {
			t.Errorf("%v: exit %d\n%s\nwant exit %d\n%s", patterns, code, got, wantC, wantOut)
		}
	}
	if debug, _ := m.run(nil, bugtool, "-debug", "./..."); !strings.Contains(debug, "3 hits, 0 misses") {
		t.Errorf("warm ./...: want every package from the cache:\n%s", debug)
	}
	if !strings.Contains(want, "which calls bug") {
		t.Fatalf("-cache=false ./... lacks the cross-package finding:\n%s", want)
	}
}
