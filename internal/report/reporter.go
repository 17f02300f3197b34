package report

import (
	"fmt"
	"go/token"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// A Reporter reports one pass's diagnostics through kafkalint's rules:
// diagnostics in generated files are dropped, diagnostics covered by a
// well-formed //kafkalint:ignore are dropped, and with -check-ignores,
// Finish reports the suppressions of this analyzer that matched nothing.
// Because the rules run inside the analyzer, they hold alike under go vet,
// the kafkalint CLI, golangci-lint and nogo.
//
// A Reporter is not safe for concurrent use.
type Reporter struct {
	pass      *analysis.Pass
	generated map[string]bool // file names of generated files
	ignores   []*placedIgnore
	byLine    map[fileLine][]*placedIgnore
	reported  map[string]bool // check names this pass reported, suppressed or not (for unregistered categories)
	finished  bool
}

// A placedIgnore is a well-formed suppression in one of the pass's files.
// It applies to its own line and to the line after its comment group.
type placedIgnore struct {
	Ignore
	pos  token.Pos // of the comment
	file string
	used map[string]bool // check names it suppressed a diagnostic of
}

type fileLine struct {
	file string
	line int
}

// New returns a Reporter for pass. Call it once, at the start of the
// analyzer's run function.
func New(pass *analysis.Pass) *Reporter {
	r := &Reporter{
		pass:      pass,
		generated: map[string]bool{},
		byLine:    map[fileLine][]*placedIgnore{},
		reported:  map[string]bool{},
	}
	for _, f := range pass.Files {
		name := pass.Fset.File(f.FileStart).Name()
		if IsGenerated(f) {
			r.generated[name] = true
		}
		for _, group := range f.Comments {
			after := pass.Fset.PositionFor(group.End(), false).Line + 1
			for _, c := range group.List {
				ig, ok, err := ParseIgnore(c.Text)
				if !ok || err != nil {
					continue // not a suppression, or a malformed one (reported by the ignoredirective analyzer)
				}
				line := pass.Fset.PositionFor(c.Slash, false).Line
				p := &placedIgnore{Ignore: ig, pos: c.Slash, file: name, used: map[string]bool{}}
				r.ignores = append(r.ignores, p)
				r.byLine[fileLine{name, line}] = append(r.byLine[fileLine{name, line}], p)
				if after != line {
					r.byLine[fileLine{name, after}] = append(r.byLine[fileLine{name, after}], p)
				}
			}
		}
	}
	return r
}

// Covered reports whether Report would drop d: it is wholly inside
// generated code, or a suppression names its check or the analyzer on its
// line. An analyzer that would report d elsewhere (lockorder leaves an
// internal package's report to its importers) asks first, so that a
// suppression written where d was found still holds, and is used.
func (r *Reporter) Covered(d analysis.Diagnostic) bool {
	d, ok := r.placed(d)
	if !ok {
		return true
	}
	check := CheckName(r.pass.Analyzer, d)
	for _, ig := range r.ignoresAt(d) {
		if ig.Names(check) || ig.Names(r.pass.Analyzer.Name) {
			return true
		}
	}
	return false
}

// Report reports d unless it is in a generated file or suppressed. A
// suppression matches d when it names the analyzer or d's check (its
// Category) and is on d's line or in the comment block just above it.
func (r *Reporter) Report(d analysis.Diagnostic) {
	check := CheckName(r.pass.Analyzer, d)
	r.reported[check] = true
	d, ok := r.placed(d)
	if !ok {
		return // wholly inside generated code
	}
	suppressed := false
	for _, ig := range r.ignoresAt(d) {
		for _, name := range [2]string{check, r.pass.Analyzer.Name} {
			if ig.Names(name) {
				ig.used[name] = true
				suppressed = true
			}
		}
	}
	if !suppressed {
		r.pass.Report(d)
	}
}

// placed moves d out of generated code (moveOutOfGenerated); ok is false
// when it is dropped.
func (r *Reporter) placed(d analysis.Diagnostic) (analysis.Diagnostic, bool) {
	if r.Generated(d.Pos) {
		return r.moveOutOfGenerated(d)
	}
	return d, true
}

// ignoresAt returns the suppressions on d's line (unadjusted, like the
// comments: //line directives must not move suppressions).
func (r *Reporter) ignoresAt(d analysis.Diagnostic) []*placedIgnore {
	posn := r.pass.Fset.PositionFor(d.Pos, false)
	return r.byLine[fileLine{posn.Filename, posn.Line}]
}

// Generated reports whether pos is in a generated file of the pass
// (IsGenerated), where no diagnostic is reported.
func (r *Reporter) Generated(pos token.Pos) bool {
	return pos.IsValid() && r.generated[r.pass.Fset.PositionFor(pos, false).Filename]
}

// moveOutOfGenerated moves a diagnostic found in generated code to its
// first Related position in a hand-written file of this pass, and notes
// there where it was found: a lock cycle with one half generated (a mock)
// and the other hand-written is fixed in the hand-written half. ok is false
// when every position of d is generated code (or outside the pass), and d
// is dropped.
func (r *Reporter) moveOutOfGenerated(d analysis.Diagnostic) (_ analysis.Diagnostic, ok bool) {
	for _, rel := range d.Related {
		if !rel.Pos.IsValid() || r.Generated(rel.Pos) || !r.inPass(rel.Pos) {
			continue
		}
		gen := r.pass.Fset.Position(d.Pos)
		d.Related = append(slices.Clip(d.Related), analysis.RelatedInformation{
			Pos:     d.Pos,
			End:     d.End,
			Message: fmt.Sprintf("found at %s:%d, in generated code; reported at the first hand-written step", filepath.Base(gen.Filename), gen.Line),
		})
		d.Pos, d.End = rel.Pos, rel.End
		return d, true
	}
	return d, false
}

// inPass reports whether pos is in one of the pass's files.
func (r *Reporter) inPass(pos token.Pos) bool {
	for _, f := range r.pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return true
		}
	}
	return false
}

// Reportf reports a diagnostic of check at pos, like Report.
func (r *Reporter) Reportf(pos token.Pos, check, format string, args ...any) {
	r.Report(analysis.Diagnostic{Pos: pos, Category: check, Message: fmt.Sprintf(format, args...)})
}

// Finish ends the pass's reporting. With the analyzer's -check-ignores flag
// set, it reports every suppression naming a check of this analyzer (or the
// analyzer itself) that suppressed nothing in this pass. Call it once, at
// the end of a successful run; after an error there is nothing to compare.
func (r *Reporter) Finish() {
	if r.finished {
		panic("report: Finish called twice")
	}
	r.finished = true
	if !checkIgnores(r.pass.Analyzer) {
		return
	}
	for _, ig := range r.ignores {
		if r.generated[ig.file] {
			continue
		}
		var unused []string
		for _, name := range ig.Checks {
			mine := owns(r.pass.Analyzer, name) || r.reported[name]
			if mine && !ig.used[name] {
				unused = append(unused, name)
			}
		}
		if len(unused) == 0 {
			continue
		}
		sort.Strings(unused)
		r.pass.Report(analysis.Diagnostic{
			Pos:      ig.pos,
			Category: CategoryUnusedIgnore,
			Message: fmt.Sprintf("kafkalint:ignore %s suppresses nothing here: no %s diagnostic on this line or the next; delete it",
				strings.Join(unused, ","), strings.Join(unused, " or ")),
		})
	}
}
