package cli

import (
	"fmt"
	"io"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// A peakHeapProfiler writes the heap profile (-memprofile) each time the
// live heap after a collection reaches a new maximum, so the file at exit
// shows what was live at the run's peak, not what is left at its end
// (peak RSS follows the largest live heap: the next collection is due at
// twice it under GOGC=100).
type peakHeapProfiler struct {
	path   string
	stderr io.Writer
	stop   chan struct{}
	done   chan struct{}
	peak   uint64
}

func startPeakHeapProfile(path string, stderr io.Writer) *peakHeapProfiler {
	p := &peakHeapProfiler{path: path, stderr: stderr, stop: make(chan struct{}), done: make(chan struct{})}
	go p.loop()
	return p
}

func (p *peakHeapProfiler) loop() {
	defer close(p.done)
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
		}
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			continue
		}
		// 2% above the last one written, so a slowly rising heap does not
		// rewrite the file at every tick.
		if live := sample[0].Value.Uint64(); live > p.peak+p.peak/50 {
			p.peak = live
			p.write()
		}
	}
}

func (p *peakHeapProfiler) write() {
	f, err := os.Create(p.path)
	if err != nil {
		fmt.Fprintf(p.stderr, "kafkalint: %v\n", err)
		return
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		fmt.Fprintf(p.stderr, "kafkalint: %v\n", err)
	}
}

// Stop ends the sampling and reports the peak live heap on stderr.
func (p *peakHeapProfiler) Stop() {
	close(p.stop)
	<-p.done
	if p.peak == 0 { // a run too short for a collection: the heap at exit
		p.write()
	}
	fmt.Fprintf(p.stderr, "kafkalint: peak live heap %d MiB (profile at that point in %s)\n", p.peak>>20, p.path)
}
