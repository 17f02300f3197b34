package kafkaapi

import (
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics and that whatever it accepts
// formats to text that parses back to the same table. The seed corpus (run
// by plain `go test`) is the built-in table, the examples from the docs and
// a few malformed lines.
func FuzzParse(f *testing.F) {
	f.Add(DefaultSource())
	for _, line := range strings.Split(DefaultSource(), "\n") {
		f.Add(line)
	}
	f.Add("commit app (*example.com/app/kafkautil.Committer).Commit error=result\n")
	f.Add("commit app example.com/app.CommitAsync error=callback:1 partitions=param:0\n")
	f.Add("errors app (example.com/a.G).Errors owners=example.com/a.New,(*example.com/a.P).Get blocking=true")
	f.Add("errors-switch app example.com/a.Config field=Consumer.Return.Errors # c")
	f.Add("event app example.com/a.E error=field:Err\r\n")
	f.Add("commit app (*.T).M error=result")
	f.Add("commit app ().M error=result")
	f.Add("commit app (*a.T).M error=callback:0 partitions=param:255 when=return-errors")
	f.Add("poll\tapp\texample.com/a.F\tvia=channel")
	f.Add("# only a comment\n\n   \n")
	f.Fuzz(func(t *testing.T, src string) {
		tab, err := Parse("fuzz", src)
		if err != nil {
			if tab != nil {
				t.Fatalf("Parse returned a table and an error")
			}
			return
		}
		text := Format(tab)
		again, err := Parse("formatted", text)
		if err != nil {
			t.Fatalf("formatted table does not parse: %v\ninput: %q\nformatted: %q", err, src, text)
		}
		if got := Format(again); got != text {
			t.Fatalf("round trip differs:\n first  %q\n second %q", text, got)
		}
		for _, e := range tab.Entries() {
			if len(tab.Lookup(e.Name)) == 0 {
				t.Fatalf("entry %q not found by Lookup", e.Name)
			}
		}
	})
}
