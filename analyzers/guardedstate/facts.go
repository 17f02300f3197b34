package guardedstate

import (
	"fmt"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// FieldGuard is the fact on a struct field whose guard is known: the lock,
// as a path from the struct holding the field (".mu"), annotated with
// +checklocks or inferred from the held sets (held at Held of Sites
// accesses in the declaring package).
type FieldGuard struct {
	Guard     string
	Annotated bool
	Held      int
	Sites     int
}

func (*FieldGuard) AFact() {}

func (f *FieldGuard) String() string {
	if f.Annotated {
		return "guarded by " + strings.TrimPrefix(f.Guard, ".") + " (annotated)"
	}
	return fmt.Sprintf("guarded by %s (held at %d of %d)", strings.TrimPrefix(f.Guard, "."), f.Held, f.Sites)
}

// EntryLocks is the fact on a function that needs locks held on entry:
// annotated (+checklocks:s.mu), or held at every call this package makes.
type EntryLocks struct {
	Locks []EntryLock // by Key
}

// EntryLock is one lock held on entry, named from the function's inputs:
// "param0.mu" (the receiver's mu), "global:path.mu".
type EntryLock struct {
	Key       string
	Lock      string // as written where known
	Mode      lockmodel.Mode
	Annotated bool
}

func (*EntryLocks) AFact() {}

func (e *EntryLocks) String() string {
	var parts []string
	for _, l := range e.Locks {
		s := "holds " + l.Key
		if l.Mode == lockmodel.Read {
			s = "read-holds " + l.Key
		}
		if l.Annotated {
			s += " (annotated)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// exportFacts: guards of this package's fields (those reached from their
// own struct), and the entry locks of named functions.
func (s *state) exportFacts(fns []*ssa.Function) {
	for _, name := range s.order {
		l := s.locs[name]
		if l.guard == "" || l.weak || !l.direct || l.field == nil || l.field.Pkg() != s.pass.Pkg || !strings.HasPrefix(l.guard, "0.") {
			continue
		}
		s.pass.ExportObjectFact(l.field.Origin(), &FieldGuard{Guard: l.guard[1:], Annotated: l.annotated, Held: l.held, Sites: l.counted})
	}
	for _, fn := range fns {
		obj, ok := fn.Object().(*types.Func)
		es := s.entry[fn]
		if !ok || fn.Parent() != nil || es == nil || es.partial || len(es.held) == 0 {
			continue
		}
		var el EntryLocks
		for _, k := range sortedKeys(es.held) {
			if _, maj := es.majority[k]; maj {
				continue // not held at every call
			}
			h := es.held[k]
			el.Locks = append(el.Locks, EntryLock{Key: k, Lock: h.Lock, Mode: h.Mode, Annotated: es.annotated})
		}
		if len(el.Locks) > 0 {
			s.pass.ExportObjectFact(obj, &el)
		}
	}
}

func sortFuncs(fns []*ssa.Function) {
	sort.Slice(fns, func(i, j int) bool {
		if fns[i].Pos() != fns[j].Pos() {
			return fns[i].Pos() < fns[j].Pos()
		}
		return fns[i].String() < fns[j].String()
	})
}
