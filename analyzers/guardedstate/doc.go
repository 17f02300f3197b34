package guardedstate

import "github.com/kafkalint/kafkalint/internal/report"

const doc = `report shared state accessed without the lock that guards it

guardedstate infers which lock guards each struct field (and package
variable) from where the lock is held at its accesses — counting locks
callers hold on entry — or reads it from gVisor checklocks annotations
(// +checklocks:mu), and reports: an access without its guard that races
with a guarded access in another function; a write under only a read lock
(map and slice element writes and delete included); a value read in one
critical section and written back in a later one (check-then-act); and a
*Locked helper called without the lock its other callers hold.

See docs/guardedstate.md.`

var checks = []report.Check{
	{
		Name:  CheckUnguarded,
		Title: "a field is accessed without the lock that guards it elsewhere",
		Doc: `A field (or package variable) is read or written on a path that does not
hold the lock held at most of its other accesses, while another function
accesses it with the lock held and one of the two writes it. The two can
run at once: a reader sees a half-made update, or a write is lost. When
several fields are written together (a fetch session's id and epoch), a
reader in between pairs the new one with the old other — the
kafka-python fetch-session desync (dpkp/kafka-python#2575): the response
handler moved the session forward without the lock the request builder
held, and the broker answered INVALID_FETCH_SESSION_EPOCH.

By default this is reported for fields whose guard is annotated
(+checklocks), and for inferred guards when the race is shown: the access
runs only on a goroutine the package starts itself (a go statement's
function or closure, never called directly; a closure handed to
time.AfterFunc), no lock at all is held on that goroutine's way to it,
another goroutine writes the field with the guard held, the access's own
goroutine writes it under the guard nowhere, and the guard is held at
three accesses or more. The report then names the goroutine's start.
Every other access missing an inferred guard (in exported methods and
the helpers they call, whose callers may keep them apart by a protocol
the model cannot see) is reported only with -guardedstate.inferred (off
by default: on real code most of those reports were false). Accesses inside a function
whose name or doc comment says its callers hold the lock (fooLocked,
lockedFoo, UnsafeFoo as in etcd, fooUnsafe, "Lock should be held." as
in nats-server) are the callers' to guard, except in closures it starts.

    func (f *fetcher) handle(resp *response) {
        f.sess.id = resp.sessionID   // reported: without f.mu
        f.sess.epoch = 1
    }
    func (f *fetcher) build() request {
        f.mu.Lock(); defer f.mu.Unlock()
        return request{id: f.sess.id, epoch: f.sess.epoch}
    }

The guard is the lock held at the most of the field's accesses, when that
is at least half of them and at least three, as a path from the accessed
object (another object's lock of the same type guards nothing here), or
the lock a +checklocks:mu annotation names (then every access without it
is reported). The report names the field, the guard, the evidence (held
at N of M accesses) and up to three guarded accesses.

In franz-go v1.20.1, recBuf.lockedMaybeLinger handed time.AfterFunc a
closure reading recBuf.sink without recBuf.mu, while the metadata goroutine
moves the buffer to another sink under that lock (migrateProductionTo);
v1.20.2 runs a method that takes the lock. It is reported by default: the
closure runs only on the timer's goroutine.

Fix: hold the lock at this access too, or copy what you need under the
lock.

Not reported: accesses in constructors before the object is published
(escape-aware), accesses to what a constructor of the package (newFoo,
NewFoo, one that starts no goroutine) just returned, accesses to the
receiver of an initializer method (init, Init, initialize),
writes before the function starts its goroutines (go statements,
errgroup-style Go methods, time.AfterFunc), also by helpers it calls
only before then, callbacks a function of the package runs under its
lock, right there or in a closure it returns (withLock(func),
nats-server's wrapChk), objects
sync.Pool.Get just returned, accesses in the methods of a type handed
out holding its owner's lock (a read transaction that holds the
database's lock until Rollback), fields never written
after that (read-only after init), writes inside sync.Once.Do, fields accessed through sync/atomic or of atomic types,
channels, WaitGroups, Conds and locks themselves, a function's unlocked
reads of a field it writes itself under the lock (its own writes), reads
on the only goroutine that writes it (go statements, fork-join, functions
handed to a loop over a channel) or after a receive from a channel that
goroutine closes on exit, accesses after a join (a channel receive or a
WaitGroup Wait, here or in a function called first) of every goroutine
this package starts that touches the field, accesses through an object
the function made and shared only with goroutines it joined before (a
local WaitGroup's Wait: go-redis's processPipeline reads failedCmds
after wg.Wait()), accesses in goroutines whose starter holds the guard
from the go statement until it has waited for them (go-redis's
sentinelFailover.MasterAddr under c.mu), accesses under another lock
(or in functions whose every caller holds one, exported ones included
when every call this package makes holds it), code in _test.go files, accesses in
closures handed to code this package cannot see, and anything under
+checklocksignore.

Suppress: //kafkalint:ignore unguarded-access <reason>.`,
	},
	{
		Name:  CheckRLockWrite,
		Title: "a guarded field, map or slice element is written under only a read lock",
		Doc: `A field whose guard is a sync.RWMutex is written while only its read lock is
held: RLock is shared, so another reader can write at the same moment. For
a map (m[k] = v, delete(m, k)) two such writers crash the program
("concurrent map writes"); for a field or slice element one write is lost.
gVisor checklocks counts map and slice element writes as reads and misses
this.

    c.mu.RLock()
    c.cache[k] = v // reported: only c.mu's read lock is held
    c.mu.RUnlock()

Fix: take the write lock (Lock) for the write, or move the write out of
the read-locked section.

Not reported: writes made while another lock is held for writing (it
keeps the writers apart), fields every access of which runs on one
goroutine this package starts, and writes in the only function writing
under the read lock when its doc comment says its calls never overlap
("externally synchronized", "no concurrent calls", as pebble's
recordQueue.push).

Suppress: //kafkalint:ignore write-under-rlock <reason>.`,
	},
	{
		Name:  CheckStaleRead,
		Title: "a field is written from a value read in an earlier critical section (check-then-act)",
		Doc: `A field is read with its lock held, the lock is released, and later,
after locking again, the field is written from a value computed from that
old read. Every access holds the lock, yet another goroutine's update
between the two sections is lost (a lost update, which the race detector
does not see).

    c.mu.Lock()
    n := c.count
    c.mu.Unlock()
    ...
    c.mu.Lock()
    c.count = n + 1 // reported: c.count may have changed since line 2
    c.mu.Unlock()

Fix: read the field again in the second section, or do the read and the
write in one section. Not reported when the field is read again in the
section that writes it (the value is re-checked).

Suppress: //kafkalint:ignore stale-read <reason>.`,
	},
	{
		Name:  CheckHelper,
		Title: "a helper that needs a lock held is called without it",
		Doc: `A function expects its caller to hold a lock — it is annotated
+checklocks:s.mu, or at least two of its calls and most of them hold the
lock and its name says so (fooLocked, lockedFoo) — and this call does not
hold it. The report is at the call, not inside the helper,
since the helper is right for every other caller.

    func (b *buf) stopLingerLocked() { b.timer = nil } // callers hold b.mu
    ...
    b.stopLingerLocked() // reported: b.mu is not held here

Fix: lock around the call, or call the locking variant.

Not reported: calls on an object not yet published (a constructor), calls
in init and in sync.Once.Do, calls in a goroutine that was handed the lock
(it unlocks it without locking it), calls that pass true for a
needLock-style parameter (the helper locks itself), locks other than the
helper's own object's (a fooLocked method means its receiver's lock, not
the lock of an object it reaches), calls inside a function whose own name
or doc says its callers hold the lock (a fooLocked helper calling another;
centrifuge's unregisterLocked, "Called under c.mu"), and helpers whose
name does not say they need the lock (their accesses are checked as
accesses instead).

Suppress: //kafkalint:ignore helper-without-lock <reason>.`,
	},
}
