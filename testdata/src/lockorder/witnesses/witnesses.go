// Package witnesses: two functions take idle then cond in the same order;
// the report prints the first one's chain and names the other (mongo's
// pool: removePerishedConns and close).
package witnesses

import "sync"

type pool struct {
	idle sync.Mutex
	cond sync.Mutex
}

func (p *pool) prune() {
	p.idle.Lock()
	p.cond.Lock() // want `lock order inversion: witnesses.pool.cond is acquired here while holding witnesses.pool.idle`
	p.cond.Unlock()
	p.idle.Unlock()
}

func (p *pool) close() {
	p.idle.Lock()
	p.cond.Lock()
	p.cond.Unlock()
	p.idle.Unlock()
}

func (p *pool) clear() {
	p.cond.Lock()
	p.idle.Lock()
	p.idle.Unlock()
	p.cond.Unlock()
}

func Use(p *pool) {
	go p.prune()
	go p.clear()
	p.close()
}
