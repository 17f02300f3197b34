package cli

import (
	"reflect"
	"testing"
	"unsafe"
)

type internSite struct {
	File string
	Line int
}

type internFact struct {
	Class  string
	Chain  []internSite
	Names  [2]string
	Inner  *internFact
	Any    any
	hidden string
}

func (*internFact) AFact() {}

// TestInternFact: equal strings anywhere in decoded facts (fields, slices
// of structs, arrays, pointers, interfaces) end up sharing one copy;
// values are unchanged, unexported fields untouched.
func TestInternFact(t *testing.T) {
	// Distinct copies of equal strings, as gob decodes them.
	s := func(x string) string { return string([]byte(x)) }
	mk := func() *internFact {
		return &internFact{
			Class:  s("pkg.T.mu"),
			Chain:  []internSite{{s("/src/a.go"), 1}, {s("/src/b.go"), 2}},
			Names:  [2]string{s("f"), s("/src/a.go")},
			Inner:  &internFact{Class: s("pkg.T.mu"), Any: &internSite{File: s("/src/b.go")}},
			hidden: s("hidden"),
		}
	}
	a, b := mk(), mk()
	want := mk()
	var table stringTable
	table.internFact(reflect.ValueOf(a))
	table.internFact(reflect.ValueOf(b))
	if !reflect.DeepEqual(a, want) || !reflect.DeepEqual(b, want) {
		t.Fatalf("interning changed the facts:\n%+v\n%+v\nwant %+v", a, b, want)
	}
	same := func(what, x, y string) {
		t.Helper()
		if unsafe.StringData(x) != unsafe.StringData(y) {
			t.Errorf("%s: %q not shared", what, x)
		}
	}
	same("Class", a.Class, b.Class)
	same("Class, nested", a.Class, b.Inner.Class)
	same("slice of structs", a.Chain[0].File, b.Chain[0].File)
	same("array", a.Names[1], a.Chain[0].File)
	same("interface", a.Inner.Any.(*internSite).File, b.Chain[1].File)
	if unsafe.StringData(a.hidden) == unsafe.StringData(b.hidden) {
		t.Errorf("an unexported field was interned")
	}
}
