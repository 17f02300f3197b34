package condwait_test

// TestPuddleAcquireHandoff runs the built kafkalint binary on the real
// jackc/puddle from the module proxy: v1.0.0 must be reported at the Lock
// in Acquire's ctx.Done case (PR 2, "Fix deadlock race when acquire is
// cancelled"): the goroutine started under p.cond.L is handed the lock,
// re-takes it in p.cond.Wait and exits holding it after sending on
// waitChan. v1.1.0, which starts the goroutine that receives from waitChan
// and unlocks before locking, must be silent. Skipped like
// TestFranzGoProduceHandoff.

import (
	"regexp"
	"strings"
	"testing"

	"github.com/kafkalint/kafkalint/internal/realtest"
)

func TestPuddleAcquireHandoff(t *testing.T) {
	realtest.Skip(t)
	bin := realtest.Binary(t)
	for _, tc := range []struct {
		version string
		want    *regexp.Regexp // nil: no report at all
	}{
		{"v1.0.0", regexp.MustCompile(`(?m)^\S+/pool\.go:306:\d+: p\.cond\.L is acquired here, but the goroutine started at line 299 \(Acquire\$1\) exits holding it and then sends on waitChan; .*\(lock-handoff\)$`)},
		{"v1.1.0", nil},
	} {
		t.Run(tc.version, func(t *testing.T) {
			dir := realtest.Module(t, []string{"github.com/jackc/puddle@" + tc.version}, []string{"github.com/jackc/puddle"})
			out, code := realtest.Run(t, bin, dir, "-test=false", "-condwait", "github.com/jackc/puddle")
			if !realtest.Expect(t, "puddle "+tc.version, out, code, tc.want) {
				return
			}
			for _, related := range []string{
				`pool.go:300:\d+: \[goroutine \S+\] p\.cond\.Wait\(\) re-locks p\.cond\.L`,
				`pool.go:301:\d+: \[goroutine \S+\] sends on waitChan`,
				`pool.go:305:\d+: \[\S+\] takes this select case`,
			} {
				if !regexp.MustCompile(related).MatchString(out) {
					t.Errorf("puddle %s: related information %s missing in:\n%s", tc.version, related, out)
				}
			}
			if lines := regexp.MustCompile(`(?m)^\S+:\d+:\d+: `).FindAllString(out, -1); len(lines) != 1 || strings.Count(out, "(lock-handoff)") != 1 {
				t.Errorf("puddle %s: want exactly one report, the lock-handoff, got %d:\n%s", tc.version, len(lines), out)
			}
		})
	}
}
