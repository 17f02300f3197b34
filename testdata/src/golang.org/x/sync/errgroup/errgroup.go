// Package errgroup is a stub of golang.org/x/sync/errgroup with the exact
// signatures kafkalint's tests use.
package errgroup

import "sync"

type Group struct {
	wg  sync.WaitGroup
	err error
}

func (g *Group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.err = err
		}
	}()
}

func (g *Group) Wait() error {
	g.wg.Wait()
	return g.err
}
