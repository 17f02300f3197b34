package cli

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// loadPackages loads the patterns for the checker: every package outside
// the standard library from source (syntax and types, as the analyzers and
// their facts need), and the standard library from the compiler's export
// data, with no syntax.
//
// go/packages cannot mix the two (LoadAllSyntax type-checks all of std
// from source on every run, most of a run's time and memory), and no
// kafkalint analyzer looks inside std: the lock model skips it and hard-
// codes what matters (sync, context, time). Std packages reach the checker
// with Types only; analyzers run on them with no files, as facts demand,
// and find nothing to do.
func loadPackages(tests bool, patterns []string) ([]*packages.Package, error) {
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
			packages.NeedImports | packages.NeedDeps | packages.NeedExportFile |
			packages.NeedTypesSizes | packages.NeedModule | packages.NeedEmbedFiles,
		Tests: tests,
	}
	roots, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	l := &loader{fset: token.NewFileSet(), std: map[string]*types.Package{}, done: map[*packages.Package]*sync.WaitGroup{}, root: map[*packages.Package]bool{}}
	for _, r := range roots {
		l.root[r] = true
	}
	var all []*packages.Package
	packages.Visit(roots, nil, func(p *packages.Package) { all = append(all, p) })
	// Type-check in dependency order, packages in parallel where they can.
	for _, p := range all {
		l.done[p] = new(sync.WaitGroup)
		l.done[p].Add(1)
	}
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for _, p := range all {
		wg.Add(1)
		go func(p *packages.Package) {
			defer wg.Done()
			defer l.done[p].Done()
			for _, imp := range p.Imports {
				l.done[imp].Wait()
			}
			sem <- struct{}{}
			defer func() { <-sem }()
			l.load(p)
		}(p)
	}
	wg.Wait()
	return roots, nil
}

type loader struct {
	fset  *token.FileSet
	stdMu sync.Mutex
	std   map[string]*types.Package // export data packages, by path (shared for identity)
	done  map[*packages.Package]*sync.WaitGroup
	root  map[*packages.Package]bool // comments are parsed only for these
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

func (l *loader) load(p *packages.Package) {
	p.Fset = l.fset
	if p.PkgPath == "unsafe" {
		p.Types = types.Unsafe
		return
	}
	if len(p.Errors) > 0 {
		p.IllTyped = true
		p.Types = types.NewPackage(p.PkgPath, p.Name)
		return
	}
	if imp := brokenImport(p); imp != "" {
		// Type-checking against a broken package's empty types would
		// report each use of it as undefined; name the package instead.
		p.Errors = append(p.Errors, packages.Error{
			Pos:  "-",
			Msg:  fmt.Sprintf("not type-checked: it imports %s, which has errors", imp),
			Kind: packages.UnknownError,
		})
		p.IllTyped = true
		p.Types = types.NewPackage(p.PkgPath, p.Name)
		return
	}
	if isStd(p) && !l.root[p] && p.ExportFile != "" && !strings.Contains(p.ID, " [") {
		if err := l.loadExport(p); err == nil {
			return
		}
		// Fall back to source (export data unavailable).
	}
	l.loadSource(p)
}

// brokenImport returns the path of the first (by path) package p imports
// that failed to load or type-check, or "". Imports are loaded first.
func brokenImport(p *packages.Package) string {
	paths := slices.Sorted(maps.Keys(p.Imports))
	for _, path := range paths {
		if p.Imports[path].IllTyped {
			return p.Imports[path].PkgPath
		}
	}
	return ""
}

func (l *loader) loadExport(p *packages.Package) error {
	f, err := os.Open(p.ExportFile)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(bufio.NewReader(f))
	if err != nil {
		return err
	}
	l.stdMu.Lock()
	defer l.stdMu.Unlock()
	if tp, ok := l.std[p.PkgPath]; ok && tp.Complete() {
		p.Types = tp
		return nil
	}
	tp, err := gcexportdata.Read(r, l.fset, l.std, p.PkgPath)
	if err != nil {
		return err
	}
	p.Types = tp
	return nil
}

func (l *loader) loadSource(p *packages.Package) {
	files := make([]*ast.File, 0, len(p.CompiledGoFiles))
	// Comments matter only where diagnostics are reported (suppressions,
	// generated-file markers): the roots. Dependencies only pass facts.
	mode := parser.SkipObjectResolution
	if l.root[p] {
		mode |= parser.ParseComments
	}
	for _, name := range p.CompiledGoFiles {
		f, err := parser.ParseFile(l.fset, name, nil, mode)
		if f != nil {
			files = append(files, f)
		}
		if err != nil {
			p.Errors = append(p.Errors, parseErrors(err)...)
		}
	}
	p.Syntax = files
	p.TypesInfo = &types.Info{
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
	conf := types.Config{
		Importer:  importerFunc(func(path string) (*types.Package, error) { return l.importFor(p, path) }),
		Sizes:     p.TypesSizes,
		GoVersion: goVersion,
		Error: func(err error) {
			if te, ok := err.(types.Error); ok && !te.Soft || len(p.Errors) < 100 {
				p.Errors = append(p.Errors, typeError(err))
			}
		},
	}
	tp, _ := conf.Check(p.PkgPath, l.fset, files, p.TypesInfo)
	p.Types = tp
	p.IllTyped = len(p.Errors) > 0
}

func (l *loader) importFor(p *packages.Package, path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	imp, ok := p.Imports[path]
	if !ok {
		return nil, fmt.Errorf("no package for import %q", path)
	}
	if imp.Types == nil {
		return nil, fmt.Errorf("package %q did not load", path)
	}
	return imp.Types, nil
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
