package cli

// The list cache keeps listPackages' answer — go list's package graph and
// the export files of the standard library and the module cache — between
// runs. The two go list runs cost about 0.65 s of CPU on a 45k-line
// package with 66 dependencies, a quarter of a re-run after a one-line
// edit; an edit inside a function body changes none of what go list says.
//
// An entry is found by a key of what every package's listing depends on
// outside its own directory: the binary, the patterns, the working
// directory, -test, `go env` (GOGCCFLAGS aside: it names a fresh temporary
// directory each time), PATH, and go.mod, go.sum, go.work, go.work.sum and
// vendor/modules.txt. The entry then holds a stamp of every directory go
// list read outside GOROOT and the module cache (both immutable for a
// given key): the packages' own directories, the directories of their
// embedded files, and every directory under a pattern with "..." (where a
// new package may appear). A stamp covers what go list reads of a
// directory: the names of its entries, each Go file's package clause,
// the comments before it (build constraints) and its imports; the whole
// content of a file that imports "C" or "embed" (cgo and //go:embed read
// further); and for a cgo package every file's content. The entry is used
// only if every stamp still matches and every export file and generated
// (cgo) file it names still exists; otherwise go list runs and the entry
// is rewritten. A listing with errors is never stored.
//
// Entries are JSON (gob would number its types before the facts' types,
// whose numbers are in the facts' encoding: see fixGobTypeIDs), stored as
// the per-package cache's are (pkgcache.go: checksum, atomic writes,
// trimming), beside them in
// $XDG_CACHE_HOME/kafkalint/list-v1; KAFKALINT_CACHE=off and -cache=false
// turn both off.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

const listMagic = "kafkalint-list-v1"

// A listEntry is one stored listing.
type listEntry struct {
	Magic  string
	Key    string
	GOARCH string // for the packages' TypesSizes (gc)
	Roots  []string
	Pkgs   []listedPkg // every package, dependencies first
	Stamps []dirStamp
}

type listedPkg struct {
	ID, Name, PkgPath, Dir                  string
	GoFiles, CompiledGoFiles, OtherFiles    []string
	EmbedFiles, EmbedPatterns, IgnoredFiles []string
	ExportFile                              string
	Imports                                 []listedImport // by path
	Module                                  *packages.Module
}

type listedImport struct{ Path, ID string }

type dirStamp struct {
	Dir string
	Sum [32]byte
}

// A listCache is the list cache of one run: its key's inputs come from go
// env, asked once.
type listCache struct {
	c   *pkgCache
	key string
	env map[string]string
	hit bool // load found a listing that holds
}

// openListCache computes the key of this run's listing; nil when there is
// no cache or the key cannot be had.
func openListCache(tests bool, patterns []string) *listCache {
	c := openPkgCache()
	if c == nil {
		return nil
	}
	c.dir = filepath.Join(filepath.Dir(c.dir), "list-v1")
	exe, ok := exeSum()
	if !ok {
		return nil
	}
	out, err := exec.Command("go", "env", "-json").Output()
	if err != nil {
		return nil
	}
	env := map[string]string{}
	if json.Unmarshal(out, &env) != nil || env["GOMOD"] == "" || env["GOMOD"] == os.DevNull {
		return nil // GOPATH mode: no module files to key on
	}
	cwd, err := os.Getwd()
	if err != nil {
		return nil
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%x\x00cwd %s\x00tests %v\x00", listMagic, exe, cwd, tests)
	for _, p := range patterns {
		fmt.Fprintf(h, "pattern %q\x00", p)
	}
	names := make([]string, 0, len(env))
	for k := range env {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if k != "GOGCCFLAGS" {
			fmt.Fprintf(h, "env %s=%q\x00", k, env[k])
		}
	}
	fmt.Fprintf(h, "PATH=%q\x00", os.Getenv("PATH"))
	modDir := filepath.Dir(env["GOMOD"])
	files := []string{env["GOMOD"], filepath.Join(modDir, "go.sum"), filepath.Join(modDir, "vendor", "modules.txt")}
	if w := env["GOWORK"]; w != "" && w != "off" {
		files = append(files, w, w+".sum")
	}
	for _, name := range files {
		fmt.Fprintf(h, "file %s\x00", name)
		if hashFile(h, name) != nil {
			fmt.Fprintf(h, "absent\x00")
		}
	}
	return &listCache{c: c, key: hex.EncodeToString(h.Sum(nil)), env: env}
}

// modCache is GOMODCACHE with a trailing separator.
func (lc *listCache) modCache() string {
	if dir := lc.env["GOMODCACHE"]; dir != "" {
		return filepath.Clean(dir) + string(filepath.Separator)
	}
	return ""
}

// inGoCache: a file or directory in the build cache (cgo's output, test
// mains), whose name is its content's hash.
func (lc *listCache) inGoCache(name string) bool {
	dir := lc.env["GOCACHE"]
	return dir != "" && dir != "off" && strings.HasPrefix(name, filepath.Clean(dir)+string(filepath.Separator))
}

// load returns the stored listing, or nil when there is none or it no
// longer holds.
func (lc *listCache) load() []*packages.Package {
	var e listEntry
	body := lc.c.readBlob(lc.key)
	if body == nil || json.Unmarshal(body, &e) != nil || e.Magic != listMagic || e.Key != lc.key || e.GOARCH != lc.env["GOARCH"] {
		return nil
	}
	for _, s := range e.Stamps {
		if sum, ok := stampDir(s.Dir); !ok || sum != s.Sum {
			return nil
		}
	}
	sizes := types.SizesFor("gc", e.GOARCH)
	byID := map[string]*packages.Package{}
	for _, lp := range e.Pkgs {
		p := &packages.Package{
			ID: lp.ID, Name: lp.Name, PkgPath: lp.PkgPath, Dir: lp.Dir,
			GoFiles: lp.GoFiles, CompiledGoFiles: lp.CompiledGoFiles, OtherFiles: lp.OtherFiles,
			EmbedFiles: lp.EmbedFiles, EmbedPatterns: lp.EmbedPatterns, IgnoredFiles: lp.IgnoredFiles,
			ExportFile: lp.ExportFile, Module: lp.Module, TypesSizes: sizes,
			Imports: map[string]*packages.Package{},
		}
		for _, imp := range lp.Imports {
			dep := byID[imp.ID]
			if dep == nil {
				return nil
			}
			p.Imports[imp.Path] = dep
		}
		if p.ExportFile != "" && !exists(p.ExportFile) {
			return nil // trimmed from the build cache
		}
		for _, list := range [][]string{p.GoFiles, p.CompiledGoFiles} {
			for _, name := range list {
				if lc.inGoCache(name) && !exists(name) {
					return nil // cgo's output or a test main, trimmed from the build cache
				}
			}
		}
		byID[p.ID] = p
	}
	var roots []*packages.Package
	for _, id := range e.Roots {
		if byID[id] == nil {
			return nil
		}
		roots = append(roots, byID[id])
	}
	lc.hit = true
	return roots
}

// store keeps a listing without errors, with the stamps of the
// directories it was read from.
func (lc *listCache) store(roots []*packages.Package, patterns []string) {
	e := listEntry{Magic: listMagic, Key: lc.key, GOARCH: lc.env["GOARCH"]}
	gcSizes := types.SizesFor("gc", e.GOARCH)
	modcache := lc.modCache()
	goroot := filepath.Clean(lc.env["GOROOT"]) + string(filepath.Separator)
	immutable := func(dir string) bool {
		return strings.HasPrefix(dir, goroot) || modcache != "" && strings.HasPrefix(dir, modcache) || lc.inGoCache(dir)
	}
	dirs := map[string]bool{}
	modRoots := map[string]bool{filepath.Dir(lc.env["GOMOD"]): true}
	failed := false
	packages.Visit(roots, nil, func(p *packages.Package) {
		if len(p.Errors) > 0 || p.TypesSizes != nil && !reflect.DeepEqual(p.TypesSizes, gcSizes) {
			failed = true
		}
		lp := listedPkg{
			ID: p.ID, Name: p.Name, PkgPath: p.PkgPath, Dir: p.Dir,
			GoFiles: p.GoFiles, CompiledGoFiles: p.CompiledGoFiles, OtherFiles: p.OtherFiles,
			EmbedFiles: p.EmbedFiles, EmbedPatterns: p.EmbedPatterns, IgnoredFiles: p.IgnoredFiles,
			ExportFile: p.ExportFile, Module: p.Module,
		}
		for path, dep := range p.Imports {
			lp.Imports = append(lp.Imports, listedImport{path, dep.ID})
		}
		slices.SortFunc(lp.Imports, func(a, b listedImport) int { return strings.Compare(a.Path, b.Path) })
		e.Pkgs = append(e.Pkgs, lp)
		if p.Dir != "" && !immutable(p.Dir) {
			dirs[p.Dir] = true
		}
		for _, list := range [][]string{p.GoFiles, p.OtherFiles, p.IgnoredFiles, p.EmbedFiles} {
			for _, name := range list {
				if dir := filepath.Dir(name); !immutable(dir) {
					dirs[dir] = true
				}
			}
		}
		if m := p.Module; m != nil && m.Dir != "" && !immutable(m.Dir) {
			modRoots[m.Dir] = true
		}
	})
	if failed {
		return
	}
	for _, r := range roots {
		e.Roots = append(e.Roots, r.ID)
	}
	// Where a pattern with "..." may find a new package: under a directory
	// pattern, that directory; under an import path pattern, every module
	// outside the module cache.
	for _, pat := range patterns {
		if !strings.Contains(pat, "...") && pat != "all" {
			continue
		}
		var tops []string
		if isLocalPattern(pat) {
			tops = []string{filepath.Clean(strings.TrimSuffix(strings.SplitN(pat, "...", 2)[0], "/"))}
		} else {
			for dir := range modRoots {
				tops = append(tops, dir)
			}
		}
		for _, top := range tops {
			if !filepath.IsAbs(top) {
				cwd, _ := os.Getwd()
				top = filepath.Join(cwd, top)
			}
			if immutable(top + string(filepath.Separator)) {
				continue
			}
			filepath.WalkDir(top, func(name string, d fs.DirEntry, err error) error {
				if err != nil || !d.IsDir() {
					return nil
				}
				if base := d.Name(); name != top && (strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_") || base == "testdata") {
					return filepath.SkipDir
				}
				dirs[name] = true
				return nil
			})
		}
	}
	for dir := range modRoots { // go.mod and go.sum of workspace modules and local replacements
		dirs[dir] = true
	}
	sorted := make([]string, 0, len(dirs))
	for dir := range dirs {
		sorted = append(sorted, dir)
	}
	sort.Strings(sorted)
	for _, dir := range sorted {
		sum, ok := stampDir(dir)
		if !ok {
			return
		}
		e.Stamps = append(e.Stamps, dirStamp{dir, sum})
	}
	if body, err := json.Marshal(&e); err == nil {
		lc.c.storeBlob(lc.key, body)
	}
}

// isLocalPattern: a pattern naming directories (./x, ../x, /x, .), as the
// go command tells them apart from import paths.
func isLocalPattern(pat string) bool {
	return pat == "." || pat == ".." || strings.HasPrefix(pat, "./") || strings.HasPrefix(pat, "../") || filepath.IsAbs(pat)
}

// stampDir hashes what go list reads of a directory (see the file
// comment); ok is false when it cannot be read.
func stampDir(dir string) (sum [32]byte, ok bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return sum, false
	}
	h := sha256.New()
	type goFile struct {
		name   string
		header []byte
	}
	var goFiles []goFile
	cgo := false
	for _, ent := range entries { // sorted by name
		fmt.Fprintf(h, "entry %s %v\x00", ent.Name(), ent.IsDir())
		if ent.IsDir() || !strings.HasSuffix(ent.Name(), ".go") {
			continue
		}
		header, isCgo, ok := goHeader(filepath.Join(dir, ent.Name()))
		if !ok {
			return sum, false
		}
		goFiles = append(goFiles, goFile{ent.Name(), header})
		cgo = cgo || isCgo
	}
	for _, f := range goFiles {
		fmt.Fprintf(h, "go %s %d\x00", f.name, len(f.header))
		h.Write(f.header)
	}
	if cgo { // cgo's preamble may include any file of the package
		for _, ent := range entries {
			if !ent.IsDir() && !strings.HasSuffix(ent.Name(), ".go") {
				fmt.Fprintf(h, "content %s\x00", ent.Name())
				if hashFile(h, filepath.Join(dir, ent.Name())) != nil {
					return sum, false
				}
			}
		}
	}
	h.Sum(sum[:0])
	return sum, true
}

// goHeader is what go list reads of a Go file: the comments before the
// package clause, the package name and the imports, in a canonical form
// (so that a comment or blank line added after the package clause does
// not change it); or the whole file when it imports "C" (cgo reads all
// of it) or "embed" (//go:embed directives may be anywhere). ok is false
// when the file cannot be read; a file that does not parse gives its
// content (go list will report it).
func goHeader(name string) (header []byte, cgo, ok bool) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, false, false
	}
	f, err := parser.ParseFile(token.NewFileSet(), name, data, parser.ImportsOnly|parser.ParseComments)
	if err != nil {
		return data, false, true
	}
	for _, imp := range f.Imports {
		switch path, _ := strconv.Unquote(imp.Path.Value); path {
		case "C":
			return data, true, true
		case "embed":
			return data, false, true
		}
	}
	var b bytes.Buffer
	for _, cg := range f.Comments {
		if cg.Pos() >= f.Package {
			break
		}
		for _, c := range cg.List {
			fmt.Fprintf(&b, "comment %s\x00", c.Text)
		}
	}
	fmt.Fprintf(&b, "package %s\x00", f.Name.Name)
	for _, imp := range f.Imports {
		fmt.Fprintf(&b, "import %s %s\x00", identName(imp.Name), imp.Path.Value)
	}
	return b.Bytes(), false, true
}

func identName(id *ast.Ident) string {
	if id == nil {
		return "-"
	}
	return id.Name
}

func exists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}
