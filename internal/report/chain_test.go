package report

import (
	"go/token"
	"strings"
	"testing"
)

func TestChainRoundTrip(t *testing.T) {
	related := Chain("goroutine 1",
		Step{Pos: token.Pos(10), Message: "poll locks netClient.lock"},
		Step{Pos: token.Pos(20), End: token.Pos(25), Message: "ensureActive locks coordinator.lock"},
	)
	if len(related) != 2 || related[0].Message != "[goroutine 1] poll locks netClient.lock" || related[1].End != 25 {
		t.Fatalf("Chain = %+v", related)
	}
	for i, want := range []string{"poll locks netClient.lock", "ensureActive locks coordinator.lock"} {
		label, step, ok := ChainStep(related[i].Message)
		if !ok || label != "goroutine 1" || step != want {
			t.Errorf("ChainStep(%q) = %q, %q, %v", related[i].Message, label, step, ok)
		}
	}
}

func TestChainStepPlainMessages(t *testing.T) {
	for _, msg := range []string{"plain message", "[]", "[] empty label", "[no space]after", "[a\nb] newline", ""} {
		if label, step, ok := ChainStep(msg); ok || step != msg {
			t.Errorf("ChainStep(%q) = %q, %q, %v; want not a chain step", msg, label, step, ok)
		}
	}
}

func TestChainBadLabel(t *testing.T) {
	for _, label := range []string{"", "a]b", "a\nb"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Chain(%q) did not panic", label)
				}
			}()
			Chain(label, Step{Message: "x"})
		}()
	}
}

func TestDescend(t *testing.T) {
	close := FuncRef{Pkg: "p", Recv: "T", Ptr: true, Name: "Close"}
	drain := FuncRef{Pkg: "p", Recv: "T", Ptr: true, Name: "drain"}
	lockAndSet := FuncRef{Pkg: "p", Recv: "T", Ptr: true, Name: "lockAndSet"}
	steps, end := Descend(close, []Step{
		{Message: "takes this select case"},
		{Message: "calls (*p.T).drain", Calls: drain},
		{Message: "calls (*p.T).lockAndSet", Calls: lockAndSet},
		{Message: "w.mu.Lock()"},
	})
	var got []string
	for _, s := range steps {
		got = append(got, s.Message)
	}
	want := []string{
		"takes this select case",
		"calls (*p.T).drain",
		"(*p.T).drain: calls (*p.T).lockAndSet",
		"(*p.T).lockAndSet: w.mu.Lock()",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || end != lockAndSet {
		t.Errorf("Descend:\n%s\nends in %s; want\n%s", strings.Join(got, "\n"), end, strings.Join(want, "\n"))
	}
}

func TestFuncRef(t *testing.T) {
	for _, c := range []struct {
		ref         FuncRef
		full, short string
	}{
		{FuncRef{Pkg: "kgo", Recv: "Client", Ptr: true, Name: "produce", Closure: "$1"}, "(*kgo.Client).produce$1", "produce$1"},
		{FuncRef{Pkg: "kgo", Recv: "Record", Name: "String"}, "(kgo.Record).String", "String"},
		{FuncRef{Pkg: "kgo", Name: "run", Closure: "$2$1"}, "kgo.run$2$1", "run$2$1"},
		{FuncRef{Recv: "error", Name: "Error"}, "(error).Error", "Error"},
		{FuncRef{Name: "init#1"}, "init#1", "init#1"},
		{FuncRef{Name: "?"}, "?", "?"},
	} {
		if got := c.ref.String(); got != c.full {
			t.Errorf("%#v.String() = %q, want %q", c.ref, got, c.full)
		}
		if got := c.ref.Short(); got != c.short {
			t.Errorf("%#v.Short() = %q, want %q", c.ref, got, c.short)
		}
		if c.ref.IsZero() || CompareFuncRef(c.ref, c.ref) != 0 {
			t.Errorf("%#v: IsZero or CompareFuncRef wrong", c.ref)
		}
	}
	a, b := FuncRef{Pkg: "p", Name: "a"}, FuncRef{Pkg: "p", Recv: "T", Name: "a"}
	if CompareFuncRef(a, b) != strings.Compare(a.String(), b.String()) || CompareFuncRef(b, a) != -CompareFuncRef(a, b) {
		t.Errorf("CompareFuncRef does not order as the names sort")
	}
}
