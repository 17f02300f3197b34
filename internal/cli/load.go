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
func listPackages(tests bool, patterns []string) ([]*packages.Package, error) {
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
	modcache := goModCache()
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
		exp, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedExportFile}, paths...)
		if err != nil {
			return nil, err
		}
		for _, e := range exp {
			if len(e.Errors) > 0 {
				continue
			}
			for _, p := range byPath[e.PkgPath] {
				p.ExportFile = e.ExportFile
			}
		}
	}
	return roots, nil
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
