package kpi_test

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
)

var sink float64

func BenchmarkInterval(b *testing.B) {
	r, _ := kpi.NewRate(96, 240)
	for _, m := range []kpi.Method{kpi.Wilson, kpi.WilsonCC, kpi.Wald, kpi.AgrestiCoull, kpi.ClopperPearson, kpi.Jeffreys} {
		b.Run(m.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				lo, hi, _ := r.Interval(m, 0.95)
				sink += lo + hi
			}
		})
	}
}

// BenchmarkWilsonOddLevel measures a level whose critical value is not
// cached, so the normal quantile is computed on every call.
func BenchmarkWilsonOddLevel(b *testing.B) {
	r, _ := kpi.NewRate(96, 240)
	b.ReportAllocs()
	for b.Loop() {
		lo, hi, _ := r.Interval(kpi.Wilson, 0.8)
		sink += lo + hi
	}
}

func BenchmarkClopperPearsonLarge(b *testing.B) {
	r, _ := kpi.NewRate(123456, 1000000)
	b.ReportAllocs()
	for b.Loop() {
		lo, hi, _ := r.Interval(kpi.ClopperPearson, 0.95)
		sink += lo + hi
	}
}

func BenchmarkCompare(b *testing.B) {
	cases := []struct {
		name           string
		xa, na, xb, nb int64
	}{
		{"small", 52, 110, 40, 96},
		{"million", 100000, 1000000, 101000, 1000000},
		{"million-equal", 500000, 1000000, 500000, 1000000},
	}
	for _, c := range cases {
		a, _ := kpi.NewRate(c.xa, c.na)
		bb, _ := kpi.NewRate(c.xb, c.nb)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				cmp, _ := kpi.Compare(a, bb)
				sink += cmp.FisherP
			}
		})
	}
}

func BenchmarkRateTest(b *testing.B) {
	for _, n := range []int64{100, 1000000} {
		r, _ := kpi.NewRate(n*2/5, n)
		b.Run(decimal.NewFromInt(n).String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				t, _ := r.Test(0.41)
				sink += t.TwoSided
			}
		})
	}
}

func BenchmarkAllocate(b *testing.B) {
	total := decimal.RequireFromString("74802.97")
	weights := []float64{6308, 4606, 3164, 2831, 1200, 900, 420, 180, 99, 50, 20, 7}
	b.ReportAllocs()
	for b.Loop() {
		parts, _ := kpi.Allocate(total, weights, 2)
		sink += float64(len(parts))
	}
}

// BenchmarkAllocateLarge splits a budget over n and 10n random weights:
// the cost per weight must stay the same (issue 13: 10⁶ weights took
// 5.5 s). Run with -bench AllocateLarge; cpu-ns/op is the processor
// time, steadier than the wall time on a shared machine.
func BenchmarkAllocateLarge(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		r := rand.New(rand.NewPCG(1, 2))
		weights := make([]float64, n)
		for i := range weights {
			weights[i] = r.Float64()
		}
		total := decimal.RequireFromString("1000000000.00")
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				parts, _ := kpi.Allocate(total, weights, 2)
				sink += float64(len(parts))
			}
			reportCPU(b, start)
		})
	}
}

// reportCPU reports the processor time per operation (all threads, GC
// included) since start.
func reportCPU(b *testing.B, start time.Duration) {
	if used := cpuTime() - start; used > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
