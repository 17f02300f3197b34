// Package entryheld: functions called with a lock held that drop and retake
// it are not leaking it; acquire-on-success functions hand the lock to the
// value they return.
package entryheld

import (
	"errors"
	"sync"
	"time"
)

type Node struct {
	sync.RWMutex
	closed          bool
	commit, applied int
}

// isCurrent is called with n held; it drops the lock while it sleeps.
func (n *Node) isCurrent() bool {
	if n.closed {
		return false
	}
	for i := 0; i < 10; i++ {
		n.Unlock()
		time.Sleep(time.Millisecond)
		n.Lock()
		if n.closed {
			return false
		}
	}
	return n.commit == n.applied
}

func (n *Node) Current() bool {
	n.Lock()
	defer n.Unlock()
	return n.isCurrent()
}

// compact is called with n held and releases it around slow work.
func (n *Node) compact(fast bool) error {
	if fast {
		return nil
	}
	n.Unlock()
	defer n.Lock()
	time.Sleep(time.Millisecond)
	return errors.New("slow")
}

type DB struct {
	rw       sync.Mutex
	meta     sync.Mutex
	readOnly bool
	open     bool
	rwtx     *Tx
}

type Tx struct {
	db       *DB
	writable bool
}

func (tx *Tx) init(db *DB) { tx.db = db }

// Begin returns holding db.rw on success; the Tx releases it.
func (db *DB) Begin() (*Tx, error) {
	if db.readOnly {
		return nil, errors.New("read-only")
	}
	db.rw.Lock()
	db.meta.Lock()
	defer db.meta.Unlock()
	if !db.open {
		db.rw.Unlock()
		return nil, errors.New("closed")
	}
	t := &Tx{writable: true}
	t.init(db)
	db.rwtx = t
	return t, nil
}

func (tx *Tx) Commit() { tx.db.rw.Unlock() }

// Leaky returns holding db.rw with an error: a real leak.
func (db *DB) Leaky() error {
	db.rw.Lock() // want `db.rw is locked here and still held when \(\*entryheld.DB\).Leaky returns`
	if !db.open {
		return errors.New("closed")
	}
	db.rw.Unlock()
	return nil
}
