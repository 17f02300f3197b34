package condwait

import (
	"strings"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
)

// shortFunc drops the receiver's package from a function's display name:
// "(*kgo.Client).produce$1" -> "produce$1".
func shortFunc(name string) string {
	if i := strings.LastIndex(name, ")."); i >= 0 {
		return name[i+2:]
	}
	return name
}

// label makes a function name usable as a chain label.
func label(name string) string { return strings.ReplaceAll(name, "]", ")") }

// calls joins the calls of a path: "drain → lockAndSet".
func calls(path []lockmodel.PathStep) string {
	var parts []string
	for _, s := range path {
		if rest, ok := strings.CutPrefix(s.What, "calls "); ok {
			parts = append(parts, shortFunc(rest))
		}
	}
	return strings.Join(parts, " → ")
}
