package callindex_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"

	"github.com/kafkalint/kafkalint/internal/callindex"
)

const loopsSrc = `package p

func f(xs [][]int, stop bool) (n int) {
	for _, ys := range xs { // outer
		if len(ys) == 0 {
			continue // a second back edge to the outer header
		}
		for _, y := range ys { // inner
			n += y // mark
		}
		if stop {
			break
		}
	}
	return n
}

func g() int { return 1 }
`

func buildLoops(t *testing.T) *ssa.Function {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", loopsSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := ssautil.BuildPackage(&types.Config{Importer: importer.Default()}, fset,
		types.NewPackage("p", ""), []*ast.File{f}, ssa.SanityCheckFunctions)
	if err != nil {
		t.Fatal(err)
	}
	if len(callindex.Loops(pkg.Func("g"))) != 0 {
		t.Errorf("g has no loop")
	}
	return pkg.Func("f")
}

func TestLoops(t *testing.T) {
	fn := buildLoops(t)
	ls := callindex.Loops(fn)
	if len(ls) != 2 {
		t.Fatalf("f: %d loops, want 2 (the continue's back edge merges into the outer loop)", len(ls))
	}
	inner, outer := ls[0], ls[1]
	if inner.Size() >= outer.Size() {
		t.Errorf("innermost first: sizes %d, %d", inner.Size(), outer.Size())
	}
	var mark *ssa.BasicBlock // the block of n += y
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if bin, ok := in.(*ssa.BinOp); ok && bin.Op == token.ADD {
				mark = b
			}
		}
	}
	if mark == nil {
		t.Fatal("no n += y")
	}
	for _, l := range ls {
		if !l.Contains(mark) || !l.Contains(l.Header) {
			t.Errorf("loop at block %d: missing the body or its header", l.Header.Index)
		}
		for _, b := range fn.Blocks {
			if l.Contains(b) {
				if !outer.Contains(b) {
					t.Errorf("block %d in a loop but not in the outer one", b.Index)
				}
			}
		}
	}
	if got := callindex.LoopsContaining(mark); len(got) != 2 || got[0] != inner && got[0].Header != inner.Header {
		t.Errorf("LoopsContaining(mark): %d loops, want inner then outer", len(got))
	}
	if got := callindex.InnermostLoop(mark); len(got) != inner.Size() {
		t.Errorf("InnermostLoop(mark): %d blocks, want the inner loop's %d", len(got), inner.Size())
	}
	// Exits: the inner loop leaves to the outer loop's body; the outer one
	// leaves at the range's end and at the break, both to the return.
	for _, e := range inner.Exits() {
		if inner.Contains(e[1]) || !outer.Contains(e[1]) {
			t.Errorf("inner exit %d→%d", e[0].Index, e[1].Index)
		}
	}
	if n := len(outer.Exits()); n != 2 {
		t.Errorf("outer loop: %d exits, want 2 (range end, break)", n)
	}
	// The continue and the end of the body are two back edges to the outer
	// header: both latches are in the one outer loop.
	latches := 0
	for _, b := range fn.Blocks {
		for _, succ := range b.Succs {
			if succ == outer.Header && outer.Contains(b) {
				latches++
			}
		}
	}
	if latches != 2 {
		t.Errorf("outer loop has %d latches, want 2 (continue, end of body)", latches)
	}
}

// TestBefore: IndexIn is an instruction's place in its block; Before holds
// for an earlier instruction of the same block and for one whose block
// dominates the other's, not for a later one, itself, or one in a loop
// body the other is reached without.
func TestBefore(t *testing.T) {
	fn := buildLoops(t)
	for _, b := range fn.Blocks {
		for i, x := range b.Instrs {
			if got := callindex.IndexIn(x); got != i {
				t.Errorf("IndexIn(%v) = %d, want %d", x, got, i)
			}
		}
	}
	entry := fn.Blocks[0].Instrs
	first, last := entry[0], entry[len(entry)-1]
	inner := callindex.Loops(fn)[0]
	for _, l := range callindex.Loops(fn) {
		if l.Size() < inner.Size() {
			inner = l
		}
	}
	var ret, add ssa.Instruction
	for _, b := range fn.Blocks {
		for _, x := range b.Instrs {
			switch x := x.(type) {
			case *ssa.Return:
				ret = x
			case *ssa.BinOp:
				if x.Op == token.ADD && add == nil && inner.Contains(b) {
					add = x // in the inner loop: n += y, or its index increment
				}
			}
		}
	}
	if ret == nil || add == nil {
		t.Fatalf("f: return %v, inner loop's add %v", ret, add)
	}
	for _, c := range []struct {
		name string
		a, b ssa.Instruction
		want bool
	}{
		{"first before last of the entry block", first, last, true},
		{"last before first", last, first, false},
		{"an instruction before itself", first, first, false},
		{"entry before the return", first, ret, true},
		{"return before the entry", ret, first, false},
		{"a loop body's add before the return", add, ret, false},
		{"entry before the loop body", first, add, true},
	} {
		if got := callindex.Before(c.a, c.b); got != c.want {
			t.Errorf("%s: Before = %v, want %v", c.name, got, c.want)
		}
	}
}
