package cli

import (
	"bufio"
	"bytes"
	"go/ast"
	"go/build"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// listPackages lists the patterns and their dependencies with go list: file
// lists and the import graph, no parsing or type checking.
//
// Export data is asked of go list (a second go list -export) only for the
// packages that cannot change under the user's hands: the standard library
// and the module cache. Their compiled export data sits in the build cache
// once per version. Asking it for every package would make go list compile
// each edited package: on a one-line edit of a 45k-line package that cost
// 6 s of CPU, four times the whole analysis. The unit driver (unit.go)
// writes the export data of the other packages itself.
//
// With lc (the list cache, listcache.go), a stored listing that still
// holds is returned instead, and a new one is stored.
func listPackages(tests bool, patterns []string, lc *listCache) ([]*packages.Package, error) {
	if lc != nil {
		if roots := lc.load(); roots != nil {
			return roots, nil
		}
	}
	roots, err := goList(tests, patterns, lc)
	if err == nil && lc != nil {
		lc.store(roots, patterns)
	}
	return roots, err
}

// goList is listPackages without the cache.
func goList(tests bool, patterns []string, lc *listCache) ([]*packages.Package, error) {
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
			packages.NeedImports | packages.NeedDeps |
			packages.NeedTypesSizes | packages.NeedModule | packages.NeedEmbedFiles,
		Tests: tests,
	}
	roots, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	var modcache string
	if lc != nil {
		modcache = lc.modCache()
	} else {
		modcache = goModCache()
	}
	byPath := map[string][]*packages.Package{}
	var paths []string
	packages.Visit(roots, nil, func(p *packages.Package) {
		if p.PkgPath == "unsafe" || len(p.Errors) > 0 || strings.Contains(p.ID, " [") {
			return
		}
		if !isStd(p) && !(modcache != "" && p.Module != nil && p.Module.Replace == nil && strings.HasPrefix(p.Module.Dir, modcache)) {
			return
		}
		if byPath[p.PkgPath] == nil {
			paths = append(paths, p.PkgPath)
		}
		byPath[p.PkgPath] = append(byPath[p.PkgPath], p)
	})
	if len(paths) > 0 {
		export, err := exportFiles(paths, func(p string) string {
			if m := byPath[p][0].Module; m != nil {
				return m.Path
			}
			return "" // std
		})
		if err != nil {
			return nil, err
		}
		for _, path := range paths {
			for _, p := range byPath[path] {
				p.ExportFile = export[path]
			}
		}
	}
	return roots, nil
}

// exportFiles asks go list -export for the export data of paths, by path.
//
// One go list answers for all of them, unless the go command itself fails:
// naming a package directly is refused ("updates to go.mod needed") when
// its module is not in the main module's go.mod, though a pattern reached
// it (a main package of a dependency, say, whose imports no package of the
// main module needs). Then no package would get export data, and every
// importer of the standard library would fail. So a failed go list is split
// by module (module(path); "" for the standard library, asked first and on
// its own) and halved until the modules that go list refuses are found;
// their packages are left without export data and are type-checked from
// source, like the user's own.
func exportFiles(paths []string, module func(string) string) (map[string]string, error) {
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedExportFile}
	out := map[string]string{}
	// ask returns the paths of group that go list did not answer for: the
	// go command refused (go/packages may split a long list into several
	// go list runs, so some are answered and some not).
	ask := func(group []string) ([]string, error) {
		exp, err := packages.Load(cfg, group...)
		if err != nil {
			return nil, err
		}
		answered := map[string]bool{}
		for _, e := range exp {
			answered[e.PkgPath] = true
			if len(e.Errors) == 0 && e.ExportFile != "" {
				out[e.PkgPath] = e.ExportFile
			}
		}
		var missing []string
		for _, p := range group {
			if !answered[p] {
				missing = append(missing, p)
			}
		}
		return missing, nil
	}
	missing, err := ask(paths)
	if len(missing) == 0 || err != nil {
		return out, err
	}
	// Group what is missing by module, std first, in first-seen order.
	var mods []string
	groups := map[string][]string{}
	for _, p := range missing {
		m := module(p)
		if groups[m] == nil {
			if m == "" {
				mods = append([]string{m}, mods...)
			} else {
				mods = append(mods, m)
			}
		}
		groups[m] = append(groups[m], p)
	}
	var split func(mods []string) error
	split = func(mods []string) error {
		var group []string
		for _, m := range mods {
			group = append(group, groups[m]...)
		}
		missing, err := ask(group)
		if len(missing) == 0 || err != nil || len(mods) == 1 {
			return err
		}
		if err := split(mods[:len(mods)/2]); err != nil {
			return err
		}
		return split(mods[len(mods)/2:])
	}
	if len(mods) > 0 && mods[0] == "" {
		if _, err := ask(groups[""]); err != nil {
			return out, err
		}
		mods = mods[1:]
	}
	if len(mods) > 0 {
		return out, split(mods)
	}
	return out, nil
}

// goModCache is GOMODCACHE with a trailing separator, or "".
func goModCache() string {
	dir := os.Getenv("GOMODCACHE")
	if dir == "" {
		out, err := exec.Command("go", "env", "GOMODCACHE").Output()
		if err != nil {
			return ""
		}
		dir = strings.TrimSpace(string(out))
	}
	if dir == "" {
		return ""
	}
	return filepath.Clean(dir) + string(filepath.Separator)
}

// isStd: a package of the standard library (no module, files in GOROOT).
func isStd(p *packages.Package) bool {
	if p.Module != nil {
		return false
	}
	files := p.GoFiles
	if len(files) == 0 {
		files = p.CompiledGoFiles
	}
	if len(files) == 0 {
		return p.PkgPath == "unsafe"
	}
	return strings.HasPrefix(files[0], filepath.Join(build.Default.GOROOT, "src")+string(filepath.Separator))
}

// parseFiles parses a package's compiled Go files from their contents.
// Comments matter only where diagnostics are reported (suppressions,
// generated-file markers): the roots. Dependencies only pass facts.
func parseFiles(fset *token.FileSet, names []string, contents [][]byte, comments bool) ([]*ast.File, []packages.Error) {
	mode := parser.SkipObjectResolution
	if comments {
		mode |= parser.ParseComments
	}
	var files []*ast.File
	var errs []packages.Error
	for i, name := range names {
		f, err := parser.ParseFile(fset, name, contents[i], mode)
		if f != nil {
			files = append(files, f)
		}
		if err != nil {
			errs = append(errs, parseErrors(err)...)
		}
	}
	return files, errs
}

// typeCheck type-checks a package from its syntax, importing with imp.
func typeCheck(p *packages.Package, fset *token.FileSet, files []*ast.File, imp types.Importer) (*types.Package, *types.Info, []packages.Error) {
	info := &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Instances:    map[*ast.Ident]types.Instance{},
		Scopes:       map[ast.Node]*types.Scope{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		FileVersions: map[*ast.File]string{},
	}
	goVersion := ""
	if p.Module != nil && p.Module.GoVersion != "" {
		goVersion = "go" + p.Module.GoVersion
	}
	var errs []packages.Error
	conf := types.Config{
		Importer:  imp,
		Sizes:     p.TypesSizes,
		GoVersion: goVersion,
		Error: func(err error) {
			if te, ok := err.(types.Error); ok && !te.Soft || len(errs) < 100 {
				errs = append(errs, typeError(err))
			}
		},
	}
	tp, _ := conf.Check(p.PkgPath, fset, files, info)
	return tp, info, errs
}

// readExport reads export data written by gcexportdata.Write into imports.
func readExport(data []byte, fset *token.FileSet, imports map[string]*types.Package, path string) (*types.Package, error) {
	return gcexportdata.Read(bytes.NewReader(data), fset, imports, path)
}

// readExportFile is readExport for a file of the build cache.
func readExportFile(name string, fset *token.FileSet, imports map[string]*types.Package, path string) (*types.Package, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, err
	}
	return gcexportdata.Read(r, fset, imports, path)
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func parseErrors(err error) []packages.Error {
	if list, ok := err.(scanner.ErrorList); ok {
		var out []packages.Error
		for _, e := range list {
			out = append(out, packages.Error{Pos: e.Pos.String(), Msg: e.Msg, Kind: packages.ParseError})
		}
		return out
	}
	return []packages.Error{{Pos: "-", Msg: err.Error(), Kind: packages.ParseError}}
}

func typeError(err error) packages.Error {
	if te, ok := err.(types.Error); ok {
		return packages.Error{Pos: te.Fset.Position(te.Pos).String(), Msg: te.Msg, Kind: packages.TypeError}
	}
	return packages.Error{Pos: "-", Msg: err.Error(), Kind: packages.TypeError}
}

// goCommandError is err from go/packages without its driver's wrapping:
// "err: exit status 1: stderr: go: go.mod requires go >= 1.99" becomes
// "the go command failed: go: go.mod requires go >= 1.99".
func goCommandError(err error) string {
	msg := err.Error()
	if m := goListFailure.FindStringSubmatch(msg); m != nil {
		return "the go command failed: " + strings.TrimSpace(m[1])
	}
	return msg
}

var goListFailure = regexp.MustCompile(`(?s)^err: exit status \d+: stderr: (.*)$`)
