package cli

import (
	"flag"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"
)

// InvokedByVet reports whether args (without the program name) are those of
// the go vet -vettool protocol: -V=full, -flags, or flags then one *.cfg.
func InvokedByVet(args []string) bool {
	for _, arg := range args {
		switch strings.TrimPrefix(arg, "-") {
		case "V=full", "-V=full", "flags", "-flags":
			return true
		}
	}
	return len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg")
}

// RunVet runs the analyzers in unitchecker mode, one package per process
// with facts passed between processes by go vet. It never returns.
//
// unitchecker owns the flags (analyzer flags as -NAME.flag, -NAME to
// select, -json, -c); kafkalint adds -check-ignores, so that the same
// switch works under go vet as in the CLI.
func RunVet(analyzers []*analysis.Analyzer) {
	flag.Var(checkIgnoresFlag(analyzers), "check-ignores",
		"report //kafkalint:ignore comments that suppress nothing (sets -NAME.check-ignores of every analyzer)")
	unitchecker.Main(analyzers...)
	panic("unreachable")
}
