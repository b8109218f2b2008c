package chart_test

import (
	"io"
	"testing"

	"github.com/kpiflow/kpi/chart"
	"github.com/kpiflow/kpi/cohort"
)

// BenchmarkFunnel draws the quickstart's six-stage funnel with targets
// (the issue asks ≤ 2 ms).
func BenchmarkFunnel(b *testing.B) {
	f := newFunnel(b, quickCounts...)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		if err := chart.Funnel(io.Discard, f, quickTargets, chart.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRetention draws a grid of 100 cohorts by 24 ages (the issue
// asks ≤ 20 ms).
func BenchmarkRetention(b *testing.B) {
	for _, bc := range []struct {
		name  string
		table *cohort.Table
	}{
		{"quickstart", cohorts(b, 4, cohort.Month)},
		{"100x24", grid(100, 24, 1000)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				if err := chart.Retention(io.Discard, bc.table, chart.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTrend draws twelve weeks of a step rate.
func BenchmarkTrend(b *testing.B) {
	ws := weeks(b, 12)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		if err := chart.Trend(io.Discard, ws, chart.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGains draws the cumulative gains of 4000 leads.
func BenchmarkGains(b *testing.B) {
	e := evaluation(b, 4000)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		if err := chart.Gains(io.Discard, e, chart.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
