package waitlock

import "github.com/kafkalint/kafkalint/internal/report"

const doc = `report waits under a lock whose partner may need that lock

waitlock finds a goroutine that waits (a channel receive or unbuffered
send, WaitGroup.Wait, Cond.Wait on another lock, <-ctx.Done()) while it
holds a lock, where the goroutine that would end the wait may take that
lock first, on some path: an error path, a later loop iteration, a
callee (partner-needs-lock); and waits under a lock that only the close
path (Close, Stop, Shutdown) can end, where that path may take the lock
before it cancels or closes anything (shutdown-needs-lock).

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
	{
		Name:  CheckShutdown,
		Title: "a wait under a lock that only the close path ends, where the close path may take that lock first",
		Doc: `A function holds lock L while it waits for something (a channel receive or
unbuffered send, WaitGroup.Wait, Cond.Wait on another lock, <-ctx.Done()),
and the only code in the package that can end that wait is on the close
path: every wake-up is reached only from functions named like Close, Stop,
Shutdown, Cancel or Terminate (or goroutines they start). The close path
may take L first, directly, in a function it calls (leaving a group,
flushing state) or in its caller on the way down, and cancels or closes
nothing before that. Once the waiter waits, Close blocks on L, and the
waiter waits for Close: shutdown hangs, and so does every later caller
of L.

The shape of a consumer group whose consume loop holds the group lock
across the session:

    func (c *group) Consume() {
        c.lock.Lock()
        defer c.lock.Unlock()
        c.sess = c.newSession()      // context.WithCancel(context.Background())
        <-c.sess.ctx.Done()          // reported
    }
    func (c *group) Close() {
        c.leave()                    // takes c.lock
        c.sess.cancel()
    }

Fix: in Close, cancel the session (close the stop channel) before taking
L, or do not hold L across the wait.

The report is at the wait (or the call that reaches it) in the function
holding L; the related information shows where L is taken and the wait,
then the close path: where it takes L and the wake-up. Kept narrow:

  - every wake-up of the resource must be on the close path, and each may
    take L before it; a wake-up anywhere else (a watchdog goroutine, a
    Flush method) can end the wait, and the report is dropped;
  - a context the wait is on must be made by WithCancel from
    context.Background() or context.TODO(): a deadline, or a parent
    context the caller owns, can end the wait without the close path;
  - the resource must be the package's own (a field of its types, a
    channel made here), the waiter must not wake it itself and must not be
    on the close path itself, and a select is left out;
  - when the close path holds L at the wake-up on every path, it is
    ctxcancel's wait-holding-lock, reported there and not here.

Suppress: //kafkalint:ignore shutdown-needs-lock <reason>.`,
	},
}
