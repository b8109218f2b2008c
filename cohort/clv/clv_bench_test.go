package clv_test

import (
	"testing"
	"time"

	"github.com/kpiflow/kpi/cohort/clv"
)

// BenchmarkFitBGNBD fits the BG/NBD model to 100,000 customers drawn from
// the CDNOW estimates, acquired over 13 weeks and observed on a calendar
// of days to week 39, as a summary of transactions gives them. The
// issue's target is ≤ 1 s per fit.
func BenchmarkFitBGNBD(b *testing.B) {
	cs := simulate(bgParams{r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}, 100_000, weeks(), 0, 1.0/7, 9)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := clv.FitBGNBD(cs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConditionalPurchases predicts the purchases in the next 39
// weeks of 1,000,000 customers (a cycle of 10,000 simulated histories).
// The target is ≤ 1 s for the million.
func BenchmarkConditionalPurchases(b *testing.B) {
	m, err := clv.NewBGNBD(0.243, 4.414, 0.793, 2.426)
	if err != nil {
		b.Fatal(err)
	}
	cs := simulate(bgParams{r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}, 10_000, weeks(), 0, 0, 10)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var sum float64
		for i := range 1_000_000 {
			v, err := m.ConditionalPurchases(cs[i%len(cs)].History, 39)
			if err != nil {
				b.Fatal(err)
			}
			sum += v
		}
		if sum <= 0 {
			b.Fatal(sum)
		}
	}
}

// BenchmarkSummary adds the 533,590 transactions of 100,000 customers
// and summarises them into calibration and holdout.
func BenchmarkSummary(b *testing.B) {
	tx := transactions(bgParams{r: 2, alpha: 10, a: 2, b: 6}, 100_000, 12)
	split, end := time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC), time.Date(1998, 6, 30, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var p clv.Purchases
		for _, x := range tx {
			if err := p.Add(x); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := p.Summary(split, end, 7*24*time.Hour); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(tx)), "transactions/op")
}
