package guardedstate

import (
	"fmt"
	"strconv"
	"strings"

	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// checkHelpers reports calls, without the lock, of a function that needs
// it on entry: annotated (+checklocks:s.mu on the function, here or in
// the package that declares it), or a helper whose other callers hold it
// (most of its calls) and whose name says so (fooLocked, lockedFoo) or
// which writes state that lock guards.
func (s *state) checkHelpers() {
	for _, fn := range sortedFuncs(s.callers.sites) {
		if es := s.entry[fn]; es != nil && !es.annotated {
			for _, k := range sortedKeys(es.majority) {
				hl := es.majority[k]
				why := s.helperNeeds(fn, k)
				if why == "" {
					continue
				}
				for _, site := range hl.bare {
					if s.bareExempt(site, k) || s.hiddenClosure(site.caller) || asksToLock(fn, site) || callersHoldLock(site.caller) {
						// callersHoldLock: the caller is itself a fooLocked
						// helper (by its name or doc): the lock is its
						// callers' to hold, through names the model may
						// not tie together (centrifuge's unregisterLocked,
						// "Called under c.mu", reached from reserve).
						continue
					}
					s.reportHelper(fn, site, hl.lock, k, fmt.Sprintf("its other callers hold it (%d of %d calls) and %s", hl.held, hl.all, why))
				}
			}
			continue
		}
		req := s.required(fn)
		if req == nil {
			continue
		}
		for _, k := range sortedKeys(req.held) {
			for _, site := range s.callers.sites[fn] {
				if s.hiddenClosure(site.caller) || s.ann.skipFunc(site.caller) || inTestFile(s.pass, site.caller) {
					continue
				}
				if !holdsAt(s.res, site, s.entry[site.caller], k) && !s.bareExempt(site, k) {
					s.reportHelper(fn, site, req.held[k], k, "its +checklocks annotation says it must be held")
				}
			}
		}
	}
}

// required: the annotated entry locks of fn, from this package's comments
// or the fact of the package that declares it.
func (s *state) required(fn *ssa.Function) *entryState {
	if es := s.entry[fn]; es != nil && es.annotated {
		return es
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok || obj.Pkg() == nil || obj.Pkg() == s.pass.Pkg {
		return nil
	}
	var el EntryLocks
	if !s.pass.ImportObjectFact(obj, &el) {
		return nil
	}
	es := &entryState{held: map[string]lockmodel.HeldLock{}, annotated: true}
	for _, l := range el.Locks {
		if l.Annotated {
			es.held[l.Key] = lockmodel.HeldLock{Key: l.Key, Mode: l.Mode, Lock: l.Lock}
		}
	}
	if len(es.held) == 0 {
		return nil
	}
	return es
}

// helperNeeds says why fn needs entry lock k, or "" when it does not
// plainly need it.
func (s *state) helperNeeds(fn *ssa.Function, k string) string {
	if lockedByName(fn) {
		if !ownLock(k) {
			// fooLocked means its object's own lock, not the lock of an
			// object it reaches (nats-server's stream.nameLocked and
			// mset.client.mu, raft.stepdownLocked and n.s.mu).
			return ""
		}
		es := s.entry[fn]
		for _, h := range sortedKeys(es.held) {
			if _, maj := es.majority[h]; !maj && h != k {
				// Another lock is held at every call: that is the lock
				// its name means (franz-go's getUncommittedLocked under
				// g.mu, a second lock at most calls).
				return ""
			}
		}
		return "its name says it expects the lock held"
	}
	// A helper that merely writes guarded state is not enough: its bare
	// callers are often constructors of objects not yet shared, or hold
	// the lock by a protocol of their own (franz-go's recBatch.recycle on
	// a batch nothing references). Their accesses inside are checked as
	// accesses.
	return ""
}

// asksToLock: the call passes true for a bool parameter named like
// needLock: the helper takes the lock itself then (nats-server's
// msgForSeqLocked(seq, sm, needFSLock), purgeLocked(preq, needLock)).
func asksToLock(fn *ssa.Function, site callSite) bool {
	for i, p := range fn.Params {
		if i >= len(site.args) || !strings.Contains(strings.ToLower(p.Name()), "lock") {
			continue
		}
		if c, ok := site.args[i].(*ssa.Const); ok && c.Value != nil && c.Value.String() == "true" {
			return true
		}
	}
	return false
}

// ownLock: entry lock key k is a lock field of a parameter's own object
// ("param0.mu"), not of an object reached from it ("param0.s.mu").
func ownLock(k string) bool {
	head, path, ok := strings.Cut(k, ".")
	return ok && strings.HasPrefix(head, "param") && !strings.ContainsAny(path, ".[")
}

// bareExempt: the call passes an object nobody else can see yet (a
// constructor configuring what it made), or runs before any goroutine.
func (s *state) bareExempt(site callSite, k string) bool {
	if strings.HasPrefix(k, "param") {
		i, err := strconv.Atoi(strings.TrimPrefix(strings.SplitN(k, ".", 2)[0], "param"))
		if err == nil && i < len(site.args) {
			a := site.args[i]
			if freshArg(s.res, s.stores, a, site.instr, s.entry[site.caller]) {
				return true
			}
		}
	}
	top := site.caller
	for top.Parent() != nil {
		if s.callers.once[top] {
			return true
		}
		top = top.Parent()
	}
	return top.Name() == "init" && top.Signature.Recv() == nil
}

func (s *state) reportHelper(fn *ssa.Function, site callSite, lock lockmodel.HeldLock, k string, why string) {
	text := lockTextAt(k, lock, site)
	s.r.Report(analysis.Diagnostic{Pos: site.instr.Pos(), Category: CheckHelper,
		Message: fmt.Sprintf("%s is called without %s held; %s. Hold %s around the call",
			lockmodel.FuncName(fn), text, why, text),
		Related: []analysis.RelatedInformation{{Pos: fn.Pos(), Message: lockmodel.FuncName(fn) + " expects " + text + " held on entry"}}})
}

// lockTextAt names entry lock k ("param0.mu") as the caller writes it.
func lockTextAt(k string, lock lockmodel.HeldLock, site callSite) string {
	if strings.HasPrefix(k, "param") {
		head, path, _ := strings.Cut(k, ".")
		i, err := strconv.Atoi(strings.TrimPrefix(head, "param"))
		if err == nil && i < len(site.args) {
			return lockmodel.Resolve(site.args[i]).String() + "." + path
		}
	}
	if lock.Lock != "" {
		return lock.Lock
	}
	return k
}

func sortedFuncs(m map[*ssa.Function][]callSite) []*ssa.Function {
	out := make([]*ssa.Function, 0, len(m))
	for fn := range m {
		out = append(out, fn)
	}
	sortFuncs(out)
	return out
}
