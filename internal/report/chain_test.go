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
	steps, end := Descend("(*p.T).Close", []Step{
		{Message: "takes this select case"},
		{Message: "calls (*p.T).drain"},
		{Message: "calls (*p.T).lockAndSet"},
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
	if strings.Join(got, "\n") != strings.Join(want, "\n") || end != "(*p.T).lockAndSet" {
		t.Errorf("Descend:\n%s\nends in %s; want\n%s", strings.Join(got, "\n"), end, strings.Join(want, "\n"))
	}
}
