// Command kafkalint finds concurrency bugs that hang Kafka clients:
// lock-order inversions, double locks, Cond waits, goroutine leaks on
// cancel, dropped commit errors.
//
//	kafkalint [flags] ./...                     # CLI over go/packages patterns
//	go vet -vettool=$(which kafkalint) ./...    # one package per process, facts via go vet
//
// See docs/cli.md.
package main

import (
	"os"

	"github.com/kafkalint/kafkalint/internal/cli"
	"github.com/kafkalint/kafkalint/internal/suite"
)

func main() {
	analyzers := suite.Analyzers()
	if cli.InvokedByVet(os.Args[1:]) {
		cli.RunVet(analyzers) // does not return
	}
	os.Exit(cli.Main(os.Args[1:], analyzers, os.Stdout, os.Stderr))
}
