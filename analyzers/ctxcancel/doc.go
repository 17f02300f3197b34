package ctxcancel

import "github.com/kafkalint/kafkalint/internal/report"

const doc = `report goroutines and waits that cancellation cannot end

ctxcancel finds: a goroutine blocked forever on a channel once the function
that started it leaves a select through ctx.Done(), a timer or another case
(cancel-leak); a wait in a function taking a context.Context that the
context cannot interrupt, for a goroutine that can return without
delivering (ctx-blind-wait); and a lock held while waiting for a channel,
WaitGroup, Cond or context whose producer must first take that lock
(wait-holding-lock).

See docs/ctxcancel.md.`

var checks = []report.Check{
	{
		Name:  CheckLeak,
		Title: "a goroutine blocks forever once its starter leaves a select by cancellation",
		Doc: `A function starts a goroutine that sends its result on a channel made for
it, then waits in a select for that result or for ctx.Done() (or a timer,
or another channel). When the select leaves by the other case and the
function returns, nobody will ever receive from the channel: the
goroutine's send blocks forever, and with it everything it holds (a
connection, a buffer, a lock). The mirror image is reported too: a
goroutine waiting to receive what its starter sends in a select that can
leave without sending.

    results := make(chan []Record)
    go func() {
        recs, _ := b.fetch()
        results <- recs             // reported: blocks forever after ctx.Done()
    }()
    select {
    case recs := <-results: ...
    case <-ctx.Done(): return nil, ctx.Err()
    }

Fix: make the channel buffered with room for every send (make(chan T, 1)
for one result), or send in a select that also watches ctx.Done(); for a
receiving goroutine, close the channel when the starter leaves.

Reported only when every use of the channel is visible: made in the
function, shared with one goroutine started once, used by nobody else (not
stored in a field, not passed out of the package), and the select's way
out returns without touching the channel again (a later <-results drain
silences it). Silent when the buffer has room for every send one run of
the goroutine can make (sends that are each followed by return count
once), when the goroutine sends in a select, and when the other case is
the goroutine's own other delivery (a result channel and an error
channel). In a select loop a case that goes back to the select is no way
out, nor is a return behind a condition that reads what the receive cases
update (done++ in each case, then if done == 3 { return }) when each
goroutine feeding the loop's channels sends once; a count that timer ticks
also advance, a deadline check, or a case that returns directly still is.
When the leaving case fails the test (t.Errorf, t.Fatal), the report says
it "leaves its select ... and fails the test (line N)": the leak is real,
but it only follows a failed test; weigh it (or suppress it) as such.
The fix suggests selecting on the starter's way out only when that is a
context's Done channel, which the goroutine can watch too. Silent too when
the starter closes the channel as it returns (defer close(ch)): a waiting
receive then ends, and a waiting send crashes the program ("send on closed
channel") instead of blocking: another bug, not reported here.

Suppress: //kafkalint:ignore cancel-leak <reason>.`,
	},
	{
		Name:  CheckBlind,
		Title: "a wait the context cannot interrupt, for a goroutine that may never deliver",
		Doc: `A function that takes a context.Context receives from a channel (or
selects over channels) without a ctx.Done() case, and the only goroutine
that sends on or closes the channel can return without doing either: an
early "if err != nil { return }", or giving up itself on ctx.Done(). On
that path the receive waits forever, and cancelling the context does not
help: the caller asked for a cancelable operation and got a hang.

    out := make(chan []byte)
    go func() {
        b, err := c.read(ctx)
        if err != nil {
            return                  // out is never sent on
        }
        out <- b
    }()
    return <-out                    // reported

A receive loop (for v := range ch) ends only when the channel is closed: it
is reported when the goroutine can return without closing it.

Fix: select on ctx.Done() as well; or make the goroutine deliver on every
path (send the error too, or defer close(ch)).

Reported only for channels made in the function and fed by exactly one
goroutine, started once; several feeders, a feeder that is also called
directly, or uses the analysis cannot follow silence it. A select over
several channels is reported only if the goroutine can return without
delivering on any of them. Functions without a context parameter are left
alone.

Suppress: //kafkalint:ignore ctx-blind-wait <reason>.`,
	},
	{
		Name:  CheckWaitUnder,
		Title: "a lock held while waiting for something whose wake-up needs that lock",
		Doc: `A goroutine holds lock L while it waits: a channel receive (or an
unbuffered send), a select, WaitGroup.Wait, Cond.Wait on another lock, or
<-ctx.Done(). Everything in the package that would end that wait (a send
or close, Done, Signal or Broadcast, calling the context's cancel function)
first takes L, directly, through its in-package callers, or after waiting
for something whose wake-up takes L. The waiter keeps L until woken, the
waker needs L to wake it: both hang. This is a lock-order cycle in which
one "lock" is a wait.

A consumer whose Close needs the lock that Consume holds while it waits for
the session to end:

    func (c *Consumer) Consume(ctx context.Context) error {
        c.mu.Lock()
        defer c.mu.Unlock()
        s := newSession(ctx)
        c.session = s
        go s.run()          // closes s.done once s.ctx is cancelled
        <-s.done            // reported
        ...
    func (c *Consumer) Close() error {
        c.mu.Lock()         // waits for Consume, which waits for Close
        c.session.cancel()

Fix: release the lock before waiting (copy what the wait needs under the
lock first), or wake the waiter without taking the lock (cancel from a
field read atomically, close a channel made beforehand).

The report is at the wait (or the call that reaches it) in the function
that holds the lock; the related information shows where the lock is taken,
each wake-up and what it waits for first. Kept narrow, since lockdep's
general version of this rule was removed for false positives:

  - both sides must be in the package, and the waited-for thing must be the
    package's own: a channel made here or kept in a field of its types, a
    context made with WithCancel here; a parameter's context or channel
    has wake-ups nobody can see, so it is never part of a cycle;
  - every wake-up the package has for the resource must need the lock (one
    that does not can end the wait);
  - a wake-up counts the locks of its in-package callers only when all its
    callers are known (unexported functions and closures; exported
    functions and methods may be called from elsewhere without the lock);
  - a select with a timer case, or a case on a parameter's channel, is
    never stuck for good;
  - Cond.Wait releases its own lock (and a Cond whose lock cannot be named
    is left out); two read locks do not exclude each other;
  - a resource the waiting goroutine wakes itself before waiting (sarama's
    Broker.Close closing responses and then waiting for done) is not stuck;
  - a waiter that is a function literal of the waking function, started or
    handed out there once (not in a loop), after every Lock of the lock in
    that function, cannot hold the lock when the waker takes it (Lock; go
    func() { Lock; ch <- v }(); Unlock; <-ch).

Suppress: //kafkalint:ignore wait-holding-lock <reason>.`,
	},
}
