package waitpartner

import "github.com/kafkalint/kafkalint/internal/report"

const doc = `report waits that nothing can ever end

waitpartner finds blocking operations with no possible partner, where the
resource's whole world is known: a receive nothing sends to or closes, a
send on an unbuffered channel nobody receives from, a Cond.Wait nothing
signals (no-partner), and a goroutine that returns on some path without
the WaitGroup.Done that a Wait counts on (done-skipped).

See docs/waitpartner.md.`

var checks = []report.Check{
	{
		Name:  CheckNoPartner,
		Title: "a receive, send or Cond.Wait that nothing can ever complete",
		Doc: `A goroutine waits on a channel or a sync.Cond that nothing in the program
can ever wake: a receive from a channel that nothing sends on or closes, a
send on an unbuffered channel that nothing receives from, a Cond.Wait on a
Cond that nothing signals or broadcasts. It blocks forever, and with it
whatever it holds.

    done := make(chan struct{})
    go func() {
        work()
        // forgot close(done)
    }()
    <-done                      // reported: nothing sends on or closes done

close(ch) ends every blocked receive, so a closed channel has a partner
for its receives; it never completes a send (a send on a closed channel
crashes the program), so a channel that is only closed still has no partner for its
sends, and the report names the close.

Fix: send (or close) where the work ends; receive what is sent; signal the
Cond where its condition changes; or delete the wait.

Reported only where the resource's whole world is known:

  - a channel made in a function that never leaves it and its closures and
    the package functions it is passed to (not stored in a field, not
    returned, not passed out of the package, not sent on a channel, not
    converted to an interface), and never reassigned;
  - a channel kept in an unexported field of the package's struct type
    whose every store is a fresh make and every load is operated on in
    place (received from, sent on, closed, selected on, len or cap):
    passing the loaded channel anywhere gives up;
  - a Cond made by sync.NewCond and kept in local variables and closures,
    or kept in an unexported field (a *sync.Cond stored only from
    sync.NewCond, or a sync.Cond value) used only for Wait, Signal,
    Broadcast and its L; a method value (c.Broadcast handed to
    context.AfterFunc) gives up.

Only plain operations are reported, not select cases. A send is reported
only on a channel every make of which is unbuffered: a buffered send may
complete without a receiver. package main's main is left alone: parking
the program on purpose (<-make(chan struct{})) is an idiom. A test file of
the same package that sends on an unexported field's channel is not seen
by the package's non-test variant.

Suppress: //kafkalint:ignore no-partner <reason>.`,
	},
	{
		Name:  CheckDoneSkipped,
		Title: "a goroutine returns without the WaitGroup.Done a Wait counts on",
		Doc: `A goroutine calls wg.Done() at its end, but returns early on some path (an
error, a closed channel, a break out of its loop) without calling it. The
wg.Wait() that counts on its Done waits forever.

    wg.Add(1)
    go func() {
        if err := fetch(); err != nil {
            return              // reported: skips wg.Done()
        }
        wg.Done()
    }()
    wg.Wait()

Fix: defer wg.Done() as the goroutine's first statement.

Reported only for a WaitGroup declared in the function (var wg
sync.WaitGroup, or &sync.WaitGroup{}) whose whole world is the function and
its closures (never passed to another function, stored or copied), for a
goroutine started once that calls Done directly, not in a loop, and defers
nothing. A path that never returns (a run-time crash, os.Exit, log.Fatal,
runtime.Goexit, t.FailNow) is not a return.

Suppress: //kafkalint:ignore done-skipped <reason>.`,
	},
}
