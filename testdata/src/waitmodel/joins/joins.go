package joins

// Own: the goroutine's own function defers the close.
type Own struct{ done, in chan struct{} }

func NewOwn() *Own {
	o := &Own{done: make(chan struct{}), in: make(chan struct{})}
	go o.loop()
	return o
}

func (o *Own) loop() {
	defer close(o.done)
	for range o.in {
	}
}

func (o *Own) Close() {
	close(o.in)
	<-o.done // want `joins loop exits loop`
}

// Callee: the goroutine calls recvLoop once, which defers the close
// (yamux's recv and recvLoop).
type Callee struct{ done, in chan struct{} }

func NewCallee() *Callee {
	c := &Callee{done: make(chan struct{}), in: make(chan struct{})}
	go c.recv()
	return c
}

func (c *Callee) recv() {
	if err := c.recvLoop(); err != nil {
		println(err)
	}
}

func (c *Callee) recvLoop() error {
	defer close(c.done)
	for range c.in {
	}
	return nil
}

func (c *Callee) Close() {
	close(c.in)
	<-c.done // want `joins recv exits recvLoop`
}

// Again: the goroutine calls recvLoop in a loop: its return is no exit of
// the goroutine's work. Not a join.
type Again struct{ done, in chan struct{} }

func NewAgain() *Again {
	a := &Again{done: make(chan struct{}), in: make(chan struct{})}
	go a.recv()
	return a
}

func (a *Again) recv() {
	for i := 0; i < 2; i++ {
		_ = a.recvLoop()
	}
}

func (a *Again) recvLoop() error {
	defer close(a.done)
	for range a.in {
	}
	return nil
}

func (a *Again) Close() {
	close(a.in)
	<-a.done
}

// Twice: recvLoop is also called from Serve, on any goroutine. Not a join.
type Twice struct{ done, in chan struct{} }

func NewTwice() *Twice {
	t := &Twice{done: make(chan struct{}), in: make(chan struct{})}
	go t.recv()
	return t
}

func (t *Twice) recv() { _ = t.recvLoop() }

func (t *Twice) Serve() { _ = t.recvLoop() }

func (t *Twice) recvLoop() error {
	defer close(t.done)
	for range t.in {
	}
	return nil
}

func (t *Twice) Close() {
	close(t.in)
	<-t.done
}
