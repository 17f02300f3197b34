package lockmodel

import (
	"slices"
	"testing"
)

// TestParamCallIndex: "param:N" open-call keys name parameter N; other
// keys (an interface method, a func field) name none.
func TestParamCallIndex(t *testing.T) {
	for _, c := range []struct {
		key string
		i   int
		ok  bool
	}{
		{"param:0", 0, true},
		{"param:12", 12, true},
		{"iface:io.Writer.Write", 0, false},
		{"field:(p.T).f", 0, false},
	} {
		if i, ok := paramCallIndex(c.key); i != c.i || ok != c.ok {
			t.Errorf("paramCallIndex(%q) = %d, %v; want %d, %v", c.key, i, ok, c.i, c.ok)
		}
	}
}

// TestAcquireClasses: the held locks' classes in order, as heldKey joins
// them and the edges' held lists carry them.
func TestAcquireClasses(t *testing.T) {
	hs := []Acquire{{Class: "(p.T).mu"}, {Class: ""}, {Class: "(p.U).mu"}}
	if got := acquireClasses(hs); !slices.Equal(got, []string{"(p.T).mu", "", "(p.U).mu"}) {
		t.Errorf("acquireClasses = %q", got)
	}
	if got := heldKey(hs); got != "(p.T).mu,,(p.U).mu" {
		t.Errorf("heldKey = %q", got)
	}
	if acquireClasses(nil) != nil {
		t.Error("acquireClasses(nil) is not nil")
	}
}
