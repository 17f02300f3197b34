package main

import (
	"os"
	"path/filepath"
	"testing"
)

// tree is the checker's -json shape: two packages, one analyzer reporting two
// checks (categories), one reporting without a category, and an error.
const tree = `{
	"example.com/a": {
		"lockorder": [
			{"category": "lock-cycle", "posn": "a.go:1:1", "end": "a.go:1:1", "message": "cycle",
			 "related": [{"posn": "a.go:2:1", "end": "a.go:2:1", "message": "step"}]},
			{"category": "double-lock", "posn": "a.go:3:1", "end": "a.go:3:1", "message": "again"}
		],
		"plain": [{"posn": "a.go:4:1", "end": "a.go:4:1", "message": "no category"}]
	},
	"example.com/b": {
		"lockorder": {"error": "boom"}
	}
}
`

func TestReadCountsPerCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.json")
	if err := os.WriteFile(path, []byte(tree), 0o644); err != nil {
		t.Fatal(err)
	}
	results, err := read(path)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	var errs []string
	for _, r := range results {
		for _, d := range r.Diags {
			counts[check(r.Check, d)]++
		}
		if r.Err != "" {
			errs = append(errs, r.Pkg+"/"+r.Check+": "+r.Err)
		}
	}
	want := map[string]int{"lock-cycle": 1, "double-lock": 1, "plain": 1}
	if len(counts) != len(want) {
		t.Errorf("counts = %v, want %v", counts, want)
	}
	for c, n := range want {
		if counts[c] != n {
			t.Errorf("counts[%q] = %d, want %d", c, counts[c], n)
		}
	}
	if len(errs) != 1 || errs[0] != "example.com/b/lockorder: boom" {
		t.Errorf("errors = %q, want the one of example.com/b", errs)
	}
}

func TestReadRejectsText(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	if err := os.WriteFile(path, []byte("a.go:1:1: not json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := read(path); err == nil {
		t.Error("read accepted text output; want an error")
	}
}
