package condwait_test

// TestAntsReleaseWakesNobody runs the built kafkalint binary on the real
// panjf2000/ants from the module proxy: v2.4.2 must be reported at
// retrieveWorker's p.cond.Wait (and PoolWithFunc's): Release stores CLOSED
// and broadcasts nothing, while revertWorker returns early and
// purgePeriodically breaks once closed, so Submit calls blocked in Wait
// when Release runs never return. v2.7.5, whose Release broadcasts ("we
// need to wake them up to prevent those callers blocking infinitely"), must
// be silent. Skipped with -short, with KAFKALINT_OFFLINE=1, or when the
// modules cannot be downloaded.

import (
	"regexp"
	"testing"

	"github.com/kafkalint/kafkalint/internal/realtest"
)

func TestAntsReleaseWakesNobody(t *testing.T) {
	realtest.Skip(t)
	bin := realtest.Binary(t)
	for _, tc := range []struct {
		version string
		want    *regexp.Regexp // nil: no report at all
	}{
		{"v2.4.2", regexp.MustCompile(`(?m)^\S+/pool\.go:236:\d+: this p\.cond\.Wait\(\) can wait forever once Release runs: Release sets p\.state .*\(cond-wait-shutdown\)$`)},
		{"v2.7.5", nil},
	} {
		t.Run(tc.version, func(t *testing.T) {
			dir := realtest.Module(t, []string{"github.com/panjf2000/ants/v2@" + tc.version}, []string{"github.com/panjf2000/ants/v2"})
			out, code := realtest.Run(t, bin, dir, "-test=false", "-condwait", "github.com/panjf2000/ants/v2")
			if !realtest.Expect(t, "ants "+tc.version, out, code, tc.want) {
				return
			}
			for _, related := range []string{
				`pool\.go:182:\d+: Release sets p\.state and broadcasts nothing`,
				`pool\.go:70:\d+: skips the wake-up at line 91 once p\.state is set`,
				`pool\.go:256:\d+: skips the wake-up at line 269 once p\.state is set`,
				`(?m)^\S+/pool_func\.go:254:\d+: this p\.cond\.Wait\(\) can wait forever once Release runs`,
			} {
				if !regexp.MustCompile(related).MatchString(out) {
					t.Errorf("ants %s: %s missing in:\n%s", tc.version, related, out)
				}
			}
			if n := len(realtest.Reports(out)); n != 2 {
				t.Errorf("ants %s: want 2 reports (Pool, PoolWithFunc), got %d:\n%s", tc.version, n, out)
			}
		})
	}
}
