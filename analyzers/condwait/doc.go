package condwait

import "github.com/kafkalint/kafkalint/internal/report"

const doc = `report lock hand-offs to exiting goroutines and sync.Cond waits that hang

condwait finds: a goroutine that exits holding a lock (handing it to the
function that started it) and signals its exit on a channel, while that
function can lock the same mutex before receiving the signal (franz-go
v1.17.1's produce hang on cancellation); sync.Cond.Wait called without its
lock held; Cond.Wait outside a loop; and a Cond.Wait loop that the type's
close or cancel path wakes without changing anything the loop checks.

See docs/condwait.md.`

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

The goroutine can also be handed the lock (Go mutexes belong to no
goroutine): jackc/puddle v1.0.0's Acquire holds p.cond.L and turns the Wait
into a channel with go func() { p.cond.Wait(); waitChan <- struct{}{} }().
Wait releases the starter's lock and takes it again for the goroutine,
which exits holding it; the ctx.Done() case then locked p.cond.L. This
counts when every go statement that starts the goroutine holds c.L, the
goroutine neither locks nor unlocks c.L itself, and calls nothing that
releases a caller's lock. v1.1.0 first starts a goroutine that receives
from waitChan and then unlocks p.cond.L: a path that has started such a
goroutine is treated as having received the signal.

Fix: receive the exit signal before locking (<-wait, then use the lock the
goroutine left held), or do the wake-up (Lock, set quit, Unlock, Broadcast)
in a new goroutine so that this one can go on to <-wait, or start the
goroutine that receives the signal and unlocks before locking.

Reported at the Lock (or at the call that reaches it, when the Lock is in
a function of its own, not a closure of the starting function), with the
goroutine's path to its exit and the starter's path to the Lock. The
starter's paths are followed from the go statement through select cases
and calls of the package; a path stops at a receive from the signal
channel. Not reported: goroutines that release the lock before returning
(defer mu.Unlock()), paths that received the signal, other instances of the
same lock type (other.mu where the goroutine holds w.mu), locks taken in
another goroutine (one the path starts with go). A lock the goroutine
reaches through a pointer field bound at construction is the instance it
points to (h := newHolder(&w.mu); go h.hold(done) hands off w.mu), as for
double-lock.

Suppress: //kafkalint:ignore lock-handoff <reason>.`,
	},
	{
		Name:  CheckUnlocked,
		Title: "sync.Cond.Wait called without the Cond's lock held",
		Doc: `Cond.Wait unlocks c.L, waits, and locks it again. Called without c.L held,
the unlock is of an unlocked mutex: "fatal error: sync: unlock of unlocked
mutex", which recover cannot catch. The lock is known from
sync.NewCond(&x.mu) (stored in a field, or local).

Reported only when the function cannot be relying on its caller to hold the
lock: it is a goroutine (it starts with nothing held), or it locks or
unlocks that lock itself, yet holds it on no path to the Wait. A helper
such as waitLocked() that expects its caller to hold c.L is not reported.
A Cond over a lock the model cannot name (sync.NewCond(&sync.Mutex{})
locked through c.L) is treated as held.

    q.mu.Lock()
    for len(q.items) == 0 {
        q.mu.Unlock()
        q.c.Wait()          // reported
        q.mu.Lock()
    }

Fix: hold c.L around the whole wait loop; Wait releases it while waiting.

Suppress: //kafkalint:ignore cond-wait-unlocked <reason>.`,
	},
	{
		Name:  CheckNoLoop,
		Title: "sync.Cond.Wait guarded by an if instead of a loop",
		Doc: `if !ready { c.Wait() } checks the condition once. When Wait returns, the
condition may be false again: a Broadcast wakes every waiter but only one
gets the item, a Signal may be for another condition sharing the Cond, and
another goroutine may run between the wake-up and the re-lock. The code
after the Wait then runs on a false assumption (an empty queue, a closed
pool), or, in a retry, waits for a wake-up that has already happened.

    if len(q.items) == 0 {
        q.c.Wait()          // reported
    }
    return q.items[0]       // may be empty

Fix: for len(q.items) == 0 { q.c.Wait() }.

Reported only for the "if cond { Wait }" shape: a Wait on one branch of a
condition whose other branch joins the code after the Wait, and no loop
around it. A function that only waits (func (q *queue) wait() { q.c.Wait() },
its callers loop) is not reported, nor is an early return before an
unconditional Wait.

Suppress: //kafkalint:ignore cond-wait-no-loop <reason>.`,
	},
	{
		Name:  CheckShutdown,
		Title: "a Cond.Wait loop that the close or cancel path cannot end",
		Doc: `The type's close path (a function or method named Close, close…, Stop,
Shutdown, cancel…, quit…, abort…, terminate…, kill…, or a closure inside
one), or the cancel branch of a select on
ctx.Done() in the function that started the waiter, changes some state and
broadcasts the Cond, but the wait loop's condition reads none of that state.
The waiter wakes, re-checks its condition, finds it unchanged and waits
again, forever: Close returns, the waiting goroutine (often a Produce or a
Flush call) never does.

    for p.free == 0 {       // never checks p.closed
        p.c.Wait()          // reported
    }
    ...
    func (p *pool) Close() { p.mu.Lock(); p.closed = true; p.mu.Unlock(); p.c.Broadcast() }

Fix: make the loop check what the close path sets, and handle it after the
loop: for p.free == 0 && !p.closed { p.c.Wait() }.

Reads and writes are of struct fields (by type and field), local variables
shared with closures (quit in franz-go's Flush), and package variables,
including sync/atomic loads and stores and what called functions of the
package read and write (three calls deep). A cancel branch counts only for
loops started by the same function (franz-go's Flush setting its own quit
does not make produce's loop on the same Cond a bug). Not reported: a loop
whose condition calls something the package cannot see into (an interface
method, another package), a close path that writes nothing before its
Broadcast, a Cond that is not a struct field.

The other half is reported too: a close path (the names above, or
Release…) that stores a constant into a field and wakes no waiter (no
Signal or Broadcast of the Cond in it or three calls down), while every
Signal and Broadcast of the Cond in the package is skipped once the field
holds that value (an if comparing a load of the field, plain or sync/atomic,
with the constant, whose equal branch cannot reach the wake-up). A goroutine
waiting when the close path runs is never woken (ants v2.4.2's Release:
Submit calls blocked in retrieveWorker hang; v2.7.5 broadcasts in Release).
Only for a Cond in an unexported field (others cannot wake it).

    func (p *Pool) Release() {
        atomic.StoreInt32(&p.state, CLOSED)   // and no p.cond.Broadcast()
    ...
    func (p *Pool) revertWorker(w *worker) bool {
        if atomic.LoadInt32(&p.state) == CLOSED { return false }
        ...
        p.cond.Signal()

Fix: broadcast the Cond in the close path after setting the state, and
check the state in the wait loop.

Suppress: //kafkalint:ignore cond-wait-shutdown <reason>.`,
	},
}
