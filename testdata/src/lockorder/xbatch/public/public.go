// Package public is the same batch builder in a package anyone may
// import: any goroutine may call Add while Flush holds the read lock, so
// it is reported here, in the package that holds the lock.
package public

import "sync"

type Builder interface {
	Add(k string)
	Flush() []string
}

type keyed struct {
	l *sync.RWMutex
	m map[string]int
}

func New() Builder { return &keyed{l: &sync.RWMutex{}, m: map[string]int{}} }

func (b *keyed) Add(k string) {
	b.l.Lock()
	b.m[k]++
	b.l.Unlock()
}

func (b *keyed) Flush() []string {
	b.l.RLock()
	defer b.l.RUnlock()
	var out []string
	for k := range b.m {
		out = append(out, k)
	}
	b.reset() // want `recursive-rlock|b.l is read-locked again`
	return out
}

func (b *keyed) reset() {
	b.l.RLock()
	defer b.l.RUnlock()
	clear(b.m)
}
