package funnel_test

import (
	"encoding/json"
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// BenchmarkFunnelMarshalJSON marshals a six-stage funnel with its steps'
// intervals; the target is 5 µs.
// It reports the CPU time per marshal too, since the machine may be
// shared. Through json.Marshal, which checks and compacts what
// MarshalJSON returns, and by MarshalJSON alone.
func BenchmarkFunnelMarshalJSON(b *testing.B) {
	f := month()
	for _, bc := range []struct {
		name    string
		marshal func() ([]byte, error)
	}{
		{"json.Marshal", func() ([]byte, error) { return json.Marshal(f) }},
		{"MarshalJSON", f.MarshalJSON},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := bc.marshal(); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu0)
		})
	}
}

// reportCPU reports the CPU time per operation the process used since
// cpu0, the collector's included.
func reportCPU(b *testing.B, cpu0 time.Duration) {
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// countWriter counts the bytes written to it.
type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// BenchmarkResultWriteCSV writes an event funnel broken down by 200 000
// values of five steps each: a million rows. The target is 50 MB/s.
func BenchmarkResultWriteCSV(b *testing.B) {
	const values, steps = 200_000, 5
	r := &funnel.Result{Breakdown: make([]funnel.Result, values)}
	for i := range r.Breakdown {
		g := &r.Breakdown[i]
		g.Values = []string{"campaign-" + strconv.Itoa(i)}
		g.Steps = make([]funnel.StepResult, steps)
		n := int64(1000 + i%977)
		for k := range g.Steps {
			m := n * int64(steps-k) / steps
			rate, _ := kpi.NewRate(m, n)
			g.Steps[k] = funnel.StepResult{Step: "step" + strconv.Itoa(k), Reached: m, Rate: rate, Cumulative: rate,
				Time: funnel.Durations{N: m, Median: time.Duration(k) * time.Hour, P90: time.Duration(k) * 3 * time.Hour, Mean: time.Duration(k) * 90 * time.Minute}}
			n = m
		}
	}
	var cw countWriter
	if err := r.WriteCSV(&cw); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(cw.n)
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		if err := r.WriteCSV(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cw.n)*float64(b.N)/cpu.Seconds()/1e6, "MB/cpu-s")
	}
}
