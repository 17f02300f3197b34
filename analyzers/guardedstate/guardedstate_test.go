package guardedstate_test

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/kafkalint/kafkalint/analyzers/guardedstate"
)

var testdata, _ = filepath.Abs(filepath.Join("..", "..", "testdata"))

// The cases below report inferred guards too (-guardedstate.inferred);
// TestInferredOff checks the default.
func TestMain(m *testing.M) {
	if err := guardedstate.Analyzer.Flags.Set("inferred", "true"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

func TestInferredOff(t *testing.T) {
	setInferred(t, "false")
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/inferredoff")
}

func setInferred(t *testing.T, v string) {
	old := guardedstate.Analyzer.Flags.Lookup("inferred").Value.String()
	if err := guardedstate.Analyzer.Flags.Set("inferred", v); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { guardedstate.Analyzer.Flags.Set("inferred", old) })
}

func TestSession(t *testing.T) {
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/session")
}

func TestRLockWrite(t *testing.T) {
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/rlock")
}

func TestStaleRead(t *testing.T) {
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/stale")
}

func TestAnnotated(t *testing.T) {
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/annotated")
}

func TestCrossPackage(t *testing.T) {
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/crossdef", "guardedstate/crossuse")
}

// TestNoLocks: a package that takes no lock still reports what
// annotations guard, its own and its imports' (the early exit for
// packages without locks must not skip them).
func TestNoLocks(t *testing.T) {
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/crossbare")
}

func TestSilent(t *testing.T) {
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/silent")
}

func TestHelper(t *testing.T) {
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/helper")
}

func TestGoroutines(t *testing.T) {
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/goroutines")
}

func TestEntries(t *testing.T) {
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/entries")
}

func TestConventions(t *testing.T) {
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/conventions")
}

// TestConcurrentTier checks the default tier of inferred guards (without
// -guardedstate.inferred): goroutines this package starts.
func TestConcurrentTier(t *testing.T) {
	setInferred(t, "false")
	analysistest.Run(t, testdata, guardedstate.Analyzer, "guardedstate/concurrent")
}
