// Package benchmem measures the memory of a call: its peak heap, for the
// benchmarks that state a bound on memory (a reader's peak against its
// entities), and its allocations, for the tests that hold a cost linear
// in its input (AssertLinear). It is a test helper, not API.
package benchmem

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
	"time"
)

// Peak calls f and returns the most heap memory held in objects while it
// ran, less what was held before it. So that this is close to the most f
// kept live, the collector runs at every 5 % of growth (GOGC=5) during
// the call, and the heap is read (runtime/metrics'
// /memory/classes/heap/objects:bytes, live objects and garbage not yet
// swept) every 100 µs and once at the end: the figure is an upper bound
// of the live peak by up to the 5 % of garbage, and misses peaks that
// last less than a reading's interval.
func Peak(f func()) int64 {
	old := debug.SetGCPercent(5)
	defer debug.SetGCPercent(old)
	runtime.GC()
	base := objects(make([]metrics.Sample, 1))
	var peak atomic.Int64
	peak.Store(base)
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		s := make([]metrics.Sample, 1)
		tick := time.NewTicker(100 * time.Microsecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if v := objects(s); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	f()
	close(done)
	<-stopped
	if v := objects(make([]metrics.Sample, 1)); v > peak.Load() {
		peak.Store(v)
	}
	return peak.Load() - base
}

// objects reads the heap held in objects into s, of one sample.
func objects(s []metrics.Sample) int64 {
	s[0].Name = "/memory/classes/heap/objects:bytes"
	metrics.Read(s)
	return int64(s[0].Value.Uint64())
}
