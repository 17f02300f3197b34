package seqtest

import (
	"sync"
	"testing"
)

func lockAB(p *Pair) {
	p.A.Lock()
	p.B.Lock()
	p.B.Unlock()
	p.A.Unlock()
}

func lockBA(p *Pair) {
	p.B.Lock()
	p.A.Lock()
	p.A.Unlock()
	p.B.Unlock()
}

// One test takes both orders one after the other on its own goroutine,
// and runs alone: silent.
func TestSequential(t *testing.T) {
	p := &Pair{}
	lockAB(p)
	lockBA(p)
}

// Here a goroutine the test starts takes one order while the test takes
// the other: reported.
type Other struct{ C, D sync.Mutex }

func lockCD(o *Other) {
	o.C.Lock()
	o.D.Lock() // want `lock order inversion`
	o.D.Unlock()
	o.C.Unlock()
}

func lockDC(o *Other) {
	o.D.Lock()
	o.C.Lock()
	o.C.Unlock()
	o.D.Unlock()
}

func TestConcurrent(t *testing.T) {
	o := &Other{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		lockDC(o)
	}()
	lockCD(o)
	<-done
}
