package guardedstate

import (
	"fmt"
	"go/token"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// finding is one unguarded access, before grouping.
type finding struct {
	l     *location
	a     *access
	other *access // a guarded site it conflicts with (nil when annotated)
	// start: where the goroutine the access runs on starts (the default
	// tier of inferred guards), or nil.
	start *goStart
}

// checkUnguarded reports accesses without their location's guard: always
// for annotated fields; for inferred guards, when a guarded site in
// another function conflicts with it (one of the two writes), unless it
// is a read in the function that writes the location under its guard
// (the field's own writer reads its own writes).
func (s *state) checkUnguarded() {
	var found, weak []finding
	for _, name := range s.order {
		l := s.locs[name]
		if l.guard == "" {
			continue
		}
		guarded := guardedSites(l)
		if !l.annotated && !anyWrite(l) {
			continue // read-only after initialization
		}
		for _, u := range l.sites {
			if _, ok := u.held[l.guard]; ok || u.exempt != "" {
				continue
			}
			if l.annotated {
				found = append(found, finding{l: l, a: u})
				continue
			}
			if callersHoldLock(u.fn) || !reportInferred && l.weak {
				// fooLocked's callers hold the lock (its name or doc says
				// so): helper-without-lock checks the fooLocked ones.
				// The default tier needs strong evidence.
				continue
			}
			if !u.kind.writes() && writesIn(guarded, u) {
				continue
			}
			if s.forkJoinHeld(u, l.guard) {
				continue // its starter holds the guard until it is done
			}
			if holdsOtherLock(u, guardClass(guarded, l.guard)) {
				continue // under another lock: another protocol may guard it here
			}
			if !u.kind.writes() && (s.roots.singleGoroutine(u.fn, writerFuncs(guarded)) || s.roots.joined(u.instr, writerFuncs(guarded))) {
				continue // the writers' own goroutine, or after they are done
			}
			if s.roots.joinedAll(u.instr, l.sites) || s.joinedLocal(u) {
				continue // after every goroutine that touches it is done
			}
			if !reportInferred {
				// The default tier: the race is shown (concurrent.go).
				if race := s.provenConcurrent(l, u, guarded); race != nil {
					found = append(found, finding{l: l, a: u, other: race.write, start: &race.start})
				}
				continue
			}
			for _, g := range guarded {
				if g.fn != u.fn && conflict(g, u) {
					f := finding{l: l, a: u, other: g}
					if race := s.provenConcurrent(l, u, guarded); race != nil {
						f.other, f.start = race.write, &race.start // the default tier's evidence, shown in inferred mode too
					}
					if l.weak {
						weak = append(weak, f)
					} else {
						found = append(found, f)
					}
					break
				}
			}
		}
	}
	// Fields accessed together in one function, without the same lock of
	// the same object, are one report (a session's id and epoch).
	type groupKey struct {
		fn    string
		guard string
		write bool
	}
	groups := map[groupKey][]finding{}
	var keys []groupKey
	seen := map[token.Pos]bool{}
	for _, f := range found {
		if seen[f.a.pos] {
			continue // a map write is a read of the field too
		}
		seen[f.a.pos] = true
		k := groupKey{lockmodel.FuncName(f.a.fn), guardText(f.l.guard, f.a), f.a.kind.writes()}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], f)
	}
	// A field whose guard is held at one access only is reported with a
	// field written beside it (the session id beside its epoch).
	for _, f := range weak {
		k := groupKey{lockmodel.FuncName(f.a.fn), guardText(f.l.guard, f.a), f.a.kind.writes()}
		if _, ok := groups[k]; ok && !seen[f.a.pos] {
			seen[f.a.pos] = true
			groups[k] = append(groups[k], f)
		}
	}
	for _, k := range keys {
		s.reportUnguarded(dedupeLocs(groups[k]))
	}
}

// conflict: one of the two accesses writes the other's data. An element
// write conflicts with a read that looks into the map or slice, not with
// one that only copies the field.
func conflict(a, b *access) bool {
	if a.kind == write || b.kind == write {
		return true
	}
	if a.kind == elemWrite && b.kind == read {
		return indexes(b)
	}
	if b.kind == elemWrite && a.kind == read {
		return indexes(a)
	}
	return a.kind == elemWrite && b.kind == elemWrite
}

// indexes: the value a read loads is looked into right away (m[k], range,
// len, s[i]).
func indexes(a *access) bool {
	v, ok := a.instr.(ssa.Value)
	if !ok || v.Referrers() == nil {
		return false
	}
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.Lookup, *ssa.Index, *ssa.IndexAddr, *ssa.Range, *ssa.Slice:
			return true
		case *ssa.Call:
			if b, ok := r.Call.Value.(*ssa.Builtin); ok && (b.Name() == "len" || b.Name() == "cap") {
				return true
			}
		}
	}
	return false
}

// guardClass: the lock class of the guard, as held at its sites.
func guardClass(guarded []*access, id string) string {
	for _, g := range guarded {
		if h, ok := g.held[id]; ok && h.Class != "" {
			return h.Class
		}
	}
	return ""
}

// holdsOtherLock: u holds a lock other than another instance of the
// guard's class (from.mu while writing to.balance is that instance's
// business; a different lock may be the protocol that guards u).
func holdsOtherLock(u *access, class string) bool {
	if u.underLock && len(u.locks) == 0 {
		return true // every caller holds a lock we cannot name
	}
	for _, h := range u.locks {
		if h.Class == "" || h.Class != class {
			return true
		}
	}
	return false
}

// guardKey: the instance key of the guard as seen from a ("param0.mu").
func guardKey(a *access, id string) string {
	if strings.HasPrefix(id, "global:") {
		return id
	}
	level := int(id[0] - '0')
	if level >= len(a.objs) {
		return ""
	}
	return a.objs[level] + id[1:]
}

// writerFuncs: the functions of the guarded writes.
func writerFuncs(guarded []*access) []*ssa.Function {
	var out []*ssa.Function
	for _, g := range guarded {
		if g.kind.writes() && !containsFunc(out, g.fn) {
			out = append(out, g.fn)
		}
	}
	return out
}

func containsFunc(fns []*ssa.Function, fn *ssa.Function) bool {
	for _, f := range fns {
		if f == fn {
			return true
		}
	}
	return false
}

func anyWrite(l *location) bool {
	for _, a := range l.sites {
		if a.exempt == "" && a.kind.writes() {
			return true
		}
	}
	return false
}

// writesIn: the function of u writes the location with its guard held.
func writesIn(guarded []*access, u *access) bool {
	for _, g := range guarded {
		if g.fn == u.fn && g.kind.writes() {
			return true
		}
	}
	return false
}

// dedupeLocs keeps the first finding of each location, in source order.
func dedupeLocs(fs []finding) []finding {
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].a.pos < fs[j].a.pos })
	var out []finding
	seen := map[string]bool{}
	for _, f := range fs {
		if !seen[f.l.name] {
			seen[f.l.name] = true
			out = append(out, f)
		}
	}
	return out
}

func (s *state) reportUnguarded(fs []finding) {
	first := fs[0]
	u, l := first.a, first.l
	guard := guardText(l.guard, u)
	var names, evidence []string
	for _, f := range fs {
		names = append(names, f.a.text)
		evidence = append(evidence, fmt.Sprintf("%d of %d", f.l.held, f.l.counted))
	}
	what := u.kind.String()
	if u.kind == elemWrite {
		what = "written (an element)"
	}
	var msg string
	switch {
	case l.annotated:
		msg = fmt.Sprintf("%s %s without %s held, but its +checklocks annotation says %s guards it: hold %s here",
			strings.Join(names, ", "), what, guard, guard, guard)
	case len(fs) > 1:
		msg = fmt.Sprintf("%s %s without %s held; %s guards them elsewhere (held at %s of their accesses) and %s %s them with it held: a goroutine in between sees some changed and not the others. Hold %s across all of them",
			strings.Join(names, ", "), what, guard, guard, strings.Join(evidence, ", "), lockmodel.FuncRefOf(first.other.fn).Short(), verb(first.other), guard)
	default:
		msg = fmt.Sprintf("%s %s without %s held; %s guards it elsewhere (held at %s of its accesses) and %s %s it with it held, so the two race. Hold %s here",
			u.text, what, guard, guard, evidence[0], lockmodel.FuncRefOf(first.other.fn).Short(), verb(first.other), guard)
	}
	var related []analysis.RelatedInformation
	for _, f := range fs[1:] {
		related = append(related, analysis.RelatedInformation{Pos: f.a.pos, Message: f.a.text + " " + f.a.kind.String() + " here too, without " + guard})
	}
	if first.start != nil {
		related = append(related, startInfo(first))
	}
	related = append(related, s.related(l, u)...)
	s.r.Report(analysis.Diagnostic{Pos: u.pos, Category: CheckUnguarded, Message: msg, Related: related})
}

func verb(a *access) string {
	if a.kind.writes() {
		return "writes"
	}
	return "reads"
}

// checkRLockWrites reports writes (element writes and delete included)
// made while only a read lock of the location's guard is held: readers run
// together, so two of them write at once (for a map, a fatal error).
func (s *state) checkRLockWrites() {
	for _, name := range s.order {
		l := s.locs[name]
		if l.guard == "" || l.weak {
			continue
		}
		for _, w := range l.sites {
			h, ok := w.held[l.guard]
			if !ok || h.Mode != lockmodel.Read || !w.kind.writes() || w.exempt != "" {
				continue
			}
			if holdsWriteLock(w, h) {
				continue // another lock, write-locked, keeps writers apart (watermill's persistedMessagesLock)
			}
			if s.roots.singleGoroutine(w.fn, siteFuncs(l)) {
				continue // one goroutine writes and reads it: no second reader to race (prometheus agent's truncate)
			}
			if docSaysSerialized(w.fn) && onlyRLockWriter(l, w.fn) {
				continue // its calls never overlap, and no other function writes under the read lock (pebble's recordQueue.push)
			}
			guard := guardText(l.guard, w)
			what := "written"
			switch {
			case w.kind == elemWrite && isMap(w):
				what = "written (a map element; concurrent map writes are a fatal error)"
			case w.kind == elemWrite:
				what = "written (an element)"
			}
			d := analysis.Diagnostic{Pos: w.pos, Category: CheckRLockWrite,
				Message: fmt.Sprintf("%s %s with only a read lock of %s held: read locks are shared, so two goroutines can write it at once. Take %s.Lock() for the write",
					w.text, what, guard, guard)}
			if h.Pos.IsValid() {
				d.Related = []analysis.RelatedInformation{{Pos: h.Pos, Message: guard + " is read-locked here"}}
			}
			s.r.Report(d)
		}
	}
}

// onlyRLockWriter: every write of l under only a read lock of its guard is
// in fn.
func onlyRLockWriter(l *location, fn *ssa.Function) bool {
	for _, w := range l.sites {
		if h, ok := w.held[l.guard]; ok && h.Mode == lockmodel.Read && w.kind.writes() && w.exempt == "" && w.fn != fn {
			return false
		}
	}
	return true
}

// holdsWriteLock: at w, a lock other than the read-locked guard h is
// held for writing.
func holdsWriteLock(w *access, h lockmodel.HeldLock) bool {
	for _, x := range w.locks {
		if x.Mode == lockmodel.Write && x.Key != h.Key {
			return true
		}
	}
	return false
}

// siteFuncs: the functions of a location's counted sites.
func siteFuncs(l *location) []*ssa.Function {
	var out []*ssa.Function
	for _, a := range l.sites {
		if a.exempt == "" && !containsFunc(out, a.fn) {
			out = append(out, a.fn)
		}
	}
	return out
}
