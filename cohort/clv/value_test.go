package clv_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort/clv"
)

func TestValuationValue(t *testing.T) {
	// Purchases r = 1, α = 1, a = 2, b = 1; spend p = 1, q = 2, γ = 1. The
	// customer has x = 1, t_x = T = 1 and a mean of 3, so
	//	E[Z] = p(γ + m·x)/(px + q − 1) = (1 + 3)/2 = 2
	// and (see TestBGNBDConditionalPurchases) E[Y(1)] = 8 ln 1.5 − 3,
	// E[Y(2)] = 2 ln 2 − 1. Two periods of 1 at 10 % and margin 0.5:
	//	0.5 · 2 · (E1/1.1 + (E2 − E1)/1.21) = 0.33939375835241498 (mpmath)
	// One period of 2, undiscounted: 0.5 · 2 · E2 = 0.386294361…
	// A new customer (x = 0, T = 1) spends the population's mean
	// pγ/(q−1) = 1 and over one period of 2 expects 2(1 − ln 2):
	// 0.5 · 1 · 2(1 − ln 2) = 0.306852819…
	base := clv.Valuation{Purchases: mustBG(t, 1, 1, 2, 1), Spend: mustGG(t, 1, 2, 1), Margin: 0.5}
	cases := []struct {
		name                     string
		periods                  int
		length, discount, margin float64
		c                        clv.RFM
		want                     string
	}{
		{"two discounted periods", 2, 1, 0.1, 0.5, rfm(1, 1, 1, "3"), "0.339394"},
		{"one undiscounted period", 1, 2, 0, 0.5, rfm(1, 1, 1, "3"), "0.386294"},
		{"new customer", 1, 2, 0, 0.5, rfm(0, 0, 1, "0"), "0.306853"},
		{"full margin", 1, 2, 0, 1, rfm(0, 0, 1, "0"), "0.613706"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := base
			v.Periods, v.Length, v.Discount, v.Margin = tc.periods, tc.length, tc.discount, tc.margin
			got, err := v.Value(tc.c)
			require.NoError(t, err)
			assertDec(t, tc.want, got)
		})
	}
}

func TestValuationValueErrors(t *testing.T) {
	ok := clv.Valuation{Purchases: mustBG(t, 1, 1, 2, 1), Spend: mustGG(t, 1, 2, 1), Periods: 3, Length: 1, Discount: 0.01, Margin: 1}
	with := func(f func(v *clv.Valuation)) clv.Valuation {
		v := ok
		f(&v)
		return v
	}
	cases := []struct {
		name  string
		v     clv.Valuation
		c     clv.RFM
		class error
		want  string
	}{
		{"zero purchases model", with(func(v *clv.Valuation) { v.Purchases = clv.BGNBD{} }), rfm(0, 0, 1, "0"), kpi.ErrInvalid,
			"clv.Valuation.Value: Purchases zero value: use clv.NewBGNBD or clv.FitBGNBD"},
		{"zero spend model", with(func(v *clv.Valuation) { v.Spend = clv.GammaGamma{} }), rfm(0, 0, 1, "0"), kpi.ErrInvalid,
			"clv.Valuation.Value: Spend zero value: use clv.NewGammaGamma or clv.FitGammaGamma"},
		{"no periods", with(func(v *clv.Valuation) { v.Periods = 0 }), rfm(0, 0, 1, "0"), kpi.ErrInvalid,
			"clv.Valuation.Value: periods 0: must lie in [1, 10000]"},
		// Periods had no upper bound: MaxInt64 periods ran a ₂F₁ each for ever.
		{"periods beyond the bound", with(func(v *clv.Valuation) { v.Periods = math.MaxInt }), rfm(0, 0, 1, "0"), kpi.ErrInvalid,
			"clv.Valuation.Value: periods 9223372036854775807: must lie in [1, 10000]"},
		{"zero length", with(func(v *clv.Valuation) { v.Length = 0 }), rfm(0, 0, 1, "0"), kpi.ErrInvalid,
			"clv.Valuation.Value: length 0: must be a finite number > 0"},
		{"negative discount", with(func(v *clv.Valuation) { v.Discount = -0.1 }), rfm(0, 0, 1, "0"), kpi.ErrInvalid,
			"clv.Valuation.Value: discount rate -0.1: must be a finite number ≥ 0"},
		{"NaN discount", with(func(v *clv.Valuation) { v.Discount = math.NaN() }), rfm(0, 0, 1, "0"), kpi.ErrInvalid,
			"clv.Valuation.Value: discount rate NaN: must be a finite number ≥ 0"},
		{"margin above 1", with(func(v *clv.Valuation) { v.Margin = 1.5 }), rfm(0, 0, 1, "0"), kpi.ErrInvalid,
			"clv.Valuation.Value: gross margin 1.5: must lie in (0, 1]"},
		{"bad history", ok, rfm(2, 3, 1, "5"), kpi.ErrInvalid,
			"clv.Valuation.Value: customer recency 3: exceeds the age 1: the last purchase lies after the end of calibration"},
		{"unbounded spend", with(func(v *clv.Valuation) { v.Spend = mustGG(t, 1, 0.5, 1) }), rfm(0, 0, 1, "0"), clv.ErrUnbounded,
			"clv.Valuation.Value: frequency 0: px + q = 0.5 ≤ 1: the expected value is infinite"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.v.Value(tc.c)
			require.ErrorIs(t, err, tc.class)
			assert.EqualError(t, err, tc.want)
		})
	}
}
