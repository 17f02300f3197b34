package ctxcancel

import (
	"strings"
)

// shortFunc drops the receiver and package from a function's display
// name: "(*kgo.Client).produce$1" -> "produce$1", "kgo.run$2" -> "run$2".
func shortFunc(name string) string {
	if i := strings.LastIndex(name, ")."); i >= 0 {
		return name[i+2:]
	}
	if i := strings.IndexByte(name, '.'); i >= 0 && !strings.Contains(name[:i], "(") {
		return name[i+1:]
	}
	return name
}

// label makes a function name usable as a chain label.
func label(name string) string { return strings.ReplaceAll(name, "]", ")") }
