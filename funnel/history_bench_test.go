package funnel_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/kpiflow/kpi/internal/benchmem"

	"github.com/kpiflow/kpi/funnel"
)

var (
	historyRows   = flag.Int("history.rows", 1_000_000, "rows of the generated stage history in BenchmarkReadHistory")
	historyRandom = flag.Bool("history.random", false, "random contact IDs in BenchmarkReadHistory, instead of ascending ones")
)

// stageHistory generates a HubSpot-shaped long stage history of about n
// rows: contacts in turn, each climbing a random number of the six stages
// (sometimes skipping one), a few hours to days apart, times in RFC 3339.
func stageHistory(n int) []byte {
	stages := []string{"subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer"}
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.WriteString("Record ID,Lifecycle Stage,Timestamp\n")
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for rows, id := 0, 0; rows < n; id++ {
		t := t0.Add(time.Duration(rng.IntN(365*24)) * time.Hour)
		top := rng.IntN(len(stages))
		for k := 0; k <= top && rows < n; k++ {
			if k > 0 && rng.IntN(5) == 0 {
				continue // skipped
			}
			t = t.Add(time.Duration(1+rng.IntN(96)) * time.Hour)
			contact := uint64(100000 + id)
			if *historyRandom {
				contact = uint64(id) * 0x9e3779b97f4a7c15 & (1<<40 - 1) // distinct (an odd multiplier mod 2⁴⁰), in no order
			}
			fmt.Fprintf(&b, "%d,%s,%s\n", contact, stages[k], t.Format(time.RFC3339))
			rows++
		}
	}
	return b.Bytes()
}

// csvOnly reads every record with encoding/csv, as the readers do, and
// nothing more: the floor the readers are measured against.
func csvOnly(tb testing.TB, data []byte) int {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	n := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return n
		}
		if err != nil {
			tb.Fatal(err)
		}
		n += len(rec)
	}
}

// BenchmarkReadHistory reads a generated long stage history (1M rows by
// default; -history.rows sets it, and -history.random gives the contacts
// random IDs, which the reader must look up, instead of ascending ones) into a History and its Reach, beside
// encoding/csv reading the same bytes and nothing more: sub-benchmark csv
// is that floor, read the reader. read also times an encoding/csv pass
// before each iteration, outside its timer, and reports its ratio to it in
// wall time (x-csv) and processor time (x-csv-cpu, which counts the
// collector's work and suffers less from a shared machine); alloc-B/entity
// is B/op over the distinct entities, an upper bound of the memory the
// read adds, kept-B/entity what stays allocated for the History that is
// returned, and peak-B/entity the most heap the read held at once
// (benchmem.Peak: at GOGC=5, read every 100 µs).
func BenchmarkReadHistory(b *testing.B) {
	data := stageHistory(*historyRows)
	l := funnel.HubSpotLifecycle()
	read := func(tb testing.TB) (*funnel.History, int64) {
		h, health, err := funnel.ReadHistory(bytes.NewReader(data), l, funnel.Columns{})
		if err != nil {
			tb.Fatal(err)
		}
		r, err := h.Reach()
		if err != nil || health.Rejected != 0 {
			tb.Fatal(err, health)
		}
		return h, r.Entities
	}
	b.Run("csv", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for range b.N {
			csvOnly(b, data)
		}
	})
	b.Run("read", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		var csvTime, readTime, csvCPU, readCPU time.Duration
		var entities int64
		for range b.N {
			b.StopTimer()
			c0, t0 := cpuTime(), time.Now()
			csvOnly(b, data)
			c1, t1 := cpuTime(), time.Now()
			csvTime, csvCPU = csvTime+t1.Sub(t0), csvCPU+c1-c0
			b.StartTimer()
			_, entities = read(b)
			readTime, readCPU = readTime+time.Since(t1), readCPU+cpuTime()-c1
		}
		b.StopTimer()
		b.ReportMetric(readTime.Seconds()/csvTime.Seconds(), "x-csv")
		if csvCPU > 0 {
			b.ReportMetric(readCPU.Seconds()/csvCPU.Seconds(), "x-csv-cpu")
		}
		b.ReportMetric(float64(entities), "entities")
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		h, _ := read(b)
		runtime.GC()
		runtime.ReadMemStats(&m1)
		runtime.KeepAlive(h)
		b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/float64(entities), "alloc-B/entity")
		b.ReportMetric((float64(m1.HeapAlloc)-float64(m0.HeapAlloc))/float64(entities), "kept-B/entity")
		var out *funnel.History
		peak := benchmem.Peak(func() { out, _ = read(b) })
		runtime.KeepAlive(out)
		b.ReportMetric(float64(peak)/float64(entities), "peak-B/entity")
	})
}
