package cli

import (
	"runtime/debug"
	"testing"
)

// TestVersionOf: the module version, and the VCS revision, its time and
// whether the tree was modified, as go build records them.
func TestVersionOf(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/kafkalint/kafkalint", Version: "(devel)"}}
	if got, want := versionOf(info), "kafkalint (devel), no VCS revision recorded (built outside a checkout, or with -buildvcs=false), built with go1.26.8"; got != want {
		t.Errorf("unstamped:\n got %s\nwant %s", got, want)
	}
	info.Main.Version = "v0.3.0"
	info.Settings = []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "40761993227a770bcc6c6f4ffef5a40c0127c6be"},
		{Key: "vcs.time", Value: "2026-12-03T08:22:26Z"},
		{Key: "vcs.modified", Value: "true"},
	}
	if got, want := versionOf(info), "kafkalint v0.3.0, git revision 40761993227a770bcc6c6f4ffef5a40c0127c6be (2026-12-03T08:22:26Z), with uncommitted changes, built with go1.26.8"; got != want {
		t.Errorf("stamped:\n got %s\nwant %s", got, want)
	}
}
