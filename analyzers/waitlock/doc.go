package waitlock

import "github.com/kafkalint/kafkalint/internal/report"

const doc = `report waits under a lock whose partner may need that lock

waitlock finds a goroutine that waits (a channel receive or unbuffered
send, WaitGroup.Wait, Cond.Wait on another lock, <-ctx.Done()) while it
holds a lock, where the goroutine that would end the wait may take that
lock first, on some path: an error path, a later loop iteration, a
callee (partner-needs-lock); and waits under a lock that only the close
path (Close, Stop, Shutdown) can end, where that path may take the lock
before it cancels or closes anything (shutdown-needs-lock); and a lock
held across an operation with no bound (a network read or write without
a deadline, time.Sleep, a channel receive, a Kafka poll) while a periodic
goroutine needs it on every tick (heartbeat-starvation).

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
	{
		Name:  CheckStarve,
		Title: "a lock held across an operation with no bound, which a periodic goroutine (heartbeat, keepalive) needs on every tick",
		Doc: `A function holds lock L across an operation that can block for as long as
the other side pleases: a Read or Write on a net.Conn (or io.ReadFull on
one, or a read or Flush of a bufio.Reader or Writer made over one, held
in a local or in a field only such are stored in) with no deadline set
before it, time.Sleep, a receive from a channel,
a Kafka client's poll (franz-go PollFetches, kafka-go ReadMessage, ...) —
directly, in a function of the package it calls, or in an exported
function of another package that makes one without a deadline (a fact
that package's analysis leaves: a read, a write, a sleep or a poll, not
a channel receive). Meanwhile a goroutine
the package starts runs a loop on a timer (a Ticker, time.After,
time.Sleep) and takes L on its way round. While the operation blocks,
the loop waits for L: heartbeats, keepalives and session refreshes stop,
and the broker or peer drops the member, which is the poll/heartbeat hang
of kafka-python's consumer:

    func (c *client) Fetch(buf []byte) (int, error) {
        c.mu.Lock()
        defer c.mu.Unlock()
        return c.conn.Read(buf)      // reported: no deadline
    }
    func (c *client) heartbeatLoop() {
        for range t.C {
            c.mu.Lock()              // waits for the read
            ...

Fix: set a deadline on the connection before the read or write
(SetDeadline, SetReadDeadline), poll with a context that has one, or do
not hold L across the operation (a separate lock for the connection).

The report is at the operation (or the call that reaches it) in the
function holding L; the related information shows where L is taken, the
path to the operation, and the periodic goroutine: its start, its timer
and where it takes L. Kept narrow:

  - the lock must be held on every path to the operation, and the
    periodic loop must take it after its tick (in a select, in the
    timer's case), directly or at most 4 calls down;
  - the loop must look like a liveness signal to a peer: a heartbeat,
    keepalive, ping or lease renewal by its name or a name it calls, or
    a write on a connection after the tick (a cache refresh that runs
    late is no hang);
  - a deadline set on the same connection before the operation, in the
    function or in its caller on the way, bounds it: not reported; a
    poll whose context comes from WithTimeout or WithDeadline neither;
  - a write under a lock the periodic loop takes to write on the same
    connection is not reported: the lock serialises that connection's
    writers, and the heartbeat's write would wait for the blocked write
    anyway;
  - the heartbeat's own requests (code only the periodic goroutine runs)
    and two read locks are left out;
  - a receive the wait checks already report as a wait that never ends
    (partner-needs-lock, shutdown-needs-lock) is not reported again;
    receives only from unbuffered channels kept in a field of the
    package's types (a reader goroutine's responses) that it never closes:
    a closed channel signals an event (a goroutine's exit), which the wait
    checks judge, a buffered one is often a semaphore, and a local one
    carries the results of goroutines the function started;
  - a bufio.Writer's Write is left out (it blocks only once its buffer
    is full); a bufio.Reader kept in a field that something other than
    bufio.NewReader(conn) is stored in is not a connection.

Suppress: //kafkalint:ignore heartbeat-starvation <reason>.`,
	},
}
