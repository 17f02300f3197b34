package callindex

import "golang.org/x/tools/go/ssa"

// InnermostLoop returns the body of the innermost natural loop containing
// b (a back edge t → h where h dominates t: h and the blocks that reach t
// without passing through h), or nil when b is in no loop. Unlike LoopOf,
// which is every block on some cycle through b, an inner loop's body does
// not include the outer loop's other blocks.
func InnermostLoop(b *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	var best map[*ssa.BasicBlock]bool
	for _, t := range b.Parent().Blocks {
		for _, h := range t.Succs {
			if !h.Dominates(t) {
				continue
			}
			body := naturalLoop(h, t)
			if body[b] && (best == nil || len(body) < len(best)) {
				best = body
			}
		}
	}
	return best
}

func naturalLoop(h, t *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	body := map[*ssa.BasicBlock]bool{h: true}
	stack := []*ssa.BasicBlock{t}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if body[x] {
			continue
		}
		body[x] = true
		stack = append(stack, x.Preds...)
	}
	return body
}
