package guardedstate_test

// TestFranzGoLingerSink runs the built kafkalint binary on the real
// franz-go from the module proxy: in v1.20.1, recBuf.lockedMaybeLinger
// hands time.AfterFunc a closure that reads recBuf.sink without
// recBuf.mu, while the metadata goroutine moves the buffer to another sink
// under that lock (migrateProductionTo); v1.20.2 runs
// unlingerAndManuallyDrain, which takes the lock, and must be silent. It
// needs the module proxy (or a module cache holding both versions):
// skipped with -short, with KAFKALINT_OFFLINE=1, or when the modules
// cannot be downloaded. It runs twice: by default (the closure runs
// only on the timer's goroutine while migrateProductionTo writes under the
// lock: the default tier of inferred guards) and with
// -guardedstate.inferred.

import (
	"regexp"
	"strings"
	"testing"

	"github.com/kafkalint/kafkalint/internal/realtest"
)

func TestFranzGoLingerSink(t *testing.T) {
	realtest.Skip(t)
	bin := realtest.Binary(t)
	for _, tc := range []struct {
		version string
		want    *regexp.Regexp // nil: no report at all
	}{
		{"v1.20.1", regexp.MustCompile(`(?m)^\S+/pkg/kgo/sink\.go:1465:\d+: recBuf\.sink read without recBuf\.mu held; recBuf\.mu guards it elsewhere \(held at \d+ of \d+ of its accesses\) and \S*migrateProductionTo writes it with it held.*\(unguarded-access\)$`)},
		{"v1.20.2", nil},
	} {
		for _, mode := range []string{"default", "inferred"} {
			t.Run(tc.version+"/"+mode, func(t *testing.T) {
				dir := realtest.Module(t, []string{"github.com/twmb/franz-go@" + tc.version}, []string{"github.com/twmb/franz-go/pkg/kgo"})
				args := []string{"-test=false", "-guardedstate"}
				if mode == "inferred" {
					args = append(args, "-guardedstate.inferred")
				}
				out, code := realtest.Run(t, bin, dir, append(args, "github.com/twmb/franz-go/pkg/kgo")...)
				if tc.want == nil {
					if code != 0 || strings.TrimSpace(out) != "" {
						t.Fatalf("franz-go %s: want no reports (exit 0), got exit %d:\n%s", tc.version, code, out)
					}
					return
				}
				if code != 3 {
					t.Fatalf("franz-go %s: want exit 3 (findings), got %d:\n%s", tc.version, code, out)
				}
				if !tc.want.MatchString(out) {
					t.Fatalf("franz-go %s: no report matching %s in:\n%s", tc.version, tc.want, out)
				}
				// The write under the lock is related information.
				if !regexp.MustCompile(`topics_and_partitions\.go:593:\d+: old\.records\.sink written with old\.records\.mu held`).MatchString(out) {
					t.Errorf("franz-go %s: the guarded write is missing from the related information:\n%s", tc.version, out)
				}
				// So is the timer the closure runs on.
				if !regexp.MustCompile(`sink\.go:1464:\d+: \S+ runs on its own goroutine, started here by time\.AfterFunc`).MatchString(out) {
					t.Errorf("franz-go %s: the goroutine start is missing from the related information:\n%s", tc.version, out)
				}
				if lines := realtest.Reports(out); len(lines) != 1 {
					t.Errorf("franz-go %s: want exactly one report, got %d:\n%s", tc.version, len(lines), out)
				}
			})
		}
	}
}
