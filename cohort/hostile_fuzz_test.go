package cohort_test

import (
	"errors"
	"math"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
)

// classed fails t unless err wraps one of the library's classes.
func classed(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, kpi.ErrInvalid) && !errors.Is(err, kpi.ErrUndefined) {
		t.Fatalf("error of no class: %v", err)
	}
}

// FuzzEconomics feeds the unit-economics functions money of any
// coefficient and exponent (reaching ±2³¹) and any rates. Each must answer
// at once with a classed error or a result that is not negative, LTV and
// DiscountedLTV within the library's bound on money (a probe's churn and
// discount of 5e-324 gave 1.6·10³²⁵), and LTV·churn must give back
// ARPA·margin to the rounding of six places.
func FuzzEconomics(f *testing.F) {
	f.Add(int64(12000), int32(-2), int64(40), 0.8, 0.05, 0.0, 0.01)
	f.Add(int64(1), int32(math.MaxInt32), int64(3), 0.5, 0.5, 0.0, 0.1)
	f.Add(int64(7), int32(math.MinInt32), int64(1), 1.0, 1e-300, 1e300, 1e-17)
	f.Add(int64(math.MaxInt64), int32(11), int64(math.MaxInt64), 1e-300, 1.0, -0.999999, math.MaxFloat64)
	f.Fuzz(func(t *testing.T, coef int64, exp int32, n int64, margin, churn, expansion, discount float64) {
		money := decimal.New(coef, exp)
		if a, err := cohort.ARPA(money, n); err != nil {
			classed(t, err)
		} else if a.IsNegative() {
			t.Fatalf("ARPA %v", a)
		}
		if v, err := cohort.LTV(money, margin, churn); err != nil {
			classed(t, err)
		} else {
			if v.IsNegative() || !v.LessThan(decimal.New(1, 30)) {
				t.Fatalf("LTV %v", v)
			}
			back := v.InexactFloat64() * churn
			want := money.InexactFloat64() * margin
			if math.Abs(back-want) > 1e-9*math.Abs(want)+churn*1e-6 {
				t.Fatalf("LTV %v × churn %g = %g, want %g", v, churn, back, want)
			}
		}
		if v, err := cohort.DiscountedLTV(money, margin, churn, expansion, discount); err != nil {
			classed(t, err)
		} else if v.IsNegative() || !v.LessThan(decimal.New(1, 30)) {
			t.Fatalf("DiscountedLTV %v", v)
		}
		// A ratio of positive amounts is a positive finite number: never
		// +Inf, never rounded to 0.
		if v, err := cohort.Payback(money, decimal.New(n, exp), margin); err != nil {
			classed(t, err)
		} else if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) || (v == 0) != money.IsZero() {
			t.Fatalf("Payback %v", v)
		}
		if v, err := cohort.LTVToCAC(money, decimal.New(n, exp)); err != nil {
			classed(t, err)
		} else if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) || (v == 0) != money.IsZero() {
			t.Fatalf("LTVToCAC %v", v)
		}
		if v, err := (cohort.Acquisition{Spend: money, Customers: n}).CAC(); err != nil {
			classed(t, err)
		} else if v.IsNegative() {
			t.Fatalf("CAC %v", v)
		}
		costs := []cohort.Cost{{Channel: "ads", Amount: money}, {Amount: money}}
		blended, by, err := cohort.CAC(costs, map[string]int64{"ads": n, "web": 1})
		if err != nil {
			classed(t, err)
			return
		}
		sum := decimal.Zero
		for _, a := range by {
			sum = sum.Add(a.Spend)
		}
		if !sum.Equal(blended.Spend) {
			t.Fatalf("channel spends add up to %v, blended %v", sum, blended.Spend)
		}
	})
}

// FuzzSBGValue values customers under any sBG model and discount rate:
// DERL must be a classed error or a number in [0, (1+d)/d] (each
// survival ratio is at most 1, so the sum is at most the geometric series),
// and ResidualValue cash × DERL to six places.
func FuzzSBGValue(f *testing.F) {
	f.Add(0.704, 1.182, 0.1, 1, int64(100))
	f.Add(0.704, 1.182, 1e-17, 1, int64(100))
	f.Add(1.0, 1.0, 1e-6, 1, int64(1))
	f.Add(1e-3, 1e3, 1e300, 1_000_000, int64(math.MaxInt64))
	f.Add(1e6, 1e-6, 0.5, 3, int64(0))
	f.Add(1e6, 1e-6, 0.1, 3, int64(100)) // hung in gonum's Hypergeo
	f.Add(1000.0, 1.0, 0.1, 1, int64(100))
	f.Fuzz(func(t *testing.T, alpha, beta, d float64, n int, cash int64) {
		m, err := cohort.NewSBG(alpha, beta)
		if err != nil {
			classed(t, err)
			return
		}
		// S(1) = r(1) = β/(α+β) = 1/(1+α/β) for any finite α, β > 0, and
		// S never rises.
		want := 1 / (1 + alpha/beta)
		if s1, r1 := m.Survival(1), m.Retention(1); math.Abs(s1-want) > 1e-12*want+1e-300 || math.Abs(r1-want) > 1e-12*want+1e-300 {
			t.Fatalf("%v: S(1) = %v, r(1) = %v, want %v", m, s1, r1, want)
		}
		if n > 0 {
			if sn, sn1 := m.Survival(n), m.Survival(n+1); !(sn >= 0 && sn <= 1 && sn1 <= sn) {
				t.Fatalf("%v: S(%d) = %v, S(%d) = %v", m, n, sn, n+1, sn1)
			}
		}
		derl, err := m.DERL(d, n)
		if err != nil {
			classed(t, err)
			return
		}
		if !(derl >= 0 && derl <= (1+d)/d*(1+1e-9)) {
			t.Fatalf("DERL(%g, %d) = %v under %v", d, n, derl, m)
		}
		c := decimal.New(cash, -2)
		v, err := m.ResidualValue(c, d, n)
		if err != nil {
			classed(t, err)
			return
		}
		if want := c.Mul(decimal.NewFromFloat(derl)).Round(6); !v.Equal(want) {
			t.Fatalf("ResidualValue %v, want %v", v, want)
		}
	})
}
