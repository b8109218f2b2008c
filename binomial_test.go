package kpi_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
)

// Expected p-values from R 4.2.2:
//
//	binom.test(x, n, p, alternative = "less" / "greater")$p.value
//	binom.test(x, n, p)$p.value
func TestRateTest(t *testing.T) {
	cases := []struct {
		name                    string
		x, n                    int64
		target                  float64
		less, greater, twoSided float64
	}{
		{"6 of 25 vs 40%", 6, 25, 0.4, 0.0735652578301738, 0.97063779520774607, 0.15136632169724662},
		{"none of 10", 0, 10, 0.3, 0.028247524899999987, 1, 0.038839603299999984},
		{"all of 10", 10, 10, 0.5, 1, 0.00097656250000000022, 0.0019531250000000004},
		{"quickstart SLA", 40, 96, 0.5, 0.062672848594246336, 0.95890346572152829, 0.12534569718849267},
		{"rare event above", 3, 20, 0.05, 0.98409847398023642, 0.075483673788496367, 0.075483673788496367},
		{"1000 trials", 120, 1000, 0.1, 0.98274276947337991, 0.021996144965794384, 0.039607719641630443},
		{"100000 trials", 10300, 100000, 0.1, 0.99919757490572958, 0.00083164190894514597, 0.0016227946602655309},
		{"at the mean", 5, 10, 0.5, 0.62304687499999989, 0.62304687499999989, 1},
		{"7 of 12 vs 35%", 7, 12, 0.35, 0.97449254300109134, 0.084632065121566846, 0.12707336351550952},
		{"1 of 300 vs 2%", 1, 300, 0.02, 0.016613152614592806, 0.9976674943320486, 0.035582550577282226},
		{"mean 9700 in float", 9700, 10000, 0.97, 0.50802937174031759, 0.51535053756278182, 1},
		{"million trials, tiny target", 2, 1000000, 0.000001, 0.91969869489855016, 0.2642411176570838, 0.2642411176570838},
		// Degenerate targets, by hand: with p0 = 0, X = 0 always; with
		// p0 = 1, X = n always.
		{"target 0, x 0", 0, 5, 0, 1, 1, 1},
		{"target 0, x 2", 2, 5, 0, 1, 0, 0},
		{"target 1, x n", 5, 5, 1, 1, 1, 1},
		{"target 1, x 4", 4, 5, 1, 0, 1, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := kpi.NewRate(c.x, c.n)
			require.NoError(t, err)
			got, err := r.Test(c.target)
			require.NoError(t, err)
			assert.Equal(t, c.target, got.Target)
			closeTo(t, c.less, got.Less, "less")
			closeTo(t, c.greater, got.Greater, "greater")
			closeTo(t, c.twoSided, got.TwoSided, "two-sided")
		})
	}
}

func TestRateTestErrors(t *testing.T) {
	r, err := kpi.NewRate(3, 10)
	require.NoError(t, err)
	huge, err := kpi.NewRate(5, kpi.MaxTrials+1)
	require.NoError(t, err)
	cases := []struct {
		name   string
		rate   kpi.Rate
		target float64
		class  error
		msg    string
	}{
		{"too many trials", huge, 0.5, kpi.ErrInvalid, "kpi.Rate.Test: trials 1099511627777: exceeds MaxTrials (2^40)"},
		{"no trials", kpi.Rate{}, 0.5, kpi.ErrUndefined, "kpi.Rate.Test: trials 0: a rate with no trials cannot be tested"},
		{"negative target", r, -0.1, kpi.ErrInvalid, "kpi.Rate.Test: target -0.1: must lie in [0, 1]"},
		{"target above 1", r, 1.5, kpi.ErrInvalid, "kpi.Rate.Test: target 1.5: must lie in [0, 1]"},
		{"NaN target", r, math.NaN(), kpi.ErrInvalid, "kpi.Rate.Test: target NaN: must lie in [0, 1]"},
		{"infinite target", r, math.Inf(1), kpi.ErrInvalid, "kpi.Rate.Test: target +Inf: must lie in [0, 1]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.rate.Test(c.target)
			assert.ErrorIs(t, err, c.class)
			assert.EqualError(t, err, c.msg)
		})
	}
}

// Large samples, where the tails are summed from Loader's saddle-point
// probability. Expected values from R 4.2.2: pbinom(x, n, p),
// pbinom(x − 1, n, p, lower.tail = FALSE) and binom.test(x, n, p)$p.value
// (R's binom.test cannot allocate its vector at n = 2⁴⁰, so that row has
// no two-sided value and checks the one-sided ones only).
func TestRateTestLarge(t *testing.T) {
	cases := []struct {
		name                    string
		x, n                    int64
		target                  float64
		less, greater, twoSided float64
	}{
		{"2^20 near the mean", 524248, 1048576, 0.5, 0.4692527325434474, 0.53152407715839423, 0.93850546508689481},
		{"2^24 below", 8384608, 16777216, 0.5, 0.025416855503701492, 0.97461206655070365, 0.050833711007402985},
		{"2^28 near the mean", 134217688, 268435456, 0.5, 0.49807639660531122, 0.50197230182294761, 0.99615279321062244},
		{"2^28 above", 134247728, 268435456, 0.5, 0.99987495630562628, 0.00012510330842987609, 0.00025020661685975218},
		{"12 million visits", 1200000, 12000000, 0.1002, 0.010515567835224705, 0.9895111899423954, 0.021035217866345757},
		{"rare at 12 million", 30, 12000000, 0.000002, 0.90415181587180027, 0.13212335795182811, 0.2192495780807881},
		{"at MaxTrials", 1<<38 + 1000000, kpi.MaxTrials, 0.25, 0.98618206297151456, 0.013818014743886777, math.NaN()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := kpi.NewRate(c.x, c.n)
			require.NoError(t, err)
			got, err := r.Test(c.target)
			require.NoError(t, err)
			closeTo(t, c.less, got.Less, "less")
			closeTo(t, c.greater, got.Greater, "greater")
			if !math.IsNaN(c.twoSided) {
				closeTo(t, c.twoSided, got.TwoSided, "two-sided")
			}
		})
	}
}
