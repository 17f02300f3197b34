package guardedstate

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// checkStaleReads reports a check-then-act across two critical sections
// of the guard: x read with the lock held, the lock released and taken
// again, then x written from a value computed from the old read. Another
// goroutine may have changed x in between; its update is lost. Silent when
// x is read again in the later section (the value is re-checked).
func (s *state) checkStaleReads() {
	for _, name := range s.order {
		l := s.locs[name]
		if l.guard == "" || l.weak {
			continue
		}
		for _, w := range l.sites {
			hw, ok := w.held[l.guard]
			if w.kind != write || w.val == nil || !ok || !hw.Pos.IsValid() || w.exempt != "" {
				continue
			}
			r := staleSource(l, w, hw.Pos)
			if r == nil || rereads(l, w, hw.Pos) {
				continue
			}
			hr := r.held[l.guard]
			guard := guardText(l.guard, w)
			s.r.Report(analysis.Diagnostic{Pos: w.pos, Category: CheckStaleRead,
				Message: fmt.Sprintf("%s is written from a value read at line %d in an earlier critical section of %s; %s was released in between, so another goroutine's update can be lost. Read %s again after re-locking (or hold %s across both)",
					w.text, s.pass.Fset.Position(r.pos).Line, guard, guard, w.text, guard),
				Related: []analysis.RelatedInformation{
					{Pos: hr.Pos, Message: guard + " is locked here"},
					{Pos: r.pos, Message: r.text + " is read here"},
					{Pos: hw.Pos, Message: guard + " is locked again here"},
				}})
		}
	}
}

// staleSource finds a read of the same object's location, in w's function,
// under another acquisition of the guard, that the stored value is
// computed from.
func staleSource(l *location, w *access, section token.Pos) *access {
	reads := map[ssa.Value]*access{}
	for _, a := range l.sites {
		h, ok := a.held[l.guard]
		if a.kind != read || a.fn != w.fn || !ok || !h.Pos.IsValid() || h.Pos == section || objKey(a) != objKey(w) {
			continue
		}
		if v, ok := a.instr.(ssa.Value); ok {
			reads[v] = a
		}
	}
	if len(reads) == 0 {
		return nil
	}
	var found *access
	var visit func(v ssa.Value, depth int)
	visit = func(v ssa.Value, depth int) {
		if found != nil || depth > 6 {
			return
		}
		if a, ok := reads[v]; ok {
			found = a
			return
		}
		switch x := v.(type) {
		case *ssa.BinOp:
			visit(x.X, depth+1)
			visit(x.Y, depth+1)
		case *ssa.UnOp:
			if x.Op != token.MUL && x.Op != token.ARROW {
				visit(x.X, depth+1)
			}
		case *ssa.Convert:
			visit(x.X, depth+1)
		case *ssa.ChangeType:
			visit(x.X, depth+1)
		case *ssa.Call:
			if b, ok := x.Call.Value.(*ssa.Builtin); ok && b.Name() == "append" && len(x.Call.Args) > 0 {
				visit(x.Call.Args[0], depth+1)
			}
		}
	}
	visit(w.val, 0)
	return found
}

// rereads: the location of the same object is read in w's critical section.
func rereads(l *location, w *access, section token.Pos) bool {
	for _, a := range l.sites {
		if h, ok := a.held[l.guard]; ok && a.fn == w.fn && a.kind == read && h.Pos == section && objKey(a) == objKey(w) {
			return true
		}
	}
	return false
}

// objKey is the key of the object holding the accessed field ("" for a
// package variable).
func objKey(a *access) string {
	if len(a.objs) == 0 {
		return ""
	}
	return a.objs[0]
}

func isMap(a *access) bool {
	switch x := a.instr.(type) {
	case *ssa.MapUpdate:
		return true
	case *ssa.Call:
		return len(x.Call.Args) > 0 // delete
	}
	return false
}
