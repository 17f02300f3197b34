package batch // want package:"deferred recursive-rlock batch.keyed.l: readers ..batch.keyed..Flush; writers ..batch.keyed..Add"

// batch is a batch builder whose Flush read-locks its batches
// twice (Flush, then reset) and whose Add write-locks them, as pulsar's
// internal key-based batch builder does (pulsar-client-go v0.19.0
// internal/key_based_batch_builder.go:214). It starts no goroutine and is
// internal: whether a writer can come between the two read locks is up to
// the importers that call it, so it leaves the report to them.

import "sync"

type Builder interface {
	Add(k string)
	Flush() []string
}

type keyed struct {
	l *sync.RWMutex
	m map[string]int
}

func New() Builder { return &keyed{l: &sync.RWMutex{}, m: map[string]int{}} }

func (b *keyed) Add(k string) {
	b.l.Lock()
	b.m[k]++
	b.l.Unlock()
}

func (b *keyed) Flush() []string {
	b.l.RLock()
	defer b.l.RUnlock()
	var out []string
	for k := range b.m {
		out = append(out, k)
	}
	b.reset()
	return out
}

func (b *keyed) reset() {
	b.l.RLock()
	defer b.l.RUnlock()
	clear(b.m)
}

// Quiet's recursive read lock is suppressed where it is found: the
// suppression holds there (and counts as used), and nothing is left to
// the importers.
type Quiet struct {
	mu sync.RWMutex
	n  int
}

func (q *Quiet) Set(n int) {
	q.mu.Lock()
	q.n = n
	q.mu.Unlock()
}

func (q *Quiet) Get() int {
	q.mu.RLock()
	defer q.mu.RUnlock()
	//kafkalint:ignore recursive-rlock callers serialize Get and Set (test)
	return q.n + q.get()
}

func (q *Quiet) get() int {
	q.mu.RLock()
	defer q.mu.RUnlock()
	return q.n
}

// A package variable's lock is shared by every importer's objects: one
// producer's loop can read-hold it while another's Register waits to
// write. Reported here, whoever calls it.
var (
	tableMu sync.RWMutex
	table   = map[string]int{}
)

func Register(k string) {
	tableMu.Lock()
	table[k]++
	tableMu.Unlock()
}

func Lookup(k string) int {
	tableMu.RLock()
	defer tableMu.RUnlock()
	return table[k] + count() // want `recursive-rlock|tableMu is read-locked again`
}

func count() int {
	tableMu.RLock()
	defer tableMu.RUnlock()
	return len(table)
}
