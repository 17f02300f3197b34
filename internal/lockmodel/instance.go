package lockmodel

import "golang.org/x/tools/go/ssa"

// Instance is how a pointer value is reached inside its function, named
// the way the model names lock instances: a root (parameter, free
// variable, package variable or local value) and a field path. A lock
// whose HeldLock.Key is an Instance's Key plus ".mu" is the mu field of
// that very object, so analyzers can relate a held lock to the object an
// access goes through without a second copy of the model's resolution.
type Instance struct {
	Key   string    // as HeldLock.Key: root key + path ("param0.records")
	Root  ssa.Value // nil for a package variable
	Path  string    // ".records"; "[]" marks an index step
	Class string    // the class the model would give a lock at this path
	Text  string    // as written, e.g. "old.records"
	Alias bool      // the key names one object (no index, map or phi step)
}

// InstanceOf resolves v (a pointer, typically the operand of a field
// selection) to its instance.
func InstanceOf(v ssa.Value) Instance {
	e := resolve(v)
	return Instance{Key: e.key(), Root: e.root, Path: e.path, Class: e.class, Text: exprString(e), Alias: e.alias}
}

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
