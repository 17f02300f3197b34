package misuse

import "sync"

func fetch(int) int { return 0 }

// Add inside the goroutine it counts: the Wait may run first.
func AddInside(parts []int) {
	var wg sync.WaitGroup
	for _, p := range parts {
		go func() {
			wg.Add(1) // want `wg.Add is called inside the goroutine it counts`
			defer wg.Done()
			fetch(p)
		}()
	}
	wg.Wait()
}

// Add before the go statement: silent.
func AddBefore(parts []int) {
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fetch(p)
		}()
	}
	wg.Wait()
}

// A counted goroutine adds for the goroutines it starts in turn: the
// counter cannot be zero then. Silent.
func Nested(parts []int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, p := range parts {
			wg.Add(1)
			go func() { defer wg.Done(); fetch(p) }()
		}
	}()
	wg.Wait()
}

// nats-server's TestJetStreamClusterConcurrentAccountLimits: each
// goroutine adds to wg, then tells the starter so on a second WaitGroup;
// the starter waits for that before wg.Wait. Silent.
func StartedSignal(parts []int) {
	var wg, started sync.WaitGroup
	started.Add(len(parts))
	for _, p := range parts {
		go func() {
			wg.Add(1)
			defer wg.Done()
			started.Done()
			fetch(p)
		}()
	}
	started.Wait()
	wg.Wait()
}

// The same without waiting for the signal: reported.
func StartedNoWait(parts []int) {
	var wg, started sync.WaitGroup
	started.Add(len(parts))
	for _, p := range parts {
		go func() {
			wg.Add(1) // want `wg.Add is called inside the goroutine it counts`
			defer wg.Done()
			started.Done()
			fetch(p)
		}()
	}
	wg.Wait()
	started.Wait()
}

// Nobody waits after the start: silent.
type pool struct{ wg sync.WaitGroup }

func (p *pool) Start() {
	go func() {
		p.wg.Add(1)
		defer p.wg.Done()
	}()
}

// Wait inside the loop that starts the goroutine it waits for.
func WaitInLoop(parts []int) []int {
	var wg sync.WaitGroup
	results := make(chan int)
	for _, p := range parts {
		wg.Add(1)
		go func() { defer wg.Done(); results <- fetch(p) }()
		wg.Wait() // want `wg.Wait is inside the loop that starts the goroutines it waits for .* received only after the loop`
	}
	var out []int
	for range parts {
		out = append(out, <-results)
	}
	return out
}

// Batches: the goroutines of a batch start in an inner loop, the outer
// loop waits for the batch. Silent.
func Batches(batches [][]int) {
	var wg sync.WaitGroup
	for _, b := range batches {
		for _, p := range b {
			wg.Add(1)
			go func() { defer wg.Done(); fetch(p) }()
		}
		wg.Wait()
	}
}

// Wait after the loop: silent.
func WaitAfter(parts []int) {
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Add(1)
		go func() { defer wg.Done(); fetch(p) }()
	}
	wg.Wait()
}

// The goroutine signals after its Add, and the starter waits for the
// signal before Wait (kafka-go's writer_test.go): the Add comes first.
// Silent.
func Ready() {
	var wg sync.WaitGroup
	ready := make(chan struct{})
	go func() {
		wg.Add(1)
		defer wg.Done()
		close(ready)
		fetch(0)
	}()
	<-ready
	wg.Wait()
}

// Waiting for each iteration's goroutine on purpose, to read its result
// (amqp091-go's confirms test): silent.
func EachResult(parts []int) {
	var wg sync.WaitGroup
	for _, p := range parts {
		var result int
		wg.Add(1)
		go func() {
			result = fetch(p)
			wg.Done()
		}()
		wg.Wait()
		_ = result
	}
}
