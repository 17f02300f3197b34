// Package choice: which cycle is reported when several share edges. The
// shortest cycles come first, then those with fewer read locks; a longer
// cycle through an edge already reported is not repeated.
package choice

import "sync"

type A struct{ mu sync.Mutex }
type B struct{ mu sync.Mutex }
type C struct{ mu sync.Mutex }
type D struct{ mu sync.Mutex }

// a → b, first in source order. Its shortest way back is b → c → d → a:
// a 4-lock cycle, which shares b → c and c → d with the 3-lock cycle
// b → c → d → b below. The 3-lock cycle is the one reported, at its own
// first edge; the 4-lock one is not reported here.
func Unrelated(a *A, b *B) {
	a.mu.Lock()
	b.mu.Lock()
	b.mu.Unlock()
	a.mu.Unlock()
}

func BC(b *B, c *C) {
	b.mu.Lock()
	c.mu.Lock() // want `lock-cycle|lock order cycle: choice.B.mu → choice.C.mu → choice.D.mu → choice.B.mu`
	c.mu.Unlock()
	b.mu.Unlock()
}

func CD(c *C, d *D) {
	c.mu.Lock()
	d.mu.Lock()
	d.mu.Unlock()
	c.mu.Unlock()
}

func DB(d *D, b *B) {
	d.mu.Lock()
	b.mu.Lock()
	b.mu.Unlock()
	d.mu.Unlock()
}

func DA(d *D, a *A) {
	d.mu.Lock()
	a.mu.Lock()
	a.mu.Unlock()
	d.mu.Unlock()
}

// Two 3-lock cycles through p → q: one through r, read-locked on both of
// its sides (a deadlock only when a writer waits), one through s, all
// write locks. The write cycle is reported.
type P struct{ mu sync.Mutex }
type Q struct{ mu sync.Mutex }
type R struct{ mu sync.RWMutex }
type S struct{ mu sync.Mutex }

func PQ(p *P, q *Q) {
	p.mu.Lock()
	q.mu.Lock() // want `lock order cycle: choice.P.mu → choice.Q.mu → choice.S.mu → choice.P.mu`
	q.mu.Unlock()
	p.mu.Unlock()
}

func QR(q *Q, r *R) {
	q.mu.Lock()
	r.mu.RLock()
	r.mu.RUnlock()
	q.mu.Unlock()
}

func RP(r *R, p *P) {
	r.mu.RLock()
	p.mu.Lock()
	p.mu.Unlock()
	r.mu.RUnlock()
}

func QS(q *Q, s *S) {
	q.mu.Lock()
	s.mu.Lock()
	s.mu.Unlock()
	q.mu.Unlock()
}

func SP(s *S, p *P) {
	s.mu.Lock()
	p.mu.Lock()
	p.mu.Unlock()
	s.mu.Unlock()
}

func WriteR(r *R) {
	r.mu.Lock()
	r.mu.Unlock()
}

// Both locks of a two-lock cycle are read-held on one side and read-wanted
// on the other: the note names both.
type X struct{ mu sync.RWMutex }
type Y struct{ mu sync.RWMutex }

func XY(x *X, y *Y) {
	x.mu.RLock()
	y.mu.RLock() // want `lock order inversion: .*choice.Y.mu and choice.X.mu are each read-locked on both sides`
	y.mu.RUnlock()
	x.mu.RUnlock()
}

func YX(y *Y, x *X) {
	y.mu.RLock()
	x.mu.RLock()
	x.mu.RUnlock()
	y.mu.RUnlock()
}

func WriteXY(x *X, y *Y) {
	x.mu.Lock()
	x.mu.Unlock()
	y.mu.Lock()
	y.mu.Unlock()
}
