package report

import (
	"fmt"
	"strings"
)

// Markers around a check's section in a docs page. The section between
// them is generated from the check's registry entry (MarkdownSection):
// TestDocsPages in internal/suite checks every page against the registry,
// and go test ./internal/suite -update rewrites the sections.
func sectionBegin(name string) string {
	return fmt.Sprintf("<!-- check %s: generated from the check registry, as kafkalint -explain %s prints it; edit the check's Doc, then run go test ./internal/suite -update -->", name, name)
}

func sectionEnd(name string) string { return fmt.Sprintf("<!-- end of check %s -->", name) }

// SectionMarkers returns the lines that begin and end the generated
// section of check name in a docs page.
func SectionMarkers(name string) (begin, end string) { return sectionBegin(name), sectionEnd(name) }

// MarkdownSection renders a check's documentation as the section of its
// analyzer's docs page: a "## name" heading (the anchor other pages link
// to), the title in italics, and Doc as Markdown. Doc is plain text with
// examples indented by four spaces, which Markdown shows as code; outside
// them and outside `code spans`, '<' is escaped so that "<reason>" is not
// taken for an HTML tag.
func MarkdownSection(c Check) string {
	var b strings.Builder
	b.WriteString(sectionBegin(c.Name) + "\n")
	fmt.Fprintf(&b, "## %s\n\n", c.Name)
	fmt.Fprintf(&b, "*%s.*\n\n", escapeText(c.Title))
	for _, line := range strings.Split(strings.TrimSpace(c.Doc), "\n") {
		if !strings.HasPrefix(line, "    ") && !strings.HasPrefix(line, "\t") {
			line = escapeText(line)
		}
		b.WriteString(strings.TrimRight(line, " \t") + "\n")
	}
	b.WriteString("\n" + sectionEnd(c.Name) + "\n")
	return b.String()
}

// escapeText escapes '<' outside `code spans` of one line of Markdown text.
func escapeText(line string) string {
	parts := strings.Split(line, "`")
	for i := 0; i < len(parts); i += 2 {
		if i == len(parts)-1 && len(parts)%2 == 0 {
			break // an unclosed backtick: leave the rest alone
		}
		parts[i] = strings.ReplaceAll(parts[i], "<", "&lt;")
	}
	return strings.Join(parts, "`")
}
