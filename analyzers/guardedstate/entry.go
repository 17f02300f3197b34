package guardedstate

import (
	"fmt"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// callSite is a place where a function of this package is called and
// what its inputs are there.
type callSite struct {
	instr    ssa.Instruction // the call (or the go statement, or the call a closure is passed to)
	caller   *ssa.Function
	args     []ssa.Value // by parameter index
	bindings []ssa.Value // by free variable index (closures)
	deferred bool        // runs at the caller's RunDefers
	// wrap: the function value is passed to a wrapper that calls it
	// holding locks of its own (instr is the wrapper's call).
	wrap *wrapping
}

// later: the function runs after the call, in a closure the wrapper
// made: nothing the caller held or knew at the call holds then.
func (s callSite) later() bool { return s.wrap != nil && s.wrap.later }

// callers indexes how each function of the package can be entered.
type callers struct {
	sites map[*ssa.Function][]callSite
	// unknown: the function can be entered from where this package
	// cannot see (exported, a method value, stored, an interface
	// method, a goroutine or a timer): no lock is held on entry.
	unknown map[*ssa.Function]bool
	// async: closures run by a go statement or a timer.
	async map[*ssa.Function]bool
	// once: closures run by sync.Once.Do.
	once map[*ssa.Function]bool
	// runOn: closures handed to a function that sends them on this
	// channel field, for the goroutine that receives them to run.
	runOn map[*ssa.Function]string
	// joined: goroutine closures their starter waits for (wg.Done in the
	// closure, wg.Wait after the go statement): fork-join, on the
	// starter's behalf.
	joined map[*ssa.Function]*ssa.Function
	// public: unknown only because other packages (or interface calls)
	// may call it: exported, or a method an interface here names. Its
	// entry from the calls this package sees is partial (see entryStates).
	public map[*ssa.Function]bool
}

// runsOnce: the call is sync.Once.Do(v) (the call index's table of
// library calls that run user code).
func runsOnce(call *ssa.CallCommon, v ssa.Value) bool {
	f, _ := callindex.FuncValue(v)
	for _, uc := range callindex.UserCode(nil, call) {
		if uc.Via == "sync.Once.Do" && uc.Fn == f {
			return true
		}
	}
	return false
}

// runsLater: the call hands v to the library to run later on another
// goroutine (time.AfterFunc; the call index's table).
func runsLater(call *ssa.CallCommon, v ssa.Value) bool {
	f, _ := callindex.FuncValue(v)
	later, _, _ := callindex.RunsLater(call)
	return later != nil && later == f
}

// indexCallers classifies how each of fns is entered, from the call
// index's record of where function values are used.
func indexCallers(ix *callindex.Index, fns []*ssa.Function) *callers {
	c := &callers{sites: map[*ssa.Function][]callSite{}, unknown: map[*ssa.Function]bool{}, async: map[*ssa.Function]bool{}, once: map[*ssa.Function]bool{}, runOn: map[*ssa.Function]string{}, joined: map[*ssa.Function]*ssa.Function{}}
	invoked := map[string]bool{}
	for _, fn := range fns {
		for _, call := range ix.Invokes(fn) {
			invoked[call.Method.Name()] = true
		}
	}
	public := map[*ssa.Function]bool{}
	for _, fn := range fns {
		if fn.Parent() == nil {
			obj := fn.Object()
			switch {
			case obj == nil || fn.Signature.Recv() == nil && (fn.Name() == "init" || fn.Name() == "main"):
				c.unknown[fn] = true
			case obj.Exported() || invoked[fn.Name()] && fn.Signature.Recv() != nil:
				public[fn] = true
			}
		}
		for _, use := range ix.FuncUses(fn) {
			c.visit(fn, use.Instr, use.Value)
		}
	}
	c.public = map[*ssa.Function]bool{}
	for _, fn := range fns {
		if public[fn] {
			// Entered from other packages (or through an interface) as
			// well as from the calls seen here.
			if !c.unknown[fn] {
				c.public[fn] = true
			}
			c.unknown[fn] = true
		}
	}
	return c
}

// visit classifies one use v of a function value by instr in fn (the
// call index's FuncUses: a closure's making is not one of them).
func (c *callers) visit(fn *ssa.Function, instr ssa.Instruction, v ssa.Value) {
	callee, bindings := funcOf(v)
	if callee == nil {
		return
	}
	if mc, ok := v.(*ssa.MakeClosure); ok && mc.Fn.(*ssa.Function).Synthetic != "" {
		if w := wrapped(instr, v); w != nil && len(mc.Bindings) == 1 {
			// s.wrapChk(s.heartbeatStatsz): the method runs on its
			// receiver, under the wrapper's locks.
			w.recv = true
			c.sites[callee] = append(c.sites[callee], callSite{instr: instr, caller: fn, args: mc.Bindings, wrap: w})
			return
		}
		c.unknown[callee] = true // a method value: entered from wherever it goes
		return
	}
	ci, isCall := instr.(ssa.CallInstruction)
	switch {
	case isCall && ci.Common().Value == v:
		site := callSite{instr: instr, caller: fn, args: ci.Common().Args, bindings: bindings}
		switch instr.(type) {
		case *ssa.Go:
			c.async[callee] = true
			c.unknown[callee] = true
			if waitsFor(instr, bindings, callee) {
				c.joined[callee] = fn
			}
			return
		case *ssa.Defer:
			site.deferred = true
		}
		c.sites[callee] = append(c.sites[callee], site)
	case isCall && !ci.Common().IsInvoke():
		// A function value passed to a call: run by the callee,
		// synchronously (sort.Slice, a helper's callback), except
		// for timers; sync.Once.Do runs it once.
		if loc := sendsArgOn(ci.Common(), v); loc != "" && callee.Parent() != nil {
			c.runOn[callee] = loc
			c.unknown[callee] = true // entered with nothing held
			return
		}
		if w := wrapped(instr, v); w != nil {
			// Called by a wrapper of this package, under its locks.
			c.sites[callee] = append(c.sites[callee], callSite{instr: instr, caller: fn, bindings: bindings, wrap: w})
			return
		}
		switch {
		case runsOnce(ci.Common(), v):
			c.once[callee] = true
			c.unknown[callee] = true
		case runsLater(ci.Common(), v) || isGo(instr):
			c.async[callee] = true
			c.unknown[callee] = true
		case callee.Parent() != nil && !callsParamOnly(ci.Common(), v):
			// A function of this package that keeps or sends it on
			// (to another goroutine's queue): run who knows where.
			c.unknown[callee] = true
		case callee.Parent() != nil:
			// Params are the callee's business; free variables are ours.
			c.sites[callee] = append(c.sites[callee], callSite{instr: instr, caller: fn, bindings: bindings})
		default:
			c.unknown[callee] = true
		}
	default:
		c.unknown[callee] = true // stored, converted, returned: entered from anywhere
	}
}

// wrapped: instr is a plain call handing v to a wrapper (wrapperOf).
func wrapped(instr ssa.Instruction, v ssa.Value) *wrapping {
	call, ok := instr.(*ssa.Call)
	if !ok || call.Call.IsInvoke() || call.Call.Value == v {
		return nil
	}
	return wrapperOf(&call.Call, v)
}

// callsParamOnly: the function value v, passed to call, is only called
// by the callee (directly), or the callee is not in this package (the
// standard library's sort.Slice and the like run it right away; timers
// are callindex.RunsLater's).
func callsParamOnly(call *ssa.CallCommon, v ssa.Value) bool {
	callee := call.StaticCallee()
	if callee == nil {
		return false
	}
	if len(callee.Blocks) == 0 {
		return true
	}
	for i, a := range call.Args {
		if a != v || i >= len(callee.Params) {
			continue
		}
		for _, r := range *callee.Params[i].Referrers() {
			c, ok := r.(*ssa.Call)
			if !ok || c.Call.Value != callee.Params[i] {
				return false
			}
		}
	}
	return true
}

// sendsArgOn: the callee sends the function value v (an argument) on a
// channel field for another goroutine to run; that field, or "".
func sendsArgOn(call *ssa.CallCommon, v ssa.Value) string {
	callee := call.StaticCallee()
	if callee == nil || len(callee.Blocks) == 0 {
		return ""
	}
	for i, a := range call.Args {
		if a == v {
			return sendsParamOn(callee, i)
		}
	}
	return ""
}

// waitsFor: the go statement's closure calls Done on a WaitGroup it
// captured, and the starter calls Wait on that WaitGroup after the go
// statement.
func waitsFor(g ssa.Instruction, bindings []ssa.Value, closure *ssa.Function) bool {
	for j, fv := range closure.FreeVars {
		if j >= len(bindings) || !callsWG(closure, fv, "Done") {
			continue
		}
		for _, b := range g.Parent().Blocks {
			for _, x := range b.Instrs {
				if c, ok := x.(*ssa.Call); ok && isWGCall(c.Common(), "Wait") && c.Call.Args[0] == bindings[j] && lockmodel.Reaches(g, x) {
					return true
				}
			}
		}
	}
	return false
}

func callsWG(fn *ssa.Function, recv ssa.Value, method string) bool {
	for _, b := range fn.Blocks {
		for _, x := range b.Instrs {
			if ci, ok := x.(ssa.CallInstruction); ok && isWGCall(ci.Common(), method) && ci.Common().Args[0] == recv {
				return true
			}
		}
	}
	return false
}

func isWGCall(c *ssa.CallCommon, method string) bool {
	fn := c.StaticCallee()
	return fn != nil && len(c.Args) == 1 && lockmodel.FuncName(fn) == "(*sync.WaitGroup)."+method
}

func isGo(instr ssa.Instruction) bool { _, ok := instr.(*ssa.Go); return ok }

// funcOf: v is a function value of this program (a function, a closure,
// a bound method): the function it runs and the closure's bindings.
func funcOf(v ssa.Value) (*ssa.Function, []ssa.Value) {
	switch v := v.(type) {
	case *ssa.Function:
		return origin(v), nil
	case *ssa.MakeClosure:
		fn := v.Fn.(*ssa.Function)
		if fn.Parent() == nil && fn.Synthetic != "" {
			return methodOf(fn), nil // a bound method: the method itself
		}
		return fn, v.Bindings
	}
	return nil, nil
}

// methodOf is the declared method a bound-method wrapper calls.
func methodOf(wrapper *ssa.Function) *ssa.Function {
	for _, b := range wrapper.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(*ssa.Call); ok {
				if fn := c.Call.StaticCallee(); fn != nil {
					return origin(fn)
				}
			}
		}
	}
	return wrapper
}

func origin(fn *ssa.Function) *ssa.Function {
	if o := fn.Origin(); o != nil {
		return o
	}
	return fn
}

// entryState is what holds when a function is entered from every caller
// this package sees.
type entryState struct {
	// held: locks (keyed in the function's own terms: "param0.mu",
	// "free1.mu", "global:p.mu") held at every call.
	held map[string]lockmodel.HeldLock
	// majority: locks held at most calls but not all, with the count;
	// a helper whose callers normally hold a lock (*Locked).
	majority  map[string]helperLock
	fresh     map[string]bool // "param0": a new, unpublished object at every call
	annotated bool            // from +checklocks annotations: callers without the lock are reported
	partial   bool            // a public function's: from this package's calls only
	// anyLock: every call holds some lock, one this function cannot name
	// (its caller's, guarding what it passes): its accesses are under a
	// protocol of their own.
	anyLock bool
}

type helperLock struct {
	lock      lockmodel.HeldLock
	held, all int
	bare      []callSite // the calls without it
	guarded   []callSite // some calls with it
}

// entryRounds bounds the fixpoint below (a helper of a helper of a
// helper...); it stops earlier when nothing changes.
const entryRounds = 8

// entryStates computes, for the functions entered from calls this package
// sees, the locks held at all of them (and at most of them). It is a
// greatest fixpoint: a caller whose own entry is not computed yet is left
// out (optimistic), so mutual recursion (sarama's newSession and
// retryNewSession) keeps the lock its outer caller holds. A public
// function (exported, or named by an interface) gets a partial entry from
// the calls seen here: its accesses count as guarded when every one of
// them holds the lock, but it exports no fact and its bare callers are not
// reported (other packages' calls are not seen).
func entryStates(res *lockmodel.Result, ns newStores, c *callers, fns []*ssa.Function, ann *annotations, hidden func(*ssa.Function) bool) map[*ssa.Function]*entryState {
	states := map[*ssa.Function]*entryState{}
	inferred := func(fn *ssa.Function) bool {
		return ann.entryOf(fn) == nil && (!c.unknown[fn] || c.public[fn]) && len(c.sites[fn]) > 0
	}
	computed := map[*ssa.Function]bool{}
	memo := siteMemo{}
	pending := func(caller *ssa.Function) bool { return inferred(caller) && !computed[caller] }
	for _, fn := range fns {
		if es := ann.entryOf(fn); es != nil {
			states[fn] = es
		} else if es := withReleases(res, fn, nil); es != nil {
			states[fn] = es
		}
	}
	for round := 0; round < entryRounds; round++ {
		changed := false
		for _, fn := range fns {
			if !inferred(fn) {
				continue
			}
			es := entryOf(res, fn, c.sites[fn], memo.of(res, ns, fn, c.sites[fn]), states, hidden, pending, c.public[fn])
			if es == nil {
				continue // every call is from a caller not computed yet
			}
			es = withReleases(res, fn, es)
			if !computed[fn] || !sameEntry(states[fn], es) {
				changed = true
			}
			computed[fn] = true
			states[fn] = es
		}
		if !changed {
			break
		}
	}
	return states
}

// sameEntry: a and b say the same (the fixpoint is reached).
func sameEntry(a, b *entryState) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.anyLock == b.anyLock && slices.Equal(sortedKeys(a.held), sortedKeys(b.held)) &&
		slices.Equal(sortedKeys(a.majority), sortedKeys(b.majority)) && slices.Equal(sortedKeys(a.fresh), sortedKeys(b.fresh))
}

// withReleases adds to es the locks fn releases without taking them (its
// summary's Releases, from the lock model): whoever runs fn holds them on
// entry, whether a caller or the goroutine that handed them over (sarama's
// Broker.Open locks b.lock and its goroutine unlocks it).
func withReleases(res *lockmodel.Result, fn *ssa.Function, es *entryState) *entryState {
	sum := res.Summary(fn)
	if sum == nil || len(sum.Releases) == 0 {
		return es
	}
	if es == nil {
		es = &entryState{held: map[string]lockmodel.HeldLock{}, majority: map[string]helperLock{}, fresh: map[string]bool{}}
	}
	for _, r := range sum.Releases {
		var key string
		switch {
		case r.Param >= 0:
			key = fmt.Sprintf("param%d%s", r.Param, r.Path)
		case r.FreeVar >= 0:
			key = fmt.Sprintf("free%d%s", r.FreeVar, r.Path)
		case r.Global != "":
			key = "global:" + r.Global + r.Path
		default:
			continue
		}
		if _, ok := es.held[key]; !ok {
			es.held[key] = lockmodel.HeldLock{Key: key, Mode: lockmodel.Write, Lock: key}
		}
	}
	return es
}

// siteFacts is what a call says that does not change between the rounds
// of entryStates (computed once: the lock model's queries and the scans
// for new objects are most of its cost).
type siteFacts struct {
	held []lockmodel.HeldLock // held in the caller at the call, its entry locks left out
	// wrapped: held by the wrapper around its calls of the function
	// value, in the callee's terms ("param0.mu").
	wrapped map[string]lockmodel.HeldLock
	// wrapLocked: the wrapper holds some lock at its calls (one the
	// callee may have no name for).
	wrapLocked bool
	fresh      []bool      // by argument: a new object not published yet
	roots      []ssa.Value // by argument: its root (a caller's fresh parameter?)
	// inputs: the instance keys of the call's arguments and bindings
	// (mapKey's), found when first needed; own: held mapped onto the
	// callee's inputs (nil when none is held).
	inputs *siteInputs
	own    map[string]lockmodel.HeldLock
}

func (f *siteFacts) inputsOf(s callSite) siteInputs {
	if f.inputs == nil {
		in := inputsOf(s)
		f.inputs = &in
	}
	return *f.inputs
}

// siteInputs are the lock model's instance keys of a call's arguments and
// a closure's bindings, by index: what a caller's lock key is mapped
// through onto the callee's inputs.
type siteInputs struct{ args, bindings []string }

func inputsOf(s callSite) siteInputs {
	var in siteInputs
	for _, a := range s.args {
		in.args = append(in.args, lockmodel.Resolve(a).Key())
	}
	for _, b := range s.bindings {
		in.bindings = append(in.bindings, lockmodel.Resolve(b).Key())
	}
	return in
}

// addMapped adds h, held in the caller, to mapped under its key in the
// callee's terms, unless a lock is there already (a read lock gives way).
func addMapped(mapped map[string]lockmodel.HeldLock, h lockmodel.HeldLock, in siteInputs) {
	if k, ok := in.mapKey(h.Key); ok {
		if prev, seen := mapped[k]; !seen || prev.Mode == lockmodel.Read {
			h.Key = k
			mapped[k] = h
		}
	}
}

type siteMemo map[*ssa.Function][]*siteFacts

// of returns the facts of fn's call sites, in the order of sites.
func (m siteMemo) of(res *lockmodel.Result, ns newStores, fn *ssa.Function, sites []callSite) []*siteFacts {
	if f, ok := m[fn]; ok {
		return f
	}
	out := make([]*siteFacts, len(sites))
	for i, s := range sites {
		f := &siteFacts{held: heldAtCall(res, s, nil)}
		if s.wrap != nil {
			f.wrapped = heldByWrapper(res, s)
			f.wrapLocked = wrapperLocks(res, s.wrap)
		}
		for i := range f.held {
			// The memo lives through every round; the chains (the lock
			// model's replay of the caller) are never read here.
			f.held[i].Chain = nil
		}
		if len(f.held) > 0 {
			f.own = map[string]lockmodel.HeldLock{}
			for _, h := range f.held {
				addMapped(f.own, h, f.inputsOf(s))
			}
		}
		for _, a := range s.args {
			f.fresh = append(f.fresh, !s.later() && freshArg(res, ns, a, s.instr, nil))
			f.roots = append(f.roots, lockmodel.Resolve(a).Root())
		}
		out[i] = f
	}
	m[fn] = out
	return out
}

func entryOf(res *lockmodel.Result, fn *ssa.Function, all []callSite, allFacts []*siteFacts, states map[*ssa.Function]*entryState, hidden, pending func(*ssa.Function) bool, partial bool) *entryState {
	var sites []callSite
	var facts []*siteFacts
	for i, s := range all {
		if s.caller != fn && !pending(s.caller) { // a recursive call keeps the entry it has
			sites = append(sites, s)
			facts = append(facts, allFacts[i])
		}
	}
	if len(sites) == 0 {
		return nil
	}
	es := &entryState{held: map[string]lockmodel.HeldLock{}, majority: map[string]helperLock{}, fresh: map[string]bool{}, partial: partial}
	counts := map[string]*helperLock{}
	freshCount := map[string]int{}
	// A call passing a new, unpublished object needs no lock on it (a
	// constructor configuring what it made): it does not count for the
	// locks of that parameter.
	freshAt := make([]map[string]bool, len(sites))
	// Each call's held locks in the callee's terms, mapped once (a lock k
	// is held at call si when mappedAt[si] has k: holdsKey's answer,
	// without mapping every held lock again for every k).
	mappedAt := make([]map[string]lockmodel.HeldLock, len(sites))
	locked := 0 // calls under some lock (or in a caller run who knows where)
	for si, s := range sites {
		f := facts[si]
		for i := range s.args {
			if f.fresh[i] || !s.later() && f.roots[i] != nil && isFreshParam(f.roots[i], states[s.caller]) {
				p := paramKey(i)
				freshCount[p]++
				if freshAt[si] == nil {
					freshAt[si] = map[string]bool{}
				}
				freshAt[si][p] = true
			}
		}
		// The locks held at the call: the caller's own (mapped once, in
		// f.own), then its entry locks, then the wrapper's.
		var entry map[string]lockmodel.HeldLock
		if caller := states[s.caller]; !s.later() && caller != nil {
			entry = caller.held
		}
		if len(f.held) > 0 || len(entry) > 0 || f.wrapLocked || !s.later() && (hidden(s.caller) || states[s.caller] != nil && states[s.caller].anyLock) {
			locked++
		}
		if len(f.own) == 0 && len(entry) == 0 && len(f.wrapped) == 0 {
			continue // nothing held to map: no lock to count at this call
		}
		mapped := maps.Clone(f.own)
		if mapped == nil {
			mapped = map[string]lockmodel.HeldLock{}
		}
		for _, k := range sortedKeys(entry) {
			addMapped(mapped, entry[k], f.inputsOf(s))
		}
		for k, h := range f.wrapped {
			if prev, seen := mapped[k]; !seen || prev.Mode == lockmodel.Read {
				mapped[k] = h
			}
		}
		mappedAt[si] = mapped
		for _, k := range sortedKeys(mapped) {
			if freshAt[si][paramOf(k)] {
				continue
			}
			hl := counts[k]
			if hl == nil {
				hl = &helperLock{lock: mapped[k]}
				counts[k] = hl
			}
			hl.held++
			if len(hl.guarded) < 3 {
				hl.guarded = append(hl.guarded, s)
			}
		}
	}
	es.anyLock = len(sites) > 0 && locked == len(sites)
	for _, k := range sortedKeys(counts) {
		hl := counts[k]
		var bare []callSite
		for si, s := range sites {
			if freshAt[si][paramOf(k)] {
				continue
			}
			hl.all++
			if _, held := mappedAt[si][k]; !held {
				bare = append(bare, s)
			}
		}
		switch {
		case hl.held == hl.all:
			es.held[k] = hl.lock
		case 2*hl.held >= hl.all && hl.held >= 2 && !partial:
			hl.bare = bare
			es.majority[k] = *hl
			es.held[k] = hl.lock // the helper's body counts as guarded; its bare callers are reported
		}
	}
	for k, n := range freshCount {
		if n == len(sites) && !(partial && exported(fn)) {
			// An exported function's other callers pass objects of
			// their own (kafka-go's Batch.Read, called here only on a
			// batch just made).
			es.fresh[k] = true
		}
	}
	return es
}

func exported(fn *ssa.Function) bool {
	obj := fn.Object()
	return obj != nil && obj.Exported()
}

// paramOf: "param0" of "param0.mu"; "" for other keys.
func paramOf(key string) string {
	if !strings.HasPrefix(key, "param") {
		return ""
	}
	head, _, _ := strings.Cut(key, ".")
	return head
}

func holdsAt(res *lockmodel.Result, s callSite, caller *entryState, key string) bool {
	if s.wrap != nil {
		if _, ok := heldByWrapper(res, s)[key]; ok {
			return true
		}
	}
	return holdsKey(heldAtCall(res, s, caller), s, key)
}

// holdsKey: one of held, mapped onto the callee's inputs, is key.
func holdsKey(held []lockmodel.HeldLock, s callSite, key string) bool {
	for _, h := range held {
		if k, ok := mapKey(h.Key, s); ok && k == key {
			return true
		}
	}
	return false
}

// freshArg: a is (a field of) an object not yet published at the call.
func freshArg(res *lockmodel.Result, ns newStores, a ssa.Value, at ssa.Instruction, caller *entryState) bool {
	if ld, ok := a.(*ssa.UnOp); ok && ld.Op == token.MUL && loadsNew(res, ns, ld, at) {
		return true
	}
	root := lockmodel.Resolve(a).Root()
	if root == nil {
		return false
	}
	return res.Fresh(root, at) || isFreshParam(root, caller) || unstarted(res, root, at)
}

// unstarted: root is a new object of at's function that no goroutine can
// reach yet: no go statement runs before at, and the pointer is stored
// or sent nowhere before it (a constructor that hands the new client to
// hooks and then initializes its parts).
func unstarted(res *lockmodel.Result, root ssa.Value, at ssa.Instruction) bool {
	if root.Parent() != at.Parent() || !newObject(res, root) {
		return false
	}
	// Only go statements: an errgroup's goroutines are joined by its
	// Wait, which the join checks do not know (go-ethereum's
	// trienodeReader.readOptimized reads its queue after eg.Wait()).
	for _, x := range res.CallIndex().GoStmts(root.Parent()) {
		if x != at && lockmodel.Reaches(x, at) {
			return false
		}
	}
	for _, r := range *root.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			if _, cell := r.Addr.(*ssa.Alloc); !cell && r.Val == root && lockmodel.Reaches(r, at) {
				return false // stored somewhere other than a variable of its own
			}
		case *ssa.Send:
			if r.X == root && lockmodel.Reaches(r, at) {
				return false
			}
		}
	}
	return true
}

// newObject: v is an object its function made (a heap allocation, or a
// constructor's result by the constructor's summary): the model's Fresh
// right after v is defined, before anything could publish it.
func newObject(res *lockmodel.Result, v ssa.Value) bool {
	if constructed(res, v) || pooled(v) {
		return true
	}
	instr, ok := v.(ssa.Instruction)
	if !ok || instr.Block() == nil {
		return false
	}
	instrs := instr.Block().Instrs
	for i, x := range instrs {
		if x == instr && i+1 < len(instrs) {
			return res.Fresh(v, instrs[i+1])
		}
	}
	return false
}

// pooled: v is what sync.Pool.Get returned: no one else holds it until it
// is put back or handed on (go-redis' getFDBlockingBatch resets the batch
// it got).
func pooled(v ssa.Value) bool {
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	fn := call.Call.StaticCallee()
	return fn != nil && lockmodel.FuncName(fn) == "(*sync.Pool).Get"
}

// constructed: v is the pointer result of a call of a constructor of this
// package (newFoo, NewFoo) returning a pointer to a struct. The model's
// summary proves fresh only results that never escaped; a constructor
// whose object points back to itself (etcd's newStore: s.Root =
// newDir(s, ...)) or registers itself is still not shared with another
// goroutine when it returns, by what its name promises.
func constructed(res *lockmodel.Result, v ssa.Value) bool {
	var call *ssa.Call
	switch v := v.(type) {
	case *ssa.Call:
		call = v
	case *ssa.Extract:
		if v.Index != 0 {
			return false
		}
		call, _ = v.Tuple.(*ssa.Call)
	}
	if call == nil {
		return false
	}
	callee := call.Call.StaticCallee()
	if callee == nil || callee.Pkg == nil || callee.Pkg != call.Parent().Pkg || callee.Signature.Recv() != nil {
		return false
	}
	name := callee.Name()
	rest, ok := strings.CutPrefix(name, "new")
	if !ok {
		rest, ok = strings.CutPrefix(name, "New")
	}
	if !ok || rest != "" && !(rest[0] >= 'A' && rest[0] <= 'Z') {
		return false
	}
	results := callee.Signature.Results()
	if results.Len() == 0 {
		return false
	}
	st, _ := lockmodel.StructOf(results.At(0).Type())
	_, isPtr := results.At(0).Type().Underlying().(*types.Pointer)
	return st != nil && isPtr && !startsGoroutine(res, callee)
}

// startsGoroutine: fn (or a closure of it) starts a goroutine: what it
// makes may be shared with it.
func startsGoroutine(res *lockmodel.Result, fn *ssa.Function) bool {
	if len(goStarts(res, fn)) > 0 {
		return true
	}
	for _, anon := range fn.AnonFuncs {
		if startsGoroutine(res, anon) {
			return true
		}
	}
	return false
}

// goStarts: the instructions of fn that start a goroutine: its go
// statements and what the call index knows as starts (errgroup-style Go
// methods).
func goStarts(res *lockmodel.Result, fn *ssa.Function) []ssa.Instruction {
	ix := res.CallIndex()
	out := slices.Clone(ix.GoStmts(fn))
	for _, st := range ix.StartsIn(fn) {
		if !slices.Contains(out, st.Instr) {
			out = append(out, st.Instr)
		}
	}
	return out
}

func isFreshParam(v ssa.Value, es *entryState) bool {
	p, ok := v.(*ssa.Parameter)
	if !ok || es == nil {
		return false
	}
	for i, q := range p.Parent().Params {
		if q == p {
			return es.fresh[paramKey(i)]
		}
	}
	return false
}

// heldAtCall: the locks held at a call, the caller's entry locks included.
func heldAtCall(res *lockmodel.Result, s callSite, caller *entryState) []lockmodel.HeldLock {
	if s.later() {
		return nil // run later: the wrapper's locks are heldByWrapper's
	}
	var hs []lockmodel.HeldLock
	if s.deferred {
		// Runs at every RunDefers: what all of them hold.
		first := true
		for _, b := range s.caller.Blocks {
			for _, instr := range b.Instrs {
				if _, ok := instr.(*ssa.RunDefers); ok {
					h := heldBefore(res, instr)
					if first {
						hs, first = h, false
					} else {
						hs = intersectHeld(hs, h)
					}
				}
			}
		}
	} else {
		hs = heldBefore(res, s.instr)
	}
	return withEntry(hs, caller)
}

// withEntry: held, and the caller's entry locks.
func withEntry(held []lockmodel.HeldLock, caller *entryState) []lockmodel.HeldLock {
	if caller == nil || len(caller.held) == 0 {
		return held
	}
	hs := slices.Clip(held)
	for _, k := range sortedKeys(caller.held) {
		hs = append(hs, caller.held[k])
	}
	return hs
}

// mapKey maps a lock key of the caller onto the callee's inputs: a lock
// on an argument's object becomes "paramI.path", on a bound variable's
// "freeJ.path"; package locks stay as they are.
func mapKey(key string, s callSite) (string, bool) {
	return inputsOf(s).mapKey(key)
}

func (in siteInputs) mapKey(key string) (string, bool) {
	if strings.HasPrefix(key, "global:") {
		return key, true
	}
	for i, a := range in.args {
		if k, ok := underKey(key, a); ok {
			return paramKey(i) + k, true
		}
	}
	for j, b := range in.bindings {
		if k, ok := underKey(key, b); ok {
			return "free" + strconv.Itoa(j) + k, true
		}
	}
	return "", false
}

// paramKey names parameter i in entry keys: "param0".
func paramKey(i int) string { return "param" + strconv.Itoa(i) }

func under(key string, v ssa.Value) (string, bool) {
	return underKey(key, lockmodel.Resolve(v).Key())
}

// underKey: key is a lock inside the object of instance key inst (not
// inside an element of one of its containers): the path to it.
func underKey(key, inst string) (string, bool) {
	if inst == "nil" {
		return "", false
	}
	if rest, ok := strings.CutPrefix(key, inst+"."); ok && !strings.Contains(rest, "[]") {
		return "." + rest, true
	}
	return "", false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
