package condwait

import (
	"strings"

	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// calls joins the calls of a path: "drain → lockAndSet".
func calls(path []waitmodel.PathStep) string {
	var parts []string
	for _, s := range path {
		if rest, ok := strings.CutPrefix(s.What, "calls "); ok {
			parts = append(parts, report.ShortFunc(rest))
		}
	}
	return strings.Join(parts, " → ")
}
