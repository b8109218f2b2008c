package scoring_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/scoring"
)

// Predicted probabilities with outcomes; expected values from
// scikit-learn 1.2.1: brier_score_loss(y, p) = 0.140625 and
// calibration_curve(y, p, n_bins=4 or 10) (prob_true, prob_pred).
var (
	probs  = []float64{0.0, 0.1, 0.15, 0.2, 0.35, 0.5, 0.5, 0.6, 0.8, 0.95, 1.0, 0.3}
	probsY = bools(0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1, 0)
)

// TestBrier checks the Brier score against scikit-learn (above) and by
// hand: predicting the base rate ½ for two leads scores ¼; perfect
// predictions score 0.
func TestBrier(t *testing.T) {
	rows := []struct {
		name string
		p    []float64
		y    []bool
		want float64
	}{
		{"scikit-learn", probs, probsY, 0.140625},
		{"base rate", []float64{0.5, 0.5}, bools(1, 0), 0.25},
		{"perfect", []float64{1, 0}, bools(1, 0), 0},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			b, err := scoring.Brier(r.p, r.y)
			require.NoError(t, err)
			assert.InDelta(t, r.want, b, 1e-15)
		})
	}
}

// TestReliability checks the reliability table against scikit-learn's
// calibration_curve (prob_true and prob_pred; empty bins left out). With
// 4 bins, p = 0.5 falls in (0.25, 0.5] and p = 0 in the first bin.
func TestReliability(t *testing.T) {
	rows := []struct {
		name      string
		bins      int
		rate      []float64
		predicted []float64
		lo        []float64
	}{
		{"4 bins", 4, []float64{0.25, 0.25, 1, 1}, []float64{0.1125, 0.41250000000000003, 0.6, 0.9166666666666666}, []float64{0, 0.25, 0.5, 0.75}},
		{"10 bins", 10, []float64{0, 0.5, 0, 0, 0.5, 1, 1, 1}, []float64{0.05, 0.175, 0.3, 0.35, 0.5, 0.6, 0.8, 0.975}, []float64{0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.7000000000000001, 0.9}},
		{"1 bin", 1, []float64{6.0 / 12}, []float64{5.45 / 12}, []float64{0}},
		// More bins than 4 × 12 leads take the sorted path. With 1000 bins,
		// or 2^31, every distinct probability has a bin to itself (by hand:
		// the 11 distinct values, 0.5 twice with one conversion), and the
		// bin's lower edge lies just below it.
		{"1000 bins", 1000, []float64{0, 0, 1, 0, 0, 0, 0.5, 1, 1, 1, 1}, []float64{0, 0.1, 0.15, 0.2, 0.3, 0.35, 0.5, 0.6, 0.8, 0.95, 1},
			[]float64{0, 0.099, 0.149, 0.199, 0.299, 0.349, 0.499, 0.599, 0.799, 0.949, 0.999}},
		{"2^31 bins", 1 << 31, []float64{0, 0, 1, 0, 0, 0, 0.5, 1, 1, 1, 1}, []float64{0, 0.1, 0.15, 0.2, 0.3, 0.35, 0.5, 0.6, 0.8, 0.95, 1},
			[]float64{0, 0.1, 0.15, 0.2, 0.3, 0.35, 0.5, 0.6, 0.8, 0.95, 1}},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			cal, err := scoring.Reliability(probs, probsY, r.bins)
			require.NoError(t, err)
			require.Len(t, cal, len(r.rate))
			var n int64
			for k, c := range cal {
				v, err := c.Rate.Value()
				require.NoError(t, err)
				assert.InDelta(t, r.rate[k], v, 1e-15, "bin %d", k)
				assert.InDelta(t, r.predicted[k], c.Predicted, 1e-15, "bin %d", k)
				assert.InDelta(t, r.lo[k], c.Lo, max(1e-15, 1/float64(r.bins)), "bin %d", k) // 2^31 bins: within a bin's width
				assert.InDelta(t, c.Lo+1/float64(r.bins), c.Hi, 1e-15)
				n += c.Rate.Trials()
			}
			assert.Equal(t, int64(len(probs)), n)
		})
	}
}

// TestCalibrationErrors checks bad probabilities and bins.
func TestCalibrationErrors(t *testing.T) {
	rows := []struct {
		name string
		p    []float64
		y    []bool
		bins int
		msg  string
	}{
		{"lengths", []float64{0.5}, bools(1, 0), 2, "converted length 2: differs from 1 probabilities"},
		{"empty", nil, nil, 2, "probs []: no leads"},
		{"above 1", []float64{0.5, 1.5}, bools(1, 0), 2, "probs[1] 1.5: not a probability in [0, 1]"},
		{"negative", []float64{-0.1}, bools(1), 2, "probs[0] -0.1: not a probability in [0, 1]"},
		{"NaN", []float64{math.NaN()}, bools(1), 2, "probs[0] NaN: not a probability in [0, 1]"},
		{"bins", []float64{0.5}, bools(1), 0, "scoring.Reliability: bins 0: want 1 to 2^31"},
		// Issue 13's probe: 2^40 bins exhausted memory.
		{"2^40 bins", []float64{0.5}, bools(1), 1 << 40, "scoring.Reliability: bins 1099511627776: want 1 to 2^31"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			_, err := scoring.Reliability(r.p, r.y, r.bins)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, r.msg)
			if r.bins > 0 && r.bins <= 1<<31 { // the rows whose probabilities are bad
				_, err = scoring.Brier(r.p, r.y)
				assert.ErrorIs(t, err, kpi.ErrInvalid)
				assert.ErrorContains(t, err, "scoring.Brier: "+r.msg)
			}
		})
	}
}
