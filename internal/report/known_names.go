package report

// knownNames lists every check and analyzer name of the kafkalint suite,
// sorted. Kept equal to the registry by TestKnownNames in internal/suite:
// go test ./internal/suite -run TestKnownNames -update rewrites it.
var knownNames = []string{
	"cancel-leak",
	"commit-callback-drops-error",
	"commit-error-dropped",
	"commit-retried-forever",
	"commiterr",
	"cond-wait-no-loop",
	"cond-wait-shutdown",
	"cond-wait-unlocked",
	"condwait",
	"consumer-exits-on-commit-error",
	"ctx-blind-wait",
	"ctxcancel",
	"double-lock",
	"errors-channel-not-drained",
	"guardedstate",
	"helper-without-lock",
	"ignore-syntax",
	"lock-cycle",
	"lock-handoff",
	"lock-leak",
	"lockorder",
	"recursive-rlock",
	"stale-read",
	"unguarded-access",
	"unused-ignore",
	"wait-holding-lock",
	"write-under-rlock",
}
