package stdcalls

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"
)

type T struct {
	mu   sync.Mutex
	cond *sync.Cond
	once sync.Once
	n    int
	wg   sync.WaitGroup
}

// Get runs once.Do's callback, which takes mu, with mu held: a double lock.
func (t *T) Get() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.once.Do(func() {
		t.mu.Lock()
		t.n = 1
		t.mu.Unlock()
	})
	return t.n
}

// String takes mu; Print calls it through fmt with mu held.
func (t *T) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return fmt.Sprint(t.n)
}

func (t *T) Print() {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Println(t)
}

// Sorted sorts under mu with a comparison that does not lock: silent.
func (t *T) Sorted(xs []int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	slices.SortFunc(xs, func(a, b int) int { return a - b })
}

// Later and Stop: callbacks run by time.AfterFunc and context.AfterFunc
// on goroutines of their own.
func (t *T) Later(ctx context.Context) {
	time.AfterFunc(time.Second, func() {
		t.mu.Lock()
		t.n++
		t.mu.Unlock()
	})
	context.AfterFunc(ctx, func() {
		t.mu.Lock()
		t.cond.Broadcast()
		t.mu.Unlock()
	})
}

func (t *T) Wait() {
	t.mu.Lock()
	for t.n == 0 {
		t.cond.Wait()
	}
	t.mu.Unlock()
}

func (t *T) Serve() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.mu.Lock()
		defer t.mu.Unlock()
		fmt.Fprint(w, t.n)
	})
	for i := 0; i < 3; i++ {
		go func() {
			t.wg.Add(1)
			defer t.wg.Done()
		}()
	}
	t.wg.Wait()
}
