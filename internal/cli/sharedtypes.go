package cli

// Shared imported types: the dependencies that importers read from the
// compiler's export data (the standard library and the module cache, see
// listPackages) are decoded once per run, each into a types.Package that
// every importer shares, instead of once per importing package. On
// client-go that decoding was a quarter of the whole run's CPU.
//
// Packages named on the command line are not shared even when they have
// compiler export data (a module-cache package analysed in place): a
// shared package is decoded whole, every object of it, where an importer
// reading it itself decodes what it reaches; sharing client-go's own 388
// packages too saved another 5 s of its 36 s of CPU but held 200 MB more
// live heap (peak RSS 1.6x staticcheck's). Dependencies shared whole cost
// 35 MB of live heap there. A shared package is dropped once no pending
// package's closure holds it.
//
// Sharing needs three things:
//
//   - A package is decoded only after everything it imports, directly or
//     not, is decoded and complete: the decoder then finds every object of
//     a dependency in its scope and never inserts into a package another
//     goroutine may be reading (a package's export data lists every object
//     of its scope, so lookups always succeed). A package whose
//     dependencies are not all shared (one that imports a replaced module,
//     say) is not shared; its importers read it themselves, as before.
//   - Positions. Each shared package is decoded into a file set of its own
//     whose files start at a base fixed by the package's place in the
//     import graph's order (sharedBase + index*sharedSpan), whatever the
//     order in which goroutines decode them; an analysed package's file set
//     holds its own files first (from base 1, as before) and then, through
//     token.FileSet.AddExistingFiles, the shared files of its dependencies.
//     Positions therefore compare the same way in every run and in any
//     parallel order.
//   - Types from export data are complete when decoded; go/types allows
//     concurrent reads of complete packages (gopls shares them the same
//     way).

import (
	"fmt"
	"go/token"
	"go/types"
	"sync"
)

const (
	sharedBase = 1 << 40 // above any analysed package's own files
	sharedSpan = 1 << 32 // room for one package's export data's files
)

// A sharedPkg is one package decoded from compiler export data, shared by
// every importer in the run.
type sharedPkg struct {
	index int // place in the import graph's order: fixes the base
	once  sync.Once
	tpkg  *types.Package
	files []*token.File // the position files its decoding created
	err   error
}

// markShared gives every unit whose compiler export data can be shared a
// sharedPkg. all is in dependency order (imports first).
func markShared(all []*unit) {
	n := 0
	for _, u := range all {
		if u.pkg.PkgPath == "unsafe" {
			u.shared = &sharedPkg{index: -1, tpkg: types.Unsafe}
			u.shared.once.Do(func() {})
			continue
		}
		if u.pkg.ExportFile == "" {
			continue
		}
		if u.root {
			// Analysed from source; what its importers read of it is
			// read by each (see sharedtypes' doc).
			continue
		}
		ok := true
		for _, dep := range u.deps {
			if dep.shared == nil {
				ok = false
				break
			}
		}
		if ok {
			u.shared = &sharedPkg{index: n}
			n++
		}
	}
	for _, u := range all {
		for _, dep := range closureOf(u) {
			dep.importers.Add(1)
		}
	}
}

// releaseClosure drops u's hold on its closure: a package that no unit
// still to finish imports, directly or not, drops its shared types and its
// decoded facts (memory: a run holds only what its pending units can
// read). keepFacts keeps the facts (-debug's count of std packages with
// facts reads them at the end).
func releaseClosure(u *unit, keepFacts bool) {
	release := func(dep *unit) {
		if s := dep.shared; s != nil && s.index >= 0 {
			s.tpkg, s.files = nil, nil
		}
		if !keepFacts {
			dep.facts = nil
		}
	}
	for _, dep := range closureOf(u) {
		if dep.importers.Add(-1) == 0 {
			release(dep)
		}
	}
	if u.importers.Load() == 0 { // nothing imports u
		release(u)
	}
}

// sharedTypes returns u's shared package, decoding it (and, first, every
// shared package it depends on) if no goroutine has yet.
func (u *unit) sharedTypes() *sharedPkg {
	s := u.shared
	s.once.Do(func() {
		closure := closureOf(u)
		imports := make(map[string]*types.Package, len(closure))
		for path, dep := range closure {
			ds := dep.sharedTypes()
			if ds.err != nil {
				s.err = fmt.Errorf("%s imports %s: %v", u.pkg.PkgPath, path, ds.err)
				return
			}
			imports[path] = ds.tpkg
		}
		base := sharedBase + s.index*sharedSpan
		fset := token.NewFileSet()
		start := fset.AddFile("", base, 0) // moves the set's base
		tpkg, err := readExportFile(u.pkg.ExportFile, fset, imports, u.pkg.PkgPath)
		if err != nil {
			s.err = err
			return
		}
		if fset.Base() > base+sharedSpan {
			s.err = fmt.Errorf("export data of %s spans more positions than a shared package has room for", u.pkg.PkgPath)
			return
		}
		fset.Iterate(func(f *token.File) bool {
			if f != start {
				s.files = append(s.files, f)
			}
			return true
		})
		s.tpkg = tpkg
	})
	return s
}
