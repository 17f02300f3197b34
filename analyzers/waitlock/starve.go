package waitlock

import (
	"fmt"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/kafkalint/kafkalint/internal/lockmodel"
	"github.com/kafkalint/kafkalint/internal/report"
	"github.com/kafkalint/kafkalint/internal/waitmodel"
)

// starvedBy returns the periodic goroutine that needs the lock b holds
// across its blocking operation, or nil. Only loops that look like a
// liveness signal count (a heartbeat, keepalive, ping, lease renewal: by
// name, or a write on a connection after the tick): a cache refresh that
// runs late is no hang. Left out: the periodic loop
// blocking itself; a write under a lock the periodic loop takes to write
// on the same connection (the lock serialises that connection's writers,
// and a blocked write would block the heartbeat's write anyway); two read
// locks.
func starvedBy(b waitmodel.LockedBlock, periodic []waitmodel.PeriodicLock) *waitmodel.PeriodicLock {
	for i, p := range periodic {
		if p.Liveness == "" || p.Lock.Class != b.Class || p.Lock.Mode != lockmodel.Write && b.Mode != lockmodel.Write {
			continue
		}
		if b.SameGoroutine(p) {
			continue
		}
		if b.Op.Kind == "write" && b.Op.Conn != "" && slices.Contains(p.Writes, b.Op.Conn) {
			continue
		}
		return &periodic[i]
	}
	return nil
}

// blockWords says how long each kind of operation can block.
var blockWords = map[string]string{
	"read":    "a network read with no deadline, which blocks until the peer sends",
	"write":   "a network write with no deadline, which blocks while the peer does not read",
	"sleep":   "a sleep",
	"receive": "a channel receive, which blocks until something is sent",
	"poll":    "a Kafka poll, which blocks until records arrive or its context ends",
}

func starveDiagnostic(pass *analysis.Pass, b waitmodel.LockedBlock, p waitmodel.PeriodicLock) analysis.Diagnostic {
	lock := lockmodel.ShortClass(b.Class)
	fix := "release " + b.Lock + " before it"
	switch b.Op.Kind {
	case "read", "write":
		fix = "set a deadline on the connection first (SetDeadline), or " + fix
	case "poll":
		fix = "poll with a context that has a deadline, or " + fix
	}
	msg := fmt.Sprintf("%s holds %s across %s: %s, while the periodic goroutine %s (started by %s) takes %s on every tick (line %d). While it blocks, the ticks stop: heartbeats, keepalives or session refreshes are missed and the peer drops the session; %s",
		b.Func.Short(), b.Lock, b.Op.What, blockWords[b.Op.Kind], p.Func.Short(), p.Go.By.Short(), b.Lock, pass.Fset.Position(p.Lock.Pos).Line, fix)

	related := report.Chain(report.Label(b.Func), waiterSteps(pass, b.Held, b.Path, lock)...)
	other := []report.Step{
		{Pos: p.Go.Pos, Message: "starts " + p.Go.Func.Short()},
		{Pos: p.Tick, Message: report.InFunc(p.Func, p.Go.Func, p.TickWhat)},
		{Pos: p.Lock.Pos, Message: report.InFunc(p.Func, p.Go.Func, p.Lock.What)},
	}
	for _, s := range p.Lock.Chain {
		other = append(other, report.Step{Pos: lockmodel.PosOf(pass.Fset, s), Message: report.InFunc(s.Func, p.Go.Func, s.What)})
	}
	related = append(related, report.Chain("goroutine "+report.Label(p.Go.Func), other...)...)
	return analysis.Diagnostic{Pos: b.Pos, Category: CheckStarve, Message: msg, Related: related}
}
