package goroutines

import "sync"

// results is go-redis's cmdsMap: workers fill it under its lock.
type results struct {
	mu sync.Mutex
	m  map[int]int // want m:`guarded by mu \(held at 4 of 6\)`
}

func newResults() *results { return &results{m: map[int]int{}} }

func (r *results) add(k, v int) {
	r.mu.Lock()
	r.m[k] = v
	r.mu.Unlock()
}

func (r *results) Get(k int) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.m[k]
}

func (r *results) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.m)
}

// Gather reads the results its workers filled after wg.Wait(): the
// object is its own, shared only with the goroutines it joined (the wait
// model's join): silent (go-redis's processPipeline and failedCmds).
func Gather(keys []int) int {
	res := newResults()
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			res.add(k, k)
		}(k)
	}
	wg.Wait()
	return len(res.m)
}

// GatherEarly reads them before the wait: reported.
func GatherEarly(keys []int) int {
	res := newResults()
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			res.add(k, k)
		}(k)
	}
	n := len(res.m) // want `res\.m read without res\.mu held`
	wg.Wait()
	return n
}

// failover is go-redis's sentinelFailover: MasterAddr holds c.mu while
// its workers look up the master, and waits for them before unlocking.
type failover struct {
	mu     sync.Mutex
	client *int // want client:`guarded by mu \(held at 3 of 5\)`
}

func (f *failover) Close() {
	f.mu.Lock()
	f.client = nil
	f.mu.Unlock()
}

func (f *failover) Set(p *int) {
	f.mu.Lock()
	f.client = p
	f.mu.Unlock()
}

func (f *failover) Client() *int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.client
}

// MasterAddr's workers read f.client without the lock, but the starter
// holds it from before the go statement until after wg.Wait(): silent.
func (f *failover) MasterAddr(addrs []int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var wg sync.WaitGroup
	for _, a := range addrs {
		wg.Add(1)
		go func(a int) {
			defer wg.Done()
			if f.client != nil {
				_ = a
			}
		}(a)
	}
	wg.Wait()
}

// ReplicaAddrs unlocks before the wait: its workers race Close.
func (f *failover) ReplicaAddrs(addrs []int) {
	f.mu.Lock()
	var wg sync.WaitGroup
	for _, a := range addrs {
		wg.Add(1)
		go func(a int) {
			defer wg.Done()
			if f.client != nil { // want `f\.client read without f\.mu held`
				_ = a
			}
		}(a)
	}
	f.mu.Unlock()
	wg.Wait()
}
