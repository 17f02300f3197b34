package generated

import "sync"

type S struct{ a, b sync.Mutex }

func (s *S) HandBA() {
	s.b.Lock()
	s.a.Lock() // want `lock order inversion: generated.S.a is acquired here while holding generated.S.b`
	s.a.Unlock()
	s.b.Unlock()
}

type G struct{ c, d sync.Mutex }
