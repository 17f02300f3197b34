// want package:`hidden\(chan:\(lib.Worker\).stopped\)`

// Package lib's functions block on, close and signal resources kept in
// fields: its facts tell callers in other packages.
package lib

import "sync"

type Session struct {
	mu     sync.Mutex
	dying  chan struct{}
	dead   chan struct{}
	errs   chan error
	wg     sync.WaitGroup
	cond   *sync.Cond
	closed bool
}

// Release closes dying, then waits for dead.
func (s *Session) Release() { // want Release:`waits\(blocks chan:\(lib.Session\).dead; closes chan:\(lib.Session\).dying\)`
	close(s.dying)
	<-s.dead
}

// Loop closes dead when it leaves, after taking s.mu on every path.
func (s *Session) Loop() { // want Loop:`waits\(.*closes chan:\(lib.Session\).dead; .*locks \(lib.Session\).mu\)`
	defer close(s.dead)
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	<-s.dying
}

// Report sends on errs through a helper of the package.
func (s *Session) Report(err error) { // want Report:`waits\(sends chan:\(lib.Session\).errs\)`
	s.send(err)
}

func (s *Session) send(err error) { // want send:`waits\(sends`
	s.errs <- err
}

// Done signals the group and the Cond.
func (s *Session) Done() { // want Done:`waits\(signals cond:\(lib.Session\).cond,wg:\(lib.Session\).wg\)`
	s.wg.Done()
	s.cond.Broadcast()
}

// Local blocks only on a channel of its own: nobody else's business, no fact.
func Local() {
	ch := make(chan int)
	go func() { ch <- 1 }()
	<-ch
}

// Worker's goroutine closes stopped: no exported function shows that
// wake-up, so callers elsewhere must not trust the facts about stopped.
type Worker struct {
	stopped chan struct{}
	once    sync.Once
}

func (w *Worker) Start() {
	w.stopped = make(chan struct{})
	go func() { w.once.Do(func() { close(w.stopped) }) }()
}

func (w *Worker) Stop() { // want Stop:`waits\(closes chan:\(lib.Worker\).stopped\)`
	w.once.Do(func() { close(w.stopped) })
}

func (w *Worker) Wait() { // want Wait:`waits\(blocks chan:\(lib.Worker\).stopped\)`
	<-w.stopped
}

// Tokens is a pool: Use takes a token and puts it back, in one call. Its
// only sends are its own waiters' (leveldb's write path, zstd's encoder
// pool have this shape).
type Tokens struct {
	ch chan struct{}
}

func (t *Tokens) Use() { // want Use:`waits\(blocks chan:\(lib.Tokens\).ch; sends chan:\(lib.Tokens\).ch\)`
	<-t.ch
	t.ch <- struct{}{}
}
