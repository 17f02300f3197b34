package lockorder_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/kafkalint/kafkalint/internal/realtest"
)

// TestRealKafkaClients runs the built binary (lockorder only) on the real
// Kafka clients from the module proxy and checks every report it makes,
// so that a change which adds a false report on them fails here:
//   - franz-go v1.13.0 had a real inversion, producer.idMu vs a record
//     buffer's mu (fixed in v1.13.1): reported; v1.13.1 clean;
//   - franz-go v1.22.2: one double lock of producer.unknownTopicsMu
//     (updateMetadata → bumpMetadataFailForTopics), judged true;
//   - quic-go v0.41.0's #4266 through sync.Once.Do reported, v0.42.0 not;
//   - sarama v1.61.1 and kafka-go v0.4.51: no report.
func TestRealKafkaClients(t *testing.T) {
	realtest.Skip(t)
	bin := realtest.Binary(t)
	for _, tc := range []struct {
		name     string
		requires []string
		pkgs     []string
		want     []string // regexps, one per report, in output order
	}{
		{"franz-go v1.13.0", []string{"github.com/twmb/franz-go@v1.13.0"}, []string{"github.com/twmb/franz-go/pkg/kgo"}, []string{
			`pkg/kgo/producer\.go:\d+:\d+: lock order inversion: kgo\.recBuf\.mu is acquired here while holding kgo\.producer\.idMu .*\(lock-cycle\)$`,
		}},
		{"franz-go v1.13.1", []string{"github.com/twmb/franz-go@v1.13.1"}, []string{"github.com/twmb/franz-go/pkg/kgo"}, nil},
		{"franz-go v1.22.2", []string{"github.com/twmb/franz-go@v1.22.2"}, []string{"github.com/twmb/franz-go/pkg/kgo"}, []string{
			`pkg/kgo/metadata\.go:\d+:\d+: cl\.producer\.unknownTopicsMu is locked via \(\*kgo\.Client\)\.bumpMetadataFailForTopics again while already locked .*\(double-lock\)$`,
		}},
		// quic-go #4266 (fixed in v0.42.0): Transport.close holds t.mutex
		// around baseServer.close's closeOnce.Do, whose function, run first
		// by Listener.Close, calls onClose = t.closeServer, which takes
		// t.mutex. Both versions also have a true lock-leak of
		// controlFrameMutex in Handle0RTTRejection's error return.
		{"quic-go v0.41.0", []string{"github.com/quic-go/quic-go@v0.41.0"}, []string{"github.com/quic-go/quic-go"}, []string{
			`/framer\.go:\d+:\d+: f\.controlFrameMutex is locked here and still held .*\(lock-leak\)$`,
			`/server\.go:\d+:\d+: lock order inversion: quic\.Transport\.mutex is acquired here while holding quic\.baseServer\.closeOnce .*\(lock-cycle\)$`,
		}},
		{"quic-go v0.42.0", []string{"github.com/quic-go/quic-go@v0.42.0"}, []string{"github.com/quic-go/quic-go"}, []string{
			`/framer\.go:\d+:\d+: f\.controlFrameMutex is locked here and still held .*\(lock-leak\)$`,
		}},
		{"sarama and kafka-go", []string{"github.com/IBM/sarama@v1.61.1", "github.com/segmentio/kafka-go@v0.4.51"}, []string{"github.com/IBM/sarama", "github.com/segmentio/kafka-go"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := realtest.Module(t, tc.requires, tc.pkgs)
			out, code := realtest.Run(t, bin, dir, append([]string{"-test=false", "-lockorder"}, tc.pkgs...)...)
			reports := realtest.Reports(out)
			if len(reports) != len(tc.want) {
				t.Fatalf("%s: want %d reports, got %d (exit %d):\n%s", tc.name, len(tc.want), len(reports), code, out)
			}
			for i, w := range tc.want {
				if !regexp.MustCompile(w).MatchString(reports[i]) {
					t.Errorf("%s: report %d does not match %s:\n%s", tc.name, i+1, w, reports[i])
				}
			}
			wantCode := 0
			if len(tc.want) > 0 {
				wantCode = 3
			}
			if code != wantCode {
				t.Errorf("%s: exit %d, want %d\n%s", tc.name, code, wantCode, strings.TrimSpace(out))
			}
		})
	}
}
