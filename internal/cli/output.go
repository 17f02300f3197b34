package cli

import (
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"slices"
)

// writeText prints findings go vet style, one per line with the check in
// parentheses, each Related entry on an indented line below it:
//
//	client.go:42:3: lock order inversion: ... (lock-cycle)
//		client.go:17:2: [goroutine 1] poll locks netClient.lock
func writeText(w io.Writer, cwd string, findings []Finding) error {
	for _, f := range dedupe(findings) {
		if _, err := fmt.Fprintf(w, "%s: %s (%s)\n", posString(cwd, f.Pos), f.Message, f.Check); err != nil {
			return err
		}
		for _, r := range f.Related {
			if _, err := fmt.Fprintf(w, "\t%s: %s\n", posString(cwd, r.Pos), r.Message); err != nil {
				return err
			}
		}
	}
	return nil
}

func posString(cwd string, p token.Position) string {
	p.Filename = relPath(cwd, p.Filename)
	return p.String()
}

// The JSON format is the one of the x/tools drivers (go vet -json,
// multichecker -json): package ID → analyzer name → diagnostics, or
// {"error": "..."} for an analyzer that failed on the package. Positions
// are absolute, as there.
type (
	jsonDiagnostic struct {
		Category string        `json:"category,omitempty"`
		Posn     string        `json:"posn"`
		End      string        `json:"end"`
		Message  string        `json:"message"`
		Related  []jsonRelated `json:"related,omitempty"`
	}
	jsonRelated struct {
		Posn    string `json:"posn"`
		End     string `json:"end"`
		Message string `json:"message"`
	}
	jsonError struct {
		Err string `json:"error"`
	}
)

func writeJSON(w io.Writer, findings []Finding, errs []actionError) error {
	tree := make(map[string]map[string]any)
	add := func(pkg, analyzer string, v any) {
		if tree[pkg] == nil {
			tree[pkg] = make(map[string]any)
		}
		tree[pkg][analyzer] = v
	}
	findings = slices.Clone(findings)
	slices.SortFunc(findings, compareFindings)
	for _, f := range findings {
		d := jsonDiagnostic{Category: f.Check, Posn: f.Pos.String(), End: f.End.String(), Message: f.Message}
		for _, r := range f.Related {
			d.Related = append(d.Related, jsonRelated{Posn: r.Pos.String(), End: r.End.String(), Message: r.Message})
		}
		diags, _ := tree[f.Package][f.Analyzer].([]jsonDiagnostic)
		add(f.Package, f.Analyzer, append(diags, d))
	}
	for _, e := range errs {
		add(e.pkg, e.analyzer, jsonError{e.err.Error()})
	}
	data, err := json.MarshalIndent(tree, "", "\t")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}
