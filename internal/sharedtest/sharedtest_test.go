package sharedtest

import "testing"

func TestPackageOf(t *testing.T) {
	r := New("/td", nil, "lockorder/xbatch/internal/batch", "lockorder/xbatch/loop", "lockorder/basic", "other/basic")
	for complaint, want := range map[string]string{
		"lockorder/basic/basic.go:12:3: unexpected diagnostic: x":             "lockorder/basic",
		"/td/src/lockorder/basic/basic.go:12: no diagnostic was reported":     "lockorder/basic",
		"other/basic/b.go:1:1: unexpected fact":                               "other/basic",
		"lockorder/xbatch/loop/loop.go:3:1: unexpected diagnostic":            "lockorder/xbatch/loop",
		"lockorder/xbatch/internal/batch/b.go:3:1: unexpected diagnostic":     "lockorder/xbatch/internal/batch",
		"lockorder/xbatch/internal/batch/sub/b.go:3:1: unexpected diagnostic": "",
		"loading [lockorder/basic]: no packages":                              "",
		"Analyze: something failed":                                           "",
	} {
		if got := r.packageOf(complaint); got != want {
			t.Errorf("packageOf(%q) = %q, want %q", complaint, got, want)
		}
	}
}
