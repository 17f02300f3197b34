package waitpartner

import "github.com/kafkalint/kafkalint/internal/report"

const doc = `report waits that nothing can ever end

waitpartner finds blocking operations with no possible partner, where the
resource's whole world is known: a receive nothing sends to or closes, a
send on an unbuffered channel nobody receives from, a Cond.Wait nothing
signals (no-partner), a goroutine that returns on some path without
the WaitGroup.Done that a Wait counts on (done-skipped), and a goroutine
left blocked because its partner leaves first: the receiver returns on the
first error while other sends are due, a ready channel closed only on
success, a returned channel the caller drops (partner-leaves).

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
runtime.Goexit, t.FailNow) is not a return, and neither is the end of a
range over a timer channel (a Ticker's or Timer's C, time.Tick): the
runtime never closes those.

Suppress: //kafkalint:ignore done-skipped <reason>.`,
	},
	{
		Name:  CheckLeaves,
		Title: "a goroutine blocks forever because its partner leaves first",
		Doc: `A goroutine sends on an unbuffered channel (or its starter waits on one)
and the only side that could complete the operation leaves first:

  - the receiver returns on the first error: goroutines started in a loop
    send results on a channel, and the
    loop that receives them returns (or breaks) on a received value while
    sends are still due; nobody receives them, and each remaining sender
    blocks forever;
  - the receiver receives once, while more sends are due: two goroutines
    (or goroutines started in a loop) send on one channel that is read
    once (first-response-wins, a proxy's two copy goroutines);
  - a waiter for a "ready" channel that the goroutine closes (or sends
    on) only on success: on the error path it returns without doing
    either, and the waiter blocks forever (in a function without a
    context.Context parameter; with one, ctx-blind-wait reports it). A
    goroutine that delivers in a loop is a count or an event loop (a
    for-select that sends per event and returns on a stop), not a ready
    signal, and is silent; when the goroutine fails the test
    (t.Errorf) on its way to that return, the report says "after failing
    the test (line N)": the hang only follows a failed test;
  - a function makes a channel, starts a goroutine that sends on it and
    returns the channel; a caller in the package drops the result.

    errc := make(chan error)
    for _, u := range urls {
        go func() { errc <- fetch(u) }()    // reported
    }
    for range urls {
        if err := <-errc; err != nil {
            return err                      // the other senders block forever
        }
    }

Fix: make the channel buffered with room for every send
(make(chan error, len(urls))), or keep receiving until every send is
taken; close a ready channel on every path (defer close(ready)) or send
the error on it too; use the returned channel.

Reported only where the channel's whole world is known (made in the
function, never stored, never passed out of the package; for the dropped
channel, only returned by the function that makes it), every sender is a
goroutine that function starts and sends plainly (a send in a select with
ctx.Done() can give up, and is silent), and nobody else receives. The
early return must branch on the received value (err != nil, r.err !=
nil) in a block of the receive loop other than its head and reach a return
without receiving again: a loop left by counting, or a start and a receive
in the same iteration, is silent, and so is one goroutine that sends in a
loop (an event loop returns on a stop its starter closes). A buffered channel is never reported. A
starter leaving a select by cancellation or a timer is cancel-leak's.

Suppress: //kafkalint:ignore partner-leaves <reason>.`,
	},
}
