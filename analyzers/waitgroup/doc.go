package waitgroup

import "github.com/kafkalint/kafkalint/internal/report"

const doc = `report sync.WaitGroup misuse

waitgroup finds WaitGroup.Add called inside the goroutine it counts while
the starter waits on the same WaitGroup (wg-add-in-goroutine), and
WaitGroup.Wait inside the loop that starts the goroutines it waits for
(wg-wait-in-loop).

See docs/waitgroup.md.`

var checks = []report.Check{
	{
		Name:  CheckAddInGoroutine,
		Title: "WaitGroup.Add inside the goroutine it counts, racing the starter's Wait",
		Doc: `A function starts a goroutine and then waits on a WaitGroup, but the
goroutine itself calls Add on it. Nothing orders the goroutine's Add before
the starter's Wait: when Wait runs first it sees a zero counter and returns
at once, while the goroutine is still running. kafka-go's v0.4.26 (PR 805)
fixed this family of race between Add and Wait.

    for _, p := range parts {
        go func() {
            wg.Add(1)               // reported
            defer wg.Done()
            fetch(p)
        }()
    }
    wg.Wait()

Fix: call wg.Add before the go statement (or use wg.Go(f)).

Reported only when the starter waits on the same WaitGroup after the go
statement and has not added to it itself before starting the goroutine (a
goroutine that is itself counted may Add for the goroutines it starts in
turn: the counter cannot be zero then), and not when the starter
receives from a channel, selects, or waits on another WaitGroup between
the go statement and the Wait (the goroutine may signal there after its
Add: close(ready), started.Done()). The WaitGroup
must be the package's own: a local variable or a field of its types.

Suppress: //kafkalint:ignore wg-add-in-goroutine <reason>.`,
	},
	{
		Name:  CheckWaitInLoop,
		Title: "WaitGroup.Wait inside the loop that starts the goroutines it waits for",
		Doc: `A loop adds to a WaitGroup, starts a goroutine and waits on the WaitGroup,
all in the same iteration. Each iteration waits for the goroutine it has
just started: the goroutines run one at a time, and one that waits for
something a later iteration (or the code after the loop) provides, such as
a receive from a channel read only after the loop, hangs.

    for _, b := range brokers {
        wg.Add(1)
        go func() { defer wg.Done(); results <- dial(b) }()
        wg.Wait()                   // reported: results is read after the loop
    }

Fix: move Wait after the loop.

Reported only when the Add (or wg.Go), the go statement and the Wait are
in the same innermost loop, and the goroutine sends on an unbuffered
channel made before the loop that nothing in the loop receives from: the
first iteration then waits forever. Waiting for each iteration's goroutine
on purpose (to read its result before the next) and a batch loop that
starts a batch's goroutines in an inner loop and waits for them in the
outer one are left alone.

Suppress: //kafkalint:ignore wg-wait-in-loop <reason>.`,
	},
}
