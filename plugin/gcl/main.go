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
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

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

// buildInfo is what "custom-gcl version" prints, and what golangci-lint
// salts its analysis cache with.
//
// The version is golangci-lint's, then "-kafkalint-" and a hash of this
// executable: "2.15.0-kafkalint-3f2a9c0e1b7d". Editor integrations read
// the leading version to choose golangci-lint v2's flags (none-ls looks for
// "version 2"), and the hash keeps golangci-lint from reusing results that
// an older build of the plugin cached (golangci-lint's cache is salted with
// the version string, unless it is "(devel)").
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
	if sum, err := executableHash(); err == nil && gcl != "unknown" {
		info.Version = strings.TrimPrefix(gcl, "v") + "-kafkalint-" + sum
	} // else "(devel)": golangci-lint then hashes the executable itself
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

// executableHash returns the first 12 hex digits of the SHA-256 of this
// executable.
func executableHash() (string, error) {
	path, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}
