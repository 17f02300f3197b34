package lockmodel

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
)

// TestBudget: a function whose dataflow exceeds the per-function budget
// gets a partial summary, and the hit is logged (kafkalint -debug prints it).
func TestBudget(t *testing.T) {
	old := maxSteps
	maxSteps = 3
	defer func() { maxSteps = old }()
	var mu sync.Mutex
	var lines []string
	SetBudgetLog(func(s string) { mu.Lock(); lines = append(lines, s); mu.Unlock() })
	defer SetBudgetLog(nil)

	testdata, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	results := analysistest.Run(t, testdata, Analyzer, "lockmodel/budget")
	if len(results) == 0 {
		t.Fatal("no results")
	}
	res := results[0].Result.(*Result)
	if len(res.Budgets) == 0 {
		t.Fatal("no budget hit recorded with a 3-step budget")
	}
	found := false
	for _, l := range lines {
		if strings.Contains(l, "dataflow steps budget hit") {
			found = true
		}
	}
	if !found {
		t.Fatalf("budget hits not logged: %q", lines)
	}
}

// TestHeldOnSuccessFact: the fact of an acquire-on-success function lists
// the lock it holds when its error is nil (a caller dropping the error is
// then a leak); a function holding it at every return is a plain wrapper.
func TestHeldOnSuccessFact(t *testing.T) {
	testdata, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	analysistest.Run(t, testdata, Analyzer, "lockmodel/onsuccess")
}

// TestRecursionOrder: mutually recursive functions get the same summaries
// whichever of them is declared (and so analysed) first.
func TestRecursionOrder(t *testing.T) {
	testdata, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	analysistest.Run(t, testdata, Analyzer, "lockmodel/sccorder1", "lockmodel/sccorder2")
}

// TestIteratorFact: a function returning an iterator that yields under its
// lock says so in its fact (Yields); one that yields unlocked does not.
func TestIteratorFact(t *testing.T) {
	testdata, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	analysistest.Run(t, testdata, Analyzer, "lockmodel/iterfact")
}

// TestResultFieldsFact: a constructor's fact binds its result's pointer
// fields to its inputs' locks (ResultFields); a fresh mutex or a field
// assigned after construction is not bound.
func TestResultFieldsFact(t *testing.T) {
	testdata, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	analysistest.Run(t, testdata, Analyzer, "lockmodel/resultfields")
}

// TestRecursionBudgetOrder: a recursive component over the size budget
// gets the same summaries whichever of its functions is declared first
// (two rounds from nothing known, not the order-dependent summaries found
// on the way in).
func TestRecursionBudgetOrder(t *testing.T) {
	old := maxSCCMembers
	maxSCCMembers = 2
	defer func() { maxSCCMembers = old }()
	testdata, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	analysistest.Run(t, testdata, Analyzer, "lockmodel/sccbudget1", "lockmodel/sccbudget2")
}
