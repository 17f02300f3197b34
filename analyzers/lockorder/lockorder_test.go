package lockorder_test

import (
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kafkalint/kafkalint/analyzers/lockorder"
	"github.com/kafkalint/kafkalint/internal/sharedtest"
)

var testdata, _ = filepath.Abs(filepath.Join("..", "..", "testdata"))

// shared checks every test's packages from one run over all of them
// (internal/sharedtest: the standard library under them is loaded and
// analysed once, not once per test).
var shared = sharedtest.New(testdata, lockorder.Analyzer,
	"lockorder/basic", "lockorder/callbacklib", "lockorder/callbackuser", "lockorder/callergate",
	"lockorder/choice", "lockorder/closures", "lockorder/confine", "lockorder/entryheld",
	"lockorder/enumswitch", "lockorder/features", "lockorder/fresh", "lockorder/gatepairs",
	"lockorder/generated", "lockorder/guards", "lockorder/handaway", "lockorder/hooks",
	"lockorder/instances", "lockorder/iterlib", "lockorder/iterseq", "lockorder/iteruser",
	"lockorder/joined", "lockorder/kafka/client", "lockorder/kafka/consumer",
	"lockorder/kafka/coordinator", "lockorder/localmu", "lockorder/mayheld", "lockorder/once", "lockorder/oneedge",
	"lockorder/paths", "lockorder/reacquire", "lockorder/recursion", "lockorder/rlocker",
	"lockorder/roots", "lockorder/seqgo", "lockorder/seqmain", "lockorder/seqtest",
	"lockorder/starter", "lockorder/testonly", "lockorder/witnesses", "lockorder/wrapper",
	"lockorder/xbatch/direct", "lockorder/xbatch/internal/batch", "lockorder/xbatch/loop",
	"lockorder/xbatch/mixed", "lockorder/xbatch/public", "lockorder/xclient", "lockorder/xcoord",
	"lockorder/xcycle/direct", "lockorder/xcycle/internal/conn", "lockorder/xcycle/loop",
	"lockorder/xcycle/onlywrite", "lockorder/xcycle/public", "lockorder/xinstlib",
	"lockorder/xinstuser",
)

func TestBasic(t *testing.T) {
	shared.Check(t, "lockorder/basic")
}

func TestFeatures(t *testing.T) {
	shared.Check(t, "lockorder/features")
}

func TestClosures(t *testing.T) {
	shared.Check(t, "lockorder/closures")
}

func TestTestOnly(t *testing.T) {
	shared.Check(t, "lockorder/testonly")
}

func TestFresh(t *testing.T) {
	shared.Check(t, "lockorder/fresh")
}

func TestGuards(t *testing.T) {
	shared.Check(t, "lockorder/guards")
}

func TestEntryHeld(t *testing.T) {
	shared.Check(t, "lockorder/entryheld")
}

func TestOneEdge(t *testing.T) {
	shared.Check(t, "lockorder/oneedge")
}

func TestCallerGate(t *testing.T) {
	shared.Check(t, "lockorder/callergate")
}

func TestWrapper(t *testing.T) {
	shared.Check(t, "lockorder/wrapper")
}

// The other functions that take an edge's locks in the same order are
// listed with the printed chain.
func TestOtherWitnesses(t *testing.T) {
	results := shared.Check(t, "lockorder/witnesses")
	found := false
	for _, r := range results {
		for _, d := range r.Diagnostics {
			for _, rel := range d.Related {
				if strings.Contains(rel.Message, "[path 1, also] (*witnesses.pool).close: also takes witnesses.pool.cond while holding witnesses.pool.idle") {
					found = true
				}
			}
		}
	}
	if !found {
		t.Error("the report does not name (*witnesses.pool).close as another path taking idle then cond")
	}
}

// A cycle with one half in a generated file is reported at the
// hand-written half; one wholly in generated code is not.
func TestGenerated(t *testing.T) {
	shared.Check(t, "lockorder/generated")
}

func TestRecursion(t *testing.T) {
	shared.Check(t, "lockorder/recursion")
}

func TestMayHeld(t *testing.T) {
	shared.Check(t, "lockorder/mayheld")
}

func TestLocalMutex(t *testing.T) {
	shared.Check(t, "lockorder/localmu")
}

func TestRLockerCond(t *testing.T) {
	shared.Check(t, "lockorder/rlocker")
}

func TestIterSeq(t *testing.T) {
	shared.Check(t, "lockorder/iterseq")
}

func TestHooks(t *testing.T) {
	shared.Check(t, "lockorder/hooks")
}

// An edge made by two paths, the first found sharing a gate with the other
// side and the second not: the report shows the second.
func TestPaths(t *testing.T) {
	results := shared.Check(t, "lockorder/paths")
	var path1 []string
	for _, r := range results {
		for _, d := range r.Diagnostics {
			if !strings.Contains(d.Message, "paths.S.b") {
				continue
			}
			for _, rel := range d.Related {
				if strings.HasPrefix(rel.Message, "[path 1] ") {
					path1 = append(path1, rel.Message)
				}
			}
		}
	}
	joined := strings.Join(path1, "\n")
	if !strings.Contains(joined, "(*paths.S).abFree: s.b.Lock() locks paths.S.b") || strings.Contains(joined, "abGated") {
		t.Errorf("path 1 of the S report should be abFree's chain, not abGated's:\n%s", joined)
	}
}

// Chains start at an entry point (produce's at Produce, which calls it)
// and name func literals by where they are written.
func TestRoots(t *testing.T) {
	results := shared.Check(t, "lockorder/roots")
	chains := map[string][]string{} // by the lock class the report is about
	for _, r := range results {
		for _, d := range r.Diagnostics {
			for _, rel := range d.Related {
				for _, c := range []string{"roots.C.b", "roots.D.b"} {
					if strings.Contains(d.Message, c+" is acquired") {
						chains[c] = append(chains[c], rel.Message)
					}
				}
			}
		}
	}
	c := chains["roots.C.b"]
	if len(c) == 0 || c[0] != "[path 1] (*roots.C).Produce: calls (*roots.C).produce" {
		t.Errorf("C's path 1 should start at Produce:\n%s", strings.Join(c, "\n"))
	}
	if !slices.ContainsFunc(c, func(s string) bool {
		return regexp.MustCompile(`^\[path 2\] func literal in \(\*roots.C\).Start \(roots.go:\d+\): c.b.Lock\(\)`).MatchString(s)
	}) || slices.ContainsFunc(c, func(s string) bool { return strings.Contains(s, "$") }) {
		t.Errorf("C's path 2 should name the func literal by where it is written:\n%s", strings.Join(c, "\n"))
	}
	// Self-deadlocks and leaks in unexported helpers start at the exported
	// method too; an exported function's own report has no entry chain.
	entries := map[int][]string{} // by report line
	for _, r := range results {
		for _, diag := range r.Diagnostics {
			line := r.Pass.Fset.Position(diag.Pos).Line
			for _, rel := range diag.Related {
				if strings.HasPrefix(rel.Message, "[entry] ") {
					entries[line] = append(entries[line], rel.Message)
				}
			}
		}
	}
	var got []string
	for _, l := range slices.Sorted(maps.Keys(entries)) {
		got = append(got, fmt.Sprintf("%d: %s", l, strings.Join(entries[l], " | ")))
	}
	want := []string{
		"61: [entry] (*roots.E).Reset: calls (*roots.E).reset",
		"69: [entry] (*roots.E).Put: calls (*roots.E).put",
	}
	if !slices.Equal(got, want) {
		t.Errorf("entry chains:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	d := chains["roots.D.b"]
	if len(d) == 0 || !strings.HasPrefix(d[0], "[path 1] (*roots.D).Flush: d.a.Lock()") {
		t.Errorf("D's path 1 should start at Flush's own lock:\n%s", strings.Join(d, "\n"))
	}
}

// Two lock orders separated by joining a goroutine are not a cycle.
func TestJoined(t *testing.T) {
	shared.Check(t, "lockorder/joined")
}

// A goroutine's loop re-lock whose release is the starter's is not a
// double lock.
func TestStarterReleases(t *testing.T) {
	shared.Check(t, "lockorder/starter")
}

func TestHandAway(t *testing.T) {
	shared.Check(t, "lockorder/handaway")
}

// TestInstances: one lock reached through a constructor's result field or a
// struct field pointing at it is one instance (double-lock); two objects,
// a fresh mutex, a reassigned field and a may-alias choice are not.
func TestInstances(t *testing.T) {
	shared.Check(t, "lockorder/instances")
}

// TestEnumSwitch: a switch over a closed enum naming every value has no
// way out through its default (no lock-leak there); a missing case, a
// zero value no constant names, a conversion or an exported function
// taking the enum keep the report.
func TestEnumSwitch(t *testing.T) {
	shared.Check(t, "lockorder/enumswitch")
}

// sync.Once.Do holds the Once while its function runs (quic-go #4266).
func TestOnce(t *testing.T) {
	shared.Check(t, "lockorder/once")
}
