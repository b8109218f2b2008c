package funnel_test

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kpiflow/kpi/funnel"
)

// The benchmark data: 10 million events of 1 million entities, 10 each,
// named by six interned strings (five steps and a page view that matches
// none), over about a month per entity. They are held compactly and
// turned into Events as they are read, so the benchmarks measure the
// Counter and not the memory of 10 million Event values.
const (
	benchEntities = 1_000_000
	benchPer      = 10
)

type compact struct {
	ent  uint32
	name uint8
	off  int32 // seconds after benchBase
}

var (
	benchNames = []string{"visit", "lead", "mql", "sql", "won", "page_view"}
	benchBase  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	benchDef   = funnel.Definition{
		Steps:  []funnel.Match{{Event: "visit"}, {Event: "lead"}, {Event: "mql"}, {Event: "sql"}, {Event: "won"}},
		Window: 30 * 24 * time.Hour,
	}

	benchOnce     sync.Once
	benchIDs      []string
	benchSorted   []compact    // by entity, then time
	benchShuffled []compact    // in random order
	benchHalves   [2][]compact // benchShuffled split by entity parity
)

func benchData() {
	benchOnce.Do(func() {
		rng := rand.New(rand.NewPCG(1, 2))
		benchIDs = make([]string, benchEntities)
		for i := range benchIDs {
			benchIDs[i] = fmt.Sprintf("contact-%07d", i)
		}
		benchSorted = make([]compact, 0, benchEntities*benchPer)
		for e := range benchEntities {
			var off int32
			step := 0
			for range benchPer {
				off += int32(rng.IntN(3 * 24 * 3600))
				name := 5 // a page view
				if rng.IntN(3) > 0 {
					// The next step, or a repeat of the current one.
					if step < 5 && rng.IntN(2) == 0 {
						step++
					}
					name = max(step-1, 0)
				}
				benchSorted = append(benchSorted, compact{uint32(e), uint8(name), off})
			}
		}
		benchShuffled = append([]compact(nil), benchSorted...)
		rng.Shuffle(len(benchShuffled), func(i, j int) { benchShuffled[i], benchShuffled[j] = benchShuffled[j], benchShuffled[i] })
		for _, c := range benchShuffled {
			benchHalves[c.ent%2] = append(benchHalves[c.ent%2], c)
		}
	})
}

// events reads compact events as Events.
func events(cs []compact) iter.Seq[funnel.Event] {
	return func(yield func(funnel.Event) bool) {
		for _, c := range cs {
			e := funnel.Event{Entity: benchIDs[c.ent], Name: benchNames[c.name], Time: time.Unix(0, benchBase+int64(c.off)*int64(time.Second))}
			if !yield(e) {
				return
			}
		}
	}
}

// cpuTime returns the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportRate reports events per second of wall time and, since the
// machine the benchmarks run on may be shared, per second of the CPU time
// the process used since cpu0 (the collector's included).
func reportRate(b *testing.B, n int, cpu0 time.Duration) {
	events := float64(n) * float64(b.N)
	b.ReportMetric(events/b.Elapsed().Seconds(), "events/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(events/cpu.Seconds(), "events/cpu-s")
	}
}

// BenchmarkCounterSorted: AddSorted over the 10 million events sorted by
// entity and time, on one goroutine.
func BenchmarkCounterSorted(b *testing.B) {
	benchData()
	benchCounter(b, benchSorted, (*funnel.Counter).AddSorted)
}

// BenchmarkCounterUnsorted: Add over the same events shuffled, including
// the grouping by entity and the sorting by time.
func BenchmarkCounterUnsorted(b *testing.B) {
	benchData()
	benchCounter(b, benchShuffled, (*funnel.Counter).AddAll)
}

// benchCounter counts data into a new Counter with add on every iteration
// and reports the events per second of CPU time.
func benchCounter(b *testing.B, data []compact, add func(*funnel.Counter, iter.Seq[funnel.Event]) error) {
	b.ReportAllocs()
	cpu0 := time.Duration(0)
	for b.Loop() {
		if cpu0 == 0 {
			cpu0 = cpuTime()
		}
		c, err := funnel.NewCounter(benchDef)
		if err != nil {
			b.Fatal(err)
		}
		if err := add(c, events(data)); err != nil {
			b.Fatal(err)
		}
		if _, err := c.Result(); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b, len(data), cpu0)
}

// BenchmarkParallelSorted: Parallel with two partitions of the sorted
// events (the first and the second half of the entities).
func BenchmarkParallelSorted(b *testing.B) {
	benchData()
	half := len(benchSorted) / 2
	parts := [][]compact{benchSorted[:half], benchSorted[half:]}
	b.ReportAllocs()
	cpu0 := time.Duration(0)
	for b.Loop() {
		if cpu0 == 0 {
			cpu0 = cpuTime()
		}
		c, err := funnel.Parallel(benchDef, 2, func(i int, c *funnel.Counter) error { return c.AddSorted(events(parts[i])) })
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Result(); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b, len(benchSorted), cpu0)
}

// BenchmarkParallelUnsorted: Parallel with two partitions of the shuffled
// events (by the parity of the entity).
func BenchmarkParallelUnsorted(b *testing.B) {
	benchData()
	b.ReportAllocs()
	cpu0 := time.Duration(0)
	for b.Loop() {
		if cpu0 == 0 {
			cpu0 = cpuTime()
		}
		c, err := funnel.Parallel(benchDef, 2, func(i int, c *funnel.Counter) error { return c.AddAll(events(benchHalves[i])) })
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Result(); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b, len(benchShuffled), cpu0)
}

// BenchmarkCounter_Add: Add of one event at a time, the hot path of the
// accumulator; 0 allocs/op (the buffer's chunks amortise to nothing).
func BenchmarkCounter_Add(b *testing.B) {
	benchData()
	c, err := funnel.NewCounter(benchDef)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		x := benchShuffled[i%len(benchShuffled)]
		e := funnel.Event{Entity: benchIDs[x.ent], Name: benchNames[x.name], Time: time.Unix(0, benchBase+int64(x.off)*int64(time.Second))}
		if err := c.Add(e); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
