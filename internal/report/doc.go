// Package report is the reporting layer every kafkalint analyzer reports
// through. It implements, inside each analyzer (so identically under go vet,
// the kafkalint CLI, golangci-lint and nogo):
//
//   - suppressions: //kafkalint:ignore <check>[,<check>] <reason> on the
//     diagnostic's line, or in the comment block just above it, drops the
//     diagnostic. <check> is a check name (the diagnostic's Category, e.g.
//     lock-cycle) or an analyzer name (all of its checks). The reason is
//     required: a suppression without one suppresses nothing, and the
//     ignoredirective analyzer (analyzers/ignoredirective) reports it as
//     ignore-syntax.
//   - -check-ignores: an analyzer flag (-NAME.check-ignores; the kafkalint
//     binary also has -check-ignores for all analyzers) under which
//     Reporter.Finish reports suppressions naming the analyzer's checks that
//     suppressed nothing (unused-ignore). Each analyzer knows only its own
//     diagnostics, so each checks only the names it owns: its own name, the
//     checks it registered, and the categories it reported in the pass.
//   - generated files (IsGenerated): their diagnostics are dropped; cmd/cgo's
//     translations of hand-written files are not generated code.
//   - chains: Chain encodes one goroutine's steps as Related entries whose
//     messages start with "[label] "; the SARIF writer turns each label into
//     a threadFlow of the result's codeFlow.
//   - the check registry: Register records each analyzer's checks with
//     their documentation, the single source of kafkalint -explain and of
//     the SARIF rules' help text.
//
// An analyzer uses it like this:
//
//	var Analyzer = &analysis.Analyzer{Name: "lockorder", Doc: doc, Run: run, ...}
//
//	func init() {
//		report.Register(Analyzer,
//			report.Check{Name: "lock-cycle", Title: "...", Doc: "..."},
//		)
//	}
//
//	func run(pass *analysis.Pass) (any, error) {
//		r := report.New(pass)
//		...
//		r.Report(analysis.Diagnostic{
//			Pos:      acquire.Pos(),
//			Category: "lock-cycle",
//			Message:  "lock order inversion: ...",
//			Related: append(
//				report.Chain("goroutine 1", report.Step{Pos: p1, Message: "poll locks netClient.lock"}, ...),
//				report.Chain("goroutine 2", ...)...),
//		})
//		...
//		r.Finish()
//		return result, nil
//	}
//
// Never call pass.Report directly: the diagnostic would escape suppression.
package report
