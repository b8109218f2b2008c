package clv_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort/clv"
)

// TestFitErrorsNameParameters checks that a fit whose parameter runs off
// names it as the constructors do (r, alpha, a, b; p, q, gamma), where the
// search underneath numbered it ("parameter 0"). Which parameter runs off
// is the first, in the order of the constructor's arguments, whose
// logarithm the search found beyond ±11.5 (10^±5): which one that is was
// read off the search for each data set; what the row checks is that it
// is named. Why the data have no finite maximum, by hand:
//   - clockwork buyers (x = t_x = T) never churn and buy at one rate, so
//     the rates' spread vanishes (r, α → ∞);
//   - equal mean values leave no spread of values for the Gamma–Gamma;
//   - one repeat buyer among two, and two customers of one repeat
//     purchase each, are too few to bound every parameter.
func TestFitErrorsNameParameters(t *testing.T) {
	clockwork := []clv.RFM{rfm(10, 10, 10, "0"), rfm(5, 5, 5, "0"), rfm(20, 20, 20, "0")}
	oneRepeat := []clv.RFM{rfm(1, 1, 5, "10"), rfm(0, 0, 5, "0")}
	equal := []clv.RFM{rfm(1, 1, 5, "10"), rfm(2, 3, 5, "10"), rfm(5, 4, 5, "10")}
	twoValues := []clv.RFM{rfm(1, 1, 5, "10"), rfm(1, 1, 5, "20")}
	fitBG := func(c []clv.RFM) error { _, err := clv.FitBGNBD(c); return err }
	estBG := func(c []clv.RFM) error { _, err := clv.EstimateBGNBD(c); return err }
	fitGG := func(c []clv.RFM) error { _, err := clv.FitGammaGamma(c); return err }
	estGG := func(c []clv.RFM) error { _, err := clv.EstimateGammaGamma(c); return err }
	const reason = ": runs off towards the edge: the likelihood has no finite maximum"
	tests := []struct {
		name      string
		fit       func([]clv.RFM) error
		customers []clv.RFM
		fn, arg   string
	}{
		{"FitBGNBD clockwork", fitBG, clockwork, "clv.FitBGNBD", "r"},
		{"EstimateBGNBD clockwork", estBG, clockwork, "clv.EstimateBGNBD", "r"},
		{"FitBGNBD one repeat buyer", fitBG, oneRepeat, "clv.FitBGNBD", "a"},
		{"FitGammaGamma equal values", fitGG, equal, "clv.FitGammaGamma", "p"},
		{"EstimateGammaGamma equal values", estGG, equal, "clv.EstimateGammaGamma", "p"},
		{"FitGammaGamma two values", fitGG, twoValues, "clv.FitGammaGamma", "q"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.fit(tc.customers)
			require.ErrorIs(t, err, clv.ErrNotConverged)
			var ke *kpi.Error
			require.ErrorAs(t, err, &ke)
			assert.Equal(t, tc.fn, ke.Func)
			assert.Equal(t, tc.arg, ke.Arg)
			assert.ErrorContains(t, err, tc.fn+": "+tc.arg+" ")
			assert.ErrorContains(t, err, reason)
			assert.NotContains(t, err.Error(), "parameter ")
		})
	}
}
