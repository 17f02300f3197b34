// Package helper: helpers whose callers hold the lock.
package helper

import "sync"

type producer struct {
	mu       sync.Mutex
	buffered int   // want buffered:`guarded by mu \(held at 4 of 4\)`
	batches  []int // want batches:`guarded by mu \(held at 3 of 3\)`
}

// flushLocked expects p.mu held (by its name).
func (p *producer) flushLocked() {
	p.batches = p.batches[:0]
}

func (p *producer) Flush() {
	p.mu.Lock()
	p.flushLocked()
	p.mu.Unlock()
}

func (p *producer) Close() {
	p.mu.Lock()
	p.flushLocked()
	p.mu.Unlock()
}

func (p *producer) Abort() {
	p.flushLocked() // want `\(\*helper\.producer\)\.flushLocked is called without p\.mu held; its other callers hold it \(2 of 3 calls\) and its name says`
}

// addBuffered writes p.buffered, which p.mu guards; two of three callers
// hold it. Its name does not say it needs the lock, and such helpers'
// bare callers are too often constructors or callers under a protocol of
// their own (franz-go's recBatch.recycle on a batch nothing references):
// not reported.
func (p *producer) addBuffered(n int) {
	p.buffered += n
}

func (p *producer) Produce(n int) {
	p.mu.Lock()
	p.addBuffered(n)
	p.mu.Unlock()
}

func (p *producer) Retry(n int) {
	p.mu.Lock()
	p.addBuffered(n)
	p.mu.Unlock()
}

func (p *producer) Fail(n int) {
	p.addBuffered(-n) // silent: see addBuffered
}

func (p *producer) Buffered() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buffered + len(p.batches)
}

// newProducer calls the helper on an object nobody else has yet (silent).
func newProducer() *producer {
	p := &producer{}
	p.addBuffered(0)
	p.flushLocked()
	return p
}

// resetLocked is always called with the lock (silent).
func (p *producer) resetLocked() { // want resetLocked:`holds param0.mu`
	p.buffered = 0
}

func (p *producer) Reset() {
	p.mu.Lock()
	p.resetLocked()
	p.mu.Unlock()
}

// group: uncommittedLocked's name means g.mu, held at every call; a second
// lock (join) is held at two of three calls. The bare call of the second
// is not the helper's business (franz-go's getUncommittedLocked under
// g.mu, noCommitDuringJoinAndSync at most calls): silent.
type group struct {
	mu          sync.Mutex
	join        sync.RWMutex
	uncommitted map[string]int
}

func (g *group) uncommittedLocked() int { // want uncommittedLocked:`holds param0.mu`
	return len(g.uncommitted)
}

func (g *group) Commit() int {
	g.join.RLock()
	defer g.join.RUnlock()
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.uncommittedLocked()
}

func (g *group) Revoke() int {
	g.join.RLock()
	defer g.join.RUnlock()
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.uncommittedLocked()
}

func (g *group) Committed() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.uncommittedLocked()
}

// stream.nameLocked means the stream's own lock; the locks of objects it
// reaches (its client's), held at most calls by chance, are not what its
// name asks for (nats-server's stream.nameLocked and mset.client.mu):
// silent. Its own lock, missing at one call, is reported.
type client struct{ mu sync.Mutex }

type stream struct {
	mu     sync.Mutex
	client *client
	name   string
}

func (mset *stream) nameLocked() string {
	return mset.name
}

func (mset *stream) Info() string {
	mset.client.mu.Lock()
	defer mset.client.mu.Unlock()
	mset.mu.Lock()
	defer mset.mu.Unlock()
	return mset.nameLocked()
}

func (mset *stream) Subject() string {
	mset.client.mu.Lock()
	defer mset.client.mu.Unlock()
	mset.mu.Lock()
	defer mset.mu.Unlock()
	return mset.nameLocked()
}

func (mset *stream) Name() string {
	mset.mu.Lock()
	defer mset.mu.Unlock()
	return mset.nameLocked() // silent: client.mu is not the stream's lock
}

func (mset *stream) Debug() string {
	mset.client.mu.Lock()
	defer mset.client.mu.Unlock()
	return mset.nameLocked() // want `helper-without-lock|nameLocked is called without mset\.mu held`
}

// loadLocked takes the lock itself when asked to (needLock): the call
// that passes true is not bare (nats-server's msgForSeqLocked, purgeLocked):
// silent. The one that passes false without the lock is reported.
type store struct {
	mu   sync.Mutex
	msgs map[int]string
}

func (ms *store) loadLocked(seq int, needLock bool) string {
	if needLock {
		ms.mu.Lock()
		defer ms.mu.Unlock()
	}
	return ms.msgs[seq]
}

func (ms *store) First() string {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.loadLocked(1, false)
}

func (ms *store) Last() string {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return ms.loadLocked(len(ms.msgs), false)
}

func (ms *store) Load(seq int) string {
	return ms.loadLocked(seq, true) // silent: it locks itself
}

func (ms *store) Peek(seq int) string {
	return ms.loadLocked(seq, false) // want `helper-without-lock|loadLocked is called without ms\.mu held`
}

// --- a callback a helper passes on, inside a closure of its own ---
// nats-server's runMsgScheduling holds fs.mu and hands a closure calling
// msgForSeqLocked to getScheduledMessages, which wraps it in a closure
// for ExpireTasks: when and under what that runs is not known here.

type msgStore struct {
	mu   sync.Mutex
	msgs []int
	s    *scheduler
}

type scheduler struct{ seqs []int }

func (sc *scheduler) scheduled(load func(int) int) (out []int) {
	sc.expire(func(seq int) { out = append(out, load(seq)) })
	return out
}

func (sc *scheduler) expire(f func(int)) {
	for _, s := range sc.seqs {
		f(s)
	}
}

func (st *msgStore) msgAtLocked(seq int) int {
	return st.msgs[seq]
}

func (st *msgStore) Msg(seq int) int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.msgAtLocked(seq)
}

func (st *msgStore) LastMsg() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.msgAtLocked(len(st.msgs) - 1)
}

func (st *msgStore) run() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.s.scheduled(func(seq int) int {
		return st.msgAtLocked(seq) // silent: the closure runs under whatever expire does
	})
}

func (st *msgStore) FirstMsg() int {
	return st.msgAtLocked(0) // want `helper-without-lock|msgAtLocked is called without st\.mu held`
}

// subscriber is centrifuge's client_map.go: attempt.undoLocked calls the
// subscriber's signalLocked without taking s.mu. undoLocked is itself a
// ...Locked helper, called under s.mu — once through another name of the
// lock (subscribe holds s.mu and calls reserve on an attempt whose a.s is
// s, which the model cannot see): the obligation is undoLocked's
// callers', so the call is silent.
type subscriber struct {
	mu sync.Mutex
	ch chan struct{}
}

func (s *subscriber) signalLocked() {
	if s.ch != nil {
		close(s.ch)
		s.ch = nil
	}
}

func (s *subscriber) a() {
	s.mu.Lock()
	s.signalLocked()
	s.mu.Unlock()
}

func (s *subscriber) b() {
	s.mu.Lock()
	s.signalLocked()
	s.mu.Unlock()
}

func (s *subscriber) c() {
	s.mu.Lock()
	s.signalLocked()
	s.mu.Unlock()
}

type attempt struct{ s *subscriber }

// undoLocked undoes the attempt. Called under s.mu.
func (a *attempt) undoLocked() { a.s.signalLocked() }

// reserve is called under s.mu.
func (a *attempt) reserve() { a.undoLocked() }

func (s *subscriber) subscribe(at *attempt) {
	s.mu.Lock()
	at.reserve()
	s.mu.Unlock()
}

func (a *attempt) finish() {
	a.s.mu.Lock()
	a.undoLocked()
	a.s.mu.Unlock()
}

// abandon makes the same call, and neither its name nor its doc asks its
// callers for anything: reported.
func (a *attempt) abandon() {
	a.s.signalLocked() // want `signalLocked is called without a\.s\.mu held`
}
