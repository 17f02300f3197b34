package lockmodel_test

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// TestFactsDeterministic encodes the facts the model exports for the
// lockorder test packages, as go vet would, several times over, and
// requires the same bytes each time: facts travel between vet processes
// and build caches, and must not depend on map iteration order.
func TestFactsDeterministic(t *testing.T) {
	testdata, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	cfg := &packages.Config{
		Mode: packages.LoadAllSyntax,
		Dir:  filepath.Join(testdata, "src"),
		Env:  append(os.Environ(), "GOPATH="+testdata, "GO111MODULE=off", "GOFLAGS=", "GOWORK=off"),
	}
	pkgs, err := packages.Load(cfg, "lockorder/...")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 8 {
		t.Fatalf("loaded %d packages from testdata/src/lockorder, want all of them", len(pkgs))
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("packages had errors")
	}
	var first []byte
	for i := 0; i < 3; i++ {
		g, err := checker.Analyze([]*analysis.Analyzer{lockmodel.Analyzer}, pkgs, nil)
		if err != nil {
			t.Fatal(err)
		}
		enc := encodeFacts(t, g)
		if i == 0 {
			first = enc
			if len(enc) < 1000 {
				t.Fatalf("suspiciously few facts: %d bytes", len(enc))
			}
			continue
		}
		if !bytes.Equal(first, enc) {
			t.Fatalf("run %d encoded different facts (%d vs %d bytes)", i+1, len(enc), len(first))
		}
	}
}

func encodeFacts(t *testing.T, g *checker.Graph) []byte {
	type entry struct {
		key string
		val []byte
	}
	var entries []entry
	for act := range g.All() {
		if act.Analyzer != lockmodel.Analyzer {
			continue
		}
		for _, f := range act.AllObjectFacts() {
			if f.Object.Pkg() != act.Package.Types {
				continue
			}
			var buf bytes.Buffer
			if err := gob.NewEncoder(&buf).Encode(f.Fact); err != nil {
				t.Fatal(err)
			}
			entries = append(entries, entry{fmt.Sprintf("%s.%s", act.Package.PkgPath, f.Object), buf.Bytes()})
		}
		for _, f := range act.AllPackageFacts() {
			if f.Package != act.Package.Types {
				continue
			}
			var buf bytes.Buffer
			if err := gob.NewEncoder(&buf).Encode(f.Fact); err != nil {
				t.Fatal(err)
			}
			entries = append(entries, entry{act.Package.PkgPath, buf.Bytes()})
		}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].key < entries[j].key })
	var out bytes.Buffer
	for _, e := range entries {
		out.WriteString(e.key)
		out.Write(e.val)
	}
	return out.Bytes()
}
