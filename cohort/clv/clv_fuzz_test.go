package clv_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort/clv"
)

// checkKPIError fails unless err is nil or a *kpi.Error wrapping
// kpi.ErrInvalid or kpi.ErrUndefined.
func checkKPIError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var ke *kpi.Error
	if !errors.As(err, &ke) || !(errors.Is(err, kpi.ErrInvalid) || errors.Is(err, kpi.ErrUndefined)) {
		t.Fatalf("not a kpi.Error of a known class: %v", err)
	}
}

// FuzzBGNBD evaluates the BG/NBD likelihood and predictions at fuzzed
// parameters and histories, among them histories with thousands of
// purchases: each result is finite (probabilities in [0, 1], expectations
// ≥ 0) or an error, never NaN and never a panic.
func FuzzBGNBD(f *testing.F) {
	f.Add(0.243, 4.414, 0.793, 2.426, int64(2), 30.43, 38.86, 39.0)
	f.Add(1.0, 1.0, 2.0, 1.0, int64(3000), 20.0, 20.0, 1e4)
	f.Add(1e-6, 3.0, 1e-6, 1e-6, int64(3), 1.0, 20.0, 1e4)
	f.Add(1e5, 1e-5, 1e5, 1e5, int64(10_000), 1.0, 2.0, 1e6)
	f.Add(0.5, 2.0, 1.0, 1e-9, int64(0), 0.0, 10.0, 10.0)
	f.Add(0.5, 2.0, 0.25, 0.75, int64(0), 0.0, 0.0, 10.0)
	f.Add(2.0, 10.0, 2.0, 6.0, int64(1_000_000), 1e-9, 1e9, 1e-3)
	f.Add(3.0, 0.5, 8.0, 1.0, int64(7), 5.0, 4.0, -1.0)
	// Found by fuzzing: gonum's Hypergeo looping forever (c−a−b = 1 with
	// a, b near 10⁵), and a power series that lost all its digits.
	f.Add(1e5, 85.00003, 1e5, 1e5, int64(10000), 1.0, 2.0, 1e6)
	f.Add(67.5, 2.0, 1.0, 1e-9, int64(0), 83.0, 10.0, 17.5)
	// The probe's parameters of 10³⁰⁵ (a NaN log-likelihood), and the
	// bound, MaxParameter, with the largest frequency and age.
	f.Add(1.0, 1.0, 1e305, 1e305, int64(3), 1.0, 2.0, 1.0)
	f.Add(1e100, 1e100, 1e100, 1e100, int64(math.MaxInt64), 1e300, 1e300, 1e6)
	// A probe's dropout shapes far below 1 with no repeat purchase: a + b
	// rounded away next to c = −1 made G NaN (TestBGNBDTinyDropoutShapes).
	f.Add(1.0, 1.0, 1e-20, 1e-20, int64(0), 0.0, 0.0, 0.1)
	f.Add(5e-324, 5e-324, 5e-324, 5e-324, int64(0), 0.0, 1.0, 1.0)
	f.Fuzz(func(t *testing.T, r, alpha, a, b float64, x int64, tx, age, horizon float64) {
		m, err := clv.NewBGNBD(r, alpha, a, b)
		if err != nil {
			checkKPIError(t, err)
			return
		}
		h := clv.History{Frequency: x, Recency: tx, Age: age}
		ll, err := m.LogLikelihood([]clv.RFM{{History: h}})
		checkKPIError(t, err)
		if err == nil && math.IsNaN(ll) {
			t.Fatalf("log-likelihood NaN at %v, %+v", m, h)
		}
		p, err := m.Alive(h)
		checkKPIError(t, err)
		if err == nil && !(p >= 0 && p <= 1) {
			t.Fatalf("P(alive) = %v at %v, %+v", p, m, h)
		}
		e, err := m.ConditionalPurchases(h, horizon)
		checkKPIError(t, err)
		if err == nil && !(e >= 0 && !math.IsInf(e, 0)) {
			t.Fatalf("E[Y(%v)] = %v at %v, %+v", horizon, e, m, h)
		}
		e, err = m.ExpectedPurchases(horizon)
		checkKPIError(t, err)
		if err == nil && !(e >= 0 && !math.IsInf(e, 0)) {
			t.Fatalf("E[X(%v)] = %v at %v", horizon, e, m)
		}
	})
}

// FuzzFitBGNBD fits the BG/NBD model to three fuzzed histories: the fit
// returns a model with finite positive parameters or an error.
func FuzzFitBGNBD(f *testing.F) {
	f.Add(int64(2), 30.0, 38.0, int64(0), 0.0, 20.0, int64(5), 10.0, 12.0)
	f.Add(int64(10), 10.0, 10.0, int64(5), 5.0, 5.0, int64(20), 20.0, 20.0)
	f.Add(int64(5000), 1.0, 39.0, int64(0), 0.0, 39.0, int64(1), 38.0, 39.0)
	f.Add(int64(1), 1e-300, 1e300, int64(0), 0.0, 0.0, int64(0), 0.0, 1.0)
	f.Fuzz(func(t *testing.T, x1 int64, tx1, age1 float64, x2 int64, tx2, age2 float64, x3 int64, tx3, age3 float64) {
		cs := []clv.RFM{
			{History: clv.History{Frequency: x1, Recency: tx1, Age: age1}},
			{History: clv.History{Frequency: x2, Recency: tx2, Age: age2}},
			{History: clv.History{Frequency: x3, Recency: tx3, Age: age3}},
		}
		m, err := clv.FitBGNBD(cs)
		checkKPIError(t, err)
		if err != nil {
			return
		}
		for _, v := range []float64{m.R(), m.Alpha(), m.A(), m.B()} {
			if !(v > 0) || math.IsInf(v, 0) {
				t.Fatalf("fit %v", m)
			}
		}
	})
}

// FuzzGammaGamma evaluates the Gamma–Gamma likelihood, expected value and
// fit at fuzzed parameters and customers: finite results or errors.
func FuzzGammaGamma(f *testing.F) {
	f.Add(6.25, 3.74, 15.44, int64(2), "22.35", int64(5), "40")
	f.Add(1.0, 0.5, 1.0, int64(0), "0", int64(1), "1")
	f.Add(1e-9, 1e9, 1e-9, int64(1_000_000), "0.000001", int64(1), "9999999999")
	f.Add(2.0, 3.0, 50.0, int64(1), "-5", int64(3), "abc")
	// The probe's p = 10³⁰⁰, x = 2⁴⁰ (a NaN log-likelihood), and the
	// bound, MaxParameter, with the largest frequency.
	f.Add(1e300, 1.0, 1.0, int64(1)<<40, "1", int64(1), "1")
	f.Add(1e100, 1e100, 1e100, int64(math.MaxInt64), "999999999999999999999999999999", int64(1)<<40, "0.000001")
	f.Fuzz(func(t *testing.T, p, q, gamma float64, x1 int64, v1 string, x2 int64, v2 string) {
		value := func(s string) decimal.Decimal {
			d, err := decimal.NewFromString(s)
			if err != nil || d.NumDigits() > 30 || d.Exponent() < -18 || d.Exponent() > 18 {
				return decimal.NewFromInt(1)
			}
			return d
		}
		cs := []clv.RFM{
			{History: clv.History{Frequency: x1, Recency: min(1, float64(max(x1, 0))), Age: 2}, Value: value(v1)},
			{History: clv.History{Frequency: x2, Recency: min(1, float64(max(x2, 0))), Age: 2}, Value: value(v2)},
		}
		m, err := clv.NewGammaGamma(p, q, gamma)
		if err != nil {
			checkKPIError(t, err)
			return
		}
		ll, err := m.LogLikelihood(cs)
		checkKPIError(t, err)
		if err == nil && math.IsNaN(ll) {
			t.Fatalf("log-likelihood NaN at %v", m)
		}
		for _, c := range cs {
			_, err := m.ExpectedValue(c)
			checkKPIError(t, err)
		}
		fit, err := clv.FitGammaGamma(cs)
		checkKPIError(t, err)
		if err == nil && !(fit.P() > 0 && fit.Q() > 0 && fit.Gamma() > 0) {
			t.Fatalf("fit %v", fit)
		}
	})
}

// FuzzPurchases summarises fuzzed transactions: every record is a valid
// history with non-negative value and holdout count, or the summary is an
// error.
func FuzzPurchases(f *testing.F) {
	f.Add("a", int16(0), "100", int16(5), "b", int16(3), "0", uint8(4), int16(10), int16(20), uint8(7))
	f.Add("a", int16(30), "-1", int16(-5), "a", int16(0), "1e20", uint8(9), int16(0), int16(0), uint8(1))
	f.Add("", int16(0), "0.0000001", int16(0), "x", int16(1000), "5", uint8(0), int16(-3), int16(-9), uint8(0))
	f.Fuzz(func(t *testing.T, id string, at int16, amount string, gap int16, id2 string, at2 int16, amount2 string, n uint8, split, holdout int16, unit uint8) {
		base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
		amt := func(s string) decimal.Decimal {
			d, err := decimal.NewFromString(s)
			if err != nil || d.Exponent() < -30 || d.Exponent() > 30 {
				return decimal.NewFromInt(int64(n))
			}
			return d
		}
		var p, q clv.Purchases
		for k := range int(n % 20) {
			checkKPIError(t, p.Add(clv.Transaction{CustomerID: id, At: base.AddDate(0, 0, int(at)+k*int(gap)), Amount: amt(amount)}))
			checkKPIError(t, q.Add(clv.Transaction{CustomerID: id2, At: base.AddDate(0, 0, int(at2)+k*k), Amount: amt(amount2)}))
		}
		checkKPIError(t, p.Merge(&q))
		sd := base.AddDate(0, 0, int(split))
		s, err := p.Summary(sd, sd.AddDate(0, 0, int(holdout)), time.Duration(unit)*24*time.Hour)
		checkKPIError(t, err)
		if err != nil {
			return
		}
		for _, c := range s.Customers {
			if c.Frequency < 0 || c.Recency < 0 || c.Recency > c.Age || (c.Frequency > 0) != (c.Recency > 0) ||
				c.Value.IsNegative() || c.Holdout < 0 {
				t.Fatalf("bad record %+v", c)
			}
		}
	})
}
