// Package guardedstate reports shared state accessed without the lock that
// guards it: a field read or written on a path that does not hold the lock
// held at most of its other accesses (or named by a checklocks
// annotation), a write under only a read lock, a check-then-act across two
// critical sections, and a *Locked helper called without its lock.
//
// It asks the shared lock model (internal/lockmodel) which locks are held
// before each access, and infers each field's guard from those held sets
// and from the locks callers hold on entry.
package guardedstate

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// Analyzer is the guardedstate analyzer.
var Analyzer = &analysis.Analyzer{
	Name:      "guardedstate",
	Doc:       doc,
	URL:       "https://github.com/kafkalint/kafkalint/blob/main/docs/guardedstate.md",
	Run:       run,
	Requires:  []*analysis.Analyzer{lockmodel.Analyzer, waitmodel.Analyzer},
	FactTypes: []analysis.Fact{(*FieldGuard)(nil), (*EntryLocks)(nil)},
}

// Diagnostic categories (check names).
const (
	CheckUnguarded  = "unguarded-access"
	CheckRLockWrite = "write-under-rlock"
	CheckStaleRead  = "stale-read"
	CheckHelper     = "helper-without-lock"
)

// reportInferred turns on unguarded-access for every field whose guard is
// inferred from held sets rather than annotated (-guardedstate.inferred).
// Without it, an inferred guard is reported only in the default tier
// (concurrent.go: the access runs only on a goroutine the package starts,
// racing a guarded write on another one). Over the whole corpus inferred
// mode makes ~220 reports, about 8 false per 100k lines (bench/TRIAGE.md,
// sessions 5 and 6), above the bar a default check must meet.
// Annotated fields, write-under-rlock, stale-read and helper-without-lock
// are reported either way.
var reportInferred bool

func init() {
	Analyzer.Flags.BoolVar(&reportInferred, "inferred", false,
		"also report unguarded accesses of fields whose guard is inferred, not annotated, outside goroutines the package starts (more findings, more false ones)")
	report.Register(Analyzer, checks...)
}

// location is a field (of one struct type) or package variable and every
// site of this package that accesses it.
type location struct {
	name      string
	field     *types.Var
	sites     []*access // in source order
	guard     string    // guard id; "" when none
	annotated bool
	weak      bool // the guard is held at fewer than minHeld sites: reported only beside a field written with it
	direct    bool // the field of its own struct, not reached inside a container
	held      int  // sites (not exempt) where the guard is held
	counted   int  // sites not exempt
}

// state is one pass's work.
type state struct {
	pass    *analysis.Pass
	res     *lockmodel.Result
	waits   *waitmodel.Result // joins
	r       *report.Reporter
	ann     *annotations
	callers *callers
	entry   map[*ssa.Function]*entryState
	roots   *roots
	locs    map[string]*location
	order   []string
	// sessions: types whose objects hold their owner's lock (sessionTypes).
	sessions map[*types.Named]bool
	// setupMemo: calledBeforeStart's answers.
	setupMemo map[setupKey]bool
	stores    newStores
}

type setupKey struct {
	fn    *ssa.Function
	depth int
}

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[lockmodel.Analyzer].(*lockmodel.Result)
	prog := res.Program()
	if prog == nil {
		return nil, nil
	}
	s := &state{pass: pass, res: res, waits: pass.ResultOf[waitmodel.Analyzer].(*waitmodel.Result), r: report.New(pass), ann: parseAnnotations(pass), locs: map[string]*location{}, setupMemo: map[setupKey]bool{}, stores: newStores{}}
	var fns []*ssa.Function
	for _, fn := range prog.SrcFuncs {
		if !inTestFile(pass, fn) {
			fns = append(fns, fn)
		}
	}
	if unlocked(pass, res, fns) {
		return nil, nil
	}
	s.callers = indexCallers(res.CallIndex(), fns)
	s.roots = &roots{c: s.callers, hidden: s.hiddenClosure, memo: map[*ssa.Function]rootSet{}, fns: fns, receivers: map[string][]*ssa.Function{}}
	s.entry = entryStates(res, s.stores, s.callers, fns, s.ann, s.hiddenClosure)
	s.sessions = sessionTypes(res, fns)
	s.collect(fns)
	for _, name := range s.order {
		s.infer(s.locs[name])
	}
	s.checkUnguarded()
	s.checkRLockWrites()
	s.checkStaleReads()
	s.checkHelpers()
	s.exportFacts(fns)
	s.r.Finish()
	return nil, nil
}

// unlocked: no function of the package holds a lock (the lock model's
// answer) and no +checklocks annotation is in its files or on anything it
// imports. No location then has a guard and no function an entry lock:
// there is nothing to report and no fact to export (most dependencies of
// a client: generated protocol code, compression).
func unlocked(pass *analysis.Pass, res *lockmodel.Result, fns []*ssa.Function) bool {
	if !res.NoneTakesLock(fns) || hasDirective(pass.Files, "+checklocks") {
		return false
	}
	for _, f := range pass.AllObjectFacts() {
		switch f := f.Fact.(type) {
		case *FieldGuard:
			if f.Annotated {
				return false
			}
		case *EntryLocks:
			for _, l := range f.Locks {
				if l.Annotated {
					return false
				}
			}
		}
	}
	return true
}

// inTestFile: tests poke at state after their goroutines are done; their
// accesses neither count nor are reported.
func inTestFile(pass *analysis.Pass, fn *ssa.Function) bool {
	return strings.HasSuffix(pass.Fset.Position(fn.Pos()).Filename, "_test.go")
}

func (s *state) collect(fns []*ssa.Function) {
	atomics := atomicFields(fns)
	skip := func(v *types.Var) bool {
		v = v.Origin()
		return s.ann.ignored[v] || atomics[v]
	}
	for _, fn := range fns {
		if s.ann.skipFunc(fn) || s.hiddenClosure(fn) {
			continue
		}
		for _, a := range collectAccesses(fn, skip) {
			if len(s.ann.lines) > 0 {
				p := s.pass.Fset.Position(a.pos)
				if s.ann.lines[fmt.Sprintf("%s:%d", p.Filename, p.Line)] {
					continue
				}
			}
			a.locks = heldAll(heldBefore(s.res, a.instr), s.entry[fn])
			if len(a.locks) > 0 {
				a.fill()
				a.held = heldIDs(a, a.locks)
			}
			l := s.locs[a.loc]
			if l == nil {
				l = &location{name: a.loc, field: a.field, direct: a.direct}
				s.locs[a.loc] = l
				s.order = append(s.order, a.loc)
			}
			l.sites = append(l.sites, a)
		}
	}
	sort.Strings(s.order)
	// A location none of whose accesses holds a lock of its object, and
	// that no annotation guards, has no guard: nothing is reported about
	// it. The rest of each access (its source text, why it cannot race)
	// is worked out for the others only.
	sels := newSelectors(s.pass.Files)
	live := s.order[:0]
	for _, name := range s.order {
		l := s.locs[name]
		if len(s.annotatedGuards(l)) == 0 && !slices.ContainsFunc(l.sites, func(a *access) bool { return len(a.held) > 0 }) {
			delete(s.locs, name)
			continue
		}
		live = append(live, name)
		for _, a := range l.sites {
			a.fill()
		}
		nameRoots(l.sites, sels)
		for _, a := range l.sites {
			if a.held == nil {
				a.held = heldIDs(a, a.locks)
			}
			a.underLock = len(a.locks) > 0 || s.entry[a.fn] != nil && s.entry[a.fn].anyLock || s.inSession(a)
			a.exempt = s.exemption(a)
		}
	}
	s.order = live
}

// hiddenClosure: a closure stored or handed on somewhere this package
// cannot follow; who runs it, and with which locks, is not known.
func (s *state) hiddenClosure(fn *ssa.Function) bool {
	for f := fn; f != nil && f.Parent() != nil; f = f.Parent() {
		if _, handed := s.callers.runOn[f]; handed {
			return false
		}
		if s.callers.unknown[f] && !s.callers.async[f] && !s.callers.once[f] {
			return true
		}
	}
	return false
}

// heldIDs names the locks held at an access by guard id: the locks of its
// object (and of the structs holding it by value), and package locks.
func heldIDs(a *access, all []lockmodel.HeldLock) map[string]lockmodel.HeldLock {
	ids := map[string]lockmodel.HeldLock{}
	add := func(id string, h lockmodel.HeldLock) {
		if prev, ok := ids[id]; !ok || prev.Mode == lockmodel.Read && h.Mode == lockmodel.Write {
			ids[id] = h
		}
	}
	for _, h := range all {
		if strings.HasPrefix(h.Key, "global:") {
			add(h.Key, h)
			// A package variable's own lock is also the lock of its
			// object, as seen through a pointer to it (go-metrics'
			// NewMeter locks arbiter, tickMeters locks ma = &arbiter).
		}
		for level, obj := range a.objs {
			// The lock of this very object, not of an element of one of
			// its slices or maps (another object).
			if rest, ok := strings.CutPrefix(h.Key, obj+"."); ok && !strings.Contains(rest, "[]") {
				if level == 0 && a.field != nil && strings.HasPrefix(rest, a.field.Name()+".") {
					continue // a lock inside what the field points to: the field is read to reach it
				}
				add(guardID(level, "."+rest), h)
			}
		}
	}
	return ids
}

// heldAll: the locks held at an access, those held on entry included
// (with no position: no acquisition in this function).
func heldAll(held []lockmodel.HeldLock, entry *entryState) []lockmodel.HeldLock {
	all := append([]lockmodel.HeldLock(nil), held...)
	if entry != nil {
		for _, k := range sortedKeys(entry.held) {
			h := entry.held[k]
			h.Pos = 0
			all = append(all, h)
		}
	}
	return all
}

// exemption says why an access cannot race, or "".
func (s *state) exemption(a *access) string {
	top := a.fn
	for top.Parent() != nil {
		if s.callers.once[top] {
			return "once"
		}
		top = top.Parent()
	}
	if top.Name() == "init" && top.Signature.Recv() == nil || strings.HasPrefix(top.Name(), "init#") {
		return "init"
	}
	if alloc, ok := a.root.(*ssa.Alloc); ok && !alloc.Heap {
		return "local"
	}
	if initMethod(a.fn) && a.root == a.fn.Params[0] {
		return "init"
	}
	if a.root != nil && (s.res.Fresh(a.root, a.instr) || unstarted(s.res, a.root, a.instr)) {
		return "fresh"
	}
	if p, ok := a.root.(*ssa.Parameter); ok && isFreshParam(p, s.entry[a.fn]) {
		return "fresh"
	}
	if fv, ok := a.root.(*ssa.FreeVar); ok && s.freshBinding(fv) {
		return "fresh"
	}
	if s.justStored(a) {
		return "fresh"
	}
	if a.kind.writes() && s.beforeStart(a.instr, maxSetupDepth) {
		return "before go"
	}
	return ""
}

// lockedByName: the function's name says its callers hold the lock
// (fooLocked, lockedFoo).
func lockedByName(fn *ssa.Function) bool {
	name := fn.Name()
	return strings.Contains(name, "Locked") || strings.HasPrefix(name, "locked")
}

// freshBinding: fv is bound, at every call of its closure, to an object
// not published yet there (franz-go's mergeSpan fills the batch it just
// made in a closure it calls right away).
func (s *state) freshBinding(fv *ssa.FreeVar) bool {
	fn := fv.Parent()
	idx := -1
	for i, f := range fn.FreeVars {
		if f == fv {
			idx = i
		}
	}
	sites := s.callers.sites[fn]
	if idx < 0 || len(sites) == 0 || s.callers.unknown[fn] {
		return false
	}
	for _, site := range sites {
		if idx >= len(site.bindings) || site.later() {
			return false
		}
		v := site.bindings[idx]
		if alloc, ok := v.(*ssa.Alloc); ok {
			if w := lockmodel.StoredValue(alloc); w != nil {
				v = w // a variable's cell: what it holds
			}
		}
		if !(s.res.Fresh(v, site.instr) || unstarted(s.res, v, site.instr)) {
			return false
		}
	}
	return true
}

// justStored: a goes through x.f, and earlier in its function a new object
// was stored in x.f (r.Coordinator = new(Broker); r.Coordinator.addr =
// ...): it is that object, still being filled in, when no go statement
// comes in between.
func (s *state) justStored(a *access) bool {
	ld, ok := objectLoad(a)
	return ok && loadsNew(s.res, s.stores, ld, a.instr)
}

// newStores indexes, per function, its stores of a value that may be a
// new object (what newObject can accept: an allocation, a call's result)
// with the key of the address stored to: loadsNew's candidates, found once
// per function rather than at every question.
type newStores map[*ssa.Function][]newStore

type newStore struct {
	st  *ssa.Store
	key string // lockmodel.Resolve(st.Addr).Key()
}

func (ns newStores) of(fn *ssa.Function) []newStore {
	if out, ok := ns[fn]; ok {
		return out
	}
	var out []newStore
	for _, b := range fn.Blocks {
		for _, x := range b.Instrs {
			st, ok := x.(*ssa.Store)
			if !ok {
				continue
			}
			switch st.Val.(type) {
			case *ssa.Alloc, *ssa.Call, *ssa.Extract:
				out = append(out, newStore{st, lockmodel.Resolve(st.Addr).Key()})
			}
		}
	}
	ns[fn] = out
	return out
}

// loadsNew: ld loads from x.f (or x[i]) where its function stored a new
// object earlier, with no go statement in between (sarama's
// r.Brokers[i] = new(Broker); r.Brokers[i].decode(pd)).
func loadsNew(res *lockmodel.Result, ns newStores, ld *ssa.UnOp, at ssa.Instruction) bool {
	cands := ns.of(ld.Parent())
	if len(cands) == 0 {
		return false
	}
	key := lockmodel.Resolve(ld.X).Key()
	idx, isIndex := ld.X.(*ssa.IndexAddr)
	for _, c := range cands {
		st := c.st
		if c.key != key || !callindex.Before(st, at) {
			continue
		}
		if isIndex {
			if sidx, ok := st.Addr.(*ssa.IndexAddr); !ok || !sameIndex(sidx.Index, idx.Index) {
				continue // another element
			}
		}
		if newObject(res, st.Val) && !goBetween(res.CallIndex(), st, at) {
			return true
		}
	}
	return false
}

func sameIndex(a, b ssa.Value) bool {
	ca, okA := a.(*ssa.Const)
	cb, okB := b.(*ssa.Const)
	if okA && okB {
		return ca.Value != nil && cb.Value != nil && constant.Compare(ca.Value, token.EQL, cb.Value)
	}
	return a == b
}

// objectLoad: the load of the pointer whose field a accesses (the x.f in
// x.f.g), if it is one.
func objectLoad(a *access) (*ssa.UnOp, bool) {
	var addr ssa.Value
	switch x := a.instr.(type) {
	case *ssa.UnOp:
		addr = x.X
	case *ssa.Store:
		addr = x.Addr
	default:
		return nil, false
	}
	fa, ok := addr.(*ssa.FieldAddr)
	if !ok {
		return nil, false
	}
	ld, ok := fa.X.(*ssa.UnOp)
	return ld, ok && ld.Op == token.MUL
}

func goBetween(ix *callindex.Index, from, to ssa.Instruction) bool {
	for _, x := range ix.GoStmts(from.Parent()) {
		if lockmodel.Reaches(from, x) && lockmodel.Reaches(x, to) {
			return true
		}
	}
	return false
}

// beforeGo: instr runs before every goroutine start of its function that
// it reaches (go statements, errgroup-style Go methods, time.AfterFunc),
// and reaches one: the goroutines it starts see the write.
func beforeGo(res *lockmodel.Result, instr ssa.Instruction) bool {
	found := false
	for _, x := range goStarts(res, instr.Parent()) {
		if lockmodel.Reaches(x, instr) {
			return false
		}
		if lockmodel.Reaches(instr, x) {
			found = true
		}
	}
	return found
}

// maxSetupDepth bounds beforeStart's walk up through callers.
const maxSetupDepth = 3

// beforeStart: instr runs before the goroutines its function starts
// (beforeGo), or its function is a helper of this package called only
// before its callers start theirs, none started in it first (go-ethereum's
// p2p.Server.Start calls setupLocalNode and setupDiscovery, then go
// srv.run(): what they write, run and the getters read after it).
func (s *state) beforeStart(instr ssa.Instruction, depth int) bool {
	if beforeGo(s.res, instr) {
		return true
	}
	fn := instr.Parent()
	if depth == 0 || !s.calledBeforeStart(fn, depth) {
		return false
	}
	for _, x := range goStarts(s.res, fn) {
		if lockmodel.Reaches(x, instr) {
			return false
		}
	}
	return true
}

// calledBeforeStart: every call of fn (a function of this package no one
// else calls) is before its caller's goroutine starts; memoized.
func (s *state) calledBeforeStart(fn *ssa.Function, depth int) bool {
	k := setupKey{fn, depth}
	if v, ok := s.setupMemo[k]; ok {
		return v
	}
	sites := s.callers.sites[fn]
	ok := fn.Parent() == nil && !s.callers.unknown[fn] && len(sites) > 0
	for _, site := range sites {
		if !ok {
			break
		}
		ok = !site.deferred && site.wrap == nil && site.caller != fn && s.beforeStart(site.instr, depth-1)
	}
	s.setupMemo[k] = ok
	return ok
}

// atomicFields are fields whose address is passed to sync/atomic: every
// access to them is meant to be atomic.
func atomicFields(fns []*ssa.Function) map[*types.Var]bool {
	out := map[*types.Var]bool{}
	for _, fn := range fns {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok {
					continue
				}
				callee := call.Call.StaticCallee()
				if callee == nil || callee.Pkg == nil || callee.Pkg.Pkg.Path() != "sync/atomic" {
					continue
				}
				for _, arg := range call.Call.Args {
					if fa, ok := arg.(*ssa.FieldAddr); ok {
						if st, _ := lockmodel.StructOf(fa.X.Type()); st != nil {
							out[st.Field(fa.Field).Origin()] = true
						}
					}
				}
			}
		}
	}
	return out
}

// minHeld is the evidence a guard needs on its own: held at this many
// accesses (and at least half). With fewer (a field read twice under a
// lock that is a gate, not a guard) the evidence is too thin.
const minHeld = 3

// infer decides a location's guard: its annotation, or the lock held at
// the most of its sites, when that is at least half of them (and two).
func (s *state) infer(l *location) {
	ann := s.annotatedGuards(l)
	counts := map[string]int{}
	for _, a := range l.sites {
		if a.exempt != "" {
			continue
		}
		l.counted++
		for id := range a.held {
			counts[id]++
		}
	}
	if len(ann) > 0 {
		l.guard, l.annotated = ann[0], true
		l.held = counts[l.guard]
		return
	}
	best, n := "", 0
	for _, id := range sortedKeys(counts) {
		if counts[id] > n {
			best, n = id, counts[id]
		}
	}
	if n >= 1 && 2*n >= l.counted {
		l.guard, l.held, l.weak = best, n, n < minHeld
	}
}

// annotatedGuards: the guards a +checklocks annotation names for the
// location's field, here or (by its fact) in the package declaring it.
func (s *state) annotatedGuards(l *location) []string {
	if l.field == nil {
		return nil
	}
	if ann := s.ann.fields[l.field.Origin()]; len(ann) > 0 {
		return ann
	}
	var fg FieldGuard
	if l.field.Pkg() != s.pass.Pkg && s.pass.ImportObjectFact(l.field.Origin(), &fg) && fg.Annotated {
		return []string{guardID(0, fg.Guard)}
	}
	return nil
}

// guardText names the guard as seen from access a ("f.mu").
func guardText(id string, a *access) string {
	if strings.HasPrefix(id, "global:") {
		g := strings.TrimPrefix(id, "global:")
		return g[strings.LastIndex(g, "/")+1:]
	}
	level := int(id[0] - '0')
	if level < len(a.objText) {
		return a.objText[level] + id[1:]
	}
	return strings.TrimPrefix(id[1:], ".")
}

// writesUnder: a location has a site that writes it with the guard held.
func guardedSites(l *location) []*access {
	var out []*access
	for _, a := range l.sites {
		if a.exempt == "" {
			if _, ok := a.held[l.guard]; ok {
				out = append(out, a)
			}
		}
	}
	return out
}

func (s *state) related(l *location, u *access) []analysis.RelatedInformation {
	var pick []*access
	// Sites in other functions first, those that conflict with u first.
	for pass := 0; pass < 3 && len(pick) < 3; pass++ {
		for _, g := range guardedSites(l) {
			if len(pick) == 3 {
				break
			}
			other := g.fn != u.fn
			conflict := g.kind.writes() || u.kind.writes()
			ok := pass == 0 && other && conflict || pass == 1 && other && !conflict || pass == 2 && !other
			if ok && !containsAccess(pick, g) {
				pick = append(pick, g)
			}
		}
	}
	var out []analysis.RelatedInformation
	for _, g := range pick {
		out = append(out, analysis.RelatedInformation{Pos: g.pos,
			Message: fmt.Sprintf("%s %s with %s held, in %s", g.text, g.kind, guardText(l.guard, g), lockmodel.FuncName(g.fn))})
	}
	return out
}

func containsAccess(as []*access, a *access) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}
