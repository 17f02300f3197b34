package lockmodel

import "golang.org/x/tools/go/ssa"

// Fresh reports whether v is an object its function allocated (or got from
// a constructor, by the constructor's summary) and has not published on
// any path to instr: no other goroutine can reach it yet. See
// funcAnalysis.fresh; instr counts as not yet publishing.
func (r *Result) Fresh(v ssa.Value, instr ssa.Instruction) bool {
	if instr == nil || v == nil || v.Parent() != instr.Parent() {
		return false
	}
	return freshAt(v, instr, func(v ssa.Value) bool {
		return newObjectWith(v, r.Summary)
	})
}

// Reaches reports whether control can flow from instruction a to b (both
// in one function).
func Reaches(a, b ssa.Instruction) bool { return reaches(a, b) }
