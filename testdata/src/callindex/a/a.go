package a

import (
	"fmt"
	"sort"
	"sync"

	"golang.org/x/sync/errgroup"
)

type T struct {
	once sync.Once
	mu   sync.Mutex
	xs   []int
}

func helper() {} // want `calls 2 complete roots Exported,Run`

func Exported() { // want `calls 0 open roots Exported`
	helper()
}

func (t *T) Run() { // want `calls 0 open roots Run`
	helper()
	go t.loop()   // go of a method: a start
	go t.Serve()  // exported: anyone may also call it
	go func() {   // want `calls 0 open started go roots Run\$1 only started$`
		t.tick()
	}()
	f := t.worker // a method value, started
	go f()
	t.keep(t.worker) // a method value handed on: escapes
	var g errgroup.Group
	g.Go(t.fetch) // errgroup: a start
	t.once.Do(t.setup)
	sort.Slice(t.xs, func(i, j int) bool { return t.less(i, j) }) // want `calls 1 complete via sort.Slice roots Run`
	_ = fmt.Sprintf("%v", t)
	_ = g.Wait()
}

func (t *T) loop() {} // want `calls 0 open started go roots loop only started$`

func (t *T) tick() {} // want `calls 1 complete roots Run\$1$`

func (t *T) Serve() {} // want `calls 0 open started go roots Serve$`

func (t *T) worker() {} // want `calls 0 open started go escapes roots worker$`

func (t *T) keep(f func()) {} // want `calls 1 complete roots Run`

func (t *T) fetch() error { return nil } // want `calls 0 open started Go roots fetch only started$`

func (t *T) setup() {} // want `calls 1 complete via sync.Once.Do roots Run`

func (t *T) less(i, j int) bool { return t.xs[i] < t.xs[j] } // want `calls 1 complete roots Run`

func (t *T) String() string { return "t" } // want `calls 1 open via fmt.Sprintf roots String`

// A closure kept in a variable and only called: every caller known.
func viaVar() { // want `calls 0 open roots viaVar`
	f := func() {} // want `calls 2 complete roots viaVar`
	defer f()
	f()
}

// A handler table: an unexported package variable only loaded to call an
// element (yamux's handlers[mt](s, hdr)). Its functions are called there,
// every caller known.
type S struct{}

var handlers = []func(*S, int) error{
	0: (*S).handleData,
	1: (*S).handlePing,
}

var byName = map[string]func(*S) error{
	"close": (*S).handleClose,
}

func (s *S) handleData(int) error { return nil } // want `calls 1 complete roots dispatch$`

func (s *S) handlePing(int) error { return nil } // want `calls 1 complete roots dispatch$`

func (s *S) handleClose() error { return nil } // want `calls 1 complete roots dispatch$`

func (s *S) dispatch(t int) error { // want `calls 0 open roots dispatch$`
	if t >= len(handlers) {
		return nil
	}
	if err := byName["close"](s); err != nil {
		return err
	}
	return handlers[t](s, t)
}

// A table handed out lets anyone call its functions: they stay open.
var exported = []func(*S){(*S).handleOut}

func (s *S) handleOut() {} // want `calls 0 open roots handleOut$`

func (s *S) Exported() []func(*S) { return exported } // want `calls 0 open roots Exported$`
