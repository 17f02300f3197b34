package starve

import (
	"context"
	"io"
	"net"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// The kafka-python poll/heartbeat shape on a connection: Fetch holds the
// client lock across a read with no deadline; the heartbeat goroutine
// takes the same lock on every tick.
type client struct {
	mu   sync.Mutex
	conn net.Conn
	gen  int
}

func (c *client) Start() { go c.heartbeatLoop() }

func (c *client) heartbeatLoop() {
	t := time.NewTicker(3 * time.Second)
	defer t.Stop()
	for range t.C {
		c.mu.Lock()
		c.gen++
		c.mu.Unlock()
	}
}

func (c *client) Fetch(buf []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conn.Read(buf) // want `Fetch holds c.mu across c.conn.Read\(…\): a network read .*heartbeatLoop`
}

// Through a helper: io.ReadFull on the connection.
func (c *client) Response() ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.readResponse() // want `holds c.mu across io.ReadFull\(…\): a network read`
}

func (c *client) readResponse() ([]byte, error) {
	buf := make([]byte, 4)
	_, err := io.ReadFull(c.conn, buf)
	return buf, err
}

// Negative: a read deadline is set before the read.
func (c *client) FetchDeadline(buf []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.conn.SetReadDeadline(time.Now().Add(time.Second))
	return c.conn.Read(buf)
}

// Negative: the caller sets the deadline before the helper reads.
func (c *client) ResponseDeadline() ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.conn.SetDeadline(time.Now().Add(time.Second))
	return c.readResponse()
}

// Negative: the lock is released before the read.
func (c *client) FetchUnlocked(buf []byte) (int, error) {
	c.mu.Lock()
	c.gen++
	c.mu.Unlock()
	return c.conn.Read(buf)
}

// A sleep under the lock, and a channel receive.
type session struct {
	mu   sync.Mutex
	resp chan []byte
	n    int
}

func newSession() *session {
	s := &session{resp: make(chan []byte)}
	go s.renewLoop()
	return s
}

func (s *session) renewLoop() {
	for {
		select {
		case <-time.After(time.Second):
		}
		s.renew()
	}
}

func (s *session) renew() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
}

func (s *session) Backoff() {
	s.mu.Lock()
	defer s.mu.Unlock()
	time.Sleep(10 * time.Second) // want `Backoff holds s.mu across time.Sleep\(…\): a sleep, while the periodic goroutine renewLoop`
}

func (s *session) Await() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return <-s.resp // want `Await holds s.mu across receives from s.resp: a channel receive`
}

// A Kafka poll under the lock.
type consumer struct {
	mu  sync.Mutex
	cl  *kgo.Client
	gen int
}

func newConsumer(cl *kgo.Client) *consumer {
	c := &consumer{cl: cl}
	go c.keepalive()
	return c
}

func (c *consumer) keepalive() {
	for {
		time.Sleep(time.Second)
		c.mu.Lock()
		c.gen++
		c.mu.Unlock()
	}
}

func (c *consumer) Poll(ctx context.Context) kgo.Fetches {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cl.PollFetches(ctx) // want `Poll holds c.mu across c.cl.PollFetches\(…\): a Kafka poll`
}

// Negative: the poll's context has a deadline.
func (c *consumer) PollBounded() kgo.Fetches {
	c.mu.Lock()
	defer c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return c.cl.PollFetches(ctx)
}

// Negative: the periodic goroutine takes another lock.
type quiet struct {
	mu     sync.Mutex
	statMu sync.Mutex
	conn   net.Conn
	stats  int
}

func (q *quiet) Start() { go q.heartbeatLoop() }

func (q *quiet) heartbeatLoop() {
	t := time.NewTicker(time.Second)
	for range t.C {
		q.statMu.Lock()
		q.stats++
		q.statMu.Unlock()
	}
}

func (q *quiet) Fetch(buf []byte) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.conn.Read(buf)
}

// Negative: the lock serialises the writers of one connection, and the
// periodic goroutine takes it only to write its ping on that connection.
type writer struct {
	wmu  sync.Mutex
	conn net.Conn
}

func (w *writer) Start() { go w.pingLoop() }

func (w *writer) pingLoop() {
	t := time.NewTicker(time.Second)
	for range t.C {
		w.wmu.Lock()
		w.conn.Write([]byte("ping"))
		w.wmu.Unlock()
	}
}

func (w *writer) Send(b []byte) error {
	w.wmu.Lock()
	defer w.wmu.Unlock()
	_, err := w.conn.Write(b)
	return err
}

// Negative: a timer loop that is no liveness signal (a cache refresh that
// runs late does no harm): go-ethereum's scwallet hub refreshes wallets
// on a timer while Wallets holds the lock across a card's answer.
type cache struct {
	mu   sync.Mutex
	conn net.Conn
	n    int
}

func (c *cache) Start() { go c.refreshLoop() }

func (c *cache) refreshLoop() {
	for range time.Tick(time.Minute) {
		c.mu.Lock()
		c.n = 0
		c.mu.Unlock()
	}
}

func (c *cache) Fetch(buf []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conn.Read(buf)
}

// Negative: a goroutine that takes the lock once, not on a timer.
type oneShot struct {
	mu   sync.Mutex
	conn net.Conn
	n    int
}

func (o *oneShot) Start() {
	go func() {
		o.mu.Lock()
		o.n++
		o.mu.Unlock()
	}()
}

func (o *oneShot) Fetch(buf []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.conn.Read(buf)
}

// Negative: the heartbeat's own request holds the lock across its read;
// only the heartbeat goroutine runs it.
type member struct {
	mu   sync.Mutex
	conn net.Conn
}

func (m *member) Start() { go m.heartbeatLoop() }

func (m *member) heartbeatLoop() {
	t := time.NewTicker(time.Second)
	for range t.C {
		m.beat()
	}
}

func (m *member) beat() {
	m.mu.Lock()
	defer m.mu.Unlock()
	buf := make([]byte, 8)
	m.conn.Read(buf)
}

// Negative: a receive from a channel the package closes waits for an event
// (the reader's exit), not for data from the peer: the wait checks'
// business (sarama's Broker.Close waits for b.done under b.lock).
type broker struct {
	lock sync.Mutex
	done chan struct{}
	n    int
}

func newBroker() *broker {
	b := &broker{done: make(chan struct{})}
	go b.reader()
	go b.heartbeatLoop()
	return b
}

func (b *broker) reader() { defer close(b.done) }

func (b *broker) heartbeatLoop() {
	for range time.Tick(time.Second) {
		b.lock.Lock()
		b.n++
		b.lock.Unlock()
	}
}

func (b *broker) Close() {
	b.lock.Lock()
	defer b.lock.Unlock()
	<-b.done
}

// Negatives from nats-server: a buffered channel used as a semaphore is
// not a wait for a peer; a helper that unlocks its caller's lock around
// its sleep does not sleep holding it; a select loop whose lock is taken
// in the work case, not on the tick, is not periodic in that lock.
type store struct {
	mu   sync.Mutex
	sem  chan struct{}
	work chan int
	n    int
}

func newStore() *store {
	s := &store{sem: make(chan struct{}, 4), work: make(chan int)}
	go s.ackLoop()
	return s
}

func (s *store) ackLoop() {
	t := time.NewTicker(time.Second)
	for {
		select {
		case n := <-s.work:
			s.mu.Lock()
			s.n += n
			s.mu.Unlock()
		case <-t.C:
		}
	}
}

func (s *store) pingLoop() {
	for range time.Tick(time.Second) {
		s.mu.Lock()
		s.n++
		s.mu.Unlock()
	}
}

func (s *store) StartTicks() { go s.pingLoop() }

func (s *store) Write() {
	s.mu.Lock()
	defer s.mu.Unlock()
	<-s.sem
	s.sem <- struct{}{}
}

func (s *store) Current() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settled()
}

func (s *store) settled() bool {
	for i := 0; i < 10 && s.n > 0; i++ {
		s.mu.Unlock()
		time.Sleep(time.Millisecond)
		s.mu.Lock()
	}
	return s.n == 0
}

// Negative: the select loop takes the lock in its work case, not on its
// tick.
type acker struct {
	mu   sync.Mutex
	work chan int
	conn net.Conn
	n    int
}

func newAcker() *acker {
	a := &acker{work: make(chan int)}
	go a.keepaliveLoop()
	return a
}

func (a *acker) keepaliveLoop() {
	t := time.NewTicker(time.Second)
	for {
		select {
		case n := <-a.work:
			a.mu.Lock()
			a.n += n
			a.mu.Unlock()
		case <-t.C:
		}
	}
}

func (a *acker) Fetch(buf []byte) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.conn.Read(buf)
}

// Negative from gocql: a lock the heartbeat takes only deep down a
// reconnect path is not one it needs on every tick.
type pool struct {
	mu    sync.Mutex
	conn  net.Conn
	conns []int
}

func (p *pool) Start() { go p.heartbeat() }

func (p *pool) heartbeat() {
	for range time.Tick(time.Second) {
		p.ping()
	}
}

func (p *pool) ping() { p.onError() }

func (p *pool) onError() { p.reconnect() }

func (p *pool) reconnect() { p.redial() }

func (p *pool) redial() { p.setConns() }

func (p *pool) setConns() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.conns = nil
}

func (p *pool) Fetch(buf []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.conn.Read(buf)
}

// Negative from gocql: waiting for the results of goroutines the function
// started (a local channel: its dials) is not waiting for a peer.
type hostPool struct {
	mu    sync.Mutex
	conns []int
}

func (p *hostPool) Start() { go p.heartbeat() }

func (p *hostPool) heartbeat() {
	for range time.Tick(time.Second) {
		p.mu.Lock()
		p.conns = p.conns[:0]
		p.mu.Unlock()
	}
}

func (p *hostPool) SetHosts(hosts []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	results := make(chan int)
	for i := range hosts {
		go func() { results <- i }()
	}
	for range hosts {
		p.conns = append(p.conns, <-results)
	}
}
