package attribution_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/kpiflow/kpi/attribution"
)

// generate writes n distinct paths over channels channels with a mean
// length of about 9 touches in ChannelAttribution's layout.
func generate(n, channels int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	names := make([]string, channels)
	for i := range names {
		names[i] = fmt.Sprintf("channel%02d", i)
	}
	seen := make(map[string]bool, n)
	var b bytes.Buffer
	b.WriteString("path;total_conversions;total_conversion_value;total_null\n")
	var p []byte
	for len(seen) < n {
		p = p[:0]
		length := 1 + rng.IntN(17) // 1…17, mean 9
		for k := range length {
			if k > 0 {
				p = append(p, " > "...)
			}
			p = append(p, names[rng.IntN(channels)]...)
		}
		if seen[string(p)] {
			continue
		}
		seen[string(p)] = true
		conv := rng.IntN(4)
		value := "0"
		if conv > 0 {
			value = fmt.Sprintf("%d.%02d", conv*rng.IntN(5000), rng.IntN(100))
		}
		fmt.Fprintf(&b, "%s;%d;%s;%d\n", p, conv, value, rng.IntN(30))
	}
	return b.Bytes()
}

var bigCSV = sync.OnceValue(func() []byte {
	data := generate(1_000_000, 20)
	runtime.GC() // not to charge the generator's garbage to the first benchmark
	return data
})

// BenchmarkReadRules reads 1M distinct paths over 20 channels and runs the
// first, last and linear models.
func BenchmarkReadRules(b *testing.B) {
	data := bigCSV()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	defer reportCPU(b, cpuTime())
	for b.Loop() {
		js, err := attribution.Read(bytes.NewReader(data), attribution.Format{})
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range []attribution.Model{attribution.First{}, attribution.Last{}, attribution.Linear{}} {
			if _, err := m.Attribute(js); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func benchMarkov(b *testing.B, order int) {
	data := bigCSV()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	defer reportCPU(b, cpuTime())
	for b.Loop() {
		js, err := attribution.Read(bytes.NewReader(data), attribution.Format{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := (attribution.Markov{Order: order}).Attribute(js); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMarkov1 reads 1M distinct paths and runs the order-1 Markov
// model.
func BenchmarkMarkov1(b *testing.B) { benchMarkov(b, 1) }

// BenchmarkMarkov3 reads 1M distinct paths and runs the order-3 Markov
// model.
func BenchmarkMarkov3(b *testing.B) { benchMarkov(b, 3) }

// reportCPU reports the processor time per operation (all threads, GC
// included) since start.
func reportCPU(b *testing.B, start time.Duration) {
	if used := cpuTime() - start; used > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
