package clv_test

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort/clv"
)

func TestNewGammaGamma(t *testing.T) {
	cases := []struct {
		name     string
		p, q, g  float64
		str      string
		wantBack [3]float64
	}{
		{"CDNOW", 6.25, 3.74, 15.44, "Gamma–Gamma(p=6.25, q=3.74, γ=15.44)", [3]float64{6.25, 3.74, 15.44}},
		{"ones", 1, 1, 1, "Gamma–Gamma(p=1.00, q=1.00, γ=1.00)", [3]float64{1, 1, 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := clv.NewGammaGamma(tc.p, tc.q, tc.g)
			require.NoError(t, err)
			assert.Equal(t, tc.wantBack, [3]float64{m.P(), m.Q(), m.Gamma()})
			assert.Equal(t, tc.str, m.String())
		})
	}
}

func TestNewGammaGammaErrors(t *testing.T) {
	cases := []struct {
		name    string
		p, q, g float64
		want    string
	}{
		{"zero p", 0, 1, 1, "clv.NewGammaGamma: p 0: must be a finite number > 0"},
		{"NaN q", 1, math.NaN(), 1, "clv.NewGammaGamma: q NaN: must be a finite number > 0"},
		{"infinite gamma", 1, 1, math.Inf(1), "clv.NewGammaGamma: gamma +Inf: must be a finite number > 0"},
		// probe (NaN likelihood): p = 10³⁰⁰ with x = 2⁴⁰ overflowed p·x
		// and the log-likelihood was NaN; the bound is 10¹⁰⁰.
		{"p 1e300", 1e300, 1, 1, "clv.NewGammaGamma: p 1e+300: above MaxParameter (1e100)"},
		{"q 1e305", 1, 1e305, 1, "clv.NewGammaGamma: q 1e+305: above MaxParameter (1e100)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := clv.NewGammaGamma(tc.p, tc.q, tc.g)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.want)
		})
	}
}

// TestGammaGammaAccessors reads each parameter back through its method.
func TestGammaGammaAccessors(t *testing.T) {
	m := mustGG(t, 2, 3, 4)
	cases := []struct {
		name string
		get  func() float64
		want float64
	}{
		{"P", m.P, 2},
		{"Q", m.Q, 3},
		{"Gamma", m.Gamma, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.get())
		})
	}
}

func TestGammaGammaString(t *testing.T) {
	cases := []struct {
		name string
		m    clv.GammaGamma
		want string
	}{
		{"CDNOW", mustGG(t, 6.25, 3.74, 15.44), "Gamma–Gamma(p=6.25, q=3.74, γ=15.44)"},
		// By hand: 2 places within [0.01, 10⁶), 3 significant digits
		// outside (γ = 0.001 was written 0.00).
		{"rounds", mustGG(t, 0.125, 100, 1e-3), "Gamma–Gamma(p=0.12, q=100.00, γ=0.001)"},
		{"extremes", mustGG(t, clv.MaxParameter, 2e6, 0.0123), "Gamma–Gamma(p=1e+100, q=2e+06, γ=0.01)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.m.String())
		})
	}
}

func TestGammaGammaLogLikelihood(t *testing.T) {
	cases := []struct {
		name      string
		m         clv.GammaGamma
		customers []clv.RFM
		want      float64
	}{
		// p = q = γ = 1, x = 1, m = 1: one value z ~ Exp(ν), ν ~ Exp(1), so
		// f(z) = ∫ ν e^−νz e^−ν dν = 1/(1+z)², 1/4 at z = 1.
		{"exponential", mustGG(t, 1, 1, 1), []clv.RFM{rfm(1, 1, 2, "1")}, -2 * math.Ln2},
		// p = 2, q = 3, γ = 4, x = 2, m = 5:
		//	Γ(7)/(Γ(4)Γ(3)) · 4³ · 5³ · 2⁴ / 14⁷ = 60 · 64 · 125 · 16 / 14⁷
		//	= 7,680,000 / 105,413,504, ln = −2.6192712021829554
		{"hand", mustGG(t, 2, 3, 4), []clv.RFM{rfm(2, 1, 2, "5")}, -2.6192712021829554},
		// Customers without repeat purchases are skipped.
		{"skips x = 0", mustGG(t, 1, 1, 1), []clv.RFM{rfm(0, 0, 2, "0"), rfm(1, 1, 2, "1")}, -2 * math.Ln2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ll, err := tc.m.LogLikelihood(tc.customers)
			require.NoError(t, err)
			assert.InDelta(t, tc.want, ll, 1e-12)
		})
	}
}

func TestGammaGammaLogLikelihoodErrors(t *testing.T) {
	m := mustGG(t, 1, 1, 1)
	cases := []struct {
		name      string
		customers []clv.RFM
		want      string
	}{
		{"empty", nil, "clv.GammaGamma.LogLikelihood: len(customers) 0: no customers"},
		{"no repeat customer", []clv.RFM{rfm(0, 0, 3, "0")}, "clv.GammaGamma.LogLikelihood: customers 1: no customer with a repeat purchase"},
		{"negative value", []clv.RFM{rfm(1, 1, 3, "-2")}, "clv.GammaGamma.LogLikelihood: customers[0] value -2: negative"},
		{"zero value", []clv.RFM{{CustomerID: "q", History: hist(2, 1, 3)}}, `clv.GammaGamma.LogLikelihood: customer "q" value 0: must be a positive finite mean with 2 repeat purchases`},
		{"bad history", []clv.RFM{rfm(1, 0, 3, "2")}, "clv.GammaGamma.LogLikelihood: customers[0] recency 0: is 0 with 1 repeat purchases: repeat purchases come after the first"},
		// probe-csc: a Value of 10^(2^31−1) was refused only after its
		// error had written out its digits (10^7 of them took 18 s).
		{"value beyond the bound on money", []clv.RFM{{History: hist(2, 1, 3), Value: decimal.New(1, math.MaxInt32)}}, "clv.GammaGamma.LogLikelihood: customers[0] value 1e2147483647: more than 30 digits before the point"},
		{"value with more than 18 places", []clv.RFM{{History: hist(2, 1, 3), Value: decimal.New(1, -19)}}, "clv.GammaGamma.LogLikelihood: customers[0] value 0.0000000000000000001: more than 18 decimal places"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.LogLikelihood(tc.customers)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.want)
		})
	}
}

func TestFitGammaGamma(t *testing.T) {
	// Values drawn from the model with known parameters (see simulate),
	// about 9,400 repeat customers each. p and γ trade off against each
	// other (the mean is pγ/(q−1)), so their estimates spread more: the
	// tolerances are about three standard errors (the spread over seeds).
	cases := []struct {
		name string
		par  bgParams
		tol  float64
	}{
		{"wide spread", bgParams{r: 2, alpha: 10, a: 2, b: 6, p: 2, q: 3, gamma: 50}, 0.1},
		{"CDNOW-like", bgParams{r: 2, alpha: 10, a: 2, b: 6, p: 6, q: 4, gamma: 15}, 0.15},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cs := simulate(tc.par, 10_000, weeks(), 0, 0, 3)
			m, err := clv.FitGammaGamma(cs)
			require.NoError(t, err)
			assert.InEpsilon(t, tc.par.p, m.P(), tc.tol)
			assert.InEpsilon(t, tc.par.q, m.Q(), tc.tol)
			assert.InEpsilon(t, tc.par.gamma, m.Gamma(), tc.tol)
			fit, err := m.LogLikelihood(cs)
			require.NoError(t, err)
			truth, err := mustGG(t, tc.par.p, tc.par.q, tc.par.gamma).LogLikelihood(cs)
			require.NoError(t, err)
			assert.GreaterOrEqual(t, fit, truth)
		})
	}
}

func TestFitGammaGammaErrors(t *testing.T) {
	same := []clv.RFM{rfm(1, 1, 5, "10"), rfm(2, 3, 5, "10"), rfm(5, 4, 5, "10")}
	cases := []struct {
		name      string
		customers []clv.RFM
		class     error
	}{
		{"no customers", nil, kpi.ErrInvalid},
		{"negative value", []clv.RFM{rfm(1, 1, 3, "-2")}, kpi.ErrInvalid},
		// Every mean the same: the spread of values vanishes and p, q, γ
		// run off.
		{"all equal", same, ErrNotConverged},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := clv.FitGammaGamma(tc.customers)
			require.ErrorIs(t, err, tc.class)
		})
	}
}

func TestGammaGammaExpectedValue(t *testing.T) {
	m := mustGG(t, 6.25, 3.74, 15.44)
	cases := []struct {
		name string
		c    clv.RFM
		want string
	}{
		// p(γ + m·x)/(px + q − 1) = 6.25 · (15.44 + 44.70) / 15.24
		// = 375.875 / 15.24 = 24.663713910…
		{"two repeats", rfm(2, 30.43, 38.86, "22.35"), "24.663714"},
		// x = 0: the population's mean pγ/(q−1) = 96.5/2.74 = 35.218978102…
		{"no repeat", rfm(0, 0, 38.86, "0"), "35.218978"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := m.ExpectedValue(tc.c)
			require.NoError(t, err)
			assertDec(t, tc.want, got)
		})
	}
}

// TestGammaGammaExpectedValueNearPole checks E[Z] = p(γ + m·x)/(px+q−1)
// where px + q is just above 1, so that the denominator is a difference
// of nearly equal numbers. The old code summed px + q − 1 left to right
// and lost all but a few of its digits: 1.49987·10¹³ for 1.50003·10¹³,
// 7.5 % at q = 0.9 + 10⁻¹⁵, and ErrUnbounded for the adjacent floats
// p = 0.5 + 2⁻⁵³, q = 0.5 − 2⁻⁵⁴, whose px + q rounded to 1. Expected
// values by mpmath at 40 digits from the same float64 inputs,
//
//	p*(gamma + m*x)/(p*x + q - 1)
//
// with γ = 10, m = 20 and x = 1 (the last: exactly 30·p/2⁻⁵⁴ rounded).
func TestGammaGammaExpectedValueNearPole(t *testing.T) {
	cases := []struct {
		name string
		p, q float64
		want float64
	}{
		{"p = 0.5 + 1e-12, q = 0.5", 0.5 + 1e-12, 0.5, 15000331833172.54246697013},
		{"p = 0.1, q = 0.9 + 1e-15", 0.1, 0.9 + 1e-15, 2921253812348430.0},
		{"adjacent floats around 0.5 (was ErrUnbounded)", math.Nextafter(0.5, 1), math.Nextafter(0.5, 0), 270215977642229820.0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := mustGG(t, tc.p, tc.q, 10).ExpectedValue(rfm(1, 1, 2, "20"))
			require.NoError(t, err)
			assert.InEpsilon(t, tc.want, got.InexactFloat64(), 1e-12)
		})
	}
	// Exactly on the pole px + q = 1 the expectation is infinite.
	_, err := mustGG(t, 0.5, 0.5, 10).ExpectedValue(rfm(1, 1, 2, "20"))
	assert.ErrorIs(t, err, clv.ErrUnbounded)
}

func TestGammaGammaExpectedValueErrors(t *testing.T) {
	cases := []struct {
		name  string
		m     clv.GammaGamma
		c     clv.RFM
		class error
		want  string
	}{
		{"negative value", mustGG(t, 1, 2, 1), rfm(1, 1, 2, "-1"), kpi.ErrInvalid, "clv.GammaGamma.ExpectedValue: customer value -1: negative"},
		{"bad history", mustGG(t, 1, 2, 1), rfm(-1, 0, 2, "1"), kpi.ErrInvalid, "clv.GammaGamma.ExpectedValue: customer frequency -1: negative count of repeat purchases"},
		// probe-csc: refused before its digits are written out.
		{"value beyond the bound on money", mustGG(t, 1, 2, 1), clv.RFM{CustomerID: "c", History: hist(1, 1, 2), Value: decimal.New(1, math.MaxInt32)}, kpi.ErrInvalid, `clv.GammaGamma.ExpectedValue: customer "c" value 1e2147483647: more than 30 digits before the point`},
		{"q ≤ 1 for a new customer", mustGG(t, 1, 0.5, 1), rfm(0, 0, 2, "0"), clv.ErrUnbounded, "clv.GammaGamma.ExpectedValue: frequency 0: px + q = 0.5 ≤ 1: the expected value is infinite"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.m.ExpectedValue(tc.c)
			require.ErrorIs(t, err, tc.class)
			assert.EqualError(t, err, tc.want)
		})
	}
}
