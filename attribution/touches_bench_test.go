package attribution_test

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

	"github.com/kpiflow/kpi/attribution"
)

var touchRows = flag.Int("touch.rows", 1_000_000, "rows of the generated touch log in BenchmarkReadTouches")

// touchLog generates a touch log of about n rows: contacts in turn, each
// with a few UTM-tagged touches days apart, a third of them ending in a
// conversion with a value. It returns the log and its number of contacts.
func touchLog(n int) ([]byte, int) {
	utm := [][2]string{{"google", "cpc"}, {"google", "organic"}, {"linkedin", "paid_social"}, {"hubspot", "email"}, {"(direct)", "(none)"}, {"g2.com", "referral"}}
	rng := rand.New(rand.NewPCG(3, 4))
	var b bytes.Buffer
	b.WriteString("Contact ID,utm_source,utm_medium,Timestamp,Conversion,Conversion Value\n")
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	id := 0
	for rows := 0; rows < n; id++ {
		t := t0.Add(time.Duration(rng.IntN(365*24)) * time.Hour)
		k := 1 + rng.IntN(5)
		for j := 0; j < k && rows < n; j++ {
			t = t.Add(time.Duration(1+rng.IntN(120)) * time.Hour)
			u := utm[rng.IntN(len(utm))]
			conv, value := "", ""
			if j == k-1 && rng.IntN(3) == 0 {
				conv, value = "1", fmt.Sprintf("%d.%02d", 100+rng.IntN(9900), rng.IntN(100))
			}
			fmt.Fprintf(&b, "%d,%s,%s,%s,%s,%s\n", 500000+id, u[0], u[1], t.Format(time.RFC3339), conv, value)
			rows++
		}
	}
	return b.Bytes(), id
}

func csvOnly(tb testing.TB, data []byte) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	for {
		_, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkReadTouches reads a generated touch log (1M rows by default;
// -touch.rows sets it) into journeys, beside encoding/csv reading the same
// bytes and nothing more: sub-benchmark csv is that floor, read the
// reader. read also times an encoding/csv pass before each iteration,
// outside its timer, and reports its ratio to it in wall time (x-csv) and
// processor time (x-csv-cpu, which counts the collector's work and suffers
// less from a shared machine); alloc-B/entity is B/op over the distinct
// contacts, an upper bound of the memory the read adds, and
// kept-B/entity what stays allocated for the Journeys returned, and
// peak-B/entity the most heap the read held at once (benchmem.Peak: at
// GOGC=5, read every 100 µs).
func BenchmarkReadTouches(b *testing.B) {
	data, entities := touchLog(*touchRows)
	read := func(tb testing.TB) *attribution.Journeys {
		js, h, err := attribution.ReadTouches(bytes.NewReader(data), attribution.TouchLog{})
		if err != nil {
			tb.Fatal(err)
		}
		if h.Rejected != 0 || js.Len() == 0 {
			tb.Fatal(h)
		}
		return js
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
		for range b.N {
			b.StopTimer()
			c0, t0 := cpuTime(), time.Now()
			csvOnly(b, data)
			c1, t1 := cpuTime(), time.Now()
			csvTime, csvCPU = csvTime+t1.Sub(t0), csvCPU+c1-c0
			b.StartTimer()
			read(b)
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
		js := read(b)
		runtime.GC()
		runtime.ReadMemStats(&m1)
		runtime.KeepAlive(js)
		b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/float64(entities), "alloc-B/entity")
		b.ReportMetric((float64(m1.HeapAlloc)-float64(m0.HeapAlloc))/float64(entities), "kept-B/entity")
		var out *attribution.Journeys
		peak := benchmem.Peak(func() { out = read(b) })
		runtime.KeepAlive(out)
		b.ReportMetric(float64(peak)/float64(entities), "peak-B/entity")
	})
}
