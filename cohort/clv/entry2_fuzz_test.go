package clv_test

import (
	"errors"
	"math"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort/clv"
)

// FuzzHoldout checks a BG/NBD model with fuzzed parameters (1e-17 to
// 1e17 among the seeds) against a holdout period of 30 customers made
// from three fuzzed histories and holdout counts. Holdout either fails —
// wrapping kpi.ErrInvalid for groups < 1, a holdout length that is not a
// finite number ≥ 0, an invalid history or a negative holdout count, or
// kpi.ErrUndefined — or its groups hold every customer once, in rising
// frequency below groups, each with an Actual that is the mean of its
// holdout counts and a finite Predicted ≥ 0. The 1e17 seed, with a
// frequency of 2⁴⁰, once hung in gonum's Hyp2f1 (a recurrence of about
// 2⁴⁰ steps).
func FuzzHoldout(f *testing.F) {
	f.Add(0.243, 4.414, 0.793, 2.426, int64(2), 30.0, 38.0, int64(1), int64(0), 0.0, 20.0, int64(0), int64(5), 10.0, 12.0, int64(3), 39.0, 7)
	f.Add(1e-17, 1e-17, 1e-17, 1e-17, int64(1), 1.0, 1.0, int64(0), int64(0), 0.0, 0.0, int64(0), int64(1), 1.0, 2.0, int64(1), 1.0, 1)
	f.Add(1e17, 1e17, 1e17, 1e17, int64(1<<40), 1e17, 1e17, int64(1<<40), int64(0), 0.0, 1e17, int64(0), int64(1), 1.0, 2.0, int64(1), 1e17, 3)
	f.Add(0.5, 1.0, 1.0, 1.0, int64(3), 2.0, 1.0, int64(0), int64(0), 0.0, 0.0, int64(-1), int64(1), 0.0, 1.0, int64(0), math.NaN(), 0)
	f.Add(0.5, 1.0, 1.0, 1.0, int64(0), 0.0, 0.0, int64(0), int64(0), 0.0, 0.0, int64(0), int64(0), 0.0, 0.0, int64(0), 0.0, 1)
	f.Fuzz(func(t *testing.T, r, alpha, a, b float64, x1 int64, tx1, age1 float64, h1 int64, x2 int64, tx2, age2 float64, h2 int64,
		x3 int64, tx3, age3 float64, h3 int64, length float64, groups int) {
		m, err := clv.NewBGNBD(r, alpha, a, b)
		if err != nil {
			checkKPIError(t, err)
			return
		}
		if groups%2 == 0 { // odd groups stay as large as fuzzed: cost is linear in the customers
			groups %= 64
		}
		var s clv.Summary
		s.HoldoutLength = length
		for i := range 30 {
			c := clv.RFM{History: hist(x1, tx1, age1), Holdout: h1}
			switch i % 3 {
			case 1:
				c = clv.RFM{History: hist(x2, tx2, age2), Holdout: h2}
			case 2:
				c = clv.RFM{History: hist(x3, tx3, age3), Holdout: h3}
			}
			s.Customers = append(s.Customers, c)
		}
		gs, err := m.Holdout(s, groups)
		if groups < 1 || !(length >= 0) || math.IsInf(length, 1) {
			if !errors.Is(err, kpi.ErrInvalid) {
				t.Fatalf("groups %d, length %v: %v", groups, length, err)
			}
			return
		}
		if err != nil {
			checkKPIError(t, err)
			return
		}
		var n int64
		for k, g := range gs {
			n += g.Customers
			if g.Customers < 1 || g.Frequency >= int64(groups) || (k > 0 && g.Frequency <= gs[k-1].Frequency) {
				t.Fatalf("group %d %+v of %+v", k, g, gs)
			}
			var sum float64
			for _, c := range s.Customers {
				if min(c.Frequency, int64(groups-1)) == g.Frequency {
					sum += float64(c.Holdout)
				}
			}
			if want := sum / float64(g.Customers); math.Abs(g.Actual-want) > 1e-12*max(1, want) {
				t.Fatalf("group %+v: actual %v, the mean of its counts %v", g, g.Actual, want)
			}
			if !(g.Predicted >= 0) || math.IsInf(g.Predicted, 0) {
				t.Fatalf("group %+v: predicted %v", g, g.Predicted)
			}
		}
		if n != int64(len(s.Customers)) {
			t.Fatalf("groups hold %d of %d customers", n, len(s.Customers))
		}
	})
}

// FuzzValueInterval estimates both models on 40 customers made from three
// fuzzed histories and values (as FuzzEstimate does) and asks every
// method of the estimates and Valuation.ValueInterval at a fuzzed level
// and horizon. Each fails with a kpi.Error — kpi.ErrInvalid exactly when
// the level lies outside (0, 1) — or returns a finite estimate inside its
// interval: purchases ≥ 0, P(alive) in [0, 1], spend and value ≥ 0 (the
// money ends rounded to 6 places, so within 10⁻⁶).
func FuzzValueInterval(f *testing.F) {
	f.Add(int64(2), 30.0, 38.0, int64(0), 0.0, 20.0, int64(5), 10.0, 12.0, "12.5", "30", 0.95, 39.0, 12, 0.01)
	f.Add(int64(10), 10.0, 10.0, int64(5), 5.0, 5.0, int64(20), 20.0, 20.0, "1", "1", 1e-17, 1e-17, 1, 0.0)
	f.Add(int64(2), 30.0, 38.0, int64(0), 0.0, 20.0, int64(5), 10.0, 12.0, "12.5", "30", 0.9999999999999999, 1e17, 10000, 1e17)
	f.Add(int64(2), 30.0, 38.0, int64(0), 0.0, 20.0, int64(5), 10.0, 12.0, "12.5", "30", 1.0, 1.0, 0, -1.0)
	f.Add(int64(2), 30.0, 38.0, int64(0), 0.0, 20.0, int64(5), 10.0, 12.0, "12.5", "30", math.NaN(), math.NaN(), 3, math.NaN())
	f.Fuzz(func(t *testing.T, x1 int64, tx1, age1 float64, x2 int64, tx2, age2 float64, x3 int64, tx3, age3 float64, v1, v3 string,
		level, horizon float64, periods int, discount float64) {
		cs := fuzzCustomers(x1, tx1, age1, x2, tx2, age2, x3, tx3, age3, v1, v3)
		bad := !(level > 0 && level < 1)
		want := func(name string, v float64, lo, hi float64, err error, min, max float64) bool {
			t.Helper()
			if bad {
				if !errors.Is(err, kpi.ErrInvalid) {
					t.Fatalf("%s at level %v: %v", name, level, err)
				}
				return false
			}
			if err != nil {
				checkKPIError(t, err)
				return false
			}
			if !(min <= lo && lo <= v && v <= hi && hi <= max) || math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%s = %v [%v, %v], want inside [%v, %v]", name, v, lo, hi, min, max)
			}
			return true
		}
		bg, errB := clv.EstimateBGNBD(cs)
		checkKPIError(t, errB)
		if errB == nil {
			v, iv, err := bg.ExpectedPurchases(horizon, level)
			if !(horizon >= 0) || math.IsInf(horizon, 1) {
				if err == nil {
					t.Fatalf("ExpectedPurchases(%v) = %v", horizon, v)
				}
			} else {
				want("ExpectedPurchases", v, iv.Lo, iv.Hi, err, 0, math.Inf(1))
			}
			v, iv, err = bg.ConditionalPurchases(cs[0].History, max(0, horizon), level)
			if !math.IsInf(horizon, 1) && !math.IsNaN(horizon) {
				want("ConditionalPurchases", v, iv.Lo, iv.Hi, err, 0, math.Inf(1))
			}
			v, iv, err = bg.Alive(cs[2].History, level)
			want("Alive", v, iv.Lo, iv.Hi, err, 0, 1)
		}
		gg, errG := clv.EstimateGammaGamma(cs)
		checkKPIError(t, errG)
		if errG == nil {
			v, iv, err := gg.ExpectedValue(cs[0], level)
			if err == nil || bad {
				if want("ExpectedValue", v.InexactFloat64(), iv.Lo.InexactFloat64()-1e-6, iv.Hi.InexactFloat64()+1e-6, err, math.Inf(-1), math.Inf(1)) && v.IsNegative() {
					t.Fatalf("ExpectedValue %v", v)
				}
			}
		}
		if errB != nil || errG != nil {
			return
		}
		val := clv.Valuation{Purchases: bg.Model(), Spend: gg.Model(), Periods: periods, Length: 4.35, Discount: discount, Margin: 0.3}
		v, iv, err := val.ValueInterval(cs[0], bg, gg, level)
		if err != nil && !bad {
			checkKPIError(t, err)
			return
		}
		if bad && err == nil {
			t.Fatalf("ValueInterval at level %v: %v", level, v)
		}
		if err == nil && (v.IsNegative() || iv.Lo.IsNegative() || iv.Lo.GreaterThan(v.Add(decimal.New(1, -6))) || v.GreaterThan(iv.Hi.Add(decimal.New(1, -6)))) {
			t.Fatalf("ValueInterval = %v %v", v, iv)
		}
	})
}
