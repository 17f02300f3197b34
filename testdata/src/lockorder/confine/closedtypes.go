package confine

import (
	"fmt"
	"sync"
)

// Closed types: the loop reaches one order through a method of an
// unexported type whose values never leave the package; the method's name
// is exported and it is called through an interface of the package, yet
// only the loop calls it. Mux's loop takes mu then state in (*muxStep).Step
// and state then mu in back: silent.
type muxStepper interface{ Step() }

type muxStep struct{ m *Mux }

func (s *muxStep) Step() {
	s.m.mu.Lock()
	s.m.state.Lock()
	s.m.state.Unlock()
	s.m.mu.Unlock()
}

type Mux struct {
	mu    sync.Mutex
	state sync.Mutex
	eng   muxStepper
}

func NewMux() *Mux {
	m := &Mux{}
	m.eng = &muxStep{m: m}
	go m.loop()
	return m
}

func (m *Mux) loop() {
	for {
		m.eng.Step()
		m.back()
	}
}

func (m *Mux) back() {
	m.state.Lock()
	m.mu.Lock()
	m.mu.Unlock()
	m.state.Unlock()
}

// The same, but an exported method hands the stepper out: anyone may call
// Step on any goroutine.
type leakStepper interface{ Step() }

type leakStep struct{ m *Leak }

func (s *leakStep) Step() {
	s.m.mu.Lock()
	s.m.state.Lock() // want `lock order inversion: confine.Leak.state is acquired here while holding confine.Leak.mu`
	s.m.state.Unlock()
	s.m.mu.Unlock()
}

type Leak struct {
	mu    sync.Mutex
	state sync.Mutex
	eng   leakStepper
}

func NewLeak() *Leak {
	l := &Leak{}
	l.eng = &leakStep{m: l}
	go l.loop()
	return l
}

func (l *Leak) Stepper() leakStepper { return l.eng }

func (l *Leak) loop() {
	for {
		l.eng.Step()
		l.back()
	}
}

func (l *Leak) back() {
	l.state.Lock()
	l.mu.Lock()
	l.mu.Unlock()
	l.state.Unlock()
}

// Converted to an interface of another package (fmt.Stringer, by
// fmt.Sprint): fmt may call String, which takes mu then state.
type showStep struct{ m *Show }

func (s *showStep) String() string {
	s.m.mu.Lock()
	s.m.state.Lock() // want `lock order inversion: confine.Show.state is acquired here while holding confine.Show.mu`
	s.m.state.Unlock()
	s.m.mu.Unlock()
	return "step"
}

type Show struct {
	mu    sync.Mutex
	state sync.Mutex
	step  *showStep
}

func NewShow() *Show {
	s := &Show{}
	s.step = &showStep{m: s}
	go s.loop()
	return s
}

func (s *Show) loop() {
	for {
		_ = fmt.Sprint(s.step)
		s.back()
	}
}

func (s *Show) back() {
	s.state.Lock()
	s.mu.Lock()
	s.mu.Unlock()
	s.state.Unlock()
}

// Closed, but an exported method of the exported type also calls Step
// through the interface, on its caller's goroutine: two goroutines.
type kickStepper interface{ Step() }

type kickStep struct{ m *Kick }

func (s *kickStep) Step() {
	s.m.mu.Lock()
	s.m.state.Lock() // want `lock order inversion: confine.Kick.state is acquired here while holding confine.Kick.mu`
	s.m.state.Unlock()
	s.m.mu.Unlock()
}

type Kick struct {
	mu    sync.Mutex
	state sync.Mutex
	eng   kickStepper
}

func NewKick() *Kick {
	k := &Kick{}
	k.eng = &kickStep{m: k}
	go k.loop()
	return k
}

func (k *Kick) Now() { k.eng.Step() }

func (k *Kick) loop() {
	for {
		k.eng.Step()
		k.back()
	}
}

func (k *Kick) back() {
	k.state.Lock()
	k.mu.Lock()
	k.mu.Unlock()
	k.state.Unlock()
}
