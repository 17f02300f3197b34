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

const docsPrefix = "https://github.com/kafkalint/kafkalint/blob/main/"

// TestDocsPages: each check's section of a docs page is generated from the
// check registry, the one source of -explain and of SARIF's help text.
// Every analyzer's URL names a page in docs/ that exists, and that page
// holds, for each check the analyzer reports, the section
// report.MarkdownSection renders (docs/suppress.md: the reporting layer's
// checks). With -update the sections are rewritten: a section between its
// markers is replaced, a "## check" heading without markers is replaced by
// the section (the text below it stays, for an editor to prune), and a
// missing section is added after the page's last one.
func TestDocsPages(t *testing.T) {
	pages := map[string][]report.Check{} // page path (slash-separated, from the repository root) → checks
	var order []string
	add := func(rel string, checks ...report.Check) {
		if _, ok := pages[rel]; !ok {
			order = append(order, rel)
		}
		pages[rel] = append(pages[rel], checks...)
	}
	for _, a := range suite.Analyzers() {
		if !strings.HasPrefix(a.URL, docsPrefix) {
			t.Errorf("%s: URL %q is not a page of this repository", a.Name, a.URL)
			continue
		}
		checks := report.ChecksOf(a.Name)
		if len(checks) == 0 {
			t.Errorf("%s registers no checks", a.Name)
		}
		add(strings.TrimPrefix(a.URL, docsPrefix), checks...)
	}
	add("docs/suppress.md", report.LayerChecks()...)

	for _, rel := range order {
		path := filepath.Join("..", "..", filepath.FromSlash(rel))
		data, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		page := string(data)
		updated := page
		for _, c := range pages[rel] {
			want := report.MarkdownSection(c)
			if strings.Contains(page, want) {
				continue
			}
			if !*update {
				t.Errorf("%s: the section of check %s is not the registry's: run go test ./internal/suite -update (and edit the check's Doc, not the page)", rel, c.Name)
				continue
			}
			updated = replaceSection(updated, c, want)
		}
		if updated != page {
			if err := os.WriteFile(path, []byte(updated), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// replaceSection puts section, the generated text of check c, into page.
func replaceSection(page string, c report.Check, section string) string {
	begin, end := report.SectionMarkers(c.Name)
	if i := strings.Index(page, begin+"\n"); i >= 0 {
		if j := strings.Index(page[i:], end+"\n"); j >= 0 {
			return page[:i] + section + page[i+j+len(end)+1:]
		}
	}
	// A hand-written "## name" or "## name: title" heading, and the
	// "*title*" line under it.
	heading := regexp.MustCompile(`(?m)^## ` + regexp.QuoteMeta(c.Name) + `(:[^\n]*)?\n(\n\*[^\n]*\*\n)?`)
	if loc := heading.FindStringIndex(page); loc != nil {
		return page[:loc[0]] + section + page[loc[1]:]
	}
	// After the last generated section, before the next heading.
	at := len(page)
	if i := strings.LastIndex(page, "<!-- end of check "); i >= 0 {
		at = i
		if j := strings.Index(page[i:], "\n## "); j >= 0 {
			at = i + j + 1
		} else {
			at = len(page)
		}
	}
	before := page[:at]
	if !strings.HasSuffix(before, "\n\n") {
		before += "\n"
	}
	return before + section + "\n" + page[at:]
}

// TestAnalyzerLists: the pages that list the analyzers (to configure nogo,
// to describe the golangci-lint plugin) name every analyzer of the suite,
// and README and docs/index.md link every analyzer's page.
func TestAnalyzerLists(t *testing.T) {
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
			target := strings.TrimPrefix(a.URL, docsPrefix)
			if rel == "docs/index.md" {
				target = strings.TrimPrefix(target, "docs/")
			}
			if !strings.Contains(page, "("+target+")") && !strings.Contains(page, "("+target+"#") {
				t.Errorf("%s does not link %s, the page of the %s analyzer", rel, target, a.Name)
			}
		}
	}
}

// TestAnalyzerDocsListNoChecks: an analyzer's Doc does not list its checks
// ("Checks: a, b" or a table of names): -explain and kafkalint help list
// them from the registry, and a second list goes stale when a check is
// added.
func TestAnalyzerDocsListNoChecks(t *testing.T) {
	for _, a := range suite.Analyzers() {
		for _, line := range strings.Split(a.Doc, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "Checks:") {
				t.Errorf("%s: Analyzer.Doc lists the checks (%q); the registry does", a.Name, line)
			}
			for _, c := range report.ChecksOf(a.Name) {
				if regexp.MustCompile(`^\s+` + regexp.QuoteMeta(c.Name) + `\s{2,}`).MatchString(line) {
					t.Errorf("%s: Analyzer.Doc has a table row for check %s (%q); the registry lists the checks", a.Name, c.Name, line)
				}
			}
		}
	}
}

// TestReplaceSection: -update replaces a generated section, turns a
// hand-written "## check" heading into one, and adds a missing section
// after the last one, before the page's next heading.
func TestReplaceSection(t *testing.T) {
	c := report.Check{Name: "new-check", Title: "a new check", Doc: "What it finds."}
	section := report.MarkdownSection(c)
	old := report.MarkdownSection(report.Check{Name: "old-check", Title: "an old check", Doc: "Old text."})
	for _, tc := range []struct{ name, page, want string }{
		{"missing", "# p\n\n" + old + "\nold example\n\n## Suppressing\n",
			"# p\n\n" + old + "\nold example\n\n" + section + "\n## Suppressing\n"},
		{"hand-written", "# p\n\n## new-check\n\n*old title.*\n\nexample\n",
			"# p\n\n" + section + "\nexample\n"},
		{"generated", "# p\n\n" + report.MarkdownSection(report.Check{Name: "new-check", Title: "t", Doc: "Stale."}) + "\nexample\n",
			"# p\n\n" + section + "\nexample\n"},
	} {
		if got := replaceSection(tc.page, c, section); got != tc.want {
			t.Errorf("%s:\n%s\nwant:\n%s", tc.name, got, tc.want)
		}
	}
}
