package cli

// The per-package cache keeps each package's analysis results between runs
// (the unit driver, unit.go, decides what to store), as staticcheck's and
// gopls's caches do:
//
//   - an entry holds the package's export data, its facts and, for a
//     package named on the command line, its findings;
//   - its key covers everything those depend on: the kafkalint binary (its
//     content hash), the Go version and build environment, the analyzers
//     that ran and every analyzer flag's value — and the content of any file
//     a flag value names, such as -commiterr.api=FILE —, whether the package
//     was a root (roots are parsed with comments), the package's identity
//     and the content of all its files, and for each import its export data
//     hash and the hash of its facts and its dependencies' facts;
//   - entries are written to a temporary file and renamed, so concurrent
//     runs never read a partial entry; each starts with a checksum and
//     repeats its key, and one that does not verify (corrupt, truncated,
//     foreign, "null") is ignored, recomputed and overwritten;
//   - the cache is trimmed at most once an hour: entries unused for
//     cacheMaxAge go, then the least recently used until it is under
//     cacheMaxBytes. A hit refreshes an entry's modification time (at most
//     hourly), which is the "last used" time trimming reads.
//
// -cache=false or KAFKALINT_CACHE=off turns it off. It lives in
// $XDG_CACHE_HOME/kafkalint/pkg-v1 (os.UserCacheDir).

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"flag"
	"fmt"
	"go/build"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/tools/go/analysis"
)

const (
	entryMagic    = "kafkalint-pkg-v1"
	cacheMaxAge   = 7 * 24 * time.Hour
	cacheMaxBytes = 2 << 30
	trimInterval  = time.Hour
)

// A pkgEntry is one package's stored results.
type pkgEntry struct {
	Magic  string
	Key    string
	Export []byte
	Facts  []byte
	// NoFacts: the package was analysed where nothing imported it, and
	// its facts were not kept; a run that imports it analyses it again.
	NoFacts bool
	Result  *rootResult // nil for a package that was not a root
}

type pkgCache struct {
	dir          string
	hits, misses atomic.Int64
}

// openPkgCache returns the cache, or nil when it is off or has no place.
func openPkgCache() *pkgCache {
	if os.Getenv("KAFKALINT_CACHE") == "off" {
		return nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return nil
	}
	return &pkgCache{dir: filepath.Join(dir, "kafkalint", "pkg-v1")}
}

func (c *pkgCache) path(key string) string { return filepath.Join(c.dir, key[:2], key) }

// load returns the entry stored under key, or nil when there is none or it
// does not verify. The caller counts the hit or miss (counted): an entry
// may yet not do (unitRunner.useEntry).
func (c *pkgCache) load(key string) *pkgEntry { return c.read(key) }

// counted counts a hit or a miss.
func (c *pkgCache) counted(hit bool) {
	if hit {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
}

func (c *pkgCache) read(key string) *pkgEntry {
	body := c.readBlob(key)
	if body == nil {
		return nil
	}
	var e pkgEntry
	if gob.NewDecoder(bytes.NewReader(body)).Decode(&e) != nil || e.Magic != entryMagic || e.Key != key {
		return nil
	}
	return &e
}

// readBlob returns the bytes stored under key: nil when there are none or
// they do not verify. A hit refreshes the file's "last used" time.
func (c *pkgCache) readBlob(key string) []byte {
	name := c.path(key)
	data, err := os.ReadFile(name)
	if err != nil || len(data) < sha256.Size {
		return nil
	}
	sum, body := data[:sha256.Size], data[sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil
	}
	if info, err := os.Stat(name); err == nil && time.Since(info.ModTime()) > trimInterval {
		now := time.Now()
		os.Chtimes(name, now, now)
	}
	return body
}

// store writes an entry: to a temporary file, renamed into place.
func (c *pkgCache) store(key string, e *pkgEntry) {
	e.Magic, e.Key = entryMagic, key
	var body bytes.Buffer
	if gob.NewEncoder(&body).Encode(e) != nil {
		return
	}
	c.storeBlob(key, body.Bytes())
}

// storeBlob writes body under key, after its checksum: to a temporary
// file, renamed into place, so concurrent runs never read a partial entry.
func (c *pkgCache) storeBlob(key string, body []byte) {
	sum := sha256.Sum256(body)
	sub := filepath.Dir(c.path(key))
	if os.MkdirAll(sub, 0o755) != nil {
		return
	}
	tmp, err := os.CreateTemp(sub, key+".tmp*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(sum[:])
	if werr == nil {
		_, werr = tmp.Write(body)
	}
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), c.path(key)) != nil {
		os.Remove(tmp.Name())
	}
}

// trim bounds the cache's size and age, at most once per trimInterval.
func (c *pkgCache) trim() {
	marker := filepath.Join(c.dir, "trimmed")
	if info, err := os.Stat(marker); err == nil && time.Since(info.ModTime()) < trimInterval {
		return
	}
	if os.MkdirAll(c.dir, 0o755) != nil || os.WriteFile(marker, nil, 0o644) != nil {
		return
	}
	c.trimTo(cacheMaxBytes, cacheMaxAge, time.Now())
}

// trimTo removes entries not used since now-maxAge, then the least recently
// used until the rest take at most maxBytes (three quarters of it, so that
// trimming is not needed again at once). Stale temporary files go too.
func (c *pkgCache) trimTo(maxBytes int64, maxAge time.Duration, now time.Time) {
	type entry struct {
		name string
		size int64
		used time.Time
	}
	var entries []entry
	var total int64
	filepath.WalkDir(c.dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(name) == "trimmed" {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		if now.Sub(info.ModTime()) > maxAge || filepath.Ext(name) != "" && now.Sub(info.ModTime()) > trimInterval {
			os.Remove(name)
			return nil
		}
		entries = append(entries, entry{name, info.Size(), info.ModTime()})
		total += info.Size()
		return nil
	})
	if total <= maxBytes {
		return
	}
	slices.SortFunc(entries, func(a, b entry) int { return a.used.Compare(b.used) })
	for _, e := range entries {
		if total <= maxBytes/4*3 {
			break
		}
		if os.Remove(e.name) == nil {
			total -= e.size
		}
	}
}

// cacheConfig hashes what every key of a run shares: the binary, the Go
// version and environment, and the analyzers with their flags. ok is false
// when the binary cannot be read (the cache is then not used).
func cacheConfig(rootSet, depSet []*analysis.Analyzer) (sum [32]byte, ok bool) {
	exe, ok := exeSum()
	if !ok {
		return sum, false
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", entryMagic)
	h.Write(exe[:])
	fmt.Fprintf(h, "\x00go %s %s %s/%s\x00", runtime.Version(), build.Default.GOROOT, build.Default.GOOS, build.Default.GOARCH)
	for _, v := range []string{"GOOS", "GOARCH", "GOFLAGS", "CGO_ENABLED", "GOEXPERIMENT", "GOAMD64", "GOARM64", "CC", "CGO_CFLAGS"} {
		fmt.Fprintf(h, "%s=%s\x00", v, os.Getenv(v))
	}
	for _, set := range [][]*analysis.Analyzer{rootSet, depSet} {
		fmt.Fprintf(h, "set")
		for _, a := range set {
			fmt.Fprintf(h, " %s", a.Name)
		}
		fmt.Fprintf(h, "\x00")
	}
	for _, a := range rootSet {
		hashFlags(h, a)
	}
	h.Sum(sum[:0])
	return sum, true
}

// exeSum is the hash of the running binary's content, read once.
var exeSum = sync.OnceValues(func() (sum [32]byte, ok bool) {
	exe, err := os.Executable()
	if err != nil {
		return sum, false
	}
	h := sha256.New()
	if hashFile(h, exe) != nil {
		return sum, false
	}
	h.Sum(sum[:0])
	return sum, true
})

// hashFlags hashes an analyzer's flag values and, for a value that names a
// regular file, the file's content: the file is as much an input as the
// flag (-commiterr.api=FILE).
func hashFlags(w io.Writer, a *analysis.Analyzer) {
	a.Flags.VisitAll(func(f *flag.Flag) {
		v := f.Value.String()
		fmt.Fprintf(w, "flag %s.%s=%q\x00", a.Name, f.Name, v)
		if v == "" {
			return
		}
		if info, err := os.Stat(v); err == nil && info.Mode().IsRegular() {
			fmt.Fprintf(w, "content ")
			if hashFile(w, v) != nil {
				fmt.Fprintf(w, "unreadable")
			}
			fmt.Fprintf(w, "\x00")
		}
	})
}

// key is the cache key of a unit whose dependencies are done; contents are
// its compiled Go files'.
func (r *unitRunner) key(u *unit, contents [][]byte) string {
	h := sha256.New()
	h.Write(r.config[:])
	p := u.pkg
	fmt.Fprintf(h, "root %v\x00id %s\x00path %s\x00name %s\x00", u.root, p.ID, p.PkgPath, p.Name)
	if m := p.Module; m != nil {
		fmt.Fprintf(h, "module %s %s %s\x00", m.Path, m.Version, m.GoVersion)
	}
	for i, name := range p.CompiledGoFiles {
		fmt.Fprintf(h, "file %s %d\x00", name, len(contents[i]))
		h.Write(contents[i])
	}
	for _, list := range [][]string{p.OtherFiles, p.IgnoredFiles, p.EmbedFiles} {
		fmt.Fprintf(h, "files\x00")
		for _, name := range list {
			fmt.Fprintf(h, "file %s\x00", name)
			if hashFile(h, name) != nil {
				fmt.Fprintf(h, "unreadable\x00")
			}
		}
	}
	for _, dep := range u.deps {
		fmt.Fprintf(h, "dep %s\x00", dep.pkg.ID)
		h.Write(dep.exportHash[:])
		h.Write(dep.closureHash[:])
	}
	return hex.EncodeToString(h.Sum(nil))
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
