package plugin_test

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestEditorVetOnSave runs kafkalint as the VS Code Go extension's vet on
// save does with "go.vetFlags": ["-vettool=/path/to/kafkalint"]
// (extension/src/goVet.ts): go vet -vettool=... . in the saved file's
// directory, stderr parsed line by line. It needs only the kafkalint
// binary, so it runs by default (not with -short).
func TestEditorVetOnSave(t *testing.T) {
	if testing.Short() {
		t.Skip("builds kafkalint; skipped with -short")
	}
	kafkalint := filepath.Join(t.TempDir(), "kafkalint")
	if out, err := exec.Command("go", "build", "-o", kafkalint, "../cmd/kafkalint").CombinedOutput(); err != nil {
		t.Fatalf("go build ../cmd/kafkalint: %v\n%s", err, out)
	}
	mod := copyModule(t)
	pkgDir := filepath.Join(mod, "client")
	clientGo := filepath.Join(pkgDir, "client.go")
	staleGo := filepath.Join(pkgDir, "stale.go")
	cycle := lineOf(t, clientGo, "return c.coord.Generation()")
	unused := lineOf(t, staleGo, "//kafkalint:ignore lock-cycle counters used to be locked in pairs")
	noReason := lineIs(t, staleGo, "//kafkalint:ignore lock-cycle")

	vet := func(flags ...string) []editorProblem {
		t.Helper()
		args := append(append([]string{"vet"}, flags...), ".")
		cmd := exec.Command("go", args...)
		cmd.Dir = pkgDir
		cmd.Env = append(cmd.Environ(), "GOWORK=off")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("go %s: %v", strings.Join(args, " "), err)
		}
		// go vet exits 1 when it reports; the extension reads stderr either way.
		if err == nil || exit.ExitCode() != 1 {
			t.Fatalf("go %s: %v, want exit status 1\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return parseVSCode(stderr.String(), pkgDir)
	}

	problems := vet("-vettool=" + kafkalint)
	if !findProblem(problems, clientGo, cycle, "lock order inversion: coord.Coordinator.mu is acquired here while holding client.Client.mu") {
		t.Errorf("VS Code would not show the lock-order cycle at client.go:%d; parsed %+v", cycle, problems)
	}
	if !findProblem(problems, staleGo, noReason, "kafkalint:ignore needs a reason") {
		t.Errorf("VS Code would not show the malformed suppression at stale.go:%d; parsed %+v", noReason, problems)
	}
	if findProblem(problems, staleGo, unused, "") {
		t.Errorf("unused suppression reported at stale.go:%d without -lockorder.check-ignores", unused)
	}
	if findProblem(problems, filepath.Join(pkgDir, "cache.go"), lineOf(t, filepath.Join(pkgDir, "cache.go"), "return c.registry.Size()"), "") {
		t.Errorf("the suppressed cycle in cache.go was reported")
	}

	// Analyzer flags go in go.vetFlags after -vettool.
	problems = vet("-vettool="+kafkalint, "-lockorder.check-ignores")
	if !findProblem(problems, staleGo, unused, "kafkalint:ignore lock-cycle suppresses nothing here") {
		t.Errorf("-lockorder.check-ignores: no unused-suppression problem at stale.go:%d; parsed %+v", unused, problems)
	}
}
