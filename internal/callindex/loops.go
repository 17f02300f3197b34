package callindex

import "golang.org/x/tools/go/ssa"

// Loop is a natural loop of a function's control-flow graph: a header and
// every block that reaches one of the header's back edges (t → h where h
// dominates t) without passing through the header. Back edges to the same
// header (a `continue` beside the loop's end) make one loop.
type Loop struct {
	Header *ssa.BasicBlock
	body   []bool // indexed by BasicBlock.Index; the header included
	size   int
}

// Contains reports whether b is in the loop.
func (l *Loop) Contains(b *ssa.BasicBlock) bool {
	return b != nil && b.Index < len(l.body) && l.body[b.Index]
}

// Size is the number of blocks in the loop.
func (l *Loop) Size() int { return l.size }

// Blocks returns the loop's blocks as a set.
func (l *Loop) Blocks() map[*ssa.BasicBlock]bool {
	set := make(map[*ssa.BasicBlock]bool, l.size)
	for _, b := range l.Header.Parent().Blocks {
		if l.body[b.Index] {
			set[b] = true
		}
	}
	return set
}

// Exits returns the edges that leave the loop, as (from, to) pairs, in
// block order.
func (l *Loop) Exits() [][2]*ssa.BasicBlock {
	var out [][2]*ssa.BasicBlock
	for _, b := range l.Header.Parent().Blocks {
		if !l.body[b.Index] {
			continue
		}
		for _, s := range b.Succs {
			if !l.body[s.Index] {
				out = append(out, [2]*ssa.BasicBlock{b, s})
			}
		}
	}
	return out
}

// Loops returns the natural loops of fn, one per header, innermost first
// for nested loops (a loop comes before every loop that contains it), in
// block order otherwise.
func Loops(fn *ssa.Function) []*Loop {
	var ls []*Loop
	byHeader := map[*ssa.BasicBlock]*Loop{}
	for _, t := range fn.Blocks {
		for _, h := range t.Succs {
			if !h.Dominates(t) {
				continue // not a back edge
			}
			l := byHeader[h]
			if l == nil {
				l = &Loop{Header: h, body: make([]bool, len(fn.Blocks)), size: 1}
				l.body[h.Index] = true
				byHeader[h] = l
				ls = append(ls, l)
			}
			stack := []*ssa.BasicBlock{t}
			for len(stack) > 0 {
				x := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if l.body[x.Index] {
					continue
				}
				l.body[x.Index] = true
				l.size++
				stack = append(stack, x.Preds...)
			}
		}
	}
	// Stable insertion sort by size: a nested loop is smaller than the
	// loops that contain it.
	for i := 1; i < len(ls); i++ {
		for j := i; j > 0 && ls[j].size < ls[j-1].size; j-- {
			ls[j], ls[j-1] = ls[j-1], ls[j]
		}
	}
	return ls
}

// LoopsContaining returns the natural loops of b's function that contain
// b, innermost first.
func LoopsContaining(b *ssa.BasicBlock) []*Loop {
	var out []*Loop
	for _, l := range Loops(b.Parent()) {
		if l.Contains(b) {
			out = append(out, l)
		}
	}
	return out
}

// InnermostLoop returns the blocks of the innermost natural loop
// containing b, or nil when b is in no loop. Unlike LoopOf, which is every
// block on some cycle through b, an inner loop's body does not include the
// outer loop's other blocks.
func InnermostLoop(b *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	if ls := LoopsContaining(b); len(ls) > 0 {
		return ls[0].Blocks()
	}
	return nil
}
