package cli

import (
	"reflect"
	"sync"
)

// A stringTable interns the strings of decoded facts. Facts are decoded
// once per package and kept while importers may read them; gob gives every
// string its own copy, and the same ones recur across the facts of a run
// (lock classes, function names, the file of every site in a chain): on
// client-go's first run the decoded facts' strings were 30 of the 213 MiB
// of live heap at the run's peak. One table per run (not the unique
// package: its entries go when no handle is left, and a string kept in a
// fact is not a handle).
type stringTable struct {
	mu      sync.Mutex
	strings map[string]string
}

func (t *stringTable) intern(s string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if c, ok := t.strings[s]; ok {
		return c
	}
	if t.strings == nil {
		t.strings = map[string]string{}
	}
	t.strings[s] = s
	return s
}

// internFact replaces every string a decoded fact holds (through pointers,
// structs, slices, arrays and interfaces holding pointers) by the table's
// copy. Facts hold no maps (their encoding must be deterministic) and no
// cycles (gob cannot encode them); unexported fields are not decoded.
func (t *stringTable) internFact(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if v.Len() > 0 && v.CanSet() {
			v.SetString(t.intern(v.String()))
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			t.internFact(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				t.internFact(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		if !hasStrings(v.Type().Elem()) {
			return
		}
		for i := range v.Len() {
			t.internFact(v.Index(i))
		}
	}
}

var stringsIn sync.Map // reflect.Type → bool

// hasStrings: a value of type t can hold a string internFact would visit.
func hasStrings(t reflect.Type) bool {
	if v, ok := stringsIn.Load(t); ok {
		return v.(bool)
	}
	stringsIn.Store(t, true) // a recursive type: assume so while looking
	has := false
	switch t.Kind() {
	case reflect.String, reflect.Interface:
		has = true
	case reflect.Pointer, reflect.Slice, reflect.Array:
		has = hasStrings(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && hasStrings(f.Type) {
				has = true
				break
			}
		}
	}
	stringsIn.Store(t, has)
	return has
}
