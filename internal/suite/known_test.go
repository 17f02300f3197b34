package suite_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/kafkalint/kafkalint/internal/report"
	_ "github.com/kafkalint/kafkalint/internal/suite" // registers every analyzer's checks
)

var update = flag.Bool("update", false, "rewrite the files generated from the check registry (internal/report/known_names.go, the check sections of docs/*.md)")

// TestKnownNames keeps internal/report/known_names.go equal to the names the
// suite registers, so that ignoredirective flags a //kafkalint:ignore of an
// unknown name whichever analyzers a driver links.
func TestKnownNames(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`package report

// knownNames lists every check and analyzer name of the kafkalint suite,
// sorted. Kept equal to the registry by TestKnownNames in internal/suite:
// go test ./internal/suite -run TestKnownNames -update rewrites it.
var knownNames = []string{
`)
	for _, name := range report.RegisteredNames() {
		fmt.Fprintf(&b, "\t%q,\n", name)
	}
	b.WriteString("}\n")
	checkGenerated(t, filepath.Join("..", "report", "known_names.go"), b.Bytes())
}

// checkGenerated compares a file generated from the registry with want, or
// rewrites it under -update.
func checkGenerated(t *testing.T, path string, want []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date with the check registry: run go test ./internal/suite -update", filepath.ToSlash(path))
	}
}
