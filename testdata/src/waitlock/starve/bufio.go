package starve

import (
	"bufio"
	"net"
	"sync"
	"time"
)

// A connection read through a bufio.Reader kept in a field (nsq's and
// many protocol clients' shape): ReadString blocks until the peer sends a
// line, with mu held; the heartbeat takes mu on every tick.
type lineClient struct {
	mu   sync.Mutex
	conn net.Conn
	r    *bufio.Reader
	w    *bufio.Writer
	seq  int
}

func dialLine(conn net.Conn) *lineClient {
	c := &lineClient{conn: conn, r: bufio.NewReader(conn), w: bufio.NewWriterSize(conn, 4096)}
	go c.heartbeatLoop()
	return c
}

func (c *lineClient) heartbeatLoop() {
	for range time.Tick(time.Second) {
		c.mu.Lock()
		c.seq++
		c.mu.Unlock()
	}
}

func (c *lineClient) ReadLine() (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.r.ReadString('\n') // want `ReadLine holds c.mu across c.r.ReadString\(…\): a network read`
}

// Flush writes what is buffered to the connection: it blocks while the
// peer does not read.
func (c *lineClient) Send(b []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.w.Write(b)
	return c.w.Flush() // want `Send holds c.mu across c.w.Flush\(…\): a network write`
}

// Negative: a read deadline on the connection under the reader.
func (c *lineClient) ReadLineDeadline() (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.conn.SetReadDeadline(time.Now().Add(time.Second))
	return c.r.ReadString('\n')
}

// Negative: a bufio.Reader over a buffer, not a connection.
type bufClient struct {
	mu  sync.Mutex
	r   *bufio.Reader
	seq int
}

func newBufClient(r *bufio.Reader) *bufClient {
	c := &bufClient{r: r}
	go c.heartbeatLoop()
	return c
}

func (c *bufClient) heartbeatLoop() {
	for range time.Tick(time.Second) {
		c.mu.Lock()
		c.seq++
		c.mu.Unlock()
	}
}

func (c *bufClient) ReadLine() (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.r.ReadString('\n')
}

// A local reader over the connection.
func (c *lineClient) ReadOne() (byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := bufio.NewReader(c.conn)
	return r.ReadByte() // want `ReadOne holds c.mu across r.ReadByte\(…\): a network read`
}
