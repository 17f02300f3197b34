package report

import (
	"strings"
	"testing"
)

func TestParseIgnore(t *testing.T) {
	for _, tc := range []struct {
		text   string
		ok     bool
		err    error
		checks []string
		reason string
	}{
		{text: "//kafkalint:ignore lock-cycle startup only", ok: true, checks: []string{"lock-cycle"}, reason: "startup only"},
		{text: "//kafkalint:ignore lock-cycle,double-lock  two checks ", ok: true, checks: []string{"lock-cycle", "double-lock"}, reason: "two checks"},
		{text: "//kafkalint:ignore\tlockorder\treason after a tab", ok: true, checks: []string{"lockorder"}, reason: "reason after a tab"},
		{text: "//kafkalint:ignore lock-cycle", ok: true, err: ErrIgnoreNoReason, checks: []string{"lock-cycle"}},
		{text: "//kafkalint:ignore lock-cycle   ", ok: true, err: ErrIgnoreNoReason, checks: []string{"lock-cycle"}},
		{text: "//kafkalint:ignore", ok: true, err: ErrIgnoreNoChecks},
		{text: "//kafkalint:ignore   ", ok: true, err: ErrIgnoreNoChecks},
		{text: "//kafkalint:ignore a,,b reason", ok: true, err: ErrIgnoreEmpty, checks: []string{"a", "", "b"}},
		{text: "//kafkalint:ignore a, reason", ok: true, err: ErrIgnoreEmpty, checks: []string{"a", ""}},
		{text: "// kafkalint:ignore a reason", ok: true, err: ErrIgnoreSpaced},
		{text: "//   kafkalint:ignore", ok: true, err: ErrIgnoreSpaced},
		// Not suppressions at all.
		{text: "//kafkalint:ignored a reason"},
		{text: "// kafkalint:ignorer"},
		{text: "// see kafkalint:ignore in the docs"},
		{text: "/* kafkalint:ignore a reason */"},
		{text: "//nolint:all"},
		{text: ""},
	} {
		ig, ok, err := ParseIgnore(tc.text)
		if ok != tc.ok || err != tc.err {
			t.Errorf("ParseIgnore(%q): ok=%v err=%v, want ok=%v err=%v", tc.text, ok, err, tc.ok, tc.err)
			continue
		}
		if strings.Join(ig.Checks, "|") != strings.Join(tc.checks, "|") || ig.Reason != tc.reason {
			t.Errorf("ParseIgnore(%q) = %q %q, want %q %q", tc.text, ig.Checks, ig.Reason, tc.checks, tc.reason)
		}
	}
}

// FuzzParseIgnore checks the parser's invariants on any comment text: no
// panic; a valid suppression has non-empty check names without blanks or
// commas and a trimmed non-empty reason; formatting it and parsing again
// gives the same suppression. The seeds run in every go test.
func FuzzParseIgnore(f *testing.F) {
	for _, seed := range []string{
		"//kafkalint:ignore lock-cycle startup only",
		"//kafkalint:ignore lock-cycle,double-lock two checks",
		"//kafkalint:ignore\tlockorder\ttab",
		"//kafkalint:ignore lock-cycle",
		"//kafkalint:ignore",
		"//kafkalint:ignore a,,b r",
		"//kafkalint:ignore ,",
		"// kafkalint:ignore a r",
		"//kafkalint:ignored",
		"//kafkalint:ignore a r // want `x`",
		"//kafkalint:ignore a \u00a0reason with nbsp",
		"//kafkalint:ignore a\r",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ig, ok, err := ParseIgnore(text)
		if !ok {
			if err != nil || len(ig.Checks) != 0 {
				t.Fatalf("ParseIgnore(%q): not a suppression but err=%v checks=%q", text, err, ig.Checks)
			}
			return
		}
		if err != nil {
			return
		}
		if len(ig.Checks) == 0 || ig.Reason == "" || ig.Reason != strings.TrimSpace(ig.Reason) {
			t.Fatalf("ParseIgnore(%q) = %q %q: valid suppression without checks or trimmed reason", text, ig.Checks, ig.Reason)
		}
		for _, c := range ig.Checks {
			if c == "" || strings.ContainsAny(c, " \t,") {
				t.Fatalf("ParseIgnore(%q): bad check name %q", text, c)
			}
		}
		again, ok, err := ParseIgnore(ig.String())
		if !ok || err != nil || strings.Join(again.Checks, ",") != strings.Join(ig.Checks, ",") || again.Reason != ig.Reason {
			t.Fatalf("ParseIgnore(%q) = %+v; reparsing %q gives %+v, %v, %v", text, ig, ig.String(), again, ok, err)
		}
	})
}
