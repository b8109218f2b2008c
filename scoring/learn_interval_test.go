package scoring_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/scoring"
)

// TestFitIntervals checks the intervals of the fit of threeRules (λ = 0)
// against R 4.2.2: confint.default(m) for the coefficients of
//
//	m <- glm(cbind(y, n − y) ~ x1 + x2 + x3, family = binomial)
//
// and, for the suggested points s(b) = b·35/Σ|b|, the delta method in R
// with vcov(m) and a central-difference gradient (h = 1e-6):
// sqrt(t(g) %*% V %*% g), s ± qnorm(0.975)·se.
func TestFitIntervals(t *testing.T) {
	s := flagScorer(t, threePoints, "a", "b", "c")
	f, err := scoring.Learn(s, outcomes(threeRules), 0)
	require.NoError(t, err)
	tests := []struct {
		name           string
		level          float64
		j              int
		coefLo, coefHi float64
		se, lo, hi     float64
	}{
		{"a", 0.95, 0, 0.794198911885, 1.51876202579, 1.62145785323, 9.90347210804, 16.2594700976},
		{"b", 0.95, 1, 0.417069045162, 1.13911764828, 1.68300158456, 5.5027415648, 12.0999865481},
		{"c", 0.95, 2, 0.794391185022, 1.52488083348, 1.61710808247, 9.94769123995, 16.2866384415},
		// At 90 %: 13.1171648407 ± qnorm(0.95)·1.61710808247.
		{"c at 90 %", 0.90, 2, 1.159636009249019 - 1.644853627*0.186352824392930, 1.159636009249019 + 1.644853627*0.186352824392930,
			1.61710808247, 13.1171648407 - 1.644853627*1.61710808247, 13.1171648407 + 1.644853627*1.61710808247},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ivs, err := f.Intervals(tc.level)
			require.NoError(t, err)
			require.Len(t, ivs, 3)
			iv := ivs[tc.j]
			assert.Equal(t, f.Rules[tc.j].ID, iv.ID)
			assert.InDelta(t, tc.coefLo, iv.Coef.Lo, 1e-7)
			assert.InDelta(t, tc.coefHi, iv.Coef.Hi, 1e-7)
			assert.Equal(t, "Wald", iv.Coef.Method)
			assert.InEpsilon(t, tc.se, iv.SuggestedSE, 1e-6)
			assert.InDelta(t, tc.lo, iv.Suggested.Lo, 1e-5)
			assert.InDelta(t, tc.hi, iv.Suggested.Hi, 1e-5)
			assert.Equal(t, kpi.Interval{Lo: iv.Suggested.Lo, Hi: iv.Suggested.Hi, Level: tc.level, Method: "delta"}, iv.Suggested)
		})
	}
}

func TestFitIntervalsErrors(t *testing.T) {
	s := flagScorer(t, threePoints, "a", "b", "c")
	f, err := scoring.Learn(s, outcomes(threeRules), 0)
	require.NoError(t, err)
	tests := []struct {
		name  string
		f     *scoring.Fit
		level float64
		msg   string
	}{
		{"level 1", f, 1, "scoring.Fit.Intervals: level 1: must lie in (0, 1)"},
		{"level NaN", f, math.NaN(), "level NaN"},
		{"zero Fit", &scoring.Fit{}, 0.95, "scoring.Fit.Intervals: f zero value: use Learn"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.f.Intervals(tc.level)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, tc.msg)
		})
	}
}
