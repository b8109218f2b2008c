package kpi_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
)

// TestCharts checks a worked example by Minitab's formulas for the P and
// Laney P′ charts, computed by hand (with R 4.2.2 as the calculator):
//
//	x = (10, 20, 15, 30), n = (100, 200, 100, 200), p̄ = 75/600 = 0.125
//	σ = sqrt(0.125·0.875/n) = 0.033071891388307385 (n = 100), 0.023385358667337135 (n = 200)
//	p = (0.10, 0.10, 0.15, 0.15)
//	z = (−0.75592894601845417, −1.0690449676496971, 0.75592894601845417, 1.0690449676496971)
//	moving ranges 0.31311601163124, 1.82497391366815, 0.31311601163124; mean 0.81706864564355
//	σ_z = 0.81706864564355/1.128 = 0.72435164211898273
//	p-chart:  [0.025784325835077837, 0.22421567416492216] (n = 100), [0.054843923997988597, 0.1951560760020114] (n = 200)
//	p′-chart: [0.053132963494696706, 0.19686703650530329] (n = 100), [0.074182331143318875, 0.17581766885668113] (n = 200)
func TestCharts(t *testing.T) {
	periods := rates(t, 10, 100, 20, 200, 15, 100, 30, 200)
	z := []float64{-0.75592894601845417, -1.0690449676496971, 0.75592894601845417, 1.0690449676496971}
	tests := []struct {
		name   string
		chart  func([]kpi.Rate) (kpi.Chart, error)
		sigmaZ float64
		limits [2][2]float64 // n = 100, n = 200
	}{
		{"p-chart", kpi.PChart, 1, [2][2]float64{{0.025784325835077837, 0.22421567416492216}, {0.054843923997988597, 0.1951560760020114}}},
		{"Laney", kpi.LaneyChart, 0.72435164211898273, [2][2]float64{{0.053132963494696706, 0.19686703650530329}, {0.074182331143318875, 0.17581766885668113}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.chart(periods)
			require.NoError(t, err)
			closeTo(t, 0.125, c.Center, "centre")
			closeTo(t, tc.sigmaZ, c.SigmaZ, "sigma z")
			require.Len(t, c.Points, 4)
			for i, pt := range c.Points {
				lim := tc.limits[i%2]
				closeTo(t, lim[0], pt.Lower, "lower")
				closeTo(t, lim[1], pt.Upper, "upper")
				closeTo(t, z[i], pt.Z, "z")
				assert.Equal(t, periods[i], pt.Rate)
				assert.Equal(t, kpi.Signal(0), pt.Signals)
			}
		})
	}
}

// TestChartSignals builds series by hand whose rules are known: periods
// of 100 trials around p̄; a 30 % week among 10 % ones is beyond 3σ
// (p̄ ≈ 0.11, σ ≈ 0.031); 8 weeks above the centre line fire Shift on the
// eighth; 6 rising weeks fire Drift on the sixth.
func TestChartSignals(t *testing.T) {
	series := func(xs ...int64) []kpi.Rate {
		out := make([]kpi.Rate, len(xs))
		for i, x := range xs {
			out[i] = must(kpi.NewRate(x, 100))
		}
		return out
	}
	tests := []struct {
		name    string
		periods []kpi.Rate
		want    map[int]kpi.Signal
	}{
		{"one beyond, after a run below", series(10, 10, 10, 10, 10, 10, 10, 10, 10, 30), map[int]kpi.Signal{7: kpi.Shift, 8: kpi.Shift, 9: kpi.Beyond}},
		{"shift", series(5, 5, 5, 5, 5, 5, 5, 5, 12, 13, 12, 13, 12, 13, 12, 13),
			map[int]kpi.Signal{7: kpi.Shift, 15: kpi.Shift}},
		{"drift", series(10, 9, 10, 11, 12, 13, 14, 10, 10, 10), map[int]kpi.Signal{6: kpi.Drift}},
		{"falling, a tie breaks it", series(20, 19, 18, 18, 17, 16, 15, 14, 13), map[int]kpi.Signal{8: kpi.Drift}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := kpi.PChart(tc.periods)
			require.NoError(t, err)
			for i, pt := range c.Points {
				assert.Equal(t, tc.want[i], pt.Signals, "period %d: %v", i, pt.Signals)
			}
		})
	}
}

func TestChartErrors(t *testing.T) {
	tests := []struct {
		name    string
		periods []kpi.Rate
		class   error
		msg     string
	}{
		{"one period", rates(t, 1, 10), kpi.ErrInvalid, "kpi.PChart: periods 1: need at least two periods"},
		{"empty period", []kpi.Rate{must(kpi.NewRate(1, 10)), {}}, kpi.ErrUndefined, "kpi.PChart: periods[1] trials 0: a period with no trials has no rate to chart"},
		{"too many", rates(t, 1, kpi.MaxTrials, 1, 10), kpi.ErrInvalid, "kpi.PChart: periods 1099511627786: more than MaxTrials trials in all"},
		{"past 2^53 trials", full(t, 1<<13+1), kpi.ErrInvalid, "kpi.PChart: periods about 9.008e+15: more than MaxTrials trials in all"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kpi.PChart(tc.periods)
			require.ErrorIs(t, err, tc.class)
			assert.EqualError(t, err, tc.msg)
			_, err = kpi.LaneyChart(tc.periods)
			assert.ErrorIs(t, err, tc.class)
		})
	}
}

// TestChartDegenerate: with p̄ = 0 the limits are the centre line and
// nothing signals; σ_z is 0 for Laney.
func TestChartDegenerate(t *testing.T) {
	tests := []struct {
		name  string
		chart func([]kpi.Rate) (kpi.Chart, error)
	}{{"p", kpi.PChart}, {"Laney", kpi.LaneyChart}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.chart(rates(t, 0, 10, 0, 20, 0, 5))
			require.NoError(t, err)
			for _, pt := range c.Points {
				assert.Equal(t, 0.0, pt.Lower)
				assert.Equal(t, 0.0, pt.Upper)
				assert.Equal(t, kpi.Signal(0), pt.Signals)
				assert.False(t, math.IsNaN(pt.Z))
			}
		})
	}
}

func TestSignalString(t *testing.T) {
	tests := []struct {
		s    kpi.Signal
		want string
	}{
		{0, "none"}, {kpi.Beyond, "beyond"}, {kpi.Beyond | kpi.Drift, "beyond|drift"}, {kpi.Shift | 0x10, "shift|Signal(0x10)"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.s.String())
		})
	}
}

// Twelve weeks of MQL→SQL on a p-chart: the week that fell to 18 % is
// beyond its limits.
func ExamplePChart() {
	weeks := []kpi.Rate{}
	for _, x := range []int64{40, 42, 38, 41, 44, 39, 18, 40, 43, 41, 39, 42} {
		weeks = append(weeks, must(kpi.NewRate(x, 100)))
	}
	c, _ := kpi.PChart(weeks)
	for i, pt := range c.Points {
		if pt.Signals != 0 {
			fmt.Printf("week %d: %.2f outside [%.3f, %.3f]: %v\n", i+1, pt.Value, pt.Lower, pt.Upper, pt.Signals)
		}
	}
	// Output: week 7: 0.18 outside [0.243, 0.535]: beyond
}

// Large weekly volumes with a rate that wanders: the p-chart flags most
// weeks, Laney's p′-chart measures the wandering (σ_z) and flags none.
func ExampleLaneyChart() {
	weeks := []kpi.Rate{}
	for _, x := range []int64{2150, 1850, 2200, 1900, 2100, 1800, 2120, 1880} {
		weeks = append(weeks, must(kpi.NewRate(x, 10000)))
	}
	p, _ := kpi.PChart(weeks)
	l, _ := kpi.LaneyChart(weeks)
	count := func(c kpi.Chart) (k int) {
		for _, pt := range c.Points {
			if pt.Signals&kpi.Beyond != 0 {
				k++
			}
		}
		return k
	}
	fmt.Printf("p-chart: %d beyond; Laney: sigma_z %.2f, %d beyond\n", count(p), l.SigmaZ, count(l))
	// Output: p-chart: 4 beyond; Laney: sigma_z 6.36, 0 beyond
}

// A signal prints as the rules it holds.
func ExampleSignal_String() {
	fmt.Println(kpi.Beyond|kpi.Shift, kpi.Signal(0))
	// Output: beyond|shift none
}

// BenchmarkLaneyChart charts 520 weekly periods (the issue's target: at
// most 50 µs).
func BenchmarkLaneyChart(b *testing.B) {
	weeks := make([]kpi.Rate, 520)
	for i := range weeks {
		weeks[i] = must(kpi.NewRate(int64(400+i%37), 1000))
	}
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		c, _ := kpi.LaneyChart(weeks)
		sink += c.SigmaZ
	}
	reportCPU(b, start)
}
