package lockorder

import (
	"os"
	"strings"
	"testing"
)

// TestDocsPage keeps docs/lockorder.md and -explain (the check docs
// registered from doc.go) saying the same thing.
func TestDocsPage(t *testing.T) {
	page, err := os.ReadFile("../../docs/lockorder.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range checks {
		if !strings.Contains(string(page), "## "+c.Name+": "+c.Title) {
			t.Errorf("docs/lockorder.md has no section %q", "## "+c.Name+": "+c.Title)
		}
		if !strings.Contains(string(page), c.Doc) {
			t.Errorf("docs/lockorder.md does not contain the -explain text of %s; copy it from doc.go", c.Name)
		}
	}
}
