// Package callergate: a gate lock held by every caller of an unexported
// function (etcd's batchTxBuffered.commit; prometheus' GC closure) gates
// the edges inside it too. An exported function, or one also started as a
// goroutine, has unknown or gate-free callers: its edges are not gated.
package callergate

import "sync"

type DB struct {
	tx   sync.Mutex
	mu   sync.RWMutex
	read sync.Mutex
}

func (d *DB) commit() { // every caller holds d.tx
	d.read.Lock()
	d.mu.RLock()
	d.mu.RUnlock()
	d.read.Unlock()
}

func (d *DB) Commit() {
	d.tx.Lock()
	d.commit()
	d.tx.Unlock()
}

func (d *DB) Defrag() {
	d.tx.Lock()
	defer d.tx.Unlock()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.read.Lock()
	defer d.read.Unlock()
}

type series struct {
	sync.Mutex
	ref int
}

type stripes struct {
	gcMu  sync.Mutex
	locks []sync.RWMutex
	all   [][]*series
}

func (s *stripes) GC() {
	s.gcMu.Lock()
	defer s.gcMu.Unlock()
	check := func(i int, sr *series) {
		sr.Lock()
		defer sr.Unlock()
		if j := sr.ref % len(s.locks); j != i {
			s.locks[j].Lock()
			defer s.locks[j].Unlock()
		}
	}
	for i := range s.locks {
		s.locks[i].Lock()
		for _, sr := range s.all[i] {
			check(i, sr)
		}
		s.locks[i].Unlock()
	}
}

// Store.flush is also run as a goroutine, without the gate: not gated.
type Store struct {
	gate  sync.Mutex
	index sync.Mutex
	data  sync.Mutex
}

func (s *Store) flush() {
	s.index.Lock()
	s.data.Lock() // want `lock order inversion: callergate.Store.data is acquired here while holding callergate.Store.index`
	s.data.Unlock()
	s.index.Unlock()
}

func (s *Store) Flush() {
	s.gate.Lock()
	s.flush()
	s.gate.Unlock()
}

func (s *Store) Start() { go s.flush() }

func (s *Store) Compact() {
	s.gate.Lock()
	defer s.gate.Unlock()
	s.data.Lock()
	s.index.Lock()
	s.index.Unlock()
	s.data.Unlock()
}

// Batch.commit's callers are Commit, which takes the gate, and Unlock, which
// is entered holding it: Unlock releases a lock it never takes (etcd's
// batchTxBuffered.Unlock). Every path to commit holds tx.
type Batch struct {
	tx      sync.Mutex
	mu      sync.RWMutex
	read    sync.Mutex
	pending int
}

func (b *Batch) Lock() { b.tx.Lock() }

func (b *Batch) Unlock() {
	if b.pending > 0 {
		b.commit()
	}
	b.tx.Unlock()
}

func (b *Batch) commit() {
	b.read.Lock()
	b.mu.RLock()
	b.pending = 0
	b.mu.RUnlock()
	b.read.Unlock()
}

func (b *Batch) Commit() {
	b.tx.Lock()
	b.commit()
	b.tx.Unlock()
}

func (b *Batch) Defrag() {
	b.tx.Lock()
	defer b.tx.Unlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.read.Lock()
	defer b.read.Unlock()
}

// Log.Unlock releases the gate first and flushes after: flush runs
// without the gate on that path, so its edge is not gated.
type Log struct {
	tx   sync.Mutex
	mu   sync.RWMutex
	read sync.Mutex
}

func (l *Log) Lock() { l.tx.Lock() }

func (l *Log) Unlock() {
	l.tx.Unlock()
	l.flush()
}

func (l *Log) flush() {
	l.read.Lock()
	l.mu.RLock() // want `lock order inversion: callergate.Log.mu is acquired here while holding callergate.Log.read`
	l.mu.RUnlock()
	l.read.Unlock()
}

func (l *Log) Flush() {
	l.tx.Lock()
	l.flush()
	l.tx.Unlock()
}

func (l *Log) Defrag() {
	l.tx.Lock()
	defer l.tx.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.read.Lock()
	defer l.read.Unlock()
}

// Buffered.Unlock releases the gate through the embedded txn's Unlock (a
// call): it is still entered holding it (etcd batchTxBuffered over batchTx).
type txn struct {
	sync.Mutex
	pending int
}

func (t *txn) lock() { t.Mutex.Lock() }

func (t *txn) Unlock() { t.Mutex.Unlock() }

type Buffered struct {
	txn
	mu   sync.RWMutex
	read sync.Mutex
}

func (b *Buffered) Unlock() {
	if b.pending > 0 {
		b.commit()
	}
	b.txn.Unlock()
}

func (b *Buffered) commit() {
	b.read.Lock()
	b.mu.RLock()
	b.pending = 0
	b.mu.RUnlock()
	b.read.Unlock()
}

func (b *Buffered) Commit() {
	b.lock()
	b.commit()
	b.Unlock()
}

func (b *Buffered) Defrag() {
	b.lock()
	defer b.txn.Unlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.read.Lock()
	defer b.read.Unlock()
}
