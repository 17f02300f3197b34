// Command custom-gcl is golangci-lint v2 with the kafkalint module plugin
// compiled in: what "golangci-lint custom" builds, made without cloning
// golangci-lint's repository (only the Go module proxy is needed).
//
// Build it from this directory:
//
//	go build -o custom-gcl .
//
// and use it as golangci-lint, with the kafkalint linter enabled in
// .golangci.yml (docs/golangci-lint.md). golangci-lint is pinned in go.mod;
// the plugin is built from this checkout (the replace directive).
package main

import (
	"cmp"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"

	// The plugin registers the "kafkalint" linter in its init function,
	// as the blank imports "golangci-lint custom" writes do.
	_ "github.com/kafkalint/kafkalint/plugin"
)

func main() {
	if err := commands.Execute(buildInfo()); err != nil {
		_, _ = fmt.Fprintf(os.Stderr, "The command is terminated due to an error: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}

// buildInfo is what "custom-gcl version" prints. The version is left
// "(devel)" on purpose: golangci-lint then salts its analysis cache with a
// hash of this executable instead of the version string, so rebuilding with
// a changed plugin never reuses results cached by the previous build.
func buildInfo() commands.BuildInfo {
	info := commands.BuildInfo{Version: "(devel)", Commit: "?", GoVersion: "unknown", Date: "(unknown)"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return info
	}
	info.GoVersion = bi.GoVersion
	gcl := "unknown"
	for _, dep := range bi.Deps {
		if dep.Path == "github.com/golangci/golangci-lint/v2" {
			gcl = dep.Version
		}
	}
	var revision, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.time":
			info.Date = s.Value
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	info.Commit = fmt.Sprintf("golangci-lint %s with the kafkalint plugin (kafkalint revision %s, modified: %s)",
		gcl, cmp.Or(revision, "unknown"), cmp.Or(modified, "?"))
	return info
}
