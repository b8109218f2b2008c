package clv_test

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort/clv"
)

// cdnow are the estimates of Fader, Hardie and Lee (2005) on the CDNOW
// sample, as published (rounded to three decimals).
var cdnow = [4]float64{0.243, 4.414, 0.793, 2.426}

// Reference values marked "mpmath" were computed with mpmath 1.3.0 at 40
// significant digits from the closed forms of Fader, Hardie and Lee
// (2005), equations 6, 9 and 10, using mpmath.hyp2f1 and mpmath.beta.

func TestNewBGNBD(t *testing.T) {
	cases := []struct {
		name           string
		r, alpha, a, b float64
		str            string
	}{
		{"CDNOW", cdnow[0], cdnow[1], cdnow[2], cdnow[3], "BG/NBD(r=0.243, α=4.414, a=0.793, b=2.426)"},
		{"ones", 1, 1, 1, 1, "BG/NBD(r=1.000, α=1.000, a=1.000, b=1.000)"},
		// probe (NaN likelihood): the bound itself is a model (String
		// writes its 101 digits; not checked).
		{"at the bound", clv.MaxParameter, clv.MaxParameter, clv.MaxParameter, clv.MaxParameter, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := clv.NewBGNBD(tc.r, tc.alpha, tc.a, tc.b)
			require.NoError(t, err)
			assert.Equal(t, tc.r, m.R())
			assert.Equal(t, tc.alpha, m.Alpha())
			assert.Equal(t, tc.a, m.A())
			assert.Equal(t, tc.b, m.B())
			if tc.str != "" {
				assert.Equal(t, tc.str, m.String())
			}
		})
	}
}

func TestNewBGNBDErrors(t *testing.T) {
	cases := []struct {
		name           string
		r, alpha, a, b float64
		want           string
	}{
		{"zero r", 0, 1, 1, 1, "clv.NewBGNBD: r 0: must be a finite number > 0"},
		{"negative alpha", 1, -1, 1, 1, "clv.NewBGNBD: alpha -1: must be a finite number > 0"},
		{"NaN a", 1, 1, math.NaN(), 1, "clv.NewBGNBD: a NaN: must be a finite number > 0"},
		{"infinite b", 1, 1, 1, math.Inf(1), "clv.NewBGNBD: b +Inf: must be a finite number > 0"},
		// probe (NaN likelihood): at 10³⁰⁵ a + b overflowed and the
		// log-likelihood was NaN; the bound is 10¹⁰⁰.
		{"a 1e305", 1, 1, 1e305, 1e305, "clv.NewBGNBD: a 1e+305: above MaxParameter (1e100)"},
		{"r just above the bound", math.Nextafter(1e100, math.Inf(1)), 1, 1, 1, "clv.NewBGNBD: r 1.0000000000000002e+100: above MaxParameter (1e100)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := clv.NewBGNBD(tc.r, tc.alpha, tc.a, tc.b)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.want)
		})
	}
}

// TestBGNBDAccessors reads each parameter back through its method.
func TestBGNBDAccessors(t *testing.T) {
	m := mustBG(t, 0.5, 2, 3, 4)
	cases := []struct {
		name string
		get  func() float64
		want float64
	}{
		{"R", m.R, 0.5},
		{"Alpha", m.Alpha, 2},
		{"A", m.A, 3},
		{"B", m.B, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.get())
		})
	}
}

func TestBGNBDString(t *testing.T) {
	cases := []struct {
		name string
		m    clv.BGNBD
		want string
	}{
		{"CDNOW", mustBG(t, cdnow[0], cdnow[1], cdnow[2], cdnow[3]), "BG/NBD(r=0.243, α=4.414, a=0.793, b=2.426)"},
		// By hand: 3 places within [0.001, 10⁶), 4 significant digits
		// outside, so that 1e-4 is not written 0.000 (as it was) and
		// MaxParameter (10¹⁰⁰) not as 101 digits and ".000".
		{"rounds", mustBG(t, 0.12345, 10, 2.0005, 1e-4), "BG/NBD(r=0.123, α=10.000, a=2.001, b=0.0001)"},
		{"extremes", mustBG(t, clv.MaxParameter, 999_999.9994, 1e6, 1.23456e-300), "BG/NBD(r=1e+100, α=999999.999, a=1e+06, b=1.235e-300)"},
		{"the band's edges", mustBG(t, 0.001, 0.00099996, 0.0009995, 1), "BG/NBD(r=0.001, α=0.001, a=0.0009995, b=1.000)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.m.String())
		})
	}
}

func TestBGNBDLogLikelihood(t *testing.T) {
	cases := []struct {
		name      string
		m         clv.BGNBD
		customers []clv.RFM
		want      float64
		tol       float64
	}{
		// r = α = a = b = 1, x = 0, T = 1: L = B(1,1)/B(1,1) · Γ(1)·1/(Γ(1)·2) = 1/2,
		// the chance of no purchase by time 1 at an Exp(1) rate, E[e^−λ] = 1/2.
		{"no repeat", mustBG(t, 1, 1, 1, 1), []clv.RFM{rfm(0, 0, 1, "0")}, math.Log(0.5), 1e-15},
		// x = 1, t_x = 1, T = 3: L = B(1,2)/B(1,1)·Γ(2)/4² + B(2,1)/B(1,1)·Γ(2)/2²
		// = 1/2·1/16 + 1/2·1/4 = 5/32.
		{"one repeat", mustBG(t, 1, 1, 1, 1), []clv.RFM{rfm(1, 1, 3, "0")}, math.Log(5.0 / 32), 1e-15},
		// The sum over customers: ln(1/2) + ln(5/32).
		{"sum", mustBG(t, 1, 1, 1, 1), []clv.RFM{rfm(0, 0, 1, "0"), rfm(1, 1, 3, "0")}, math.Log(5.0 / 64), 1e-15},
		// Identical histories are grouped: three copies count three times.
		{"grouped", mustBG(t, 1, 1, 1, 1), []clv.RFM{rfm(1, 1, 3, "0"), rfm(0, 0, 1, "0"), rfm(1, 1, 3, "0"), rfm(1, 1, 3, "0")},
			3*math.Log(5.0/32) + math.Log(0.5), 1e-14},
		// mpmath: x = 2000 stays finite in log space.
		{"2000 purchases", mustBG(t, cdnow[0], cdnow[1], cdnow[2], cdnow[3]), []clv.RFM{rfm(2000, 30, 38.86, "0")}, 6108.834873718608, 1e-9},
		// mpmath: x = 0 at the CDNOW estimates, T = 38.86.
		{"CDNOW x = 0", mustBG(t, cdnow[0], cdnow[1], cdnow[2], cdnow[3]), []clv.RFM{rfm(0, 0, 38.86, "0")}, -0.55471327643815845, 1e-12},
		// probe-csc, mpmath at 50 digits: b + x − 1 rounded to 0 at x = 1
		// for b below 10⁻¹⁶ (LL +Inf), and α + T overflowed (LL −Inf).
		{"b 10⁻²⁰, one repeat (was +Inf)", mustBG(t, 0.5, 2, 0.8, 1e-20), []clv.RFM{rfm(1, 5, 10, "0")}, -3.2654388138629426, 1e-12},
		{"age near MaxFloat64 (was −Inf)", mustBG(t, 0.5, 1e300, 0.8, 2), []clv.RFM{rfm(0, 0, math.MaxFloat64, "0")}, -9.5035925003664881, 1e-12},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ll, err := tc.m.LogLikelihood(tc.customers)
			require.NoError(t, err)
			assert.InEpsilon(t, tc.want, ll, tc.tol)
		})
	}
}

func TestBGNBDLogLikelihoodErrors(t *testing.T) {
	m := mustBG(t, 1, 1, 1, 1)
	cases := []struct {
		name      string
		customers []clv.RFM
		want      string
	}{
		{"empty", nil, "clv.BGNBD.LogLikelihood: len(customers) 0: no customers"},
		{"negative frequency", []clv.RFM{rfm(-1, 0, 1, "0")}, "clv.BGNBD.LogLikelihood: customers[0] frequency -1: negative count of repeat purchases"},
		{"recency beyond age", []clv.RFM{rfm(0, 0, 1, "0"), {CustomerID: "b", History: hist(2, 5, 4)}},
			`clv.BGNBD.LogLikelihood: customer "b" recency 5: exceeds the age 4: the last purchase lies after the end of calibration`},
		{"repeat at time 0", []clv.RFM{rfm(3, 0, 4, "0")}, "clv.BGNBD.LogLikelihood: customers[0] recency 0: is 0 with 3 repeat purchases: repeat purchases come after the first"},
		{"before the first", []clv.RFM{rfm(1, -1, 4, "0")}, "clv.BGNBD.LogLikelihood: customers[0] recency -1: must be a finite number ≥ 0: no purchase comes before the customer's first"},
		{"recency without repeat", []clv.RFM{rfm(0, 1, 4, "0")}, "clv.BGNBD.LogLikelihood: customers[0] recency 1: must be 0 when there is no repeat purchase"},
		{"NaN age", []clv.RFM{rfm(0, 0, math.NaN(), "0")}, "clv.BGNBD.LogLikelihood: customers[0] age NaN: must be a finite number ≥ 0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.LogLikelihood(tc.customers)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.want)
		})
	}
}

func TestFitBGNBD(t *testing.T) {
	// Customers drawn from the model with known parameters (see simulate),
	// acquired over 13 weeks and observed to week 39 on a calendar of days.
	// The fit must recover the parameters within 10 %, about three
	// standard errors at these sizes (the spread of the estimates over
	// seeds), and its likelihood must be at least that of the true
	// parameters.
	cases := []struct {
		name string
		par  bgParams
		n    int
	}{
		{"light buyers who leave fast", bgParams{r: 0.5, alpha: 1, a: 0.3, b: 4}, 10_000},
		{"regular buyers", bgParams{r: 2, alpha: 10, a: 2, b: 6}, 20_000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cs := simulate(tc.par, tc.n, weeks(), 0, 1.0/7, 1)
			m, err := clv.FitBGNBD(cs)
			require.NoError(t, err)
			assert.InEpsilon(t, tc.par.r, m.R(), 0.1)
			assert.InEpsilon(t, tc.par.alpha, m.Alpha(), 0.1)
			assert.InEpsilon(t, tc.par.a, m.A(), 0.1)
			assert.InEpsilon(t, tc.par.b, m.B(), 0.1)
			fit, err := m.LogLikelihood(cs)
			require.NoError(t, err)
			truth, err := mustBG(t, tc.par.r, tc.par.alpha, tc.par.a, tc.par.b).LogLikelihood(cs)
			require.NoError(t, err)
			assert.GreaterOrEqual(t, fit, truth)
		})
	}
}

func TestFitBGNBDErrors(t *testing.T) {
	cases := []struct {
		name      string
		customers []clv.RFM
		class     error
		want      string
	}{
		{"empty", nil, kpi.ErrInvalid, "clv.FitBGNBD: len(customers) 0: no customers"},
		{"bad history", []clv.RFM{rfm(1, 2, 1, "0")}, kpi.ErrInvalid,
			"clv.FitBGNBD: customers[0] recency 2: exceeds the age 1: the last purchase lies after the end of calibration"},
		{"no repeat purchase", []clv.RFM{rfm(0, 0, 10, "0"), rfm(0, 0, 5, "0")}, ErrNotConverged,
			"clv.FitBGNBD: repeat purchases 0: no customer bought twice: r runs to 0"},
		// Every customer buys each week and never leaves: a → 0 and the
		// rates' spread vanishes (r, α → ∞), so there is no finite maximum.
		{"clockwork", []clv.RFM{rfm(10, 10, 10, "0"), rfm(5, 5, 5, "0"), rfm(20, 20, 20, "0")}, ErrNotConverged, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := clv.FitBGNBD(tc.customers)
			require.ErrorIs(t, err, tc.class)
			var ke *kpi.Error
			require.ErrorAs(t, err, &ke)
			if tc.want != "" {
				assert.EqualError(t, err, tc.want)
			}
		})
	}
}

// ErrNotConverged is the package's sentinel, short for the tables.
var ErrNotConverged = clv.ErrNotConverged

func TestBGNBDExpectedPurchases(t *testing.T) {
	// With r = 1, b = 1, a = 2, ₂F₁(1, 1; 2; z) = −ln(1−z)/z, so
	//	E[X(t)] = 2[1 − (α/t)·ln((α+t)/α)]
	// which at α = 1 is 2(1 − ln 2) for t = 1 and 2(1 − ln 4 / 3) for t = 3;
	// checked by E[X(t)] = E_p[(1/p)(1 − (α/(α+pt))ʳ)] with p ~ Beta(2, 1):
	// ∫ 2p/(1+p) dp = 2(1 − ln 2).
	simple := mustBG(t, 1, 1, 2, 1)
	cdnowM := mustBG(t, cdnow[0], cdnow[1], cdnow[2], cdnow[3])
	cases := []struct {
		name string
		m    clv.BGNBD
		t    float64
		want float64
	}{
		{"t = 0", simple, 0, 0},
		{"t = 1", simple, 1, 2 * (1 - math.Ln2)},
		{"t = 3", simple, 3, 2 * (1 - math.Log(4)/3)},
		{"CDNOW 39 weeks (mpmath)", cdnowM, 39, 1.1967231933208168},
		{"CDNOW 78 weeks (mpmath)", cdnowM, 78, 1.8605190579427685},
		// a + b = 1: the removable singularity c = 0, mpmath's limit.
		{"a + b = 1 (mpmath)", mustBG(t, 0.5, 2, 0.25, 0.75), 10, 1.720222182315406},
		// A horizon far below α away from a = 1 (TestBGNBDShortHorizon has
		// a = 1): mpmath at 60 digits,
		//	mp.mp.dps = 60; z = t/(al+t)
		//	(a+b-1)/(a-1)*(1-(al/(al+t))**r*mp.hyp2f1(r, b, a+b-1, z))
		{"a = 1.5, t ≪ α (mpmath)", mustBG(t, 0.0010416666666666667, 15700, 1.5, 32), 2.8571428571428574e-05, 1.8956627236108868722e-12},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.m.ExpectedPurchases(tc.t)
			require.NoError(t, err)
			assert.InDelta(t, tc.want, got, 1e-9*math.Abs(tc.want))
		})
	}
}

func TestBGNBDExpectedPurchasesErrors(t *testing.T) {
	m := mustBG(t, 1, 1, 2, 1)
	cases := []struct {
		name string
		t    float64
		want string
	}{
		{"negative", -1, "clv.BGNBD.ExpectedPurchases: t -1: must be a finite number ≥ 0"},
		{"infinite", math.Inf(1), "clv.BGNBD.ExpectedPurchases: t +Inf: must be a finite number ≥ 0"},
		{"NaN", math.NaN(), "clv.BGNBD.ExpectedPurchases: t NaN: must be a finite number ≥ 0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.ExpectedPurchases(tc.t)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.want)
		})
	}
}

func TestBGNBDConditionalPurchases(t *testing.T) {
	// r = 1, α = 1, a = 2, b = 1 and x = 1, t_x = T = 1: an alive customer
	// has λ ~ Gamma(2, 2) and p ~ Beta(2, 2), so
	//	G = E[(1/p)(1 − (2/(2+pt))²)] = ∫ 6(1−p)(1 − (2/(2+pt))²) dp
	// which is 6 ln 2 − 3 at t = 2 and 3(8 ln 1.5 − 3) at t = 1, and
	// P(alive) = 1/(1 + a/b) = 1/3; so E = 2 ln 2 − 1 and 8 ln 1.5 − 3.
	simple := mustBG(t, 1, 1, 2, 1)
	cdnowM := mustBG(t, cdnow[0], cdnow[1], cdnow[2], cdnow[3])
	cases := []struct {
		name string
		m    clv.BGNBD
		h    clv.History
		t    float64
		want float64
	}{
		{"hand, t = 2", simple, hist(1, 1, 1), 2, 2*math.Ln2 - 1},
		{"hand, t = 1", simple, hist(1, 1, 1), 1, 8*math.Log(1.5) - 3},
		{"no time", simple, hist(1, 1, 1), 0, 0},
		// x = 0, T = 1 is a new customer with α + T = 2: 2(1 − ln 2) at t = 2.
		{"no repeat", simple, hist(0, 0, 1), 2, 2 * (1 - math.Ln2)},
		// Customer 1 of the CDNOW sample; Fader and Hardie's note
		// "Implementing the BG/NBD Model" (2005) gives 1.226.
		{"CDNOW customer 1 (mpmath)", cdnowM, hist(2, 30.43, 38.86), 39, 1.2260281747671444},
		{"3000 purchases (mpmath)", cdnowM, hist(3000, 38.8, 38.86), 39, 2027.5997007535481},
		// c−a−b = a−1−r−x far below 0: gonum's Hyp2f1 runs a recurrence
		// of |c−a−b| steps, about 2⁴⁰ for the second row (it hung); the
		// other Euler form is used. mpmath 1.3.0 at 60 digits, the direct
		// ₂F₁ series for 20 000 and the Euler form for 2⁴⁰.
		{"20 000 purchases, just bought (mpmath)", cdnowM, hist(20000, 38.86, 38.86), 39, 13743.667220721174738},
		{"2⁴⁰ purchases, just bought (mpmath)", cdnowM, hist(1<<40, 38.86, 38.86), 39, 755571042172.92297748},
		// a = 1: the removable singularity, mpmath's limit.
		{"a = 1 (mpmath)", mustBG(t, 0.5, 2, 1, 0.5), hist(2, 5, 10), 20, 0.68778506475124733},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.m.ConditionalPurchases(tc.h, tc.t)
			require.NoError(t, err)
			assert.InDelta(t, tc.want, got, 1e-9*max(1, tc.want))
		})
	}
}

func TestBGNBDConditionalPurchasesErrors(t *testing.T) {
	m := mustBG(t, 1, 1, 2, 1)
	cases := []struct {
		name string
		h    clv.History
		t    float64
		want string
	}{
		{"bad history", hist(1, 3, 2), 1, "clv.BGNBD.ConditionalPurchases: history recency 3: exceeds the age 2: the last purchase lies after the end of calibration"},
		{"negative t", hist(1, 1, 2), -2, "clv.BGNBD.ConditionalPurchases: t -2: must be a finite number ≥ 0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.ConditionalPurchases(tc.h, tc.t)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.want)
		})
	}
}

func TestBGNBDAlive(t *testing.T) {
	cases := []struct {
		name string
		m    clv.BGNBD
		h    clv.History
		want float64
	}{
		// 1/(1 + a/(b+x−1)·((α+T)/(α+t_x))^(r+x)) = 1/(1 + 1·(4/2)²) = 1/5.
		{"hand", mustBG(t, 1, 1, 1, 1), hist(1, 1, 3), 0.2},
		// t_x = T: 1/(1 + a/b) = 1/(1 + 2) = 1/3.
		{"just bought", mustBG(t, 1, 1, 2, 1), hist(1, 1, 1), 1.0 / 3},
		{"no repeat purchase", mustBG(t, 1, 1, 2, 1), hist(0, 0, 50), 1},
		{"CDNOW customer 1 (mpmath)", mustBG(t, cdnow[0], cdnow[1], cdnow[2], cdnow[3]), hist(2, 30.43, 38.86), 0.72657857008067291},
		// ((α+T)/(α+t_x))^(r+x) = 38^5001 overflows: the probability is 0.
		{"5000 purchases long ago", mustBG(t, 1, 1, 2, 1), hist(5000, 1, 37), 0},
		// probe-csc: b + x − 1 rounded to 0 at x = 1, so a/0 made it 0;
		// mpmath: 1/(1 + 0.8/10⁻²⁰·(12/7)^1.5).
		{"b 10⁻²⁰, one repeat (was 0)", mustBG(t, 0.5, 2, 0.8, 1e-20), hist(1, 5, 10), 5.5691024070643888969e-21},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.m.Alive(tc.h)
			require.NoError(t, err)
			assert.InDelta(t, tc.want, got, 1e-12)
			if tc.want > 0 {
				assert.InEpsilon(t, tc.want, got, 1e-12)
			}
		})
	}
}

func TestBGNBDAliveErrors(t *testing.T) {
	m := mustBG(t, 1, 1, 2, 1)
	cases := []struct {
		name string
		h    clv.History
		want string
	}{
		{"negative age", hist(0, 0, -1), "clv.BGNBD.Alive: history age -1: must be a finite number ≥ 0"},
		{"infinite recency", hist(1, math.Inf(1), 2), "clv.BGNBD.Alive: history recency +Inf: must be a finite number ≥ 0: no purchase comes before the customer's first"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.Alive(tc.h)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.want)
		})
	}
}

func TestBGNBDHoldout(t *testing.T) {
	simple := mustBG(t, 1, 1, 2, 1)
	// Two customers at r = 1, α = 1, a = 2, b = 1 and a holdout of 2:
	// "a" with x = 1, t_x = T = 1 expects 2 ln 2 − 1 and bought once;
	// "b" with x = 0, T = 1 expects 2(1 − ln 2) and did not buy.
	hand := clv.Summary{HoldoutLength: 2, Customers: []clv.RFM{
		{CustomerID: "a", History: hist(1, 1, 1), Holdout: 1},
		{CustomerID: "b", History: hist(0, 0, 1)},
	}}
	cases := []struct {
		name   string
		s      clv.Summary
		groups int
		want   []clv.HoldoutGroup
	}{
		{"by frequency", hand, 3, []clv.HoldoutGroup{
			{Frequency: 0, Customers: 1, Actual: 0, Predicted: 2 * (1 - math.Ln2)},
			{Frequency: 1, Customers: 1, Actual: 1, Predicted: 2*math.Ln2 - 1},
		}},
		{"pooled", hand, 1, []clv.HoldoutGroup{
			{Frequency: 0, Customers: 2, Actual: 0.5, Predicted: (2*(1-math.Ln2) + 2*math.Ln2 - 1) / 2},
		}},
		// probe-csc: 2⁵⁰ groups panicked in makeslice before any customer
		// was read; groups beyond the highest frequency change nothing.
		{"groups beyond any frequency", hand, 1 << 50, []clv.HoldoutGroup{
			{Frequency: 0, Customers: 1, Actual: 0, Predicted: 2 * (1 - math.Ln2)},
			{Frequency: 1, Customers: 1, Actual: 1, Predicted: 2*math.Ln2 - 1},
		}},
		{"customers out of order", clv.Summary{HoldoutLength: 2, Customers: []clv.RFM{hand.Customers[1], hand.Customers[0]}}, math.MaxInt, []clv.HoldoutGroup{
			{Frequency: 0, Customers: 1, Actual: 0, Predicted: 2 * (1 - math.Ln2)},
			{Frequency: 1, Customers: 1, Actual: 1, Predicted: 2*math.Ln2 - 1},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := simple.Holdout(tc.s, tc.groups)
			require.NoError(t, err)
			require.Len(t, got, len(tc.want))
			for i, w := range tc.want {
				assert.Equal(t, w.Frequency, got[i].Frequency)
				assert.Equal(t, w.Customers, got[i].Customers)
				assert.InDelta(t, w.Actual, got[i].Actual, 1e-12)
				assert.InDelta(t, w.Predicted, got[i].Predicted, 1e-9)
			}
		})
	}
}

// TestBGNBDHoldoutSimulated checks that the model's predictions match the
// holdout purchases of customers drawn from it: 20,000 customers, a
// holdout of 39 weeks, each frequency group with at least 500 customers
// within 10 % (about three standard errors of its mean).
func TestBGNBDHoldoutSimulated(t *testing.T) {
	cases := []struct {
		name string
		par  bgParams
	}{
		{"CDNOW-like", bgParams{r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}},
		{"regular buyers", bgParams{r: 2, alpha: 10, a: 2, b: 6}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cs := simulate(tc.par, 20_000, weeks(), 39, 0, 2)
			m := mustBG(t, tc.par.r, tc.par.alpha, tc.par.a, tc.par.b)
			groups, err := m.Holdout(clv.Summary{Customers: cs, HoldoutLength: 39}, 4)
			require.NoError(t, err)
			for _, g := range groups {
				if g.Customers >= 500 {
					assert.InEpsilon(t, g.Actual, g.Predicted, 0.1, "frequency %d", g.Frequency)
				}
			}
		})
	}
}

func TestBGNBDHoldoutErrors(t *testing.T) {
	m := mustBG(t, 1, 1, 2, 1)
	ok := []clv.RFM{{History: hist(1, 1, 2), Holdout: 1}}
	cases := []struct {
		name   string
		s      clv.Summary
		groups int
		want   string
	}{
		{"no groups", clv.Summary{Customers: ok, HoldoutLength: 1}, 0, "clv.BGNBD.Holdout: groups 0: must be ≥ 1"},
		{"negative length", clv.Summary{Customers: ok, HoldoutLength: -1}, 2, "clv.BGNBD.Holdout: holdout length -1: must be a finite number ≥ 0"},
		{"no customers", clv.Summary{HoldoutLength: 1}, 2, "clv.BGNBD.Holdout: len(customers) 0: no customers"},
		{"negative holdout", clv.Summary{Customers: []clv.RFM{{CustomerID: "z", History: hist(0, 0, 1), Holdout: -1}}, HoldoutLength: 1}, 2,
			`clv.BGNBD.Holdout: customer "z" holdout -1: negative count of purchases`},
		{"bad history", clv.Summary{Customers: []clv.RFM{{History: hist(0, 0, -3)}}, HoldoutLength: 1}, 2,
			"clv.BGNBD.Holdout: customers[0] age -3: must be a finite number ≥ 0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.Holdout(tc.s, tc.groups)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.want)
		})
	}
	// Undefined predictions name the customer, quoted short.
	undefined := []struct {
		name   string
		m      clv.BGNBD
		s      clv.Summary
		groups int
		want   string
	}{
		// probe-csc: the error of ConditionalPurchases was prefixed with
		// the customer's whole ID (a megabyte), outside the *kpi.Error
		// that cuts what it quotes.
		{"long ID", mustBG(t, 0.24, 4.4, 0.79, 2.4), clv.Summary{Customers: []clv.RFM{{CustomerID: strings.Repeat("x", 1<<20), History: hist(2, 3, 10)}}, HoldoutLength: 1e300}, 3,
			`clv.BGNBD.Holdout: t for customer "` + strings.Repeat("x", 80) + `… (1048593 bytes) 1e+300: the hypergeometric function overflows or loses its digits for this history and horizon`},
	}
	for _, tc := range undefined {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.m.Holdout(tc.s, tc.groups)
			require.ErrorIs(t, err, kpi.ErrUndefined)
			var ke *kpi.Error
			require.ErrorAs(t, err, &ke)
			assert.EqualError(t, err, tc.want)
		})
	}
}

// TestBGNBDNoOverflow runs the predictions over extreme histories and
// parameters: values are finite and non-negative, or an error wrapping
// kpi.ErrUndefined; never NaN, never a hang.
func TestBGNBDNoOverflow(t *testing.T) {
	cases := []struct {
		name string
		m    clv.BGNBD
		h    clv.History
		t    float64
	}{
		// gonum's Hypergeo loops forever at z > 0.9 when c−a−b is an
		// integer above 170 (r − a an integer here); hyp2f1 steps round it.
		{"integer c−a−b, far horizon", mustBG(t, 1, 1, 2, 1), hist(3000, 20, 20), 1e4},
		{"tiny parameters", mustBG(t, 1e-6, 3, 1e-6, 1e-6), hist(3, 1, 20), 1e4},
		{"huge parameters", mustBG(t, 1e5, 1e-5, 1e5, 1e5), hist(10_000, 1, 2), 1e6},
		{"a = 1, b tiny", mustBG(t, 0.5, 2, 1, 1e-9), hist(0, 0, 10), 10},
		// Hypergeo also loops at c−a−b = 1 when a and b are near 10⁵.
		{"large a and b", mustBG(t, 1e5, 85, 1e5, 1e5), hist(0, 0, 2), 1e6},
		// Euler's form is a series of terms up to 2⁶⁷ that cancel to O(1)
		// here; the direct form is exact.
		{"large r", mustBG(t, 67.5, 2, 1, 1e-9), hist(0, 0, 0), 17.5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := tc.m.ConditionalPurchases(tc.h, tc.t)
			if err != nil {
				require.ErrorIs(t, err, kpi.ErrUndefined)
				return
			}
			assert.False(t, math.IsNaN(v) || math.IsInf(v, 0) || v < 0, "value %v", v)
		})
	}
}

// TestBGNBDShortHorizon checks E[X(t)] and E[Y(t)] for horizons short
// against α, where 1 − (α/(α+t))ʳ·₂F₁ cancels, to 10⁻¹² relative (the
// first row is FuzzBGNBD's c4fe6a5e17ad6fe3, once −2.96·10⁻¹³). a = 1 is
// the removable singularity, taken in mpmath 1.3.0 at a = 1 ± 10⁻⁵⁰ (both
// agree to 20 digits) with 150 digits:
//
//	mp.dps = 150; r, al, a, b, t = map(mpf, (0.0010416666666666667, 15700, 1 + mpf('1e-50'), 32, T))
//	c = a + b - 1; c/(a-1)*(1 - (al/(al+t))**r*hyp2f1(r, b, c, t/(al+t)))
//
// and the CDNOW row, eq. 10 times P(alive), at 50 digits:
//
//	G = c/(a-1)*(1 - ((al+T)/(al+T+t))**(r+x)*hyp2f1(r+x, b+x, c, t/(al+T+t)))
//	P = 1/(1 + a/(b+x-1)*((al+T)/(al+tx))**(r+x)), c = a+b+x-1
func TestBGNBDShortHorizon(t *testing.T) {
	fuzzed := mustBG(t, 0.0010416666666666667, 15700, 1, 32)
	cases := []struct {
		name string
		t    float64
		want float64
	}{
		{"fuzz seed c4fe6a5e17ad6fe3", 2.8571428571428574e-05, 1.8956627236358774771e-12},
		{"t = 10⁻³", 1e-3, 6.6348195264990052703e-11},
		{"t = 1", 1, 6.6348131232250482847e-8},
		{"t = 5000", 5000, 0.00033015817608174857868},
		{"t = 10990, the series at t/α = 0.7", 10990, 0.0007216286325820068621378},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := fuzzed.ExpectedPurchases(tc.t)
			require.NoError(t, err)
			assert.InEpsilon(t, tc.want, got, 1e-12)
		})
	}
	t.Run("CDNOW customer 1, t = 10⁻³", func(t *testing.T) {
		m := mustBG(t, cdnow[0], cdnow[1], cdnow[2], cdnow[3])
		got, err := m.ConditionalPurchases(hist(2, 30.43, 38.86), 1e-3)
		require.NoError(t, err)
		assert.InEpsilon(t, 0.000037660175950157370222, got, 1e-12)
	})
}

// TestBGNBDTinyDropoutShapes checks G for x = 0 when a + b is far below 1,
// where c = a+b−1 lies a + b from the pole of ₂F₁ at −1. The old code
// took c rounded and returned NaN for t/(α+T) ≤ ¾ once a + b < 10⁻¹⁶
// (a + n − 1 and c + 1 rounded to 0), and for longer horizons lost
// 5·10⁻¹⁷/(a+b) of G: 2·10⁻⁵ relative at a = b = 10⁻¹², and E[X(100)] =
// 0.990 for 50.495 at 10⁻²⁰. By hand, as a = b → 0 the dropout
// probability p is 0 or 1 with probability ½ each: a customer who never
// drops buys r·t/α on average, one who drops at the first repeat purchase
// buys min(N, 1), on average 1 − (α/(α+t))ʳ, so at r = α = 1
//
//	E[X(t)] = ½·(t + t/(1+t)):  t = 0.1 → 0.0954545…, t = 1 → 0.75,
//	t = 10 → 5.4545…, t = 100 → 50.4950495…
//
// (to 10⁻²⁰ at a = b = 10⁻²⁰). The other rows are mpmath at 60 digits,
//
//	s = al + T; c = a + b - 1
//	c/(a-1)*(1 - (s/(s+t))**r*hyp2f1(r, b, c, t/(s+t)))
func TestBGNBDTinyDropoutShapes(t *testing.T) {
	half := mustBG(t, 1, 1, 1e-20, 1e-20)
	cases := []struct {
		name string
		m    clv.BGNBD
		age  float64 // T, with x = t_x = 0
		t    float64
		want float64
	}{
		{"a = b = 1e-20, t = 0.1 (was NaN)", half, 0, 0.1, 0.1 / 2 * (1 + 1/1.1)},
		{"a = b = 1e-20, t = 1 (was 0.5)", half, 0, 1, 0.75},
		{"a = b = 1e-20, t = 10 (was 0.909)", half, 0, 10, 5 * (1 + 1.0/11)},
		{"a = b = 1e-20, t = 100 (was 0.990)", half, 0, 100, 50 * (1 + 1.0/101)},
		{"CDNOW r, α with a = b = 1e-12, t = 1 (mpmath)", mustBG(t, cdnow[0], cdnow[1], 1e-12, 1e-12), 0, 1, 0.051731654599669736926},
		{"CDNOW r, α with a = b = 1e-12, t = 39 (mpmath)", mustBG(t, cdnow[0], cdnow[1], 1e-12, 1e-12), 0, 39, 1.2866229091339105915},
		{"a = 2e-17, b = 1e-18, T = 38.86, t = 0.5 (mpmath; was NaN)", mustBG(t, cdnow[0], cdnow[1], 2e-17, 1e-18), 38.86, 0.5, 0.0027886529791353378725},
		{"a = 2e-17, b = 1e-18, T = 38.86, t = 39 (mpmath)", mustBG(t, cdnow[0], cdnow[1], 2e-17, 1e-18), 38.86, 39, 0.14809574652452308602},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.m.ConditionalPurchases(hist(0, 0, tc.age), tc.t)
			require.NoError(t, err)
			assert.InEpsilon(t, tc.want, got, 1e-12)
			if tc.age == 0 {
				e, err := tc.m.ExpectedPurchases(tc.t)
				require.NoError(t, err)
				assert.Equal(t, got, e, "a new customer is one with history (0, 0, 0)")
			}
		})
	}
	t.Run("a = b = 2e-6, t = 10⁴: the hypergeometric function's (mpmath)", func(t *testing.T) {
		got, err := mustBG(t, 1, 1, 2e-6, 2e-6).ExpectedPurchases(1e4)
		require.NoError(t, err)
		assert.InEpsilon(t, 5000.4078557248298757, got, 1e-9)
	})
	t.Run("a = b = 1e-20, t = 10⁴: undefined, not 0.9999", func(t *testing.T) {
		// By hand ½·(10⁴ + 10⁴/10001) = 5000.49995; the old code said
		// 0.99990001, the p = 1 half alone.
		_, err := half.ExpectedPurchases(1e4)
		require.ErrorIs(t, err, kpi.ErrUndefined)
		assert.EqualError(t, err, "clv.BGNBD.ExpectedPurchases: t 10000: the hypergeometric function overflows or loses its digits for this history and horizon")
	})
}
