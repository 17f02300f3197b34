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

// TestAnalyzerLists: the pages that list the analyzers (to configure nogo,
// to describe the golangci-lint plugin) name every analyzer of the suite,
// and README and docs/index.md link every analyzer's page.
func TestAnalyzerLists(t *testing.T) {
	const prefix = "https://github.com/kafkalint/kafkalint/blob/main/"
	read := func(rel string) string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	for _, rel := range []string{"docs/bazel.md", "docs/golangci-lint.md"} {
		page := read(rel)
		for _, a := range suite.Analyzers() {
			if !strings.Contains(page, a.Name) {
				t.Errorf("%s does not name the %s analyzer", rel, a.Name)
			}
		}
	}
	for _, rel := range []string{"README.md", "docs/index.md"} {
		page := read(rel)
		for _, a := range suite.Analyzers() {
			target := strings.TrimPrefix(a.URL, prefix)
			if rel == "docs/index.md" {
				target = strings.TrimPrefix(target, "docs/")
			}
			if !strings.Contains(page, "("+target+")") && !strings.Contains(page, "("+target+"#") {
				t.Errorf("%s does not link %s, the page of the %s analyzer", rel, target, a.Name)
			}
		}
	}
}
