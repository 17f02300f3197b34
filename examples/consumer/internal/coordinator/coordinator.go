// Package coordinator keeps the consumer in its group: it joins, sends
// heartbeats in the background, commits offsets and leaves.
package coordinator

import (
	"fmt"
	"sync"
	"time"

	"github.com/kafkalint/kafkalint/examples/consumer/internal/client"
)

// Coordinator is the consumer's group membership.
type Coordinator struct {
	client *client.Client
	group  string
	stop   chan struct{}

	mu         sync.Mutex // guards the fields below
	generation int
	memberID   string
	needsJoin  bool
}

// New returns a coordinator for group that talks through c.
func New(c *client.Client, group string) *Coordinator {
	return &Coordinator{client: c, group: group, stop: make(chan struct{}), needsJoin: true}
}

// Start starts the heartbeat goroutine.
func (co *Coordinator) Start(interval time.Duration) {
	go co.heartbeatLoop(interval)
}

// Stop stops the heartbeat goroutine.
func (co *Coordinator) Stop() { close(co.stop) }

// EnsureActive (re)joins the group; its caller holds the client lock, so it sends with SendLocked.
// BUG (waitlock, heartbeat starvation): the join write has no deadline and co.mu is held across it;
// heartbeatLoop takes co.mu every tick, so a stalled broker stops the heartbeats too (Commit is right).
func (co *Coordinator) EnsureActive() error {
	co.mu.Lock()
	defer co.mu.Unlock()
	if !co.needsJoin {
		return nil
	}
	if err := co.client.SendLocked(client.Request{API: "JoinGroup", Body: []byte(co.group)}); err != nil { // kafkalint reports here: a write with no deadline under co.mu
		return err
	}
	co.generation++
	co.memberID = fmt.Sprintf("%s-%d", co.group, co.generation)
	co.needsJoin = false
	return nil
}

// heartbeatLoop tells the broker the consumer is alive, every interval.
//
// BUG (lockorder, lock-order inversion): it holds co.mu while Send takes the
// client lock. Consumer.Poll takes them the other way round: it holds the
// client lock and EnsureActive takes co.mu. When a heartbeat and a poll run at
// once, each waits for the lock the other holds, forever: the consumer stops
// fetching, and without heartbeats the group kicks it out. (kafka-python had
// this very deadlock between poll and its heartbeat thread.) The fix is
// Commit's shape: copy what the request needs under co.mu, unlock, then Send.
func (co *Coordinator) heartbeatLoop(interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-co.stop:
			return
		case <-tick.C:
		}
		co.mu.Lock()
		err := co.client.Send(client.Request{API: "Heartbeat", Body: []byte(co.memberID)})
		if err != nil {
			co.needsJoin = true
		}
		co.mu.Unlock()
	}
}

// Commit commits offset for the current generation. Correct: it reads the
// membership under co.mu and sends after unlocking, so it never waits for the
// client lock while holding co.mu.
func (co *Coordinator) Commit(offset int64) error {
	co.mu.Lock()
	body := fmt.Sprintf("%s %d %d", co.memberID, co.generation, offset)
	co.mu.Unlock()
	return co.client.Send(client.Request{API: "OffsetCommit", Body: []byte(body)})
}

// Leave gives up the membership when the consumer closes.
//
// BUG (lockorder, double lock): Leave holds co.mu and calls ResetGeneration,
// which locks co.mu again. sync.Mutex is not reentrant, so Leave waits for
// itself forever. Rejoin below calls resetGenerationLocked instead, which is
// right.
func (co *Coordinator) Leave() {
	co.mu.Lock()
	defer co.mu.Unlock()
	if co.memberID == "" {
		return
	}
	co.ResetGeneration() // kafkalint reports here: co.mu is already held
}

// Rejoin makes the next poll join the group again. Correct: it holds co.mu
// and calls the variant that expects the lock held.
func (co *Coordinator) Rejoin() {
	co.mu.Lock()
	defer co.mu.Unlock()
	co.resetGenerationLocked()
}

// ResetGeneration forgets the membership; it takes co.mu.
func (co *Coordinator) ResetGeneration() {
	co.mu.Lock()
	defer co.mu.Unlock()
	co.resetGenerationLocked()
}

// resetGenerationLocked forgets the membership. The caller holds co.mu.
func (co *Coordinator) resetGenerationLocked() {
	co.generation = 0
	co.memberID = ""
	co.needsJoin = true
}
