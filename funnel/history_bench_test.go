package funnel_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/kpiflow/kpi/funnel"
)

var historyRows = flag.Int("history.rows", 1_000_000, "rows of the generated stage history in BenchmarkReadHistory")

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
			fmt.Fprintf(&b, "%d,%s,%s\n", 100000+id, stages[k], t.Format(time.RFC3339))
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

// BenchmarkReadHistory reads a generated long stage history into a
// History and its Reach, and, in the same iterations, the same bytes with
// encoding/csv alone; it reports both speeds and their ratio, in wall time
// and in processor time (which counts the garbage collector's work too, and
// suffers less from a shared machine).
func BenchmarkReadHistory(b *testing.B) {
	data := stageHistory(*historyRows)
	l := funnel.HubSpotLifecycle()
	var csvTime, readTime, csvCPU, readCPU time.Duration
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		c0, t0 := cpuTime(), time.Now()
		csvOnly(b, data)
		c1, t1 := cpuTime(), time.Now()
		h, health, err := funnel.ReadHistory(bytes.NewReader(data), l, funnel.Columns{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := h.Reach(); err != nil {
			b.Fatal(err)
		}
		readTime += time.Since(t1)
		readCPU += cpuTime() - c1
		csvCPU += c1 - c0
		csvTime += t1.Sub(t0)
		if health.Rejected != 0 {
			b.Fatal(health)
		}
	}
	mb := float64(len(data)) * float64(b.N) / 1e6
	b.ReportMetric(mb/csvTime.Seconds(), "csv-MB/s")
	b.ReportMetric(mb/readTime.Seconds(), "read-MB/s")
	b.ReportMetric(readTime.Seconds()/csvTime.Seconds(), "x-csv")
	if csvCPU > 0 {
		b.ReportMetric(readCPU.Seconds()/csvCPU.Seconds(), "x-csv-cpu")
	}
}
