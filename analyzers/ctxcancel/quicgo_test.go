package ctxcancel_test

// TestQuicGoRecreateLeak runs the built kafkalint binary on the real
// quic-go from the module proxy: v0.52.0 must be reported at doDial's
// goroutine's send on the unbuffered recreateChan (the goroutine leaks
// when doDial's select leaves by another case, e.g. the 0-RTT
// earlyConnChan, and run then ends for recreation), with the select case
// and the return as related information; v0.54.0, which made recreateChan
// buffered ("in case a different case is selected"), must be silent.
// Skipped with -short, with KAFKALINT_OFFLINE=1, or when the modules
// cannot be downloaded.

import (
	"regexp"
	"testing"

	"github.com/kafkalint/kafkalint/internal/realtest"
)

func TestQuicGoRecreateLeak(t *testing.T) {
	realtest.Skip(t)
	bin := realtest.Binary(t)
	for _, tc := range []struct {
		version string
		want    *regexp.Regexp // nil: no report at all
	}{
		{"v0.52.0", regexp.MustCompile(`(?m)^\S+/transport\.go:336:\d+: goroutine leak: this send on unbuffered recreateChan blocks forever once doDial leaves its select .*\(cancel-leak\)$`)},
		{"v0.54.0", nil},
	} {
		t.Run(tc.version, func(t *testing.T) {
			dir := realtest.Module(t, []string{"github.com/quic-go/quic-go@" + tc.version}, []string{"github.com/quic-go/quic-go"})
			out, code := realtest.Run(t, bin, dir, "-test=false", "-ctxcancel", "github.com/quic-go/quic-go")
			if !realtest.Expect(t, "quic-go "+tc.version, out, code, tc.want) {
				return
			}
			for _, related := range []string{
				`transport\.go:331:\d+: \[\(\*quic\.Transport\)\.doDial\] makes recreateChan`,
				`transport\.go:332:\d+: \[\(\*quic\.Transport\)\.doDial\] starts the goroutine`,
				`transport\.go:\d+:\d+: \[\(\*quic\.Transport\)\.doDial\] leaves the select through`,
			} {
				if !regexp.MustCompile(related).MatchString(out) {
					t.Errorf("quic-go %s: related information %s missing in:\n%s", tc.version, related, out)
				}
			}
			if n := len(realtest.Reports(out)); n != 1 {
				t.Errorf("quic-go %s: want exactly one ctxcancel report, got %d:\n%s", tc.version, n, out)
			}
		})
	}
}
