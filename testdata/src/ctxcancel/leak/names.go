package leak

// A mock whose script channel the test reads through a local: the report
// names the case as written (<-scriptTime), and, with no context in sight,
// suggests no <-ctx.Done().
type handle struct{ script chan struct{} }

type mock struct{ handle *handle }

func (m *mock) Next() int {
	scriptTime := m.handle.script
	results := make(chan int)
	go func() {
		results <- 1 // want `through <-scriptTime \(line \d+\) without receiving.*so that the send always completes$`
	}()
	select {
	case r := <-results:
		return r
	case <-scriptTime:
		return 0
	}
}

// The same with a buffered channel: silent.
func (m *mock) NextBuffered() int {
	scriptTime := m.handle.script
	results := make(chan int, 1)
	go func() {
		results <- 1
	}()
	select {
	case r := <-results:
		return r
	case <-scriptTime:
		return 0
	}
}
