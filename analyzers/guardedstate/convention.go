package guardedstate

import (
	"go/ast"
	"regexp"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// callersHoldLock: the function says, by its name or its doc comment,
// that its callers hold the lock (fooLocked, etcd's UnsafePut, nats-server's
// "Lock should be held.", prometheus' "Series lock must be held when
// calling."). Its own accesses then follow its callers' locking, which the
// entry-lock inference does not always see (callers in other packages,
// a lock taken through another name of the object): an inferred guard is
// not reported inside it. Only for the function itself, not its closures
// (a timer's closure runs without the lock: franz-go v1.20.1's
// lockedMaybeLinger).
func callersHoldLock(fn *ssa.Function) bool {
	if fn.Parent() != nil {
		return false
	}
	return lockedByName(fn) || unsafeByName(fn) || docSaysHeld(fn)
}

// unsafeByName: UnsafeFoo / unsafeFoo, etcd's convention for "the caller
// holds the lock" (batchTx.UnsafePut, RaftCluster.UnsafeLoad), or
// fooUnsafe, pulsar's (blockingQueue.IterateUnsafe).
func unsafeByName(fn *ssa.Function) bool {
	name := fn.Name()
	for _, p := range []string{"Unsafe", "unsafe"} {
		if rest, ok := strings.CutPrefix(name, p); ok && rest != "" && rest[0] >= 'A' && rest[0] <= 'Z' {
			return true
		}
	}
	rest, ok := strings.CutSuffix(name, "Unsafe")
	return ok && rest != ""
}

var (
	// lockWord: a sentence about a lock (lock, Lock, mu, mutex, RLock,
	// "write lock", "the series lock").
	lockWord = regexp.MustCompile(`(?i)(\block|lock\b|\bmu\b|\bmtx\b|mutex)`)
	// heldWord: ... that says it is held ("lock held", "assumes the
	// lock", "must hold", "without holding"), not what the function does
	// ("holds only from's lock while ...").
	heldWord = regexp.MustCompile(`(?i)\b(held|assume|assumes|assumed|locked)\b|\b(must|should|caller|callers|without)\s+(\w+\s+)?hold(ing|s)?\b`)
	// notHeld: ... unless it says it must not be ("should not be held",
	// "must not hold", "mustn't").
	notHeld = regexp.MustCompile(`(?i)\b(not|n't|never|unlocked)\b`)
)

// docSaysHeld: a sentence of fn's doc comment says a lock is held when it
// is called, and none says it must not be.
func docSaysHeld(fn *ssa.Function) bool {
	decl, ok := fn.Syntax().(*ast.FuncDecl)
	if !ok || decl.Doc == nil {
		return false
	}
	held := false
	for _, sentence := range strings.FieldsFunc(decl.Doc.Text(), func(r rune) bool { return r == '.' || r == '\n' || r == ';' }) {
		if !lockWord.MatchString(sentence) || !heldWord.MatchString(sentence) {
			continue
		}
		if notHeld.MatchString(sentence) && !strings.Contains(strings.ToLower(sentence), "without") {
			return false
		}
		held = true
	}
	return held
}

// serializedWord: a doc comment saying the function's calls never run at
// once (pebble's recordQueue.push: "externally synchronized, i.e., no
// concurrent push calls").
var serializedWord = regexp.MustCompile(`(?i)externally synchronized|externally serialized|no concurrent( \w+)? calls|(must|should|will|is) not (be )?(called|run|used) concurrently|never (called|runs?) concurrently|single[- ](goroutine|threaded|producer|writer)|only (one|a single) goroutine`)

// docSaysSerialized: fn's doc comment says its calls are serialized by
// its callers.
func docSaysSerialized(fn *ssa.Function) bool {
	if fn.Parent() != nil {
		return false
	}
	decl, ok := fn.Syntax().(*ast.FuncDecl)
	return ok && decl.Doc != nil && serializedWord.MatchString(strings.Join(strings.Fields(decl.Doc.Text()), " "))
}

// initMethod: a method named init, Init, initialize or Initialize (or
// InitForTesting), which readies its receiver before it is used (pebble's
// ByLevel.Init "must be called before using", the WAL managers' init at
// Open): its receiver is not shared yet. Not initFoo: Shopify/sarama's
// txnmgr.initProducerId runs again on every epoch bump, while the
// producer's goroutines read the id.
func initMethod(fn *ssa.Function) bool {
	if fn.Parent() != nil || fn.Signature.Recv() == nil || len(fn.Params) == 0 {
		return false
	}
	switch fn.Name() {
	case "init", "Init", "initialize", "Initialize", "InitForTesting":
		return true
	}
	return false
}
