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
