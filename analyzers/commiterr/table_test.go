package commiterr

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadTable(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.api")
	if err := os.WriteFile(good, []byte("commit app (*example.com/q.C).Commit error=result\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tab, err := loadTable(good)
	if err != nil {
		t.Fatal(err)
	}
	if tab.LookupKind("(*example.com/q.C).Commit", "commit") == nil {
		t.Error("user entry missing from the merged table")
	}
	if tab.LookupKind("(*github.com/twmb/franz-go/pkg/kgo.Client).CommitRecords", "commit") == nil {
		t.Error("built-in entry missing from the merged table")
	}

	bad := filepath.Join(dir, "bad.api")
	if err := os.WriteFile(bad, []byte("# ok\ncommit app nodot error=result\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadTable(bad); err == nil || !strings.Contains(err.Error(), "bad.api:2: bad function name") {
		t.Errorf("loadTable(bad) = %v, want a bad.api:2 error", err)
	}
	if _, err := loadTable(filepath.Join(dir, "missing.api")); err == nil || !strings.Contains(err.Error(), "-commiterr.api") {
		t.Errorf("loadTable(missing) = %v, want an error naming the flag", err)
	}
}

func TestPkgPathOf(t *testing.T) {
	for in, want := range map[string]string{
		"(*github.com/twmb/franz-go/pkg/kgo.Client).CommitRecords": "github.com/twmb/franz-go/pkg/kgo",
		"(github.com/IBM/sarama.ConsumerGroup).Errors":             "github.com/IBM/sarama",
		"github.com/twmb/franz-go/pkg/kgo.AutoCommitCallback":      "github.com/twmb/franz-go/pkg/kgo",
		"github.com/IBM/sarama.Config":                             "github.com/IBM/sarama",
	} {
		if got := pkgPathOf(in); got != want {
			t.Errorf("pkgPathOf(%q) = %q, want %q", in, got, want)
		}
	}
}
