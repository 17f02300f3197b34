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
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// listPackages lists the patterns and their dependencies with go list: file
// lists and the import graph, no parsing or type checking.
//
// Only the standard library's export data is asked for (a second go list
// -export over the std packages of the graph): asking it for every package
// makes go list compile each edited package, which on a one-line edit of a
// 45k-line package cost 6 s of CPU — four times the whole analysis. The
// packages outside std are type-checked from source by the unit driver
// (unit.go), which writes their export data itself.
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
	stdByPath := map[string][]*packages.Package{}
	var stdPaths []string
	packages.Visit(roots, nil, func(p *packages.Package) {
		if isStd(p) && p.PkgPath != "unsafe" && len(p.Errors) == 0 && !strings.Contains(p.ID, " [") {
			if stdByPath[p.PkgPath] == nil {
				stdPaths = append(stdPaths, p.PkgPath)
			}
			stdByPath[p.PkgPath] = append(stdByPath[p.PkgPath], p)
		}
	})
	if len(stdPaths) > 0 {
		exp, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedExportFile}, stdPaths...)
		if err != nil {
			return nil, err
		}
		for _, e := range exp {
			for _, p := range stdByPath[e.PkgPath] {
				p.ExportFile = e.ExportFile
			}
		}
	}
	return roots, nil
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
