package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestBrokenImport: an importer of a broken package is told which package
// is broken, not "undefined: broken" at each use.
func TestBrokenImport(t *testing.T) {
	bugtool, _ := binaries(t)
	res := run(t, bugtool, "-test=false", "./usesbroken")
	wantCode(t, res, 1)
	if !strings.Contains(res.stderr, "kafkalint: package example.com/fixture/usesbroken has errors:\n\tnot type-checked: it imports example.com/fixture/broken, which has errors\n") {
		t.Errorf("the importer's error does not name the broken package:\n%s", res.stderr)
	}
	if strings.Contains(res.stderr, "undefined") {
		t.Errorf("the importer was type-checked against the broken package:\n%s", res.stderr)
	}
	if strings.Contains(res.stderr, "# example.com/fixture/broken") {
		t.Errorf("go list's package heading is repeated under the package:\n%s", res.stderr)
	}
}

// TestJSONLoadErrors: -json has an error entry for every package that was
// not analyzed, under each analyzer, as the x/tools JSON format allows.
func TestJSONLoadErrors(t *testing.T) {
	bugtool, _ := binaries(t)
	res := run(t, bugtool, "-test=false", "-json", "./broken", "./usesbroken", "./finding")
	wantCode(t, res, 1)
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(res.stdout), &tree); err != nil {
		t.Fatalf("-json output does not parse: %v\n%s", err, res.stdout)
	}
	for pkg, want := range map[string]string{
		"example.com/fixture/broken":     "cannot use",
		"example.com/fixture/usesbroken": "it imports example.com/fixture/broken, which has errors",
	} {
		for _, analyzer := range []string{"bugcall", "ignoredirective"} {
			var entry struct{ Error string }
			if err := json.Unmarshal(tree[pkg][analyzer], &entry); err != nil || !strings.Contains(entry.Error, want) {
				t.Errorf("%s %s: want an error entry containing %q, got %s", pkg, analyzer, want, tree[pkg][analyzer])
			}
		}
	}
	if len(tree["example.com/fixture/finding"]["bugcall"]) == 0 {
		t.Errorf("the healthy package's findings are missing:\n%s", res.stdout)
	}
}
