package lockorder

import "github.com/kafkalint/kafkalint/internal/report"

const doc = `report lock-order cycles, double locks, recursive read locks and locks leaked on a return path

lockorder orders locks by class (the type and field a mutex lives in, or a
package variable) and finds: cycles of two or more classes taken in
opposite orders by different code paths (across packages: reported in the
package that closes the cycle); a lock instance locked again while held,
through any depth of calls; an RLock of an instance already read-held when
the class has writers; and a lock released on some return paths but not on
others. It is silent on locks taken one after another, hand-over-hand over
instances of one type, goroutines started under a lock, TryLock, cycles
serialized by a common gate lock, and unlock in deferred closures.

See docs/lockorder.md.`

var checks = []report.Check{
	{
		Name:  CheckCycle,
		Title: "two locks taken in opposite orders (lock-order inversion)",
		Doc: `One code path acquires lock class B while holding A; another acquires A
while holding B. When two goroutines run them at once, each holds the lock
the other waits for: both hang forever (the classic Kafka consumer shape:
poll takes the client lock then the coordinator lock, the heartbeat
goroutine takes them the other way round).

The report is placed at the acquisition in this package that closes the
cycle; the related information lists, for every edge, where the first lock
was taken and the call chain down to the second. Of the cycles through the
same edges the most direct is reported: the fewest locks first, then the
fewest read locks, then the most edges of this package; an edge is in at
most one report (one wrong edge can close many cycles). When several
paths take an edge's two locks, the chain shown for it is one that shares
no lock with the other edges' chains (a shared lock would keep the two
apart), the first found only when it is one of those. A read lock note
names every lock that is read-held on both sides.

Fix: pick one global order for the locks and follow it everywhere, or drop
the first lock before calling into code that takes the second (copy what
you need under the lock, release, then call).

Not reported: locks taken one after another, two instances of one type
(hand-over-hand), a goroutine started while holding a lock, TryLock, and
cycles where two of the paths are taken under one common "gate" lock
(held at both edges, or by every caller of an unexported function, or on
entry to a function that releases it without taking it): those two never
run at once, so the cycle cannot close; likewise when every combination of
the edges' paths shares such a lock (a → b under g on one path and under
h on another, b → a under both). A cycle of two locks where one
path takes A again while still holding it (A, then B, then A, on one call
chain) is one goroutine, not two: it is reported as double-lock (or
recursive-rlock). A cycle of read locks is
reported only when the class also has writers. A cycle made only of
decorators that hold their own lock while calling the object they wrap
(s.ws.Sync() under s.mu) is not reported: it needs an object that wraps
itself. A cycle that mixes edges of _test.go code with edges of the code
under test is not reported (tests take internal locks out of order on
purpose, without running the other path); cycles wholly in tests are,
unless their edges are only reached from different tests, which run one
at a time (t.Parallel tests count as running together).

Goroutine confinement: an event loop started once per object (go c.loop()
on the object its constructor just allocated, outside any loop) runs the
functions that only it reaches on that object's one goroutine; other
entry points hand work to it over a channel. Two edges of a cycle that
only such a loop takes, meeting at a lock of the loop's own object, would
need two loops of one object: the cycle is not reported. Which goroutine
roots reach a function is worked out per package: go statements, exported
functions and methods, init, and functions handed out as values (anyone
may call those, on any goroutine). A method of an unexported type whose
values never leave the package (no exported signature, variable or field
holds one, no conversion to an interface other than the package's own
unexported ones, no call of another package's code receives one) is no
entry even when its name is exported or an interface names it: its
callers are its calls and the package's interface calls of its name.

Across packages: a cycle of an internal package (one only its own module
can import) whose locks are all objects' (fields, not package variables)
and whose every edge is taken only in functions reached through the
package's exported functions and methods (it starts no goroutine that
reaches them) is left to the importers, as a package fact, as
recursive-rlock's reads are: an importer that calls an entry of every
path, each call on one object's event loop on a value that object holds
in a field, drops it; an importer that calls every path, some of them
from anywhere else, reports it once, at that call, with the internal
package's chains; an importer that calls only some of the paths leaves it
alone. Calls from tests that run alone do not count. A package that is
not internal reports it itself; an internal package analysed without its
importers does not.

Sequential calls: two orders taken one after the other on one goroutine
(f() then g(), f taking A then B, g taking B then A) deadlock only when
two goroutines run them at once, and the function that calls them can be
one of two: an exported Do() calling f() then g(), run by two goroutines,
can have one in f and the other in g. So the cycle is left out only when
every goroutine that reaches a function taking one of its edges is main,
the package initializer (func init), or a test that runs alone (no
t.Parallel); a goroutine any of them starts is a goroutine of its own and
keeps the report.

Orders separated by a join: a Close that waits for a goroutine to exit
(wg.Wait() for its deferred wg.Done(), <-done for its deferred
close(done), with no other wake-up) and then takes the locks that
goroutine takes in the other order does not run at once with it. When one
edge of a cycle is taken only on that goroutine and every path of another
comes after such a join (on every path to it), the cycle is not reported.
The deferred wake-up may be in a function the goroutine calls once,
outside any loop (recv calling recvLoop, which defers close(done)): then
the edge must be taken only inside that call, not after it returns.
Functions kept in an unexported package variable that is only loaded to
call an element (a handler table: handlers[t](s, hdr)) are called there,
so they run on that caller's goroutine.

sync.Once: Do holds the Once's own mutex while its function runs, and a
second Do of the same Once waits until that function returns. So
once.Do(f) is a lock of the Once (its field's class) held around f: a Do
called while holding A, and an f that takes A, run by two goroutines at
the first Do, deadlock (quic-go #4266: Transport.close held t.mutex
around server.close's closeOnce.Do, whose function, run first by
Listener.Close, called back into t.mutex). The Once is held only inside
that call: the fields f writes are not taken to be guarded by it.

Each chain starts at an entry point: when the function where the two
locks meet is unexported and called only in its package, the chain
begins at the nearest exported function, goroutine or test above it. A
func literal is named by where it is written ("func literal in produce
(producer.go:12)"), a goroutine started from one by its go statement.

Suppress: //kafkalint:ignore lock-cycle <reason> on the reported line.`,
	},
	{
		Name:  CheckDouble,
		Title: "a lock instance acquired again while already held",
		Doc: `The same mutex instance (the same field of the same value) is locked again
while this goroutine holds it, directly or through calls. sync.Mutex and
sync.RWMutex are not reentrant: the goroutine waits for itself forever.

Fix: do not re-lock; split the callee into a variant that expects the lock
held (conventionally named fooLocked) and call that.

Only must-alias instances count: locking another value of the same type is
not reported here, with one exception: a call chain that holds A, takes B,
then takes a lock of A's class again (the two-lock cycle A → B → A on one
goroutine) is reported here, not as a lock-cycle, with the lock taken in
between; if the two A are in fact different values, this goroutine
deadlocks with another one holding the second A and waiting for B instead.
Several re-acquisitions under one held lock are one report, at the first,
listing the others.

A pointer field set once, when its object is built, and never assigned
after is the lock it points to: w := newWrapper(&s.mu) (newWrapper stores
its parameter in the result's field m, in this package or another) makes
w.m the instance s.mu, and c := &conn{mu: &p.mu} makes c.mu the instance
p.mu, so w.lock(); s.mu.Lock() is a double lock. Not when the field is
stored twice, assigned by some function of the package on an object it
did not allocate, or given one of several mutexes (m := &a.mu; if x { m =
&b.mu }).

Two shapes of it are found without a second Lock call in the code:

- Recursion: a function that takes the lock on every run (the Lock is on
  every path to its returns) and calls itself on the same instance while
  holding it (mu.Lock(); defer mu.Unlock(); ...; t.walk(d-1)). Recursing
  on another node (t.child.walk()), locking only at the top (if depth ==
  0 { mu.Lock() }) or passing a lock flag down is not reported.
- A loop iteration that goes on to the next one holding the lock (a
  continue before the Unlock): the next iteration's Lock waits for it.
  Reported when the held path starts at that same Lock call and nothing on
  the way releases the lock on some paths only (if locked { mu.Unlock() }).
  Not reported in a func literal started as a goroutine that locks a
  variable it captured, when the function that starts it unlocks that
  variable: the release is handed to the starter (the standard library's
  TestRLocker).

A release through a stored closure counts wherever that closure is called,
a deferred closure included (unlock := func() { mu.Unlock() }; defer
func() { unlock() }()).

Suppress: //kafkalint:ignore double-lock <reason>.`,
	},
	{
		Name:  CheckRecursive,
		Title: "RLock of an instance this goroutine already read-holds, with writers",
		Doc: `A goroutine read-locks an RWMutex it already read-holds. If another
goroutine calls Lock between the two RLocks, Go's RWMutex blocks the second
RLock behind the waiting writer, and the writer waits for the first RLock:
deadlock. Reported only when the lock class is write-locked somewhere; in
_test.go code, only when a writer is reachable from the tests that run the
read locks (their calls and the goroutines they start). Not reported when
the read locks run only on one object's event loop (see lock-cycle's
goroutine confinement), the lock is that object's, and every writer of
the class runs only on that loop too: no writer can be waiting in
between.

Across packages: for an object's lock (a field; a package variable's lock
is shared by every importer's objects) in an internal package (one only
its own module can import) whose read locks and writers are reached only
through its exported functions and methods (it starts no goroutine that
reaches them), the report is left to the importers, as a package fact: an
importer whose every call of those entries runs on one object's event
loop, on a value that object holds in a field (pulsar's partition producer
driving its internal batch builder), drops it; an importer that calls a
reading entry from anywhere else reports it, once, at that call, with the
internal package's chains. Calls from tests that run alone (no t.Parallel)
do not count. A package that is not internal reports it itself, as any
importer may call it from any goroutine; an internal package analysed
without its importers does not report it. A //kafkalint:ignore where the
read lock is found still suppresses it there (nothing is left to the
importers).

Fix: take the read lock once and pass the locked state down (a *Locked
variant of the callee).

Suppress: //kafkalint:ignore recursive-rlock <reason>.`,
	},
	{
		Name:  CheckLeak,
		Title: "a lock released on some return paths but not on others",
		Doc: `A function locks a mutex and releases it before some of its returns but
not before others, typically an early "if err != nil { return err }"
between Lock and Unlock. After that return the lock stays held and the next
Lock blocks forever.

Fix: defer the unlock right after locking, or unlock on every return.

Functions that return holding a lock on every path are lock wrappers and
are not reported, nor are conditional-acquire functions that tell the
caller in a result (true/false, nil/non-nil error) whether the lock is held.

A function with one return leaks the same way when a path holding the lock
(a break out of a loop, an early exit) joins the paths that unlocked it
before that return. Reported when the held path starts at this function's
own Lock, the function unlocks it elsewhere, nothing on the way releases it
on some paths only, no closure made here that unlocks it is handed on (to a
callback or goroutine that releases it), and no result tells the caller (a
bool that differs, the lock's address, a nil error on the held path).

Release handed away: a closure (or method value) that unlocks, passed to a
call or started as a goroutine, releases the lock there (whoever runs it
unlocks). A return before that point that still holds the lock, typically
the early error return of a function that hands the unlock to its commit
callback on success, leaks it; the report says where the unlock was handed
on.

A loop body of a range-over-func loop (for x := range seq) that takes a
lock and returns from the function still holding it, while the iteration
that goes on unlocks it, leaks it the same way (a break out of the loop is
not reported: the function may unlock after the loop).

Acquire on success, dropped: a function holding a lock at every return
with a nil error, and at none with an error, hands the lock to its caller
on success. A caller that drops that error (the call's error is never
read) and never unlocks the lock is reported at the call: it still holds
the lock when it returns.

A switch over a closed enum that has a case for every value cannot leave
through its default: a return after it is not reached (switch t { case
kA, kB: ...; return; case kC: ...; return }; return). Closed: an
unexported integer type of the package whose values are its constants
and its zero value (no conversion to it, no arithmetic on it, no exported
function, variable or field that another package could pass a value
through).

Suppress: //kafkalint:ignore lock-leak <reason>.`,
	},
}
