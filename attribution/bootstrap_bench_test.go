package attribution_test

import (
	"bytes"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/kpiflow/kpi/attribution"
)

// bootPaths is the number of distinct paths the bootstrap benchmarks
// resample: 100,000 by default, KPI_BOOT_PATHS to change it (1000000 for
// the size issue 20 states its speed at).
var bootPaths = sync.OnceValue(func() *attribution.Journeys {
	n := 100_000
	if s := os.Getenv("KPI_BOOT_PATHS"); s != "" {
		if v, err := strconv.Atoi(s); err == nil && v > 0 {
			n = v
		}
	}
	js, err := attribution.Read(bytes.NewReader(generate(n, 20)), attribution.Format{})
	if err != nil {
		panic(err)
	}
	return js
})

func benchBootstrap(b *testing.B, m attribution.Model) {
	js := bootPaths()
	b.ReportAllocs()
	defer reportCPU(b, cpuTime())
	for b.Loop() {
		if _, err := (attribution.Bootstrap{Model: m}).Attribute(js); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBootstrapMarkov1 draws 200 replicates of the order-1 Markov
// model of 100,000 distinct paths over 20 channels.
func BenchmarkBootstrapMarkov1(b *testing.B) { benchBootstrap(b, attribution.Markov{}) }

// BenchmarkBootstrapLinear draws 200 replicates of the linear model of
// the same paths.
func BenchmarkBootstrapLinear(b *testing.B) { benchBootstrap(b, attribution.Linear{}) }
