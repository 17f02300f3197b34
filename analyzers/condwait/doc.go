package condwait

import "github.com/kafkalint/kafkalint/internal/report"

const doc = `report lock hand-offs to exiting goroutines and sync.Cond waits that hang

condwait finds: a goroutine that exits holding a lock (handing it to the
function that started it) and signals its exit on a channel, while that
function can lock the same mutex before receiving the signal (franz-go
v1.17.1's produce hang on cancellation). Cond checks follow.

Checks: lock-handoff. See docs/condwait.md.`

var checks = []report.Check{
	{
		Name:  CheckHandoff,
		Title: "a lock handed to an exiting goroutine is locked before its exit is received",
		Doc: `A goroutine locks a mutex and returns still holding it, on purpose, so that
the function that started it takes the lock over once the goroutine signals
its exit (close(wait), or a send). If that function locks the same mutex on
a path that has not yet received the signal (typically the ctx.Done() case
of a select, waking the goroutine up), and the goroutine has already exited,
the Lock waits for a lock nobody will ever release. A select does not prefer
the ready signal: with both cases ready it picks one at random.

This is franz-go v1.17.1's produce hang: the helper waits on p.c with p.mu
held and exits holding p.mu; the cancel branch calls a closure that does
p.mu.Lock() to set quit and broadcast. v1.18.0 moved the wake-up into a new
goroutine.

    go func() {
        defer close(wait)
        p.mu.Lock()
        for !quit && full() { p.c.Wait() }
    }()                                 // exits holding p.mu
    select {
    case <-wait:
    case <-ctx.Done():
        p.mu.Lock()                     // reported: may never return
        quit = true
        ...

Fix: receive the exit signal before locking (<-wait, then use the lock the
goroutine left held), or do the wake-up (Lock, set quit, Unlock, Broadcast)
in a new goroutine so that this one can go on to <-wait.

Reported at the Lock (or at the call that reaches it, when it is in a
function of its own), with the goroutine's path to its exit and the
starter's path to the Lock. Not reported: goroutines that release the lock
before returning (defer mu.Unlock()), paths that received the signal, other
instances of the same lock type.

Suppress: //kafkalint:ignore lock-handoff <reason>.`,
	},
}
