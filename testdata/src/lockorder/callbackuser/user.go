// Package callbackuser is an application on callbacklib. Its callbacks take
// the application's lock, which the application also holds while calling
// into the group: the library's lock and the application's are inverted.
package callbackuser

import (
	"sync"

	"lockorder/callbacklib"
)

type App struct {
	mu      sync.Mutex
	offsets map[int32]int64
	group   *callbacklib.Group
}

func (a *App) onRevoked(ps []int32) {
	a.mu.Lock()
	for _, p := range ps {
		delete(a.offsets, p)
	}
	a.mu.Unlock()
}

func (a *App) Start(h callbacklib.Handler) {
	a.group = callbacklib.NewGroup(h, callbacklib.OnPartitionsRevoked(a.onRevoked))
}

// Snapshot holds the app lock while asking the group: app → group.
func (a *App) Snapshot() []int32 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.group.Assigned() // want `lock order inversion: callbacklib.Group.mu is acquired here while holding callbackuser.App.mu \(in \(\*callbackuser.App\).Snapshot\); \(\*callbacklib.Group\).Revoke acquires callbackuser.App.mu while holding callbacklib.Group.mu`
}

// handler implements callbacklib.Handler; Setup takes the stats lock.
type handler struct {
	stats *Stats
}

type Stats struct {
	mu          sync.Mutex
	generations int
}

func (h *handler) Setup(gen int32) error {
	h.stats.mu.Lock()
	h.stats.generations++
	h.stats.mu.Unlock()
	return nil
}

func (h *handler) Cleanup(gen int32) error {
	h.stats.mu.Lock()
	h.stats.generations--
	h.stats.mu.Unlock()
	return nil
}

// Dump holds the stats lock while asking the group: stats → group.
func (s *Stats) Dump(g *callbacklib.Group) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(g.Assigned()) + s.generations // want `lock order inversion: callbacklib.Group.mu is acquired here while holding callbackuser.Stats.mu \(in \(\*callbackuser.Stats\).Dump\); \(\*callbacklib.Group\).Rebalance acquires callbackuser.Stats.mu while holding callbacklib.Group.mu`
}

// Run hands the group a handler: *handler becomes a callbacklib.Handler
// here, so the group's calls of Setup and Cleanup can run its methods.
func (a *App) Run(s *Stats) {
	a.Start(&handler{stats: s})
}

// auditHandler implements Handler too, but this package never makes one
// into a Handler: the group cannot call it, and Audit's lock is not ordered
// after the group's.
type auditHandler struct {
	audit *Audit
}

type Audit struct {
	mu  sync.Mutex
	log []int32
}

func (h *auditHandler) Setup(gen int32) error {
	h.audit.mu.Lock()
	h.audit.log = append(h.audit.log, gen)
	h.audit.mu.Unlock()
	return nil
}

func (h *auditHandler) Cleanup(int32) error { return nil }

func (a *Audit) Dump(g *callbacklib.Group) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(g.Assigned()) + len(a.log)
}

// quiet implements Handler without locks: nothing to report.
type quiet struct{}

func (quiet) Setup(int32) error   { return nil }
func (quiet) Cleanup(int32) error { return nil }
