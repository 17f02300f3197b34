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

// inFunc labels a chain step with the function it is in, fn, when that is
// not the chain's own function (its label): "lockAndSet: w.mu.Lock()".
func inFunc(fn, chain, step string) string {
	if fn == "" || fn == chain {
		return step
	}
	return fn + ": " + step
}
