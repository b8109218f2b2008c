package attribution_test

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

	"github.com/kpiflow/kpi/attribution"
)

var touchRows = flag.Int("touch.rows", 1_000_000, "rows of the generated touch log in BenchmarkReadTouches")

// touchLog generates a touch log of about n rows: contacts in turn, each
// with a few UTM-tagged touches days apart, a third of them ending in a
// conversion with a value.
func touchLog(n int) []byte {
	utm := [][2]string{{"google", "cpc"}, {"google", "organic"}, {"linkedin", "paid_social"}, {"hubspot", "email"}, {"(direct)", "(none)"}, {"g2.com", "referral"}}
	rng := rand.New(rand.NewPCG(3, 4))
	var b bytes.Buffer
	b.WriteString("Contact ID,utm_source,utm_medium,Timestamp,Conversion,Conversion Value\n")
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for rows, id := 0, 0; rows < n; id++ {
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
	return b.Bytes()
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

// BenchmarkReadTouches reads a generated touch log into journeys and, in
// the same iterations, the same bytes with encoding/csv alone; it reports
// both speeds and their ratio, in wall time and in processor time (which
// counts the garbage collector's work too, and suffers less from a shared
// machine).
func BenchmarkReadTouches(b *testing.B) {
	data := touchLog(*touchRows)
	var csvTime, readTime, csvCPU, readCPU time.Duration
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		c0, t0 := cpuTime(), time.Now()
		csvOnly(b, data)
		c1, t1 := cpuTime(), time.Now()
		js, h, err := attribution.ReadTouches(bytes.NewReader(data), attribution.TouchLog{})
		if err != nil {
			b.Fatal(err)
		}
		readTime += time.Since(t1)
		readCPU += cpuTime() - c1
		csvCPU += c1 - c0
		csvTime += t1.Sub(t0)
		if h.Rejected != 0 || js.Len() == 0 {
			b.Fatal(h)
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
