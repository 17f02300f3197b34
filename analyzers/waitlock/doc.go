package waitlock

import "github.com/kafkalint/kafkalint/internal/report"

const doc = `report waits under a lock whose partner may need that lock

waitlock finds a goroutine that waits (a channel receive or unbuffered
send, WaitGroup.Wait, Cond.Wait on another lock, <-ctx.Done()) while it
holds a lock, where the goroutine that would end the wait may take that
lock first, on some path: an error path, a later loop iteration, a
callee (partner-needs-lock).

See docs/waitlock.md.`

var checks = []report.Check{
	{
		Name:  CheckPartner,
		Title: "a wait under a lock, whose partner goroutine may take that lock before it ends the wait",
		Doc: `A function holds lock L while it waits for something (a channel receive or
unbuffered send, WaitGroup.Wait, Cond.Wait on another lock, <-ctx.Done()),
through its callees too (a wait inside sync.Once.Do counts). Everything in
the package that can end that wait runs on goroutines the package starts,
and each of them may take L before it does: on some path, directly or in a
function it calls (an error handler), or before it returns when the wake-up
is deferred (defer close(done)). When that path is taken, the goroutine
blocks on L, the waiter waits for the goroutine: both hang.

sarama v1.25.0's consumer group (fixed in v1.26.0, PR 1581):

    func (c *consumerGroup) Consume(...) error {
        c.lock.Lock()
        defer c.lock.Unlock()
        ...
        return sess.release(true)   // waits <-s.hbDead: reported
    }
    func (s *consumerGroupSession) heartbeatLoop() {
        defer close(s.hbDead)
        ...
        if err != nil {
            s.parent.handleError(err, "", -1) // takes c.lock
            return
        }

Fix: release L before waiting, or do not take L on the partner's way to
the wake-up (hand the error over on a channel, guard it with another lock).

The report is at the wait (or the call that reaches it) in the function
that holds L; the related information shows where L is taken, the path to
the wait, the goroutine's start, where it takes L and the wake-up. Kept
narrow:

  - every wake-up of the resource must run only on goroutines started in
    the package (one that another caller may run can end the wait), and
    each must take L on some path before it;
  - the resource must be the package's own (a field of its types, a
    channel made here); a parameter's channel has wake-ups nobody can see;
  - a waiter that wakes the resource itself, two read locks, a lock taken
    only for some argument values, and a select are left out;
  - when every wake-up needs L on every path it is ctxcancel's
    wait-holding-lock, reported there and not here.

Suppress: //kafkalint:ignore partner-needs-lock <reason>.`,
	},
}
