package cli

import (
	"go/token"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
	"golang.org/x/tools/go/analysis"

	"github.com/kafkalint/kafkalint/internal/report"
)

const (
	informationURI = "https://github.com/kafkalint/kafkalint"
	srcRoot        = "%SRCROOT%" // the current directory: where CI checks out the repository
)

// writeSARIF writes one SARIF 2.1.0 run: a rule per check of the analyzers
// that ran (help text from the check registry), a result per finding, and
// for a finding whose Related entries carry report.Chain labels a codeFlow
// with one threadFlow per label, the steps in order. All Related entries are
// also relatedLocations. Files under cwd are relative to %SRCROOT%.
func writeSARIF(w io.Writer, cwd string, analyzers []*analysis.Analyzer, findings []Finding, failed bool) error {
	run := sarif.NewRunWithInformationURI("kafkalint", informationURI)
	if cwd != "" {
		run.WithOriginalUriBaseIds(map[string]sarif.ArtifactLocation{
			srcRoot: *sarif.NewArtifactLocation().WithURI(fileURI(cwd) + "/"),
		})
	}
	for _, a := range analyzers {
		addAnalyzerRules(run, a)
	}
	for _, c := range report.LayerChecks() {
		addRule(run, c.Name, c.Title, c.Doc, "")
	}

	for _, f := range dedupe(findings) {
		if run.GetRuleIndex(f.Check) < 0 { // a category nobody registered
			addRule(run, f.Check, f.Check, "Reported by the "+f.Analyzer+" analyzer.", "")
		}
		result := run.CreateResultForRule(f.Check).
			WithLevel("warning").
			WithMessage(sarif.NewTextMessage(f.Message)).
			AddLocation(location(cwd, f.Pos, f.End, ""))

		flows := map[string]*sarif.ThreadFlow{}
		codeFlow := sarif.NewCodeFlow()
		for i, r := range f.Related {
			result.AddRelatedLocation(location(cwd, r.Pos, r.End, r.Message).WithID(i + 1))
			label, step, ok := report.ChainStep(r.Message)
			if !ok {
				continue
			}
			flow := flows[label]
			if flow == nil {
				flow = sarif.NewThreadFlow().WithID(label).WithMessage(sarif.NewTextMessage(label))
				flows[label] = flow
				codeFlow.AddThreadFlow(flow)
			}
			flow.AddLocation(sarif.NewThreadFlowLocation().WithLocation(location(cwd, r.Pos, r.End, step)))
		}
		if len(codeFlow.ThreadFlows) > 0 {
			result.AddCodeFlow(codeFlow)
		}
	}

	run.AddInvocation(sarif.NewInvocation().WithExecutionSuccessful(!failed))
	rep := sarif.NewReport()
	rep.AddRun(run)
	if err := rep.PrettyWrite(w); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// addAnalyzerRules adds a rule for each registered check of a, or one rule
// named after a when it registered none.
func addAnalyzerRules(run *sarif.Run, a *analysis.Analyzer) {
	checks := report.ChecksOf(a.Name)
	if len(checks) == 0 {
		title, _, _ := strings.Cut(a.Doc, "\n")
		addRule(run, a.Name, title, a.Doc, a.URL)
		return
	}
	for _, c := range checks {
		addRule(run, c.Name, c.Title, c.Doc, a.URL)
	}
}

func addRule(run *sarif.Run, id, title, doc, helpURI string) {
	rule := run.AddRule(id).
		WithName(id).
		WithShortDescription(sarif.NewMultiformatMessageString().WithText(title)).
		WithFullDescription(sarif.NewMultiformatMessageString().WithText(strings.TrimSpace(doc))).
		WithHelp(sarif.NewMultiformatMessageString().WithText(strings.TrimSpace(doc)).WithMarkdown(strings.TrimSpace(doc)))
	if helpURI != "" {
		rule.WithHelpURI(helpURI)
	}
}

func location(cwd string, pos, end token.Position, message string) *sarif.Location {
	artifact := sarif.NewArtifactLocation()
	if rel := relPath(cwd, pos.Filename); rel != pos.Filename {
		// A relative reference resolved against %SRCROOT%, percent-encoded:
		// a SARIF artifact location is a URI, not a path.
		artifact.WithURI((&url.URL{Path: filepath.ToSlash(rel)}).String()).WithURIBaseID(srcRoot)
	} else {
		artifact.WithURI(fileURI(pos.Filename))
	}
	region := sarif.NewRegion().WithStartLine(max(pos.Line, 1))
	if pos.Column > 0 {
		region.WithStartColumn(pos.Column)
	}
	if end.Filename == pos.Filename && end.Line >= pos.Line && end.Column > 0 && (end.Line > pos.Line || end.Column > pos.Column) {
		region.WithEndLine(end.Line).WithEndColumn(end.Column)
	}
	loc := sarif.NewLocationWithPhysicalLocation(
		sarif.NewPhysicalLocation().WithArtifactLocation(artifact).WithRegion(region))
	if message != "" {
		loc.WithMessage(sarif.NewTextMessage(message))
	}
	return loc
}

func fileURI(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}
