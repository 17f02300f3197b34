package lockmodel

import (
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"
)

// TestResultOrderIndependent asks the lock model's Result the same
// questions (Summary, TakesNoLock, LocksBefore at every instruction) in
// two orders — functions and instructions forward, then backward with the
// summaries last — on fresh Results, and requires the same answers: the
// analyzers that share a Result run at once and ask in any interleaving.
func TestResultOrderIndependent(t *testing.T) {
	testdata, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	cfg := &packages.Config{
		Mode: packages.LoadAllSyntax,
		Dir:  filepath.Join(testdata, "src"),
		Env:  append(os.Environ(), "GOPATH="+testdata, "GO111MODULE=off", "GOFLAGS=", "GOWORK=off"),
	}
	patterns := []string{"lockorder/...", "lockmodel/...", "waitlock/...", "waitmodel/...", "guardedstate/...", "condwait/...", "waitpartner/..."}
	// KAFKALINT_ORDER_DIR and KAFKALINT_ORDER_PATTERN: the same on a
	// module of the corpus (by hand; not part of the suite).
	if dir := os.Getenv("KAFKALINT_ORDER_DIR"); dir != "" {
		cfg.Dir, cfg.Env, patterns = dir, os.Environ(), strings.Fields(os.Getenv("KAFKALINT_ORDER_PATTERN"))
		cfg.Tests = os.Getenv("KAFKALINT_ORDER_TESTS") != ""
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("packages had errors")
	}
	answers := func(backward bool) map[string][]string {
		out := map[string][]string{}
		a := &analysis.Analyzer{
			Name:       "orderprobe",
			Doc:        "asks the lock model's Result questions in a fixed order",
			Requires:   []*analysis.Analyzer{Analyzer},
			ResultType: reflect.TypeOf([]string(nil)),
			Run: func(pass *analysis.Pass) (any, error) {
				res := pass.ResultOf[Analyzer].(*Result)
				if res.held == nil || res.ssaRes == nil {
					return []string(nil), nil
				}
				return probe(pass.Fset, res, backward), nil
			},
		}
		g, err := checker.Analyze([]*analysis.Analyzer{a}, pkgs, nil)
		if err != nil {
			t.Fatal(err)
		}
		for act := range g.All() {
			if act.Analyzer == a && act.Err == nil && act.Result != nil {
				out[act.Package.PkgPath] = act.Result.([]string)
			}
		}
		return out
	}
	if v := os.Getenv("KAFKALINT_ORDER_PKGSTEPS"); v != "" {
		old := maxPackageSteps
		fmt.Sscan(v, &maxPackageSteps)
		defer func() { maxPackageSteps = old }()
	}
	fwd, bwd := answers(false), answers(true)
	lines := 0
	for path, f := range fwd {
		b := bwd[path]
		lines += len(f)
		if len(f) != len(b) {
			t.Errorf("%s: %d answers forward, %d backward", path, len(f), len(b))
			continue
		}
		for i := range f {
			if f[i] != b[i] {
				t.Errorf("%s: forward and backward differ:\n  %s\n  %s", path, f[i], b[i])
				break
			}
		}
	}
	kinds := map[string]int{}
	for _, f := range fwd {
		for _, l := range f {
			for _, k := range []string{"summary=", "locker ", "cond lock "} {
				if strings.Contains(l, k) {
					kinds[k]++
				}
			}
		}
	}
	t.Logf("%d packages, %d answers compared (%v)", len(fwd), lines, kinds)
	if kinds["locker "] == 0 || kinds["cond lock "] == 0 {
		t.Errorf("no lock receivers or Cond calls asked about: %v", kinds)
	}
	if lines < 1000 {
		t.Fatalf("only %d answers compared", lines)
	}
}

// probe asks res about every function of the package (its own, with
// bodies, sorted by name and position) and returns the answers sorted.
func probe(fset *token.FileSet, res *Result, backward bool) []string {
	prog := res.ssaRes.SSA().Pkg.Prog
	pkg := res.ssaRes.SSA().Pkg
	var fns []*ssa.Function
	for fn := range ssautil.AllFunctions(prog) {
		if fn.Pkg == pkg && len(fn.Blocks) > 0 {
			fns = append(fns, fn)
		}
	}
	sort.Slice(fns, func(i, j int) bool {
		if fns[i].Pos() != fns[j].Pos() {
			return fns[i].Pos() < fns[j].Pos()
		}
		return fns[i].String() < fns[j].String()
	})
	var out []string
	sums := func() {
		for _, fn := range fns {
			out = append(out, fmt.Sprintf("%s: takesNoLock=%v summary=%s", fn, res.TakesNoLock(fn), sumText(res.Summary(fn))))
		}
	}
	if !backward {
		sums()
	} else {
		slices.Reverse(fns)
	}
	for _, fn := range fns {
		blocks := slices.Clone(fn.Blocks)
		if backward {
			slices.Reverse(blocks)
		}
		for _, b := range blocks {
			instrs := slices.Clone(b.Instrs)
			if backward {
				slices.Reverse(instrs)
			}
			for i, instr := range instrs {
				idx := i
				if backward {
					idx = len(instrs) - 1 - i
				}
				st, ok := res.LocksBefore(instr)
				out = append(out, fmt.Sprintf("%s b%d i%d: %v %s", fn, b.Index, idx, ok, stateText(fset, st)))
				ci, isCall := instr.(ssa.CallInstruction)
				if !isCall {
					continue
				}
				if op, recv := LockOpOf(ci.Common()); op != OpNone && recv != nil {
					e := res.ResolveLocker(recv)
					out = append(out, fmt.Sprintf("%s b%d i%d: locker %s %s instance %s", fn, b.Index, idx, e.Key(), e.Class(), res.Instance(e).Key()))
				}
				if callee := ci.Common().StaticCallee(); callee != nil && strings.HasPrefix(callee.String(), "(*sync.Cond).") && len(ci.Common().Args) > 0 {
					l, ok := res.CondLock(ci.Common().Args[0])
					out = append(out, fmt.Sprintf("%s b%d i%d: cond lock %v %s %s", fn, b.Index, idx, ok, l.Key(), l.Class()))
				}
			}
		}
	}
	if backward {
		sums()
	}
	sort.Strings(out)
	return out
}

func sumText(s *FuncSummary) string {
	if s == nil {
		return "nil"
	}
	return fmt.Sprintf("%+v", *s)
}

func stateText(fset *token.FileSet, st LockState) string {
	var b strings.Builder
	for _, hs := range [][]HeldLock{st.Must, st.May} {
		b.WriteString("[")
		for _, h := range hs {
			root := ""
			if h.Root != nil {
				root = h.Root.Name()
			}
			fmt.Fprintf(&b, "{%s %v %s %s %v %v %s %v %s} ", h.Class, h.Mode, h.Lock, h.Key, h.Alias, h.Ref, fset.Position(h.Pos), h.Chain, root)
		}
		b.WriteString("]")
	}
	fmt.Fprintf(&b, "%+v", st.Released)
	return b.String()
}
