package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/build"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
)

// The result cache makes a repeat run on unchanged code near-instant, as
// staticcheck's cache and go vet's build cache do. A run's whole output
// (stdout, stderr, exit code) is stored under a key that covers everything
// the output depends on:
//
//   - the kafkalint binary itself (its content hash: analyzers and flags'
//     meaning change with it);
//   - the command line (flags, patterns) and the working directory;
//   - the Go version and the build environment (GOOS, GOARCH, GOFLAGS,
//     CGO_ENABLED, GOEXPERIMENT, ...);
//   - every package the run would load (roots and dependencies, with test
//     variants under -test) and the content of their Go, cgo and embedded
//     files. Standard library files are covered by the Go version and
//     GOROOT instead of being hashed.
//
// Computing the key needs `go list` (package file lists, no parsing or type
// checking), a fraction of a full run. Only runs that completed (exit 0 or
// 3) are stored. -cache=false, or KAFKALINT_CACHE=off, disables it; runs
// with side effects (-cpuprofile, -memprofile, -debug, -lockgraph-out) never
// use it. The cache lives in $XDG_CACHE_HOME/kafkalint (os.UserCacheDir).

// cachedRun is what a cache entry holds.
type cachedRun struct {
	Stdout []byte
	Stderr []byte
	Code   int
}

// cacheKey computes the key of a run, or "" when the run cannot be cached.
func cacheKey(args []string, tests bool) string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	h := sha256.New()
	if err := hashFile(h, exe); err != nil {
		return ""
	}
	cwd, _ := os.Getwd()
	fmt.Fprintf(h, "\x00args %q\x00cwd %s\x00go %s %s\x00", args, cwd, runtime.Version(), build.Default.GOROOT)
	for _, v := range []string{"GOOS", "GOARCH", "GOFLAGS", "CGO_ENABLED", "GOEXPERIMENT", "GOPATH", "GOWORK", "GO111MODULE", "GOROOT", "CC", "CGO_CFLAGS"} {
		fmt.Fprintf(h, "%s=%s\x00", v, os.Getenv(v))
	}
	cfg := &packages.Config{
		Mode:  packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps | packages.NeedEmbedFiles | packages.NeedModule,
		Tests: tests,
	}
	patterns := patternsOf(args)
	if len(patterns) == 0 {
		return ""
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return ""
	}
	var all []*packages.Package
	failed := false
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		all = append(all, p)
		failed = failed || len(p.Errors) > 0
	})
	if failed {
		return "" // broken packages: let the real run say why
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	goroot := filepath.Join(build.Default.GOROOT, "src") + string(filepath.Separator)
	for _, p := range all {
		fmt.Fprintf(h, "pkg %s\x00", p.ID)
		files := append(append(append([]string(nil), p.GoFiles...), p.OtherFiles...), p.EmbedFiles...)
		sort.Strings(files)
		for _, f := range files {
			if strings.HasPrefix(f, goroot) {
				fmt.Fprintf(h, "std %s\x00", f)
				continue
			}
			fmt.Fprintf(h, "file %s\x00", f)
			if err := hashFile(h, f); err != nil {
				return ""
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// patternsOf returns the non-flag arguments (the package patterns).
func patternsOf(args []string) []string {
	var out []string
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			out = append(out, a)
		}
	}
	return out
}

func hashFile(w io.Writer, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

func cacheDir() string {
	if os.Getenv("KAFKALINT_CACHE") == "off" {
		return ""
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "kafkalint", "results-v1")
}

func loadCached(key string) (*cachedRun, bool) {
	dir := cacheDir()
	if dir == "" || key == "" {
		return nil, false
	}
	data, err := os.ReadFile(filepath.Join(dir, key[:2], key))
	if err != nil {
		return nil, false
	}
	var r cachedRun
	if json.Unmarshal(data, &r) != nil {
		return nil, false
	}
	return &r, true
}

func storeCached(key string, r *cachedRun) {
	dir := cacheDir()
	if dir == "" || key == "" {
		return
	}
	data, err := json.Marshal(r)
	if err != nil {
		return
	}
	sub := filepath.Join(dir, key[:2])
	if os.MkdirAll(sub, 0o755) != nil {
		return
	}
	// Write then rename: concurrent runs never read a partial entry.
	tmp, err := os.CreateTemp(sub, key+".tmp*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return
	}
	if os.Rename(tmp.Name(), filepath.Join(sub, key)) != nil {
		os.Remove(tmp.Name())
	}
}

// cachedMain runs run through the result cache.
func cachedMain(key string, stdout, stderr io.Writer, run func(stdout, stderr io.Writer) int) int {
	if r, ok := loadCached(key); ok {
		stdout.Write(r.Stdout)
		stderr.Write(r.Stderr)
		return r.Code
	}
	var out, errb bytes.Buffer
	code := run(io.MultiWriter(stdout, &out), io.MultiWriter(stderr, &errb))
	if code == ExitClean || code == ExitFindings {
		storeCached(key, &cachedRun{Stdout: out.Bytes(), Stderr: errb.Bytes(), Code: code})
	}
	return code
}
