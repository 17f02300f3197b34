package cli

import (
	"errors"
	"go/token"
	"go/types"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// schedAnalyzers is a diamond (base → left, right → top) and a failing
// analyzer with a dependent. left and right rendezvous when they can: each
// says it started and waits, up to a timeout, for the other.
type schedAnalyzers struct {
	set                       []*analysis.Analyzer
	base, left, right, top    *analysis.Analyzer
	fails, after              *analysis.Analyzer
	running, most             atomic.Int32 // analyzers running now, the most at once
	leftStarted, rightStarted chan struct{}
	met                       atomic.Int32 // how many of left and right saw the other start
	wait                      time.Duration
}

func newSchedAnalyzers(wait time.Duration) *schedAnalyzers {
	s := &schedAnalyzers{leftStarted: make(chan struct{}), rightStarted: make(chan struct{}), wait: wait}
	intType := reflect.TypeOf(0)
	enter := func() func() {
		n := s.running.Add(1)
		for {
			m := s.most.Load()
			if n <= m || s.most.CompareAndSwap(m, n) {
				break
			}
		}
		return func() { s.running.Add(-1) }
	}
	meet := func(mine, other chan struct{}) {
		close(mine)
		select {
		case <-other:
			s.met.Add(1)
		case <-time.After(s.wait):
		}
	}
	s.base = &analysis.Analyzer{Name: "base", Doc: "base", ResultType: intType, Run: func(*analysis.Pass) (any, error) {
		defer enter()()
		return 1, nil
	}}
	// side is left or right: it meets the other, reports its name and
	// adds add to base's result.
	side := func(name string, mine, other *chan struct{}, add int) *analysis.Analyzer {
		return &analysis.Analyzer{Name: name, Doc: name, ResultType: intType, Requires: []*analysis.Analyzer{s.base},
			Run: func(pass *analysis.Pass) (any, error) {
				defer enter()()
				meet(*mine, *other)
				pass.Report(analysis.Diagnostic{Pos: 1, Message: name})
				return pass.ResultOf[s.base].(int) + add, nil
			}}
	}
	s.left = side("left", &s.leftStarted, &s.rightStarted, 10)
	s.right = side("right", &s.rightStarted, &s.leftStarted, 100)
	s.top = &analysis.Analyzer{Name: "top", Doc: "top", ResultType: intType, Requires: []*analysis.Analyzer{s.left, s.right},
		Run: func(pass *analysis.Pass) (any, error) {
			defer enter()()
			return pass.ResultOf[s.left].(int) + pass.ResultOf[s.right].(int), nil
		}}
	s.fails = &analysis.Analyzer{Name: "fails", Doc: "fails", ResultType: intType, Run: func(*analysis.Pass) (any, error) {
		defer enter()()
		return nil, errors.New("broken")
	}}
	s.after = &analysis.Analyzer{Name: "after", Doc: "after", ResultType: intType, Requires: []*analysis.Analyzer{s.fails},
		Run: func(*analysis.Pass) (any, error) { return 0, nil }}
	s.set = topoSort([]*analysis.Analyzer{s.top, s.after}, nil)
	return s
}

// runSched runs the analyzers on an empty package with a runner of slots
// slots, one of them taken (by the package, as in unitRunner.run); the
// others must be free again after.
func runSched(s *schedAnalyzers, slots int) []analyzerRun {
	r := &unitRunner{slots: make(chan struct{}, slots)}
	r.slots <- struct{}{}
	tpkg := types.NewPackage("example.com/p", "p")
	ua := &unitAnalysis{r: r, u: &unit{pkg: &packages.Package{ID: "example.com/p", PkgPath: "example.com/p"}},
		fset: token.NewFileSet(), tpkg: tpkg, info: &types.Info{},
		own: map[ownKey]analysis.Fact{}, ownPkg: map[pkgFactKey]analysis.Fact{}}
	runs := ua.runAnalyzers(s.set)
	if len(r.slots) != 1 {
		panic("runAnalyzers left slots taken")
	}
	return runs
}

// checkRuns: every analyzer's result, diagnostics and error are its own,
// in set's order, whatever ran beside what.
func checkRuns(t *testing.T, s *schedAnalyzers, runs []analyzerRun) {
	t.Helper()
	if len(runs) != len(s.set) {
		t.Fatalf("%d runs for %d analyzers", len(runs), len(s.set))
	}
	want := map[*analysis.Analyzer]any{s.base: 1, s.left: 11, s.right: 101, s.top: 112}
	for i, a := range s.set {
		run := runs[i]
		switch a {
		case s.fails:
			if run.err == nil || run.err.Error() != "broken" {
				t.Errorf("fails: err %v, want broken", run.err)
			}
		case s.after:
			if run.err == nil || !strings.HasPrefix(run.err.Error(), "failed prerequisites: fails") {
				t.Errorf("after: err %v, want failed prerequisites", run.err)
			}
		default:
			if run.err != nil || run.res != want[a] {
				t.Errorf("%s: result %v, err %v; want %v", a.Name, run.res, run.err, want[a])
			}
		}
		var msgs []string
		for _, d := range run.diags {
			msgs = append(msgs, d.Message)
		}
		wantDiags := map[*analysis.Analyzer]string{s.left: "left", s.right: "right"}[a]
		if strings.Join(msgs, ",") != wantDiags {
			t.Errorf("%s: diagnostics %v, want %q", a.Name, msgs, wantDiags)
		}
	}
}

// TestRunAnalyzersConcurrent: with a slot free, left and right (both
// ready once base is done) run at once.
func TestRunAnalyzersConcurrent(t *testing.T) {
	s := newSchedAnalyzers(20 * time.Second)
	runs := runSched(s, 2)
	checkRuns(t, s, runs)
	if s.met.Load() != 2 {
		t.Errorf("left and right did not run at once (%d of them saw the other start)", s.met.Load())
	}
}

// TestRunAnalyzersNoFreeSlot: with every slot taken, the analyzers run one
// after another on the package's goroutine, and the results are the same.
func TestRunAnalyzersNoFreeSlot(t *testing.T) {
	s := newSchedAnalyzers(50 * time.Millisecond)
	runs := runSched(s, 1)
	checkRuns(t, s, runs)
	if s.most.Load() != 1 {
		t.Errorf("%d analyzers ran at once with no slot free, want 1", s.most.Load())
	}
}

// TestRunAnalyzersModelUsersInOrder: the analyzers that require the
// ordered model (here base) run one after another in set's order, never
// beside each other, while the others may run beside them.
func TestRunAnalyzersModelUsersInOrder(t *testing.T) {
	saved := orderedModel
	defer func() { orderedModel = saved }()
	s := newSchedAnalyzers(50 * time.Millisecond)
	orderedModel = s.base
	runs := runSched(s, 4)
	checkRuns(t, s, runs)
	// One after the other, only the second sees the first started.
	if s.met.Load() != 1 {
		t.Errorf("left and right, both users of the ordered model: %d of them saw the other start, want 1 (one after the other)", s.met.Load())
	}
}
