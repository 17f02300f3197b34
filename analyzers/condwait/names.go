package condwait

import (
	"strings"

	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// calls joins the calls of a path: "drain → lockAndSet".
func calls(path []waitmodel.PathStep) string {
	var parts []string
	for _, s := range path {
		if !s.Callee.IsZero() {
			parts = append(parts, s.Callee.Short())
		}
	}
	return strings.Join(parts, " → ")
}
