package condwait_test

// TestFranzGoProduceHandoff runs the built kafkalint binary on the real
// franz-go from the module proxy: v1.17.1 must be reported at the Lock in
// produce's cancel path (the hand-off hang fixed in v1.18.0), with the
// helper goroutine's exit-holding path as related information; v1.18.0
// must be silent. It needs the module proxy (or a module cache holding both
// versions) and takes a minute or so: skipped with -short, or with
// KAFKALINT_OFFLINE=1, or when the modules cannot be downloaded.

import (
	"regexp"
	"strings"
	"testing"

	"github.com/kafkalint/kafkalint/internal/realtest"
)

func TestFranzGoProduceHandoff(t *testing.T) {
	realtest.Skip(t)
	bin := realtest.Binary(t)
	for _, tc := range []struct {
		version string
		want    *regexp.Regexp // nil: no report at all
	}{
		{"v1.17.1", regexp.MustCompile(`(?m)^\S+/pkg/kgo/producer\.go:483:\d+: p\.mu is acquired here, but the goroutine started at line 470 \(produce\$\d+\) exits holding it and then closes wait; .*\(lock-handoff\)$`)},
		{"v1.18.0", nil},
	} {
		t.Run(tc.version, func(t *testing.T) {
			dir := realtest.Module(t, []string{"github.com/twmb/franz-go@" + tc.version}, []string{"github.com/twmb/franz-go/pkg/kgo"})
			out, code := realtest.Run(t, bin, dir, "-test=false", "-condwait", "-ctxcancel", "github.com/twmb/franz-go/pkg/kgo")
			if !realtest.Expect(t, "franz-go "+tc.version, out, code, tc.want) {
				return
			}
			// The helper's exit-holding path is related information.
			for _, related := range []string{
				`producer.go:472:\d+: \[goroutine \S+\] p\.mu\.Lock\(\)`,
				`producer.go:480:\d+: \[goroutine \S+\] returns still holding p\.mu`,
				`producer.go:499:\d+: \[\S+\] takes this select case`,
			} {
				if !regexp.MustCompile(related).MatchString(out) {
					t.Errorf("franz-go %s: related information %s missing in:\n%s", tc.version, related, out)
				}
			}
			// One report, and nothing from the Flush/pause goroutines,
			// which defer their unlock.
			if n := strings.Count(out, "(lock-handoff)"); n != 1 {
				t.Errorf("franz-go %s: want 1 lock-handoff report, got %d:\n%s", tc.version, n, out)
			}
			if lines := regexp.MustCompile(`(?m)^\S+:\d+:\d+: `).FindAllString(out, -1); len(lines) != 1 {
				t.Errorf("franz-go %s: want exactly one report from condwait and ctxcancel, got %d:\n%s", tc.version, len(lines), out)
			}
		})
	}
}
