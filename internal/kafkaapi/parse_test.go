package kafkaapi

import (
	"reflect"
	"strings"
	"testing"
)

func TestDefaultTableParses(t *testing.T) {
	tab := Default()
	if n := len(tab.Entries()); n < 30 {
		t.Fatalf("default table has %d entries, want the four clients' APIs (>= 30)", n)
	}
	e := tab.LookupKind("(*github.com/twmb/franz-go/pkg/kgo.Client).CommitOffsets", Commit)
	if e == nil || e.Error != InCallback || e.Arg != 2 || e.Partitions != 2 {
		t.Errorf("CommitOffsets entry = %+v, want error=callback:2 partitions=param:2", e)
	}
	e = tab.LookupKind("(*github.com/confluentinc/confluent-kafka-go/v2/kafka.Consumer).Commit", Commit)
	if e == nil || e.Error != InResult || e.Partitions != 0 {
		t.Errorf("confluent Commit entry = %+v, want error=result partitions=result:0", e)
	}
	e = tab.LookupKind("(github.com/IBM/sarama.PartitionOffsetManager).Errors", Errors)
	if e == nil || !e.Blocking || len(e.Owners) != 1 {
		t.Errorf("sarama pom Errors entry = %+v, want blocking with one owner", e)
	}
	for _, e := range tab.Entries() {
		if e.Client == "" || e.Line == 0 {
			t.Errorf("entry %v lacks client or line", e)
		}
	}
}

func TestParseLines(t *testing.T) {
	src := `
# wrappers of example.com/app
commit  app  (*example.com/app/kafkautil.Committer).Commit   error=result   # trailing comment
commit  app  example.com/app/kafkautil.CommitAsync error=callback:1 partitions=param:0
poll    app  (example.com/app/kafkautil.Source).Next
poll    app  example.com/app/kafkautil.Records via=channel
errors  app  (example.com/app/kafkautil.Group).Errs owners=example.com/app/kafkautil.New,(*example.com/app/kafkautil.Pool).Get blocking=true
errors-switch app example.com/app/kafkautil.Config field=Errors.Enabled
event   app  example.com/app/kafkautil.Committed error=field:Err
callback app example.com/app/kafkautil.OnCommit error=callback:0
`
	tab, err := Parse("user.api", src)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{Kind: Commit, Client: "app", Name: "(*example.com/app/kafkautil.Committer).Commit", Error: InResult, Partitions: -1, Line: 3},
		{Kind: Commit, Client: "app", Name: "example.com/app/kafkautil.CommitAsync", Error: InCallback, Arg: 1, Partitions: 0, Line: 4},
		{Kind: Poll, Client: "app", Name: "(example.com/app/kafkautil.Source).Next", Via: "result", Partitions: -1, Line: 5},
		{Kind: Poll, Client: "app", Name: "example.com/app/kafkautil.Records", Via: "channel", Partitions: -1, Line: 6},
		{Kind: Errors, Client: "app", Name: "(example.com/app/kafkautil.Group).Errs", Owners: []string{"example.com/app/kafkautil.New", "(*example.com/app/kafkautil.Pool).Get"}, Blocking: true, Partitions: -1, Line: 7},
		{Kind: ErrorsSwitch, Client: "app", Name: "example.com/app/kafkautil.Config", Field: "Errors.Enabled", Partitions: -1, Line: 8},
		{Kind: Event, Client: "app", Name: "example.com/app/kafkautil.Committed", Error: InField, Field: "Err", Partitions: -1, Line: 9},
		{Kind: CallbackOpt, Client: "app", Name: "example.com/app/kafkautil.OnCommit", Error: InCallback, Partitions: -1, Line: 10},
	}
	got := tab.Entries()
	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d:\n%s", len(got), len(want), Format(tab))
	}
	for i := range want {
		if !reflect.DeepEqual(*got[i], want[i]) {
			t.Errorf("entry %d:\n got  %+v\n want %+v", i, *got[i], want[i])
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"commit app", "got 2 field(s)"},
		{"frob app example.com/a.F", `unknown kind "frob"`},
		{"commit app example.com/a.F", "needs error="},
		{"commit app example.com/a.F error=later", "bad error=later"},
		{"commit app example.com/a.F error=callback:x", "want an index"},
		{"commit app example.com/a.F error=callback:256", "want an index"},
		{"commit app example.com/a.F error=callback:01", "want an index"},
		{"commit app example.com/a.F error=result partitions=param:0", "want result:N"},
		{"commit app example.com/a.F error=channel partitions=result:0", "partitions= needs"},
		{"commit app example.com/a.F error=callback:1 when=return-errors", "bad when="},
		{"commit app example.com/a.F error=result error=result", "given twice"},
		{"commit app example.com/a.F error=result via=channel", `"via" does not apply`},
		{"commit app example.com/a.F error", "want KEY=VALUE"},
		{"commit app a.b.(T).M error=result", "bad function name"},
		{"commit app (example.com/a.T.M error=result", "bad function name"},
		{"commit app F error=result", "bad function name"},
		{"commit a,pp example.com/a.F error=result", "bad client name"},
		{"callback app example.com/a.F error=result", "callback needs error=callback:N"},
		{"poll app example.com/a.F via=stream", "bad via="},
		{"errors app (example.com/a.T).Errors owners=x", "bad owner"},
		{"errors app (example.com/a.T).Errors blocking=1", "bad blocking="},
		{"errors-switch app example.com/a.Config", "needs field="},
		{"errors-switch app example.com/a.Config field=A..B", "bad field path"},
		{"errors-switch app (example.com/a.T).M field=A", "bad type name"},
		{"event app example.com/a.E error=result", "event needs error=field:Name"},
	} {
		_, err := Parse("t.api", "\n"+tc.src+"\n")
		if err == nil {
			t.Errorf("Parse(%q) succeeded, want error containing %q", tc.src, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "t.api:2: ") {
			t.Errorf("Parse(%q) = %v, want t.api:2: ...%s...", tc.src, err, tc.want)
		}
	}
}

func TestLaterEntryOverrides(t *testing.T) {
	user, err := Parse("user.api", "commit mine (*github.com/segmentio/kafka-go.Reader).CommitMessages error=callback:0\n")
	if err != nil {
		t.Fatal(err)
	}
	merged := Default().Merge(user)
	e := merged.LookupKind("(*github.com/segmentio/kafka-go.Reader).CommitMessages", Commit)
	if e == nil || e.Client != "mine" || e.Error != InCallback {
		t.Fatalf("merged entry = %+v, want the user's line", e)
	}
	if len(merged.Entries()) != len(Default().Entries()) {
		t.Errorf("override added an entry: %d vs %d", len(merged.Entries()), len(Default().Entries()))
	}
	if d := Default().LookupKind("(*github.com/segmentio/kafka-go.Reader).CommitMessages", Commit); d.Client != "kafka-go" {
		t.Errorf("Merge changed the default table: %+v", d)
	}
}

func TestFormatRoundTrip(t *testing.T) {
	text := Format(Default())
	again, err := Parse("formatted", text)
	if err != nil {
		t.Fatalf("formatted default table does not parse: %v\n%s", err, text)
	}
	if Format(again) != text {
		t.Errorf("Format(Parse(Format(default))) differs from Format(default)")
	}
}

func TestShortName(t *testing.T) {
	for in, want := range map[string]string{
		"(*github.com/twmb/franz-go/pkg/kgo.Client).CommitRecords": "(*kgo.Client).CommitRecords",
		"(github.com/IBM/sarama.ConsumerGroupSession).Commit":      "(sarama.ConsumerGroupSession).Commit",
		"github.com/twmb/franz-go/pkg/kgo.AutoCommitCallback":      "kgo.AutoCommitCallback",
		"nodot": "nodot",
	} {
		if got := ShortName(in); got != want {
			t.Errorf("ShortName(%q) = %q, want %q", in, got, want)
		}
	}
}
