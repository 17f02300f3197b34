package cli

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// minHeap is the heap the CLI lets grow before its first collection.
//
// Under GOGC=100 alone a run collects at 4, 8, 16, ... MiB on its way up:
// after a one-line edit of a 45k-line package (bench/scale.sh's edit
// scenario) GC marking was a fifth of the re-run's CPU, though everything
// the run allocates, live or not, is about 370 MiB. With a floor, a small
// run collects once or never; a large one (client-go, nats-server), whose
// live heap passes minHeap/2 early, runs under GOGC=100 as before, so its
// peak RSS (twice the largest live heap) does not move.
const minHeap = 256 << 20

// setMinHeap gives the collector a heap target of max(minHeap, 2×live):
// GOGC off under a soft memory limit of minHeap until a collection leaves
// more than minHeap/2 live, then GOGC=100 and no limit. A user's GOGC or
// GOMEMLIMIT is left as it is.
func setMinHeap() { setHeapFloor(minHeap, nil) }

// setHeapFloor is setMinHeap with the floor as a parameter; switched, when
// not nil, is closed once GOGC=100 is back (for the test).
func setHeapFloor(floor int64, switched chan<- struct{}) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(floor)
	watchGC(func(live uint64) bool {
		if live <= uint64(floor)/2 {
			return true
		}
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
		if switched != nil {
			close(switched)
		}
		return false
	})
}

// watchGC calls after(live heap) after each collection, until it returns
// false. A finalizer on an unreachable sentinel runs once per collection;
// it sets the next one.
func watchGC(after func(live uint64) bool) {
	type sentinel struct{ _ [16]byte } // not tiny-allocated: a finalizer per object
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var arm func()
	arm = func() {
		runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 && !after(sample[0].Value.Uint64()) {
				return
			}
			arm()
		})
	}
	arm()
}
