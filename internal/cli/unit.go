package cli

// The unit driver analyses one package at a time, in dependency order, the
// way go vet's unitchecker and staticcheck's runner do: a package is
// type-checked from source against its imports' export data, the analyzers
// run on it, and what importers need of it — its export data and its facts,
// both serialised — is kept; its syntax, types and SSA are dropped as soon
// as it is done. Peak memory follows the largest packages being analysed at
// once (at most GOMAXPROCS), not the repository. Dependencies read from
// the compiler's export data (std, the module cache) are decoded once per
// run and shared by their importers (sharedtypes.go).
//
// Each package's results (export data, facts, and for the packages named on
// the command line their findings) are stored in a per-package cache
// (pkgcache.go) under a key that covers the package's files, the analyzers
// and their flags, and its imports' export data and facts. A run after an
// edit redoes the edited packages and those whose imports' export data or
// facts changed; module-cache dependencies are analysed once per version.
//
// Facts always reach importers through their encoding, whether just computed
// or read from the cache, so the output is the same with and without the
// cache, cold or warm, in any order the packages finish.

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"io"
	"os"
	"reflect"
	"runtime"
	"runtime/trace"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/objectpath"

	"github.com/kafkalint/kafkalint/internal/lockgraph"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
)

// A unit is one package of the import graph and what its analysis left.
type unit struct {
	pkg   *packages.Package
	root  bool
	std   bool
	deps  []*unit // direct imports, sorted by import path
	done  chan struct{}
	users sync.WaitGroup // importers still to start, for dropping export
	// importers counts the units not yet done whose closure holds this
	// one: at zero, its shared types and facts go (releaseClosure).
	importers atomic.Int32

	// Set before done is closed.
	broken       bool             // the package or a dependency has errors
	errs         []packages.Error // its own errors (list, parse, type)
	exportMu     sync.Mutex
	export       []byte   // export data, while some importer may need it
	exportHash   [32]byte // of export (std: of the export file's name, content-addressed)
	closureHash  [32]byte // of its facts and its dependencies' (what AllPackageFacts sees)
	facts        *unitFacts
	encodedFacts []byte          // until stored in the cache
	noFacts      bool            // facts not encoded: nothing in the run imports the package
	failed       map[string]bool // analyzers that failed here or in a dependency
	actErrs      []actionError
	result       *rootResult // roots only
	lockEdges    []lockmodel.Edge
	lockCycles   []lockgraph.Report // the cycles lockorder reported, for -lockgraph
	timings      map[string]time.Duration
	cached       bool

	shared *sharedPkg // compiler export data decoded once for all importers (sharedtypes.go); nil: not shared
}

// A rootResult is what a root package contributes to the output.
type rootResult struct {
	ID       string
	Files    []string // compiled Go files, for keepUnusedIgnores
	OK       []string // analyzers that ran without error
	Findings []Finding
}

// unitFacts are a package's own facts, decoded, shared by its importers
// (read-only, as the checker shares them).
type unitFacts struct {
	obj      map[factKey]analysis.Fact
	objOrder []factKey
	pkg      map[pkgFactKey]analysis.Fact
	pkgOrder []pkgFactKey
}

type factKey struct {
	analyzer string
	path     objectpath.Path
	typ      reflect.Type
}

type pkgFactKey struct {
	analyzer string
	typ      reflect.Type
}

// A unitRunner runs the analyzers over an import graph.
type unitRunner struct {
	rootSet, depSet []*analysis.Analyzer // topologically sorted
	factTypes       map[string]reflect.Type
	cache           *pkgCache // nil: off
	config          [32]byte  // hash of what every key shares (cacheConfig)
	keepLockEdges   bool
	units           map[*packages.Package]*unit
	strings         stringTable // the strings of decoded facts
	// slots bounds the goroutines doing analysis work to GOMAXPROCS: a
	// package takes one before it starts; an analyzer of a package run
	// beside another of the same package takes one more, if one is free
	// (runAnalyzers).
	slots chan struct{}

	// analyseStd runs the fact-exporting analyzers over the standard
	// library too (KAFKALINT_ANALYZE_STD=on, for TestStdFactsNotNeeded):
	// normally std packages are only imported, never analysed, since the
	// models answer std's behaviour from tables (callindex's table of std
	// calls that run user code, lockmodel's and waitmodel's primitives).
	analyseStd bool
}

func newUnitRunner(analyzers []*analysis.Analyzer) *unitRunner {
	r := &unitRunner{factTypes: map[string]reflect.Type{}, units: map[*packages.Package]*unit{},
		analyseStd: os.Getenv("KAFKALINT_ANALYZE_STD") == "on"}
	r.rootSet = topoSort(analyzers, nil)
	var withFacts []*analysis.Analyzer
	for _, a := range r.rootSet {
		if len(a.FactTypes) > 0 {
			withFacts = append(withFacts, a)
			for _, f := range a.FactTypes {
				r.factTypes[factTypeName(reflect.TypeOf(f))] = reflect.TypeOf(f)
				gob.Register(f)
			}
		}
	}
	r.depSet = topoSort(withFacts, nil)
	r.fixGobTypeIDs()
	return r
}

// fixGobTypeIDs encodes one of each fact type, in a fixed order, before
// any package is analysed. gob numbers types in the order a process first
// meets them, and the numbers are in the encoding: without this, packages
// finishing in another order would give the same facts other bytes, and
// importers other cache keys.
func (r *unitRunner) fixGobTypeIDs() {
	names := make([]string, 0, len(r.factTypes))
	for name := range r.factTypes {
		names = append(names, name)
	}
	sort.Strings(names)
	stream := factStream{Magic: factsMagic}
	for _, name := range names {
		stream.Facts = append(stream.Facts, gobFact{Fact: reflect.New(r.factTypes[name].Elem()).Interface().(analysis.Fact)})
	}
	gob.NewEncoder(io.Discard).Encode(&stream)
	gob.NewEncoder(io.Discard).Encode(&pkgEntry{Result: &rootResult{Findings: []Finding{{Related: []Related{{}}}}}})
}

// topoSort returns the analyzers and those they require, each after its
// requirements, in a fixed order.
func topoSort(analyzers []*analysis.Analyzer, seen map[*analysis.Analyzer]bool) []*analysis.Analyzer {
	if seen == nil {
		seen = map[*analysis.Analyzer]bool{}
	}
	var out []*analysis.Analyzer
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, req := range a.Requires {
			visit(req)
		}
		out = append(out, a)
	}
	for _, a := range analyzers {
		visit(a)
	}
	return out
}

func factTypeName(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		return "*" + t.Elem().PkgPath() + "." + t.Elem().Name()
	}
	return t.PkgPath() + "." + t.Name()
}

// run analyses the graph of roots and returns every unit, roots first in
// their order, then the rest sorted by ID.
func (r *unitRunner) run(roots []*packages.Package) []*unit {
	rootSet := map[*packages.Package]bool{}
	for _, p := range roots {
		rootSet[p] = true
	}
	var all []*unit
	packages.Visit(roots, nil, func(p *packages.Package) {
		u := &unit{pkg: p, root: rootSet[p], std: isStd(p), done: make(chan struct{})}
		r.units[p] = u
		all = append(all, u)
	})
	for _, u := range all {
		paths := make([]string, 0, len(u.pkg.Imports))
		for path := range u.pkg.Imports {
			paths = append(paths, path)
		}
		sort.Strings(paths)
		for _, path := range paths {
			dep := r.units[u.pkg.Imports[path]]
			u.deps = append(u.deps, dep)
			dep.users.Add(1)
		}
	}
	markShared(all)
	// Drop each package's export data once its last importer has started
	// (importers read it before they type-check).
	for _, u := range all {
		go func(u *unit) {
			u.users.Wait()
			<-u.done
			u.exportMu.Lock()
			u.export = nil
			u.exportMu.Unlock()
		}(u)
	}
	r.slots = make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for _, u := range all {
		wg.Add(1)
		go func(u *unit) {
			defer wg.Done()
			defer close(u.done)
			for _, dep := range u.deps {
				<-dep.done
			}
			r.slots <- struct{}{}
			defer func() { <-r.slots }()
			r.do(u)
			releaseClosure(u, r.analyseStd)
		}(u)
	}
	wg.Wait()
	return all
}

// do analyses one unit whose dependencies are done.
func (r *unitRunner) do(u *unit) {
	p := u.pkg
	defer func() {
		for _, dep := range u.deps {
			dep.users.Done()
		}
	}()
	u.failed = map[string]bool{}
	for _, dep := range u.deps {
		for a := range dep.failed {
			u.failed[a] = true
		}
	}
	if len(p.Errors) > 0 {
		u.errs = append(u.errs, p.Errors...)
		u.broken = true
		return
	}
	for _, dep := range u.deps { // by import path
		if dep.broken {
			// Type-checking against a broken package would report each
			// use of it as undefined; name the package instead.
			u.errs = append(u.errs, packages.Error{
				Pos:  "-",
				Msg:  fmt.Sprintf("not type-checked: it imports %s, which has errors", dep.pkg.PkgPath),
				Kind: packages.UnknownError,
			})
			u.broken = true
			return
		}
	}
	if p.PkgPath == "unsafe" {
		u.exportHash = sha256.Sum256([]byte("unsafe"))
		return
	}
	if p.ExportFile != "" {
		// The compiler's export data, named by its content hash in the
		// build cache: what importers read (see listPackages).
		u.exportHash = sha256.Sum256([]byte("compiled " + p.ExportFile))
	}
	if u.std && !u.root && !r.analyseStd {
		if p.ExportFile == "" {
			u.errs = append(u.errs, packages.Error{Pos: "-", Msg: "no export data for " + p.PkgPath})
			u.broken = true
		}
		return
	}

	// Read the files once: their content is both the key and the syntax.
	names := p.CompiledGoFiles
	contents := make([][]byte, len(names))
	for i, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			u.errs = append(u.errs, packages.Error{Pos: "-", Msg: err.Error()})
			u.broken = true
			return
		}
		contents[i] = data
	}
	var key string
	if r.cache != nil {
		key = r.key(u, contents)
		e := r.cache.load(key)
		hit := e != nil && r.useEntry(u, e)
		r.cache.counted(hit)
		if hit {
			return
		}
	}
	r.analyze(u, contents)
	if r.cache != nil && !u.broken && len(u.actErrs) == 0 && len(u.failed) == 0 {
		u.exportMu.Lock()
		e := &pkgEntry{Export: u.export, Facts: u.encodedFacts, NoFacts: u.noFacts, Result: u.result}
		u.exportMu.Unlock()
		r.cache.store(key, e)
	}
	u.encodedFacts = nil
}

// useEntry adopts a cache entry's results; false if the entry does not
// decode (it is then recomputed and overwritten).
func (r *unitRunner) useEntry(u *unit, e *pkgEntry) bool {
	if e.NoFacts && (u.importers.Load() > 0 || r.analyseStd) {
		return false // analysed with no importer: redone for its facts
	}
	var facts *unitFacts
	var err error
	if !e.NoFacts {
		facts, err = r.decodeFacts(e.Facts)
	}
	if err != nil || (len(e.Export) == 0) != (u.pkg.ExportFile != "") || u.root != (e.Result != nil) {
		return false
	}
	u.facts = facts
	if u.pkg.ExportFile == "" {
		u.export = e.Export
		u.exportHash = sha256.Sum256(e.Export)
	}
	u.closureHash = r.closureHash(u, e.Facts)
	u.result = e.Result
	u.cached = true
	return true
}

func (r *unitRunner) closureHash(u *unit, encodedFacts []byte) [32]byte {
	h := sha256.New()
	h.Write(encodedFacts)
	for _, dep := range u.deps {
		h.Write(dep.closureHash[:])
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// analyze type-checks and analyses u from source.
func (r *unitRunner) analyze(u *unit, contents [][]byte) {
	p := u.pkg
	fset := token.NewFileSet()
	closure := closureOf(u)
	decoded := r.decodeShared(closure)
	reg := trace.StartRegion(context.Background(), "parse")
	files, errs := parseFiles(fset, p.CompiledGoFiles, contents, u.root)
	reg.End()
	reg = trace.StartRegion(context.Background(), "wait decode")
	decoded()
	reg.End()
	if len(errs) > 0 {
		u.errs = append(u.errs, errs...)
		u.broken = true
		return
	}
	// The shared packages of the closure come after the package's own
	// files in fset, and they are in universe before anything is read, so
	// that other export data read here finds them complete (sharedtypes.go).
	universe := map[string]*types.Package{}
	var sharedFiles []*token.File
	for path, dep := range closure {
		if dep.shared == nil {
			continue
		}
		if s := dep.sharedTypes(); s.err == nil {
			universe[path] = s.tpkg
			sharedFiles = append(sharedFiles, s.files...)
		}
	}
	fset.AddExistingFiles(sharedFiles...)
	imp := importerFunc(func(path string) (*types.Package, error) {
		if path == "unsafe" {
			return types.Unsafe, nil
		}
		dp, ok := p.Imports[path]
		if !ok {
			return nil, fmt.Errorf("no package for import %q", path)
		}
		return r.units[dp].importInto(fset, universe)
	})
	reg = trace.StartRegion(context.Background(), "typecheck")
	tpkg, info, errs := typeCheck(p, fset, files, imp)
	reg.End()
	if len(errs) > 0 {
		u.errs = append(u.errs, errs...)
		u.broken = true
		return
	}
	if p.ExportFile == "" {
		var buf bytes.Buffer
		if err := gcexportdata.Write(&buf, fset, tpkg); err != nil {
			u.errs = append(u.errs, packages.Error{Pos: "-", Msg: "writing export data: " + err.Error()})
			u.broken = true
			return
		}
		u.export = buf.Bytes()
		u.exportHash = sha256.Sum256(u.export)
	}

	set := r.depSet
	if u.root {
		set = r.rootSet
	}
	ua := &unitAnalysis{r: r, u: u, fset: fset, files: files, tpkg: tpkg, info: info, universe: universe,
		own: map[ownKey]analysis.Fact{}, ownPkg: map[pkgFactKey]analysis.Fact{}, enc: new(objectpath.Encoder)}
	ua.closure = closure
	runs := ua.runAnalyzers(set)
	results := map[*analysis.Analyzer]any{}
	errsOf := map[*analysis.Analyzer]error{}
	var diags []diagOf
	u.timings = map[string]time.Duration{}
	for i, a := range set { // in set's order, whichever finished first
		run := runs[i]
		u.timings[a.Name] += run.time
		results[a] = run.res
		errsOf[a] = run.err
		if run.err != nil {
			u.failed[a.Name] = true
			if !strings.HasPrefix(run.err.Error(), "failed prerequisites") {
				u.actErrs = append(u.actErrs, actionError{pkg: p.ID, analyzer: a.Name, err: run.err})
			}
			continue
		}
		for _, d := range run.diags {
			diags = append(diags, diagOf{a, d})
		}
	}
	if r.keepLockEdges && u.root {
		if res, ok := results[lockmodel.Analyzer].(*lockmodel.Result); ok && errsOf[lockmodel.Analyzer] == nil {
			for _, e := range res.Edges {
				u.lockEdges = append(u.lockEdges, e.Edge)
			}
			for _, dep := range res.Deps {
				u.lockEdges = append(u.lockEdges, dep.Edges...)
			}
		}
		for _, a := range set {
			if rep, ok := results[a].(*lockgraph.Reports); ok && errsOf[a] == nil {
				u.lockCycles = append(u.lockCycles, rep.Cycles...)
			}
		}
	}
	if u.root {
		u.result = &rootResult{ID: p.ID, Files: p.CompiledGoFiles}
		for _, a := range set {
			if errsOf[a] == nil && slices.Contains(r.rootSet, a) {
				u.result.OK = append(u.result.OK, a.Name)
			}
		}
		for _, d := range diags {
			u.result.Findings = append(u.result.Findings, toFinding(fset, p.ID, d.a, d.d))
		}
	}
	if u.importers.Load() == 0 && !r.analyseStd {
		// Nothing in this run imports u: its facts would be encoded,
		// decoded and dropped unread (nats-server's package with its
		// tests: a gob buffer of 1.5 GB, most of the run's live heap at
		// its peak). Its cache entry says so (pkgEntry.NoFacts).
		u.noFacts = true
		u.closureHash = r.closureHash(u, nil)
		return
	}
	enc, err := ua.encodeFacts()
	if err != nil {
		u.actErrs = append(u.actErrs, actionError{pkg: p.ID, analyzer: "facts", err: err})
		return
	}
	if u.facts, err = r.decodeFacts(enc); err != nil {
		u.actErrs = append(u.actErrs, actionError{pkg: p.ID, analyzer: "facts", err: err})
		return
	}
	u.encodedFacts = enc
	u.closureHash = r.closureHash(u, enc)
}

type diagOf struct {
	a *analysis.Analyzer
	d analysis.Diagnostic
}

func toFinding(fset *token.FileSet, id string, a *analysis.Analyzer, d analysis.Diagnostic) Finding {
	f := Finding{
		Package:  id,
		Analyzer: a.Name,
		Check:    report.CheckName(a, d),
		Pos:      fset.Position(d.Pos),
		End:      fset.Position(cmp.Or(d.End, d.Pos)),
		Message:  d.Message,
	}
	for _, rel := range d.Related {
		f.Related = append(f.Related, Related{
			Pos:     fset.Position(rel.Pos),
			End:     fset.Position(cmp.Or(rel.End, rel.Pos)),
			Message: rel.Message,
		})
	}
	return f
}

// decodeShared decodes the shared packages of closure not decoded yet, in
// dependency order: at once on a goroutine of its own when a slot is free,
// so that it overlaps the caller's parsing, and on the caller's when it
// calls the function returned, which returns once all are decoded. After
// an edit, the edited package is the only one analysed: its closure's
// decoding (a fifth of the re-run's type-checking) and its parsing share
// the cores.
func (r *unitRunner) decodeShared(closure map[string]*unit) (wait func()) {
	var deps []*unit
	for _, dep := range closure {
		if dep.shared != nil && dep.shared.index >= 0 {
			deps = append(deps, dep)
		}
	}
	slices.SortFunc(deps, func(x, y *unit) int { return cmp.Compare(x.shared.index, y.shared.index) })
	var next atomic.Int32
	work := func() {
		for i := int(next.Add(1)) - 1; i < len(deps); i = int(next.Add(1)) - 1 {
			deps[i].sharedTypes()
		}
	}
	if len(deps) < 2 || !r.trySlot() {
		return work
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer r.releaseSlot()
		work()
	}()
	return func() {
		work()
		<-done
	}
}

// importInto reads u's export data into a unit's universe.
func (u *unit) importInto(fset *token.FileSet, universe map[string]*types.Package) (*types.Package, error) {
	p := u.pkg
	if u.shared != nil {
		s := u.sharedTypes()
		return s.tpkg, s.err
	}
	if tp, ok := universe[p.PkgPath]; ok && tp.Complete() {
		return tp, nil
	}
	if p.ExportFile != "" {
		return readExportFile(p.ExportFile, fset, universe, p.PkgPath)
	}
	u.exportMu.Lock()
	data := u.export
	u.exportMu.Unlock()
	if data == nil {
		return nil, fmt.Errorf("no export data for %s", p.ID)
	}
	return readExport(data, fset, universe, p.PkgPath)
}

// closureOf returns u's transitive dependencies by package path.
func closureOf(u *unit) map[string]*unit {
	out := map[string]*unit{}
	var visit func(u *unit)
	visit = func(u *unit) {
		for _, dep := range u.deps {
			if _, ok := out[dep.pkg.PkgPath]; !ok {
				out[dep.pkg.PkgPath] = dep
				visit(dep)
			}
		}
	}
	visit(u)
	return out
}

// A unitAnalysis is the analysis of one package from source.
type unitAnalysis struct {
	r        *unitRunner
	u        *unit
	fset     *token.FileSet
	files    []*ast.File
	tpkg     *types.Package
	info     *types.Info
	universe map[string]*types.Package
	closure  map[string]*unit

	// mu guards what the analyzers of the package, running at once,
	// share: the fact tables below, enc and stubs.
	mu       sync.Mutex
	enc      *objectpath.Encoder
	own      map[ownKey]analysis.Fact
	ownOrder []ownKey
	ownPkg   map[pkgFactKey]analysis.Fact
	pkgOrder []pkgFactKey
	stubs    map[string]*types.Package
}

type ownKey struct {
	analyzer string
	obj      types.Object
	typ      reflect.Type
}

// An analyzerRun is what one analyzer left on the package.
type analyzerRun struct {
	res   any
	diags []analysis.Diagnostic
	err   error
	time  time.Duration
}

// orderedModel is the model whose users run one after another, in set's
// order (runAnalyzers); a variable for the test.
var orderedModel = lockmodel.Analyzer

// runAnalyzers runs the analyzers of set (topologically sorted) on the
// package and returns their runs, in set's order. An analyzer whose
// requirements are done runs on a goroutine of its own while another is
// still to run, if a slot of r.slots is free (the package holds one
// already); otherwise on this goroutine. After a one-file edit only the
// edited package is left to analyse, and the second core would idle.
//
// The lock model and the analyzers that require it, directly or not, run
// one after another in set's order all the same: its Result answers
// questions from a scratch model whose summaries, computed on demand under
// a step budget, depend on the order the questions come in (nats-server
// with its tests, guardedstate beside waitmodel: three heartbeat-starvation
// reports in one run, none in another). So only analyzers outside it
// (commiterr, inspect) run beside the lock model's chain. The caller
// merges in set's order.
func (ua *unitAnalysis) runAnalyzers(set []*analysis.Analyzer) []analyzerRun {
	index := make(map[*analysis.Analyzer]int, len(set))
	for i, a := range set {
		index[a] = i
	}
	// after[i]: the model user that must be done before set[i] starts
	// (-1: none).
	after := make([]int, len(set))
	users := map[*analysis.Analyzer]bool{}
	last := -1
	for i, a := range set {
		after[i] = -1
		user := a == orderedModel
		for _, req := range a.Requires {
			user = user || users[req]
		}
		if user {
			users[a] = true
			after[i] = last
			last = i
		}
	}
	runs := make([]analyzerRun, len(set))
	const (
		waiting = iota
		started
		done
	)
	state := make([]int, len(set))
	finished := make(chan int, len(set))
	exec := func(i int) {
		t0 := time.Now()
		a := set[i]
		inputs := make(map[*analysis.Analyzer]any, len(a.Requires))
		var failed []string
		for _, req := range a.Requires {
			inputs[req] = runs[index[req]].res
			if runs[index[req]].err != nil {
				failed = append(failed, req.Name)
			}
		}
		run := &runs[i]
		run.res, run.diags, run.err = ua.runAnalyzer(a, inputs, failed)
		run.time = time.Since(t0)
	}
	ready := func(i int) bool {
		for _, req := range set[i].Requires {
			if state[index[req]] != done {
				return false
			}
		}
		return state[i] == waiting && (after[i] < 0 || state[after[i]] == done)
	}
	left := len(set)
	for left > 0 {
		for drained := false; !drained; {
			select {
			case i := <-finished:
				state[i] = done
				left--
			default:
				drained = true
			}
		}
		var next []int
		for i := range set {
			if ready(i) {
				next = append(next, i)
			}
		}
		if len(next) == 0 {
			if left > 0 {
				i := <-finished
				state[i] = done
				left--
			}
			continue
		}
		// All but the last on goroutines of their own while slots are
		// free; the first left over runs here.
		inline := next[len(next)-1]
		for k, i := range next[:len(next)-1] {
			if !ua.r.trySlot() {
				inline = next[k]
				break
			}
			state[i] = started
			go func(i int) {
				defer func() { finished <- i }()
				defer ua.r.releaseSlot()
				exec(i)
			}(i)
		}
		state[inline] = started
		exec(inline)
		state[inline] = done
		left--
	}
	return runs
}

// trySlot takes a free slot of r.slots, if there is one.
func (r *unitRunner) trySlot() bool {
	select {
	case r.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

func (r *unitRunner) releaseSlot() { <-r.slots }

// runAnalyzer runs a on the package with its requirements' results;
// failedReqs are the requirements that failed.
func (ua *unitAnalysis) runAnalyzer(a *analysis.Analyzer, inputs map[*analysis.Analyzer]any, failedReqs []string) (res any, diags []analysis.Diagnostic, err error) {
	failed := failedReqs
	if len(a.FactTypes) > 0 {
		for _, dep := range ua.u.deps {
			if dep.failed[a.Name] {
				failed = append(failed, a.Name+"@"+dep.pkg.ID)
			}
		}
	}
	if failed != nil {
		sort.Strings(failed)
		return nil, nil, fmt.Errorf("failed prerequisites: %s", strings.Join(failed, ", "))
	}
	p := ua.u.pkg
	module := &analysis.Module{}
	if m := p.Module; m != nil {
		module = &analysis.Module{Path: m.Path, Version: m.Version, GoVersion: m.GoVersion}
	}
	pass := &analysis.Pass{
		Analyzer:     a,
		Fset:         ua.fset,
		Files:        ua.files,
		OtherFiles:   p.OtherFiles,
		IgnoredFiles: p.IgnoredFiles,
		Pkg:          ua.tpkg,
		TypesInfo:    ua.info,
		TypesSizes:   p.TypesSizes,
		Module:       module,
		ResultOf:     inputs,
		Report:       func(d analysis.Diagnostic) { diags = append(diags, d) },
		ImportObjectFact: func(obj types.Object, ptr analysis.Fact) bool {
			return ua.objectFact(a, obj, ptr)
		},
		ExportObjectFact: func(obj types.Object, fact analysis.Fact) {
			if obj.Pkg() != ua.tpkg {
				panic(fmt.Sprintf("%s on %s: fact %T set on %s, an object of another package", a.Name, p.ID, fact, obj))
			}
			k := ownKey{a.Name, obj, reflect.TypeOf(fact)}
			ua.mu.Lock()
			defer ua.mu.Unlock()
			if _, ok := ua.own[k]; !ok {
				ua.ownOrder = append(ua.ownOrder, k)
			}
			ua.own[k] = fact
		},
		ImportPackageFact: func(pkg *types.Package, ptr analysis.Fact) bool {
			return ua.packageFact(a, pkg, ptr)
		},
		ExportPackageFact: func(fact analysis.Fact) {
			k := pkgFactKey{a.Name, reflect.TypeOf(fact)}
			ua.mu.Lock()
			defer ua.mu.Unlock()
			if _, ok := ua.ownPkg[k]; !ok {
				ua.pkgOrder = append(ua.pkgOrder, k)
			}
			ua.ownPkg[k] = fact
		},
		AllObjectFacts:  func() []analysis.ObjectFact { return ua.allObjectFacts(a) },
		AllPackageFacts: func() []analysis.PackageFact { return ua.allPackageFacts(a) },
		ReadFile:        readFileOf(p),
	}
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("panic: %v", x)
		}
	}()
	reg := trace.StartRegion(context.Background(), a.Name)
	res, err = a.Run(pass)
	reg.End()
	if err == nil && reflect.TypeOf(res) != a.ResultType {
		err = fmt.Errorf("internal error: analyzer %s returned a result of type %v, but declared ResultType %v", a.Name, reflect.TypeOf(res), a.ResultType)
	}
	return res, diags, err
}

// readFileOf is Pass.ReadFile: the package's own files only.
func readFileOf(p *packages.Package) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		for _, list := range [][]string{p.CompiledGoFiles, p.GoFiles, p.OtherFiles, p.IgnoredFiles, p.EmbedFiles} {
			if slices.Contains(list, name) {
				return os.ReadFile(name)
			}
		}
		return nil, fmt.Errorf("Pass.ReadFile: %s is not among the package's files", name)
	}
}

func setFact(ptr, fact analysis.Fact) {
	reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(fact).Elem())
}

func (ua *unitAnalysis) objectFact(a *analysis.Analyzer, obj types.Object, ptr analysis.Fact) bool {
	ua.mu.Lock()
	defer ua.mu.Unlock()
	if obj == nil {
		panic("nil object")
	}
	t := reflect.TypeOf(ptr)
	if obj.Pkg() == ua.tpkg {
		if f, ok := ua.own[ownKey{a.Name, obj, t}]; ok {
			setFact(ptr, f)
			return true
		}
		return false
	}
	if obj.Pkg() == nil {
		return false
	}
	dep := ua.closure[obj.Pkg().Path()]
	if dep == nil || dep.facts == nil || len(dep.facts.obj) == 0 {
		return false
	}
	path, err := ua.enc.For(obj)
	if err != nil {
		return false
	}
	if f, ok := dep.facts.obj[factKey{a.Name, path, t}]; ok {
		setFact(ptr, f)
		return true
	}
	return false
}

func (ua *unitAnalysis) packageFact(a *analysis.Analyzer, pkg *types.Package, ptr analysis.Fact) bool {
	ua.mu.Lock()
	defer ua.mu.Unlock()
	if pkg == nil {
		panic("nil package")
	}
	t := reflect.TypeOf(ptr)
	var f analysis.Fact
	var ok bool
	if pkg == ua.tpkg {
		f, ok = ua.ownPkg[pkgFactKey{a.Name, t}]
	} else if dep := ua.closure[pkg.Path()]; dep != nil && dep.facts != nil {
		f, ok = dep.facts.pkg[pkgFactKey{a.Name, t}]
	}
	if ok {
		setFact(ptr, f)
	}
	return ok
}

// sortedClosure is the unit's dependencies, sorted by path.
func (ua *unitAnalysis) sortedClosure() []*unit {
	deps := make([]*unit, 0, len(ua.closure))
	for _, dep := range ua.closure {
		deps = append(deps, dep)
	}
	slices.SortFunc(deps, func(x, y *unit) int { return strings.Compare(x.pkg.PkgPath, y.pkg.PkgPath) })
	return deps
}

func (ua *unitAnalysis) allObjectFacts(a *analysis.Analyzer) []analysis.ObjectFact {
	ua.mu.Lock()
	defer ua.mu.Unlock()
	var out []analysis.ObjectFact
	for _, k := range ua.ownOrder {
		if k.analyzer == a.Name {
			out = append(out, analysis.ObjectFact{Object: k.obj, Fact: ua.own[k]})
		}
	}
	for _, dep := range ua.sortedClosure() {
		tp := ua.universe[dep.pkg.PkgPath]
		if dep.facts == nil || tp == nil {
			continue
		}
		for _, k := range dep.facts.objOrder {
			if k.analyzer != a.Name {
				continue
			}
			if obj, err := objectpath.Object(tp, k.path); err == nil {
				out = append(out, analysis.ObjectFact{Object: obj, Fact: dep.facts.obj[k]})
			}
		}
	}
	return out
}

func (ua *unitAnalysis) allPackageFacts(a *analysis.Analyzer) []analysis.PackageFact {
	ua.mu.Lock()
	defer ua.mu.Unlock()
	var out []analysis.PackageFact
	for _, k := range ua.pkgOrder {
		if k.analyzer == a.Name {
			out = append(out, analysis.PackageFact{Package: ua.tpkg, Fact: ua.ownPkg[k]})
		}
	}
	for _, dep := range ua.sortedClosure() {
		if dep.facts == nil {
			continue
		}
		for _, k := range dep.facts.pkgOrder {
			if k.analyzer != a.Name {
				continue
			}
			out = append(out, analysis.PackageFact{Package: ua.packageOf(dep), Fact: dep.facts.pkg[k]})
		}
	}
	return out
}

// packageOf is the types.Package of a dependency in this unit's universe,
// or a stand-in when nothing of it was imported.
func (ua *unitAnalysis) packageOf(dep *unit) *types.Package {
	if tp := ua.universe[dep.pkg.PkgPath]; tp != nil {
		return tp
	}
	if ua.stubs == nil {
		ua.stubs = map[string]*types.Package{}
	}
	tp := ua.stubs[dep.pkg.PkgPath]
	if tp == nil {
		tp = types.NewPackage(dep.pkg.PkgPath, dep.pkg.Name)
		ua.stubs[dep.pkg.PkgPath] = tp
	}
	return tp
}

// encodedFact heads each fact in a package's fact stream.
type encodedFact struct {
	Analyzer string
	Object   string // object path; "" for a package fact
	Package  bool
	Type     string
}

const factsMagic = "kafkalint-facts-v1"

// A factStream is a package's facts as stored; fact types are registered
// with gob (as unitchecker does), so a fact with no fields encodes too.
type factStream struct {
	Magic string
	Facts []gobFact
}

type gobFact struct {
	Head encodedFact
	Fact analysis.Fact
}

// encodeFacts serialises the package's facts that importers can see (the
// checker's rule: objects exported from the package, plus fields and
// methods), in a fixed order.
func (ua *unitAnalysis) encodeFacts() ([]byte, error) {
	type item struct {
		head encodedFact
		fact analysis.Fact
	}
	var items []item
	for _, k := range ua.ownOrder {
		if !exportedFrom(k.obj, ua.tpkg) {
			continue
		}
		path, err := ua.enc.For(k.obj)
		if err != nil {
			continue
		}
		items = append(items, item{encodedFact{Analyzer: k.analyzer, Object: string(path), Type: factTypeName(k.typ)}, ua.own[k]})
	}
	for _, k := range ua.pkgOrder {
		items = append(items, item{encodedFact{Analyzer: k.analyzer, Package: true, Type: factTypeName(k.typ)}, ua.ownPkg[k]})
	}
	slices.SortStableFunc(items, func(x, y item) int {
		return cmp.Or(
			strings.Compare(x.head.Analyzer, y.head.Analyzer),
			boolCompare(x.head.Package, y.head.Package),
			strings.Compare(x.head.Object, y.head.Object),
			strings.Compare(x.head.Type, y.head.Type))
	})
	stream := factStream{Magic: factsMagic}
	for _, it := range items {
		stream.Facts = append(stream.Facts, gobFact{it.head, it.fact})
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&stream); err != nil {
		return nil, fmt.Errorf("encoding facts: %v", err)
	}
	return buf.Bytes(), nil
}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

func (r *unitRunner) decodeFacts(data []byte) (*unitFacts, error) {
	var stream factStream
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&stream); err != nil {
		return nil, err
	}
	if stream.Magic != factsMagic {
		return nil, errors.New("not a facts stream")
	}
	uf := &unitFacts{obj: map[factKey]analysis.Fact{}, pkg: map[pkgFactKey]analysis.Fact{}}
	for _, f := range stream.Facts {
		t, ok := r.factTypes[f.Head.Type]
		if !ok || f.Fact == nil || reflect.TypeOf(f.Fact) != t {
			return nil, fmt.Errorf("unknown fact type %s", f.Head.Type)
		}
		r.strings.internFact(reflect.ValueOf(f.Fact))
		if f.Head.Package {
			k := pkgFactKey{f.Head.Analyzer, t}
			uf.pkg[k] = f.Fact
			uf.pkgOrder = append(uf.pkgOrder, k)
		} else {
			k := factKey{f.Head.Analyzer, objectpath.Path(f.Head.Object), t}
			uf.obj[k] = f.Fact
			uf.objOrder = append(uf.objOrder, k)
		}
	}
	return uf, nil
}

// exportedFrom is the checker's filter of the object facts importers see
// (golang.org/x/tools/go/analysis/checker).
func exportedFrom(obj types.Object, pkg *types.Package) bool {
	switch obj := obj.(type) {
	case *types.Func:
		return obj.Exported() && obj.Pkg() == pkg || obj.Signature().Recv() != nil
	case *types.Var:
		if obj.IsField() {
			return true
		}
		return obj.Pkg() == pkg
	case *types.TypeName, *types.Const:
		return true
	}
	return false
}
