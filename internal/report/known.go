package report

import "slices"

// KnownName reports whether name is the name of a kafkalint check or
// analyzer: one of the suite's (knownNames, kept by a test in
// internal/suite, so that ignoredirective knows them all even when a
// driver such as nogo links only some analyzers) or one registered in this
// process.
func KnownName(name string) bool {
	if _, found := slices.BinarySearch(knownNames, name); found {
		return true
	}
	registry.Lock()
	defer registry.Unlock()
	_, check := registry.checks[name]
	_, analyzer := registry.analyzers[name]
	return check || analyzer
}

// RegisteredNames returns the names of every registered check and of every
// analyzer that registered checks, sorted.
func RegisteredNames() []string {
	registry.Lock()
	defer registry.Unlock()
	var names []string
	for name := range registry.checks {
		names = append(names, name)
	}
	for name := range registry.analyzers {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Closest returns the known name nearest to name, within two edits, for a
// "did you mean" hint; "" when there is none.
func Closest(name string) string {
	best, bestDist := "", 3
	for _, known := range append(slices.Clone(knownNames), RegisteredNames()...) {
		if d := editDistance(name, known); d < bestDist {
			best, bestDist = known, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
