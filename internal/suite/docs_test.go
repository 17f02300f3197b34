package suite_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/suite"
)

// TestDocsPages: every analyzer's URL names a page in docs/ that exists,
// and that page has a section for each check the analyzer reports (what
// -explain and SARIF's helpUri send a reader to).
func TestDocsPages(t *testing.T) {
	const prefix = "https://github.com/kafkalint/kafkalint/blob/main/"
	for _, a := range suite.Analyzers() {
		if !strings.HasPrefix(a.URL, prefix) {
			t.Errorf("%s: URL %q is not a page of this repository", a.Name, a.URL)
			continue
		}
		rel := strings.TrimPrefix(a.URL, prefix)
		page, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(rel)))
		if err != nil {
			t.Errorf("%s: %v", a.Name, err)
			continue
		}
		checks := report.ChecksOf(a.Name)
		if len(checks) == 0 && a.Name != "ignoredirective" {
			t.Errorf("%s registers no checks", a.Name)
		}
		for _, c := range checks {
			heading := regexp.MustCompile(`(?m)^## ` + regexp.QuoteMeta(c.Name) + `\b`)
			if !heading.Match(page) {
				t.Errorf("%s has no section for check %s (a line \"## %s\")", rel, c.Name, c.Name)
			}
		}
	}
}
