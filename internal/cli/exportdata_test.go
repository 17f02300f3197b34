package cli_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/kafkalint/kafkalint/internal/realtest"
)

// TestExportDataUntidyDependency: a package reached by a pattern but whose
// module the main module's go.mod does not list (here a main package of a
// dependency, whose imports nothing of the main module needs) makes
// `go list -export <paths>` refuse as a whole ("updates to go.mod
// needed"). That must cost only that module's export data, not every
// package's: before, the standard library lost its export data too and
// every package failed with "no export data for cmp" and its importers.
func TestExportDataUntidyDependency(t *testing.T) {
	realtest.Skip(t)
	bin := realtest.Binary(t)
	dir := realtest.Module(t, []string{"github.com/Shopify/sarama@v1.38.1"}, []string{"github.com/Shopify/sarama"})
	// The main package's own imports (github.com/xdg-go/scram) are not in
	// the scratch module's go.mod: go mod tidy keeps what deps.go needs.
	// go.sum gets their hashes (a go list with -mod=mod), go.mod is put
	// back as tidy left it: the state of a module after `go mod tidy` in
	// which a user lints a dependency's commands.
	const pattern = "github.com/Shopify/sarama/examples/sasl_scram_client"
	gomod, err := os.ReadFile(dir + "/go.mod")
	if err != nil || strings.Contains(string(gomod), "xdg-go/scram") {
		t.Skipf("go.mod lists xdg-go/scram: the case does not arise (%v)", err)
	}
	list := exec.Command("go", "list", "-deps", pattern)
	list.Dir = dir
	list.Env = realtest.Env()
	if out, err := list.CombinedOutput(); err != nil {
		t.Skipf("go list %s: %v\n%s", pattern, err, out)
	}
	if err := os.WriteFile(dir+"/go.mod", gomod, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test=false", pattern)
	cmd.Dir = dir
	// Not realtest.Env: its -mod=mod would let go list add the module.
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly", "KAFKALINT_CACHE=off")
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "has errors") || code == 1 {
		t.Fatalf("exit %d, packages not analyzed:\n%.3000s", code, out)
	}
}
