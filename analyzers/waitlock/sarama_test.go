package waitlock_test

// TestSaramaConsumeRelease runs the built kafkalint binary on the real
// Shopify/sarama from the module proxy: v1.25.0 must be reported at
// Consume's call of sess.release (the consumer-group hang fixed in v1.26.0,
// PR 1581: Consume holds c.lock while release waits for the heartbeat
// goroutine, which on a broker error first calls handleError, which takes
// c.lock), with both sides as related information; v1.26.0, whose
// handleError no longer locks, must be silent. Skipped with -short, with
// KAFKALINT_OFFLINE=1, or when the modules cannot be downloaded.

import (
	"regexp"
	"testing"

	"github.com/kafkalint/kafkalint/internal/realtest"
)

func TestSaramaConsumeRelease(t *testing.T) {
	realtest.Skip(t)
	bin := realtest.Binary(t)
	for _, tc := range []struct {
		version string
		want    *regexp.Regexp // nil: no report at all
	}{
		{"v1.25.0", regexp.MustCompile(`(?m)^\S+/consumer_group\.go:184:\d+: Consume holds c\.lock while it waits for s\.hbDead, but the goroutine that ends that wait, heartbeatLoop .*may first take sarama\.consumerGroup\.lock .*handleError.*\(partner-needs-lock\)$`)},
		{"v1.26.0", nil},
	} {
		t.Run(tc.version, func(t *testing.T) {
			dir := realtest.Module(t, []string{"github.com/Shopify/sarama@" + tc.version}, []string{"github.com/Shopify/sarama"})
			out, code := realtest.Run(t, bin, dir, "-test=false", "-waitlock", "github.com/Shopify/sarama")
			if !realtest.Expect(t, "sarama "+tc.version, out, code, tc.want) {
				return
			}
			// Both sides, with their chains.
			for _, related := range []string{
				`consumer_group\.go:155:\d+: \[\(\*sarama\.consumerGroup\)\.Consume\] c\.lock\.Lock\(\)`,
				`consumer_group\.go:706:\d+: \[\(\*sarama\.consumerGroup\)\.Consume\] calls .*release\$1 \(run by sync\.Once\.Do\)`,
				`consumer_group\.go:719:\d+: \[\(\*sarama\.consumerGroup\)\.Consume\] receives from s\.hbDead while holding`,
				`consumer_group\.go:737:\d+: \[goroutine \S+heartbeatLoop\] calls \(\*sarama\.consumerGroup\)\.handleError`,
				`consumer_group\.go:433:\d+: \[goroutine \S+heartbeatLoop\] c\.lock\.Lock\(\)`,
				`consumer_group\.go:726:\d+: \[goroutine \S+heartbeatLoop\] close\(s\.hbDead\) \(ends the wait\)`,
			} {
				if !regexp.MustCompile(related).MatchString(out) {
					t.Errorf("sarama %s: related information %s missing in:\n%s", tc.version, related, out)
				}
			}
		})
	}
}
