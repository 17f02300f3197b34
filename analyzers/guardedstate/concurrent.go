package guardedstate

import (
	"fmt"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/callindex"
	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// The default tier of inferred guards. An access that misses a guard only
// inferred from held sets is reported without -guardedstate.inferred when
// the race is shown, not guessed:
//
//   - the access runs only on goroutines this package starts itself (a go
//     statement's function or closure, a closure handed to time.AfterFunc
//     and the like: the call index's starts), never on a caller's
//     goroutine — so it runs while the rest of the program goes on;
//   - no lock at all is held at the access, nor at any call on the way
//     from its goroutine's function down to it: a lock held there may be
//     the protocol that really guards the field (nats-server's
//     mset.clMu, held by the callers of batchStagedDiff.commit);
//   - another goroutine writes the field with the guard held (a guarded
//     write in a function some root of which is not the access's), and
//     the access's own goroutine writes it under the guard nowhere: a
//     goroutine that does is the field's owner by a protocol the model
//     cannot see (nats-server's internalSendLoop sets its client's
//     parse state under c.mu, then reads and rewrites it bare); a
//     guarded write made only before the access's goroutine starts (by
//     the function that starts it, or one of its callers, before the
//     start) does not count: the go statement orders the two
//     (rabbitmq-stream's connect writes the negotiated heartbeat in its
//     handshake, then calls heartBeat, which starts the ticker goroutine);
//   - the guard is held at minHeld accesses or more (and at half of them,
//     as every inferred guard): a guard held at one or two accesses is
//     reported only beside a field written with it, in inferred mode.
//     A higher share is no better evidence: racy fields are locked at
//     half to three quarters of their accesses (franz-go v1.20.1's
//     recBuf.sink at 9 of 14); what the tier adds is the proof that the
//     two accesses run on different goroutines.
//
// What inferred mode reports beyond that (unguarded accesses in exported
// methods and helpers, whose callers may serialize them by a protocol the
// model cannot see) stays behind -guardedstate.inferred.

// concurrentRace is the evidence for a default-tier report: the guarded
// write on another goroutine and where the access's goroutine starts.
type concurrentRace struct {
	write *access
	start goStart
}

// goStart is where a goroutine starts: a go statement, or the call that
// hands a closure to a library to run later (time.AfterFunc).
type goStart struct {
	instr  ssa.Instruction
	caller *ssa.Function
	via    string // "go", or the library function ("time.AfterFunc")
	root   *ssa.Function
}

// provenConcurrent returns the evidence that u, an access without l's
// inferred guard, races a guarded write on another goroutine, or nil.
func (s *state) provenConcurrent(l *location, u *access, guarded []*access) *concurrentRace {
	if l.weak {
		return nil
	}
	if u.underLock || len(u.locks) > 0 {
		return nil
	}
	start, roots, ok := s.startedHere(u.fn)
	if !ok || !s.noLockOnPath(u.fn) {
		return nil
	}
	var race *concurrentRace
	for _, g := range guarded {
		if !g.kind.writes() {
			continue
		}
		gr, ok := s.roots.of(g.fn)
		if !ok {
			return nil
		}
		for _, r := range gr {
			if containsFunc(roots, r) {
				return nil // the access's goroutine writes it under the guard itself
			}
		}
		if race == nil && g.fn != u.fn && !(len(roots) == 1 && s.writesBeforeStart(g, start)) {
			race = &concurrentRace{write: g, start: start}
		}
	}
	return race
}

// writesBeforeStart: every run of g's write comes before start: g's
// function is, or is reached through single calls (no other way in) from,
// a function on start's chain — the starter, or its one caller, up to
// maxSetupDepth — at an instruction that start's point in that function
// cannot reach.
func (s *state) writesBeforeStart(g *access, start goStart) bool {
	chain := map[*ssa.Function]ssa.Instruction{}
	fn, at := start.caller, start.instr
	for depth := 0; ; depth++ {
		chain[fn] = at
		site, ok := s.onlyCall(fn)
		if !ok || depth == maxSetupDepth {
			break
		}
		fn, at = site.caller, site.instr
	}
	fn, at = g.fn, g.instr
	for depth := 0; depth <= maxSetupDepth; depth++ {
		if p, ok := chain[fn]; ok {
			return !lockmodel.Reaches(p, at)
		}
		site, ok := s.onlyCall(fn)
		if !ok {
			return false
		}
		fn, at = site.caller, site.instr
	}
	return false
}

// onlyCall: fn's one call site, when it has no other way in (not
// exported, stored or started; not deferred, not through a wrapper).
func (s *state) onlyCall(fn *ssa.Function) (callSite, bool) {
	sites := s.callers.sites[fn]
	if s.callers.unknown[fn] || len(sites) != 1 || sites[0].deferred || sites[0].wrap != nil {
		return callSite{}, false
	}
	return sites[0], true
}

// noLockOnPath: no lock is held at any call of this package through which
// fn is reached from its goroutines' functions (walked as roots.of walks,
// bounded by maxRootWalk).
func (s *state) noLockOnPath(fn *ssa.Function) bool {
	seen := map[*ssa.Function]bool{fn: true}
	work := []*ssa.Function{fn}
	for len(work) > 0 {
		if len(seen) > maxRootWalk {
			return false
		}
		f := work[len(work)-1]
		work = work[:len(work)-1]
		if s.callers.unknown[f] {
			continue // a root: started with nothing held
		}
		for _, site := range s.callers.sites[f] {
			if site.wrap != nil || len(heldBefore(s.res, site.instr)) > 0 {
				return false
			}
			if !seen[site.caller] {
				seen[site.caller] = true
				work = append(work, site.caller)
			}
		}
	}
	return true
}

// startedHere: every goroutine that runs fn is one this package starts
// — its function is only ever started by go statements, or is a closure
// only ever handed to a library that runs it later (time.AfterFunc) — not
// a fork-join its starter waits for, and not an entry point. roots are
// those goroutines' functions; start is the first start of the first.
// Errgroup-style Go methods are left out: their starter usually waits.
func (s *state) startedHere(fn *ssa.Function) (goStart, []*ssa.Function, bool) {
	roots, ok := s.roots.of(fn)
	if !ok || len(roots) == 0 {
		return goStart{}, nil, false
	}
	var first goStart
	for i, r := range roots {
		if !s.roots.goRoot(r) {
			return goStart{}, nil, false
		}
		st, ok := s.onlyStart(r)
		if !ok {
			return goStart{}, nil, false
		}
		if i == 0 {
			first = st
			first.root = r
		}
	}
	return first, roots, true
}

// onlyStart: r runs only at the top of goroutines of its own: the first
// of its starts, when it has no other use.
func (s *state) onlyStart(r *ssa.Function) (goStart, bool) {
	ix := s.res.CallIndex()
	if ix.OnlyStarted(r) {
		for _, st := range ix.StartsOf(r) {
			if st.Kind != callindex.GoStmt {
				return goStart{}, false
			}
		}
		st := ix.StartsOf(r)[0]
		return goStart{instr: st.Instr, caller: st.Caller, via: "go"}, true
	}
	if r.Parent() == nil || len(ix.StartsOf(r)) > 0 {
		return goStart{}, false
	}
	// A closure: every closure made of it is handed to a timer.
	var first goStart
	for _, mc := range ix.Closures(r) {
		for _, ref := range *mc.Referrers() {
			c, ok := ref.(*ssa.Call)
			if !ok {
				return goStart{}, false
			}
			later, _, via := callindex.RunsLater(c.Common())
			if later != r {
				return goStart{}, false
			}
			if first.instr == nil {
				first = goStart{instr: c, caller: c.Parent(), via: via}
			}
		}
	}
	return first, first.instr != nil
}

// startInfo says where the unguarded access's goroutine starts.
func startInfo(f finding) analysis.RelatedInformation {
	how := "a go statement"
	if f.start.via != "go" {
		how = f.start.via
	}
	runs := lockmodel.FuncRefOf(f.a.fn).Short() + " runs on its own goroutine"
	if f.start.root != f.a.fn {
		runs = fmt.Sprintf("%s runs only on the goroutine of %s", lockmodel.FuncRefOf(f.a.fn).Short(), lockmodel.FuncRefOf(f.start.root).Short())
	}
	return analysis.RelatedInformation{Pos: f.start.instr.Pos(),
		Message: fmt.Sprintf("%s, started here by %s in %s, while %s %s %s under the lock",
			runs, how, lockmodel.FuncRefOf(f.start.caller).Short(), lockmodel.FuncRefOf(f.other.fn).Short(), verb(f.other), f.other.text)}
}
