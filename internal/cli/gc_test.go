package cli

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestHeapFloor: under the floor the collector waits for the memory limit
// (GOGC off); once a collection leaves more than half the floor live,
// GOGC is 100 again and the limit gone.
func TestHeapFloor(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))

	const floor = 64 << 20
	switched := make(chan struct{})
	setHeapFloor(floor, switched)
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Fatalf("GOGC under the floor = %d, want off (-1)", got)
	}
	if got := debug.SetMemoryLimit(-1); got != floor {
		t.Fatalf("memory limit under the floor = %d, want %d", got, floor)
	}
	runtime.GC() // a small live heap: stays off
	time.Sleep(50 * time.Millisecond)
	select {
	case <-switched:
		t.Fatal("switched to GOGC=100 with a live heap under half the floor")
	default:
	}

	live := make([][]byte, 0, 48)
	for range 48 { // 48 MiB live, more than half the floor
		live = append(live, make([]byte, 1<<20))
	}
	for i := 0; ; i++ {
		runtime.GC()
		select {
		case <-switched:
		case <-time.After(100 * time.Millisecond):
			if i < 20 {
				continue
			}
			t.Fatal("GOGC not restored after a collection left 48 MiB live")
		}
		break
	}
	runtime.KeepAlive(live)
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC after the switch = %d, want 100", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("memory limit after the switch = %d, want none", got)
	}
}

// TestHeapFloorRespectsGOGC: a user's GOGC is left alone.
func TestHeapFloorRespectsGOGC(t *testing.T) {
	t.Setenv("GOGC", "100")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	setHeapFloor(64<<20, nil)
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC = %d after setHeapFloor with GOGC=100 in the environment, want 100", got)
	}
}
