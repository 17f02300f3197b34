package shutdown

import (
	"context"
	"sync"
	"time"
)

// The sarama-style shape: a consume loop holds the group lock across a
// wait on the session context; only Close cancels the session, and Close
// first leaves the group, which takes the lock.
type group struct {
	lock   sync.Mutex
	sess   *session
	member string
}

type session struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (c *group) newSession() *session {
	ctx, cancel := context.WithCancel(context.Background())
	return &session{ctx: ctx, cancel: cancel}
}

func (c *group) Consume() {
	c.lock.Lock()
	defer c.lock.Unlock()
	c.sess = c.newSession()
	<-c.sess.ctx.Done() // want `only the close path ends: Close .*in leave`
}

func (c *group) leave() {
	c.lock.Lock()
	c.member = ""
	c.lock.Unlock()
}

func (c *group) Close() {
	c.leave()
	c.sess.cancel()
}

// Negative: Close cancels before it takes the lock.
type sessionCF struct {
	ctx    context.Context
	cancel context.CancelFunc
}

type groupCancelFirst struct {
	lock   sync.Mutex
	sess   *sessionCF
	member string
}

func (c *groupCancelFirst) Consume() {
	c.lock.Lock()
	defer c.lock.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	c.sess = &sessionCF{ctx: ctx, cancel: cancel}
	<-c.sess.ctx.Done()
}

func (c *groupCancelFirst) leave() {
	c.lock.Lock()
	c.member = ""
	c.lock.Unlock()
}

func (c *groupCancelFirst) Close() {
	c.sess.cancel()
	c.leave()
}

// Negative: the session context is the caller's: cancelling it ends the
// wait without the lock.
type sessionCC struct {
	ctx    context.Context
	cancel context.CancelFunc
}

type groupCallerCtx struct {
	lock   sync.Mutex
	sess   *sessionCC
	member string
}

func (c *groupCallerCtx) Consume(ctx context.Context) {
	c.lock.Lock()
	defer c.lock.Unlock()
	ctx, cancel := context.WithCancel(ctx)
	c.sess = &sessionCC{ctx: ctx, cancel: cancel}
	<-c.sess.ctx.Done()
}

func (c *groupCallerCtx) leave() {
	c.lock.Lock()
	c.member = ""
	c.lock.Unlock()
}

func (c *groupCallerCtx) Close() {
	c.leave()
	c.sess.cancel()
}

// A channel only Stop closes; Stop's caller-side lock is in a helper.
type loop struct {
	mu   sync.Mutex
	stop chan struct{}
	n    int
}

func newLoop() *loop { return &loop{stop: make(chan struct{})} }

func (l *loop) Run() {
	l.mu.Lock()
	defer l.mu.Unlock()
	<-l.stop // want `Stop does close\(l.stop\), but may first take l.mu \(in reset`
}

func (l *loop) reset() {
	l.mu.Lock()
	l.n = 0
	l.mu.Unlock()
}

func (l *loop) Stop() {
	l.reset()
	l.finish()
}

// finish has one caller, Stop, which takes the lock (in reset) before it
// calls finish.
func (l *loop) finish() { close(l.stop) }

// Negative: the lock is released before the wait.
type loopReleased struct {
	mu   sync.Mutex
	stop chan struct{}
	n    int
}

func newLoopReleased() *loopReleased { return &loopReleased{stop: make(chan struct{})} }

func (l *loopReleased) Run() {
	l.mu.Lock()
	l.n++
	l.mu.Unlock()
	<-l.stop
}

func (l *loopReleased) reset() {
	l.mu.Lock()
	l.n = 0
	l.mu.Unlock()
}

func (l *loopReleased) Stop() {
	l.reset()
	close(l.stop)
}

// Negative: a watchdog goroutine also closes the channel, without the lock.
type loopWatchdog struct {
	mu   sync.Mutex
	stop chan struct{}
	once sync.Once
	n    int
}

func newLoopWatchdog() *loopWatchdog {
	l := &loopWatchdog{stop: make(chan struct{})}
	go l.watchdog()
	return l
}

func (l *loopWatchdog) watchdog() {
	time.Sleep(time.Minute)
	l.once.Do(func() { close(l.stop) })
}

func (l *loopWatchdog) Run() {
	l.mu.Lock()
	defer l.mu.Unlock()
	<-l.stop
}

func (l *loopWatchdog) reset() {
	l.mu.Lock()
	l.n = 0
	l.mu.Unlock()
}

func (l *loopWatchdog) Stop() {
	l.reset()
	l.once.Do(func() { close(l.stop) })
}

// Negative: Flush, not a close path, can also end the wait.
type loopFlush struct {
	mu   sync.Mutex
	stop chan struct{}
	n    int
}

func newLoopFlush() *loopFlush { return &loopFlush{stop: make(chan struct{}, 1)} }

func (l *loopFlush) Run() {
	l.mu.Lock()
	defer l.mu.Unlock()
	<-l.stop
}

func (l *loopFlush) reset() {
	l.mu.Lock()
	l.n = 0
	l.mu.Unlock()
}

func (l *loopFlush) Stop() {
	l.reset()
	l.stop <- struct{}{}
}

func (l *loopFlush) Flush() { l.stop <- struct{}{} }

// A WaitGroup whose Done only Shutdown calls, after a helper takes the
// lock.
type pool struct {
	mu sync.Mutex
	wg sync.WaitGroup
	up bool
}

func (p *pool) Start() { p.wg.Add(1) }

func (p *pool) Drain() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.wg.Wait() // want `Drain holds p.mu while it waits for p.wg, .*Shutdown does p.wg.Done`
}

func (p *pool) Shutdown() {
	p.setDown()
	p.wg.Done()
}

func (p *pool) setDown() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.up = false
}

// Not here: when the close path holds the lock at the wake-up on every
// path, it is ctxcancel's wait-holding-lock, reported there and not twice.
type groupHeld struct {
	lock   sync.Mutex
	ctx    context.Context
	cancel context.CancelFunc
}

func newGroupHeld() *groupHeld {
	ctx, cancel := context.WithCancel(context.Background())
	return &groupHeld{ctx: ctx, cancel: cancel}
}

func (c *groupHeld) Consume() {
	c.lock.Lock()
	defer c.lock.Unlock()
	<-c.ctx.Done()
}

func (c *groupHeld) Close() {
	c.lock.Lock()
	defer c.lock.Unlock()
	c.cancel()
}
