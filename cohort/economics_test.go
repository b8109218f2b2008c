package cohort_test

import (
	"math"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
)

// feb and apr are the demo's calendar movements (see TestTablePeriods).
var (
	feb = cohort.Movement{Opening: d("150"), New: d("200"), Expansion: d("20"), Churn: d("50"),
		OpeningAccounts: 2, NewAccounts: 1, Churned: 1}
	apr = cohort.Movement{Opening: d("410"), Contraction: d("40"), Churn: d("200"), OpeningAccounts: 5, Churned: 1}
	// mix has every flow: 1000 + 50 new + 80 expansion + 20 back − 30 − 100.
	mix = cohort.Movement{Opening: d("1000"), New: d("50"), Expansion: d("80"), Reactivation: d("20"),
		Contraction: d("30"), Churn: d("100"), OpeningAccounts: 40, NewAccounts: 3, Reactivated: 1, Churned: 4}
)

func TestMovementClosing(t *testing.T) {
	cases := []struct {
		name     string
		m        cohort.Movement
		want     string
		accounts int64
	}{
		{"feb", feb, "320", 2},   // 150 + 200 + 20 − 50; 2 + 1 − 1
		{"apr", apr, "170", 4},   // 410 − 40 − 200; 5 − 1
		{"mix", mix, "1020", 40}, // 1000 + 50 + 80 + 20 − 30 − 100; 40 + 3 + 1 − 4
		{"zero", cohort.Movement{}, "0", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assertDec(t, tc.want, tc.m.Closing())
			assert.Equal(t, tc.accounts, tc.m.ClosingAccounts())
		})
	}
}

func TestMovementClosingAccounts(t *testing.T) {
	cases := []struct {
		name string
		m    cohort.Movement
		want int64
	}{
		{"feb", feb, 2},
		{"mix", mix, 40},
		// Probe, hand-built: (2⁶³−1) + (2⁶³−1) + 5 wrapped to 3; beyond
		// int64 the sum saturates.
		{"beyond int64", cohort.Movement{OpeningAccounts: math.MaxInt64, NewAccounts: math.MaxInt64, Reactivated: 5}, math.MaxInt64},
		{"below int64", cohort.Movement{OpeningAccounts: math.MinInt64, Churned: 1}, math.MinInt64},
		{"Churned = MinInt64", cohort.Movement{Churned: math.MinInt64}, math.MaxInt64},
		// The terms pass beyond int64 on the way but the sum does not:
		// (2⁶³−1) + 10 − 20 = 2⁶³ − 11, exactly.
		{"back within int64", cohort.Movement{OpeningAccounts: math.MaxInt64, NewAccounts: 10, Churned: 20}, math.MaxInt64 - 10},
		{"negative counts add as they are", cohort.Movement{OpeningAccounts: -5, Churned: -10}, 5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.m.ClosingAccounts()) })
	}
}

func TestMovementRatios(t *testing.T) {
	// Hand calculations from the definitions at each method.
	cases := []struct {
		name                        string
		m                           cohort.Movement
		gross, net, grr, nrr, quick float64
		churned, opening            int64
	}{
		// (0 + 50)/150, (50 − 20)/150, 100/150, 120/150, 220/50
		{"feb", feb, 50.0 / 150, 30.0 / 150, 100.0 / 150, 120.0 / 150, 220.0 / 50, 1, 2},
		// 240/410, 240/410, 170/410, 170/410, 0/240
		{"apr", apr, 240.0 / 410, 240.0 / 410, 170.0 / 410, 170.0 / 410, 0, 1, 5},
		// 130/1000, 50/1000, 870/1000, 950/1000, 150/130
		{"mix", mix, 0.13, 0.05, 0.87, 0.95, 150.0 / 130, 4, 40},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, f := range []struct {
				name string
				fn   func() (float64, error)
				want float64
			}{
				{"GrossChurn", tc.m.GrossChurn, tc.gross},
				{"NetChurn", tc.m.NetChurn, tc.net},
				{"GRR", tc.m.GRR, tc.grr},
				{"NRR", tc.m.NRR, tc.nrr},
				{"QuickRatio", tc.m.QuickRatio, tc.quick},
			} {
				got, err := f.fn()
				require.NoError(t, err, f.name)
				assert.InDelta(t, f.want, got, 1e-15, f.name)
			}
			r, err := tc.m.LogoChurn()
			require.NoError(t, err)
			assert.Equal(t, rate(t, tc.churned, tc.opening), r)
		})
	}
}

func TestMovementGrossChurn(t *testing.T) {
	cases := []struct {
		name string
		m    cohort.Movement
		want float64
	}{
		{"feb", feb, 50.0 / 150},
		{"none lost", cohort.Movement{Opening: d("10"), Expansion: d("5")}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.m.GrossChurn()
			require.NoError(t, err)
			assert.InDelta(t, tc.want, got, 1e-15)
		})
	}
}

func TestMovementNetChurn(t *testing.T) {
	cases := []struct {
		name string
		m    cohort.Movement
		want float64
	}{
		{"mix", mix, 0.05},
		{"negative churn", cohort.Movement{Opening: d("100"), Expansion: d("30"), Churn: d("10")}, -0.2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.m.NetChurn()
			require.NoError(t, err)
			assert.InDelta(t, tc.want, got, 1e-15)
		})
	}
}

func TestMovementGRR(t *testing.T) {
	cases := []struct {
		name string
		m    cohort.Movement
		want float64
	}{
		{"apr", apr, 170.0 / 410},
		{"all kept", cohort.Movement{Opening: d("10")}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.m.GRR()
			require.NoError(t, err)
			assert.InDelta(t, tc.want, got, 1e-15)
		})
	}
}

func TestMovementNRR(t *testing.T) {
	cases := []struct {
		name string
		m    cohort.Movement
		want float64
	}{
		{"feb", feb, 0.8},
		{"above 1", cohort.Movement{Opening: d("100"), Expansion: d("30"), Churn: d("10")}, 1.2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.m.NRR()
			require.NoError(t, err)
			assert.InDelta(t, tc.want, got, 1e-15)
		})
	}
}

func TestMovementQuickRatio(t *testing.T) {
	cases := []struct {
		name string
		m    cohort.Movement
		want float64
	}{
		{"feb", feb, 4.4},
		{"mix", mix, 150.0 / 130},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.m.QuickRatio()
			require.NoError(t, err)
			assert.InDelta(t, tc.want, got, 1e-15)
		})
	}
}

func TestMovementLogoChurn(t *testing.T) {
	cases := []struct {
		name string
		m    cohort.Movement
		s, n int64
	}{
		{"feb", feb, 1, 2},
		{"no accounts", cohort.Movement{}, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.m.LogoChurn()
			require.NoError(t, err)
			assert.Equal(t, rate(t, tc.s, tc.n), got)
		})
	}
}

func TestMovementErrors(t *testing.T) {
	cases := []struct {
		name   string
		m      cohort.Movement
		want   error
		msg    string
		ratios bool // the revenue ratios fail too
	}{
		{"negative opening", cohort.Movement{Opening: d("-1")}, kpi.ErrInvalid, "Opening -1: negative amount", true},
		{"negative churn", cohort.Movement{Opening: d("10"), Churn: d("-1")}, kpi.ErrInvalid, "Churn -1", true},
		{"negative count", cohort.Movement{Opening: d("10"), NewAccounts: -1}, kpi.ErrInvalid, "NewAccounts -1", true},
		{"churned above opening", cohort.Movement{Opening: d("10"), OpeningAccounts: 1, Churned: 2}, kpi.ErrInvalid, "Churned 2: exceeds OpeningAccounts 1", true},
		{"lost above opening", cohort.Movement{Opening: d("10"), Contraction: d("6"), Churn: d("5")}, kpi.ErrInvalid, "Contraction + Churn 11: exceeds Opening 10", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.m.LogoChurn()
			assert.ErrorIs(t, err, tc.want)
			assert.ErrorContains(t, err, tc.msg)
			for _, f := range []func() (float64, error){tc.m.GrossChurn, tc.m.NetChurn, tc.m.GRR, tc.m.NRR, tc.m.QuickRatio} {
				_, err := f()
				assert.ErrorIs(t, err, tc.want)
			}
		})
	}
}

func TestMovementUndefined(t *testing.T) {
	cases := []struct {
		name string
		m    cohort.Movement
		want error
	}{
		{"no opening", cohort.Movement{New: d("10"), Churn: d("0")}, kpi.ErrUndefined},
		{"nothing at all", cohort.Movement{}, kpi.ErrUndefined},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, f := range []func() (float64, error){tc.m.GrossChurn, tc.m.NetChurn, tc.m.GRR, tc.m.NRR, tc.m.QuickRatio} {
				_, err := f()
				assert.ErrorIs(t, err, tc.want)
			}
		})
	}
	_, err := cohort.Movement{New: d("10")}.QuickRatio()
	assert.ErrorIs(t, err, cohort.ErrUnbounded)
	_, err = cohort.Movement{}.QuickRatio()
	assert.NotErrorIs(t, err, cohort.ErrUnbounded)
}

func TestARPA(t *testing.T) {
	cases := []struct {
		name     string
		revenue  string
		accounts int64
		want     string
	}{
		{"even", "1000", 8, "125"},            // 1000/8
		{"thirds", "100", 3, "33.333333"},     // 33.3333… to 6 places
		{"two thirds", "200", 3, "66.666667"}, // rounded half away from zero
		{"no revenue", "0", 4, "0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cohort.ARPA(d(tc.revenue), tc.accounts)
			require.NoError(t, err)
			assertDec(t, tc.want, got)
		})
	}
}

func TestARPAErrors(t *testing.T) {
	cases := []struct {
		name     string
		revenue  string
		accounts int64
		want     error
	}{
		{"negative revenue", "-1", 1, kpi.ErrInvalid},
		{"negative accounts", "1", -1, kpi.ErrInvalid},
		{"no accounts", "1", 0, kpi.ErrUndefined},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cohort.ARPA(d(tc.revenue), tc.accounts)
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

func TestLTV(t *testing.T) {
	cases := []struct {
		name          string
		arpa          string
		margin, churn float64
		want          string
	}{
		{"round", "100", 0.8, 0.05, "1600"},       // 100 × 0.8 / 0.05
		{"cents", "49.99", 0.75, 0.03, "1249.75"}, // 37.4925 / 0.03
		{"all churn", "100", 1, 1, "100"},         // one period
		{"thirds", "10", 1, 0.03, "333.333333"},   // 10/0.03 to 6 places
		// probe (money bound): the largest LTV within the bound, 30
		// digits; by hand 9999999999999999999999999999.99 / 0.01.
		{"at the bound", "9999999999999999999999999999.99", 1, 0.01, "999999999999999999999999999999"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cohort.LTV(d(tc.arpa), tc.margin, tc.churn)
			require.NoError(t, err)
			assertDec(t, tc.want, got)
		})
	}
}

func TestLTVErrors(t *testing.T) {
	nan := func() float64 { var z float64; return z / z }()
	cases := []struct {
		name          string
		arpa          string
		margin, churn float64
		want          error
	}{
		{"zero churn is unbounded", "100", 0.8, 0, cohort.ErrUnbounded},
		{"negative churn is unbounded", "100", 0.8, -0.01, cohort.ErrUnbounded},
		{"churn above 1", "100", 0.8, 1.5, kpi.ErrInvalid},
		{"NaN churn", "100", 0.8, nan, kpi.ErrInvalid},
		{"zero margin", "100", 0, 0.05, kpi.ErrInvalid},
		{"margin above 1", "100", 1.2, 0.05, kpi.ErrInvalid},
		{"negative ARPA", "-1", 0.8, 0.05, kpi.ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cohort.LTV(d(tc.arpa), tc.margin, tc.churn)
			assert.ErrorIs(t, err, tc.want)
			assert.True(t, got.IsZero())
		})
	}
	_, err := cohort.LTV(d("100"), 0.8, 0)
	assert.ErrorContains(t, err, "DiscountedLTV")
	assert.ErrorIs(t, err, kpi.ErrUndefined)

	// probe (money bound): an LTV beyond the bound on money, which the
	// package's JSON and CSV writers refuse, was returned as valid. By
	// hand (and mpmath at 400 digits): 100·0.8 / 5e-324 = 1.6·10³²⁵, and
	// 10²⁸ / 0.01 = 10³⁰, 31 digits.
	bound := []struct {
		name          string
		arpa          string
		margin, churn float64
		msg           string
	}{
		{"churn 5e-324", "100", 0.8, 5e-324,
			"cohort.LTV: churn 5e-324: LTV ≈1.600e325 has more than 30 digits before the point, beyond the library's bound on money"},
		{"just beyond", "10000000000000000000000000000", 1, 0.01,
			"cohort.LTV: churn 0.01: LTV 1000000000000000000000000000000 has more than 30 digits before the point, beyond the library's bound on money"},
	}
	for _, tc := range bound {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cohort.LTV(d(tc.arpa), tc.margin, tc.churn)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.msg)
			assert.True(t, got.IsZero())
		})
	}
}

func TestDiscountedLTV(t *testing.T) {
	// LTV = ARPA·m·(1+d) / (1+d − (1−c)(1+g)), worked by hand:
	cases := []struct {
		name                 string
		arpa                 string
		margin, churn, g, dr float64
		want                 string
	}{
		// 80·1.01 / (1.01 − 0.95) = 80.8/0.06
		{"no expansion", "100", 0.8, 0.05, 0, 0.01, "1346.666667"},
		// 80·1.01 / 0.01: zero churn is finite with a discount
		{"zero churn", "100", 0.8, 0, 0, 0.01, "8080"},
		// 80.8 / (1.01 − 0.95·1.02) = 80.8/0.041
		{"expansion", "100", 0.8, 0.05, 0.02, 0.01, "1970.731707"},
		// 80.8 / (1.01 − 0.95·0.9) = 80.8/0.155
		{"contraction", "100", 0.8, 0.05, -0.1, 0.01, "521.290323"},
		// 80.8 / (1.01 − 0.99·1.0202020202) = 80.8 / 2·10⁻¹²: finite, huge
		{"borderline", "100", 0.8, 0.01, 0.0202020202, 0.01, "40400000000000"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cohort.DiscountedLTV(d(tc.arpa), tc.margin, tc.churn, tc.g, tc.dr)
			require.NoError(t, err)
			assertDec(t, tc.want, got)
		})
	}
}

func TestDiscountedLTVErrors(t *testing.T) {
	cases := []struct {
		name                 string
		arpa                 string
		margin, churn, g, dr float64
		want                 error
	}{
		{"diverges", "100", 0.8, 0, 0.02, 0.01, cohort.ErrUnbounded}, // 1.02 ≥ 1.01
		{"zero discount", "100", 0.8, 0.05, 0, 0, kpi.ErrInvalid},
		{"negative discount", "100", 0.8, 0.05, 0, -0.1, kpi.ErrInvalid},
		{"churn below 0", "100", 0.8, -0.1, 0, 0.01, kpi.ErrInvalid},
		{"expansion −1", "100", 0.8, 0.05, -1, 0.01, kpi.ErrInvalid},
		{"margin", "100", 1.5, 0.05, 0, 0.01, kpi.ErrInvalid},
		{"negative ARPA", "-5", 0.8, 0.05, 0, 0.01, kpi.ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cohort.DiscountedLTV(d(tc.arpa), tc.margin, tc.churn, tc.g, tc.dr)
			assert.ErrorIs(t, err, tc.want)
		})
	}

	// probe (money bound): LTVs beyond the bound on money were returned
	// as valid. By hand (and mpmath at 400 digits): 100·0.8·(1+5e-324) /
	// 5e-324 = 1.6·10³²⁵; with churn 5e-324 too the denominator is 10⁻³²³
	// and the LTV 8·10³²⁴; 10²⁷·1.01 / (1.01 − 0.95) = 1.68·10²⁸ is within.
	bound := []struct {
		name                 string
		arpa                 string
		margin, churn, g, dr float64
		msg                  string
	}{
		{"discount 5e-324", "100", 0.8, 0, 0, 5e-324,
			"cohort.DiscountedLTV: discount rate 5e-324: LTV ≈1.600e325 has more than 30 digits before the point, beyond the library's bound on money"},
		{"churn and discount 5e-324", "100", 0.8, 5e-324, 0, 5e-324,
			"cohort.DiscountedLTV: discount rate 5e-324: LTV ≈8.000e324 has more than 30 digits before the point, beyond the library's bound on money"},
		{"large ARPA", "100000000000000000000000000000", 1, 0, 0, 0.01,
			"cohort.DiscountedLTV: discount rate 0.01: LTV 10100000000000000000000000000000 has more than 30 digits before the point, beyond the library's bound on money"},
	}
	for _, tc := range bound {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cohort.DiscountedLTV(d(tc.arpa), tc.margin, tc.churn, tc.g, tc.dr)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.msg)
			assert.True(t, got.IsZero())
		})
	}
}

func TestLTVToCAC(t *testing.T) {
	cases := []struct {
		name     string
		ltv, cac string
		want     float64
	}{
		{"four", "1600", "400", 4},
		{"below one", "300", "400", 0.75},
		// probe-csc: quotients were rounded at 16 places, so this one
		// was 0; 1/3e20 is the float64 division of exact operands.
		{"far below one", "1", "300000000000000000000", 1 / 3e20},
		{"at the bounds", "0.000000000000000001", "100000000000000000000000000000", 1e-47},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cohort.LTVToCAC(d(tc.ltv), d(tc.cac))
			require.NoError(t, err)
			assert.InEpsilon(t, tc.want, got, 1e-15)
		})
	}
}

func TestLTVToCACErrors(t *testing.T) {
	cases := []struct {
		name     string
		ltv, cac string
		want     error
	}{
		{"zero CAC", "1600", "0", cohort.ErrUnbounded},
		{"negative CAC", "1600", "-1", kpi.ErrInvalid},
		{"negative LTV", "-1", "400", kpi.ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cohort.LTVToCAC(d(tc.ltv), d(tc.cac))
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

func TestPayback(t *testing.T) {
	cases := []struct {
		name      string
		cac, arpa string
		margin    float64
		want      float64
	}{
		{"five months", "400", "100", 0.8, 5}, // 400 / 80
		{"fraction", "1000", "120", 0.75, 1000.0 / 90},
		{"free", "0", "100", 0.8, 0},
		// probe-csc: rounded at 16 places, this was 3.33333e-11 (6
		// digits) and the next 0; the float64 division of exact operands.
		{"a day's worth of a fortune", "1", "30000000000", 1, 1 / 3e10},
		{"at the bounds", "0.000000000000000001", "100000000000000000000000000000", 1, 1e-47},
		{"tiny margin", "100", "100", 1e-300, 1e300},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cohort.Payback(d(tc.cac), d(tc.arpa), tc.margin)
			require.NoError(t, err)
			if tc.want == 0 {
				assert.Zero(t, got)
				return
			}
			assert.InEpsilon(t, tc.want, got, 1e-14)
		})
	}
}

func TestPaybackErrors(t *testing.T) {
	cases := []struct {
		name      string
		cac, arpa string
		margin    float64
		want      error
	}{
		{"no revenue", "400", "0", 0.8, cohort.ErrUnbounded},
		{"negative CAC", "-1", "100", 0.8, kpi.ErrInvalid},
		{"negative ARPA", "400", "-1", 0.8, kpi.ErrInvalid},
		{"margin", "400", "100", 0, kpi.ErrInvalid},
		// probe-csc: 10²⁹ ÷ (10⁻¹⁸ × 5e-324) ≈ 2e370 periods was +Inf.
		{"beyond float64", "100000000000000000000000000000", "0.000000000000000001", 5e-324, cohort.ErrUnbounded},
		{"beyond float64 at a whole ARPA", "100", "100", 5e-324, cohort.ErrUnbounded}, // 1/4.94e-324 ≈ 2.02e323
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cohort.Payback(d(tc.cac), d(tc.arpa), tc.margin)
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

// spend is a quarter of acquisition costs: paid media per channel, and
// salaries and tools shared by all channels.
var spend = []cohort.Cost{
	{Channel: "ads", Line: "media", Amount: d("3000")},
	{Channel: "seo", Line: "media", Amount: d("1000")},
	{Line: "salaries", Amount: d("6000.00")},
	{Line: "tools", Amount: d("1000.00")},
}

// manyLines returns n cost-line names that no cost has.
func manyLines(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "unused-" + strconv.Itoa(i)
	}
	return out
}

func TestCAC(t *testing.T) {
	won := map[string]int64{"ads": 20, "seo": 10}
	cases := []struct {
		name      string
		lines     []string
		blended   string
		channels  []string
		spends    []string
		cacs      []string
		customers []int64
	}{
		// 4000/30; 3000/20; 1000/10.
		{"paid media", []string{"media"}, "133.333333", []string{"ads", "seo"}, []string{"3000", "1000"}, []string{"150", "100"}, []int64{20, 10}},
		// 11000/30. Shared 7000.00 split 20:10 by largest remainder:
		// 4666.67 and 2333.33, so ads 7666.67/20 and seo 3333.33/10.
		{"fully loaded", nil, "366.666667", []string{"ads", "seo"}, []string{"7666.67", "3333.33"}, []string{"383.3335", "333.333"}, []int64{20, 10}},
		// 6000.00/30, all shared: 4000.00 and 2000.00.
		{"salaries only", []string{"salaries"}, "200", []string{"ads", "seo"}, []string{"4000", "2000"}, []string{"200", "200"}, []int64{20, 10}},
		// probe-csc: lines were scanned once per cost, quadratic time (2·10⁴
		// lines and costs: 1.6 s); as paid media, among 10⁴ lines named
		// nowhere, and twice.
		{"paid media among many lines", append(manyLines(10_000), "media", "media"), "133.333333", []string{"ads", "seo"}, []string{"3000", "1000"}, []string{"150", "100"}, []int64{20, 10}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			blended, chans, err := cohort.CAC(spend, won, tc.lines...)
			require.NoError(t, err)
			assert.Equal(t, int64(30), blended.Customers)
			cac, err := blended.CAC()
			require.NoError(t, err)
			assertDec(t, tc.blended, cac)
			require.Len(t, chans, len(tc.channels))
			total := decimal.Zero
			for i, a := range chans {
				assert.Equal(t, tc.channels[i], a.Channel)
				assertDec(t, tc.spends[i], a.Spend)
				assert.Equal(t, tc.customers[i], a.Customers)
				c, err := a.CAC()
				require.NoError(t, err)
				assertDec(t, tc.cacs[i], c)
				total = total.Add(a.Spend)
			}
			assert.True(t, total.Equal(blended.Spend), "channels add up to the blended spend")
		})
	}
}

func TestCACErrors(t *testing.T) {
	cases := []struct {
		name  string
		costs []cohort.Cost
		won   map[string]int64
		want  error
	}{
		{"negative cost", []cohort.Cost{{Channel: "ads", Amount: d("-1")}}, map[string]int64{"ads": 1}, kpi.ErrInvalid},
		{"negative customers", spend, map[string]int64{"ads": -1}, kpi.ErrInvalid},
		{"empty channel", spend, map[string]int64{"": 3}, kpi.ErrInvalid},
		{"shared costs, no customers", spend, map[string]int64{"ads": 0}, kpi.ErrUndefined},
		{"too precise to split", []cohort.Cost{{Amount: d("1e-40")}}, map[string]int64{"ads": 1}, kpi.ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := cohort.CAC(tc.costs, tc.won)
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

func TestAcquisitionCAC(t *testing.T) {
	cases := []struct {
		name string
		a    cohort.Acquisition
		want string
	}{
		{"paid", cohort.Acquisition{Spend: d("3000"), Customers: 20}, "150"},
		{"organic", cohort.Acquisition{Spend: d("0"), Customers: 7}, "0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.a.CAC()
			require.NoError(t, err)
			assertDec(t, tc.want, got)
		})
	}
}

func TestAcquisitionCACErrors(t *testing.T) {
	cases := []struct {
		name string
		a    cohort.Acquisition
		want error
	}{
		{"spend, no customers", cohort.Acquisition{Spend: d("100")}, cohort.ErrUnbounded},
		{"nothing", cohort.Acquisition{}, kpi.ErrUndefined},
		{"negative spend", cohort.Acquisition{Spend: d("-1"), Customers: 1}, kpi.ErrInvalid},
		{"negative customers", cohort.Acquisition{Customers: -1}, kpi.ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.a.CAC()
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

// TestEconomicsMoneyBound holds issue 13's probes: decimals built with
// exponents near ±2³¹ made the unit-economics functions panic ("overflow
// in decimal QuoRem") or run for minutes. Each now names the argument.
func TestEconomicsMoneyBound(t *testing.T) {
	huge, tiny := decimal.New(1, math.MaxInt32), decimal.New(7, math.MinInt32)
	cases := []struct {
		name string
		call func() error
		msg  string
	}{
		{"ARPA of 1e2147483647", func() error { _, err := cohort.ARPA(huge, 3); return err },
			"cohort.ARPA: revenue 1e2147483647: more than 30 digits before the point"},
		{"LTV of 7e-2147483648", func() error { _, err := cohort.LTV(tiny, 0.8, 0.05); return err },
			"cohort.LTV: ARPA 7e-2147483648: more than 18 decimal places"},
		{"DiscountedLTV of 1e2147483647", func() error { _, err := cohort.DiscountedLTV(huge, 0.8, 0.05, 0, 0.01); return err },
			"cohort.DiscountedLTV: ARPA 1e2147483647: more than 30 digits before the point"},
		{"LTVToCAC, LTV 1e2147483647", func() error { _, err := cohort.LTVToCAC(huge, d("400")); return err },
			"cohort.LTVToCAC: LTV 1e2147483647: more than 30 digits before the point"},
		{"LTVToCAC, CAC 7e-2147483648", func() error { _, err := cohort.LTVToCAC(d("1600"), tiny); return err },
			"cohort.LTVToCAC: CAC 7e-2147483648: more than 18 decimal places"},
		{"Payback, CAC 1e2147483647", func() error { _, err := cohort.Payback(huge, d("100"), 0.8); return err },
			"cohort.Payback: CAC 1e2147483647: more than 30 digits before the point"},
		{"Payback, ARPA 7e-2147483648", func() error { _, err := cohort.Payback(d("400"), tiny, 0.8); return err },
			"cohort.Payback: ARPA 7e-2147483648: more than 18 decimal places"},
		{"Acquisition.CAC of 1e2147483647", func() error { _, err := cohort.Acquisition{Spend: huge, Customers: 3}.CAC(); return err },
			"cohort.Acquisition.CAC: spend 1e2147483647: more than 30 digits before the point"},
		{"CAC with a cost of 7e-2147483648", func() error {
			_, _, err := cohort.CAC([]cohort.Cost{{Channel: "ads", Line: "media", Amount: tiny}}, map[string]int64{"ads": 1})
			return err
		}, "cohort.CAC: costs[0] (ads media) 7e-2147483648: more than 18 decimal places"},
		{"CAC with customers overflowing int64", func() error {
			_, _, err := cohort.CAC(nil, map[string]int64{"ads": math.MaxInt64, "web": 1})
			return err
		}, `cohort.CAC: customers["web"] 1: the total overflows int64`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.msg)
		})
	}
}
