package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/kafkalint/kafkalint/internal/suite"
)

// TestFactsReleased: on the examples module (a lock cycle whose halves are
// in different packages, found through facts), every package's facts and
// shared types are gone when the run ends, and the cross-package finding
// is there: no package dropped its facts before an importer read them.
func TestFactsReleased(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses the examples module")
	}
	dir, err := filepath.Abs(filepath.Join("..", "..", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	t.Setenv("GOFLAGS", "")
	t.Setenv("GOWORK", "off")
	pkgs, err := listPackages(false, []string{"./..."}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := newUnitRunner(suite.Analyzers())
	units := r.run(dropTestMains(pkgs))
	var results []*rootResult
	for _, p := range pkgs {
		if u := r.units[p]; u != nil && u.result != nil {
			results = append(results, u.result)
		}
	}
	cycle := false
	for _, f := range collectFindings(results) {
		if f.Check == "lock-cycle" && strings.Contains(f.Message, "coordinator.Coordinator.mu") {
			cycle = true
		}
	}
	if !cycle {
		t.Errorf("no cross-package lock-cycle on the examples module: a package's facts were dropped before an importer read them")
	}
	for _, u := range units {
		if n := u.importers.Load(); n != 0 {
			t.Errorf("%s: %d importers left at the end", u.pkg.ID, n)
		}
		if u.facts != nil {
			t.Errorf("%s: facts kept to the end", u.pkg.ID)
		}
		if s := u.shared; s != nil && s.index >= 0 && s.tpkg != nil {
			t.Errorf("%s: shared types kept to the end", u.pkg.ID)
		}
	}
}
