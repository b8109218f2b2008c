package cohort_test

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
)

func mustSBG(t testing.TB, a, b float64) cohort.SBG {
	m, err := cohort.NewSBG(a, b)
	require.NoError(t, err)
	return m
}

func TestFitSBG(t *testing.T) {
	// Fader and Hardie (2007), fitted on years 0–7 of Table 1: regular
	// α = 0.704, β = 1.182; high end α = 0.668, β = 3.806. The
	// log-likelihoods −1680.27 and −1611.16 are from an independent fit
	// (SciPy Nelder–Mead and R optim BFGS).
	cases := []struct {
		name        string
		survivors   [][]int64
		alpha, beta float64
		ll          float64
	}{
		{"regular", [][]int64{regular}, 0.704, 1.182, -1680.27},
		{"high end", [][]int64{highEnd}, 0.668, 3.806, -1611.16},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := cohort.FitSBG(tc.survivors...)
			require.NoError(t, err)
			assert.InDelta(t, tc.alpha, m.Alpha(), 0.0005)
			assert.InDelta(t, tc.beta, m.Beta(), 0.0005)
			ll, err := m.LogLikelihood(tc.survivors...)
			require.NoError(t, err)
			assert.InDelta(t, tc.ll, ll, 0.005)
		})
	}
}

func TestFitSBGPooled(t *testing.T) {
	// Cohorts of different ages pool into one likelihood: the regular
	// series cut into an old cohort and a young one (and one seen at age 0
	// only, which adds nothing) must fit like the sum of their
	// likelihoods, checked here by the fit being a stationary point: the
	// pooled likelihood is lower a step away in each direction.
	cases := []struct {
		name      string
		survivors [][]int64
	}{
		{"old and young", [][]int64{regular, {500, 316, 234}}},
		{"with an age-0 cohort", [][]int64{highEnd, {300}, {200, 174, 149, 131}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := cohort.FitSBG(tc.survivors...)
			require.NoError(t, err)
			best, err := m.LogLikelihood(tc.survivors...)
			require.NoError(t, err)
			for _, step := range [][2]float64{{1e-3, 0}, {-1e-3, 0}, {0, 1e-3}, {0, -1e-3}} {
				o := mustSBG(t, m.Alpha()+step[0], m.Beta()+step[1])
				ll, err := o.LogLikelihood(tc.survivors...)
				require.NoError(t, err)
				assert.Less(t, ll, best)
			}
		})
	}
}

func TestFitSBGErrors(t *testing.T) {
	cases := []struct {
		name      string
		survivors [][]int64
		want      error
		msg       string
	}{
		{"no series", nil, kpi.ErrInvalid, "no series"},
		{"empty series", [][]int64{regular, {}}, kpi.ErrInvalid, "len(survivors[1]) 0: empty series"},
		{"one period", [][]int64{{1000, 631}}, kpi.ErrInvalid, "fewer than two periods"},
		{"only age 0", [][]int64{{1000}, {20}}, kpi.ErrInvalid, "fewer than two periods"},
		{"increase", [][]int64{{1000, 631, 640}}, kpi.ErrInvalid, "survivors[0][2] 640: exceeds 631"},
		{"negative", [][]int64{{1000, -1, -2}}, kpi.ErrInvalid, "survivors[0][1] -1: negative count"},
		// Found by FuzzSBGSeries: two series of 2⁶³ − 1 wrapped the pooled
		// counts, and EstimateSBG's survival 0.99999977 fell outside its
		// interval [1, 1].
		{"pooled counts wrap", [][]int64{{math.MaxInt64, math.MaxInt64, math.MaxInt64}, {math.MaxInt64, math.MaxInt64}}, kpi.ErrInvalid,
			"survivors[1][0] 9223372036854775807: the series' first counts add up past 2^63 − 1"},
		{"nobody lost", [][]int64{{100, 100, 100}}, cohort.ErrNotConverged, "customers lost 0"},
		{"everybody lost at once", [][]int64{{100, 0, 0}}, cohort.ErrNotConverged, "no finite maximum"},
		{"churn rising with tenure", [][]int64{{100, 50, 25, 0}}, cohort.ErrNotConverged, "no finite maximum"},
		{"constant churn", [][]int64{{1024, 512, 256, 128, 64, 32}}, cohort.ErrNotConverged, "no finite maximum"},
		// Constant churn sends α and β off together; α, the first the
		// search checks, is named as NewSBG names it, not "parameter 0".
		{"constant churn names alpha", [][]int64{{1024, 512, 256, 128, 64, 32}}, cohort.ErrNotConverged,
			"cohort.FitSBG: alpha "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cohort.FitSBG(tc.survivors...)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.want)
			assert.ErrorContains(t, err, tc.msg)
		})
	}
}

func TestSBGLogLikelihood(t *testing.T) {
	// Independent values from Python: Σ (s[t−1] − s[t])·ln(S(t−1) − S(t)) +
	// s[n]·ln S(n) with S from math.lgamma.
	cases := []struct {
		name        string
		alpha, beta float64
		survivors   [][]int64
		want        float64
	}{
		{"paper estimate", 0.704, 1.182, [][]int64{regular}, -1680.2651905533523},
		{"two series", 2, 3, [][]int64{{100, 60}, {50, 40, 35, 30}}, -132.93942113854638},
		{"one series", 2, 3, [][]int64{{100, 60, 40}}, -105.49201679861442},
		// probe-csc: NaN (b + t − 1 rounded to 0, α+β+t−1 too) and −Inf
		// (α+β overflowed); by hand, P(T=1) = α/(α+β) = ½ in both, S(1)
		// = ½, and in the second P(T=2) = S(2) = ¼ (α/(α+β+1) is ½ to
		// the last digit): 5·ln ½ + 5·ln ½ = −10 ln 2 and 10·ln ½ +
		// 5·ln ¼ + 5·ln ¼ = −30 ln 2.
		{"α = β = 5e-324 (was NaN)", 5e-324, 5e-324, [][]int64{{10, 5}}, -10 * math.Ln2},
		{"α = β = MaxFloat64 (was −Inf)", math.MaxFloat64, math.MaxFloat64, [][]int64{{20, 10, 5}}, -30 * math.Ln2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := mustSBG(t, tc.alpha, tc.beta).LogLikelihood(tc.survivors...)
			require.NoError(t, err)
			assert.InEpsilon(t, tc.want, got, 1e-12)
		})
	}
}

func TestSBGLogLikelihoodErrors(t *testing.T) {
	cases := []struct {
		name      string
		survivors [][]int64
	}{
		{"none", nil},
		{"increase", [][]int64{{10, 11}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mustSBG(t, 1, 1).LogLikelihood(tc.survivors...)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
		})
	}
}

func TestNewSBG(t *testing.T) {
	cases := []struct {
		name        string
		alpha, beta float64
	}{
		{"paper", 0.704, 1.182},
		{"tiny", 1e-9, 1e9},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := cohort.NewSBG(tc.alpha, tc.beta)
			require.NoError(t, err)
			assert.Equal(t, tc.alpha, m.Alpha())
			assert.Equal(t, tc.beta, m.Beta())
		})
	}
}

func TestNewSBGErrors(t *testing.T) {
	cases := []struct {
		name        string
		alpha, beta float64
		msg         string
	}{
		{"zero alpha", 0, 1, "alpha 0"},
		{"negative beta", 1, -1, "beta -1"},
		{"NaN", math.NaN(), 1, "alpha NaN"},
		{"infinite", 1, math.Inf(1), "beta +Inf"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cohort.NewSBG(tc.alpha, tc.beta)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, tc.msg)
		})
	}
}

func TestSBGAlpha(t *testing.T) {
	cases := []struct {
		name string
		m    cohort.SBG
		want float64
	}{
		{"regular", mustSBG(t, 0.704, 1.182), 0.704},
		{"high end", mustSBG(t, 0.668, 3.806), 0.668},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.m.Alpha()) })
	}
}

func TestSBGBeta(t *testing.T) {
	cases := []struct {
		name string
		m    cohort.SBG
		want float64
	}{
		{"regular", mustSBG(t, 0.704, 1.182), 1.182},
		{"high end", mustSBG(t, 0.668, 3.806), 3.806},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.m.Beta()) })
	}
}

func TestSBGString(t *testing.T) {
	cases := []struct {
		name string
		m    cohort.SBG
		want string
	}{
		{"regular", mustSBG(t, 0.704, 1.182), "sBG(α=0.704, β=1.182)"},
		{"rounded", mustSBG(t, 2, 1/3.0), "sBG(α=2.000, β=0.333)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.m.String()) })
	}
}

func TestSBGSurvival(t *testing.T) {
	// S(t) = B(α, β+t)/B(α, β), from Python's math.lgamma; for α = 2,
	// β = 3 by hand: S(1) = 3/5, S(2) = 3/5·4/6 = 0.4.
	cases := []struct {
		name        string
		alpha, beta float64
		t           int
		want        float64
	}{
		{"regular 1", 0.704, 1.182, 1, 0.626723223754},
		{"regular 7", 0.704, 1.182, 7, 0.239050641693},
		{"regular 12", 0.704, 1.182, 12, 0.170062576806},
		{"high end 12", 0.668, 3.806, 12, 0.378040420182},
		{"2,3 at 2", 2, 3, 2, 0.4},
		{"age 0", 2, 3, 0, 1},
		{"before 0", 2, 3, -4, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.InDelta(t, tc.want, mustSBG(t, tc.alpha, tc.beta).Survival(tc.t), 1e-12)
		})
	}
	// probe-csc: S(t) as a difference of mathext.Lbeta lost its digits
	// for parameters NewSBG accepts. Values from mpmath at 50 digits,
	// exp(Σ_{k<t} ln((β+k)/(α+β+k))), and past 2·10⁴ terms exp of
	// loggamma(β+t) − loggamma(β) − loggamma(α+β+t) + loggamma(α+β) at
	// 700 digits; within 1e-12 relative.
	const maxF = math.MaxFloat64
	extreme := []struct {
		name        string
		alpha, beta float64
		t           int
		want        float64
	}{
		{"α 10²⁰, β 1 (was 1)", 1e20, 1, 1, 9.9999999999999999999e-21},
		{"α = β = MaxFloat64 (was NaN)", maxF, maxF, 1, 0.5},
		{"α = β = MaxFloat64 at 3 (was NaN)", maxF, maxF, 3, 0.125},
		{"α 10⁻⁸, β 10⁸ at 1000 (was 1.0000002)", 1e-8, 1e8, 1000, 0.9999999999999000005},
		{"α = β = 5e-324 (was 1)", 5e-324, 5e-324, 1, 0.5},
		{"α 10⁻³⁰⁰, β 31.5 at 2³⁰", 1e-300, 31.5, 1 << 30, 1},
		{"α = β = 10²⁰ at 1000", 1e20, 1e20, 1000, 9.3326361850322120982e-302},
		{"regular at 10⁵", 0.704, 1.182, 100_000, 0.00031308199925845641922},
		{"2, 3 at 2⁴⁰: 12/((t+3)(t+4))", 2, 3, 1 << 40, 9.9261673505731375222e-24},
	}
	for _, tc := range extreme {
		t.Run(tc.name, func(t *testing.T) {
			assert.InEpsilon(t, tc.want, mustSBG(t, tc.alpha, tc.beta).Survival(tc.t), 1e-12)
		})
	}
}

func TestSBGSurvivalHoldout(t *testing.T) {
	// The fit on years 0–7 projects the holdout years 8–12 of Table 1
	// within two points (the paper's Figure 3 shows the same closeness).
	cases := []struct {
		name   string
		data   []int64
		actual []float64 // years 8–12, share still active
	}{
		{"regular", regular, []float64{.223, .207, .194, .183, .173}},
		{"high end", highEnd, []float64{.468, .445, .427, .409, .394}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := cohort.FitSBG(tc.data)
			require.NoError(t, err)
			for i, want := range tc.actual {
				assert.InDelta(t, want, m.Survival(8+i), 0.02, "year %d", 8+i)
			}
		})
	}
}

func TestSBGRetention(t *testing.T) {
	// r(t) = (β+t−1)/(α+β+t−1): r(1) = 1.182/1.886, r(7) = 7.182/7.886.
	cases := []struct {
		name        string
		alpha, beta float64
		t           int
		want        float64
	}{
		{"regular 1", 0.704, 1.182, 1, 1.182 / 1.886},
		{"regular 7", 0.704, 1.182, 7, 7.182 / 7.886},
		{"2,3 at 1", 2, 3, 1, 0.6},
		{"age 0", 2, 3, 0, 1},
		// probe-csc: β + 1 − 1 rounded to 0 below 10⁻¹⁶, so r(1) was 0/0;
		// β/(α+β) by hand.
		{"tiny α, β at 1 (was NaN)", 1e-300, 3e-300, 1, 0.75},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := mustSBG(t, tc.alpha, tc.beta)
			got := m.Retention(tc.t)
			assert.InDelta(t, tc.want, got, 1e-15)
			if tc.t > 0 {
				assert.InDelta(t, m.Survival(tc.t)/m.Survival(tc.t-1), got, 1e-12)
			}
		})
	}
}

func TestSBGLifetime(t *testing.T) {
	// E[T] = (α+β−1)/(α−1): α = 2, β = 3 gives 4 (Python: Σ S(t) over
	// 2·10⁶ terms = 3.999994); α = 3, β = 1: 3/2.
	cases := []struct {
		name        string
		alpha, beta float64
		want        float64
	}{
		{"2,3", 2, 3, 4},
		{"3,1", 3, 1, 1.5},
		// probe-csc: α+β−1 overflowed to +Inf; 1 + β/(α−1) = 2.
		{"MaxFloat64 both (was +Inf)", math.MaxFloat64, math.MaxFloat64, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := mustSBG(t, tc.alpha, tc.beta).Lifetime()
			require.NoError(t, err)
			assert.InDelta(t, tc.want, got, 1e-15)
		})
	}
}

func TestSBGLifetimeErrors(t *testing.T) {
	cases := []struct {
		name        string
		alpha, beta float64
	}{
		{"regular", 0.704, 1.182},
		{"alpha 1", 1, 3},
		{"beyond float64", 1 + 1e-15, 1e300}, // 1 + 10³⁰⁰/(1.1·10⁻¹⁵)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mustSBG(t, tc.alpha, tc.beta).Lifetime()
			assert.ErrorIs(t, err, cohort.ErrUnbounded)
			assert.ErrorContains(t, err, "DERL")
		})
	}
}

func TestSBGDERL(t *testing.T) {
	// Independent values: Python's direct sum Σ_{t=n}^{20000} S(t)/S(n−1) ·
	// 1.1^−(t−n) with S from math.lgamma.
	cases := []struct {
		name        string
		alpha, beta float64
		d           float64
		n           int
		want        float64
	}{
		{"regular new", 0.704, 1.182, 0.1, 1, 2.964662146132028},
		{"regular 4 renewals", 0.704, 1.182, 0.1, 5, 5.89442285984415},
		{"high end new", 0.668, 3.806, 0.1, 1, 5.414856048374051},
		{"high end 4 renewals", 0.668, 3.806, 0.1, 5, 6.897057397746121},
		{"2,3 new", 2, 3, 0.1, 1, 1.850289837315084},
		{"2,3 4 renewals", 2, 3, 0.1, 5, 3.344696970460744},
		// α = β = 1: S(t) = 1/(t+1), so DERL(d, 1) = Σ_{t≥1} x^(t−1)/(t+1)
		// with x = 1/(1+d), = (1+d)²·(ln((1+d)/d) − 1/(1+d)); R 4.2.2:
		// (1+d)^2*(log1p(d)-log(d)-1/(1+d)).
		{"1,1 at 0.1", 1, 1, 0.1, 1, 1.8014532800860281},
		{"1,1 at MinDiscount", 1, 1, cohort.MinDiscount, 1, 12.815538189000703},
		// Large α, where gonum's Hypergeo returned NaN (α = 100) or never
		// returned (α = 10⁶, found by FuzzSBGValue; α = 1000). R 4.2.2,
		// the direct sum from the definition:
		//	f <- function(a, b, d, n) { t <- n:400000
		//	  sum(exp(lbeta(a, b+t) - lbeta(a, b+n-1)) * (1+d)^-(t-n)) }
		{"α 10⁶ (hung)", 1e6, 1e-6, 0.1, 3, 2.0000024545465723e-06},
		{"α 1000 (hung)", 1000, 1, 0.1, 1, 1.0008186859565144e-03},
		{"α 100 (NaN)", 100, 50, 0.1, 1, 4.8226553564628688e-01},
		{"α 10", 10, 3, 0.001, 1, 3.3316695185818856e-01},
		{"α 12.5", 12.5, 0.3, 0.01, 4, 2.8579938189368581e-01},
		// Integer α below 10 with a large β: gonum's Hypergeo never
		// returned (β = 10⁶ and 10¹⁰ at d ≤ 0.1) or gave a non-finite
		// value and so ErrUndefined (β = 1000, and β = 10¹⁰ at small d).
		// mpmath 1.3.0 at 30 digits, the positive series
		// (b−1)/(α+b−1)·Σ (b)ₖ/(α+b)ₖ xᵏ, b = β+1, x = 1/(1+d), to 10⁻²⁵.
		{"α 1, β 10⁶ (hung)", 1, 1e6, 0.01, 1, 100.9898010497830555},
		{"α 9, β 10¹⁰ (hung)", 9, 1e10, 0.01, 1, 100.99999081910092427},
		{"α 1, β 10¹⁰ (hung)", 1, 1e10, 0.1, 1, 10.99999998789999947},
		{"α 2, β 1000 (undefined)", 2, 1000, 0.1, 1, 10.765432588681483153},
		{"α 5, β 1000, MinDiscount (undefined)", 5, 1000, cohort.MinDiscount, 1, 249.91662516676587315},
		{"α 0.5, β 10¹⁰ (undefined)", 0.5, 1e10, 1e-4, 1, 10000.994999007451252},
		// Probe: α and β below 10⁻¹⁶ at n = 1 gave ErrUndefined ("does not
		// converge"), after a million steps: b − 1 = β + 1 − 1 rounded to
		// 0 (the ratio 0/0) and so did c − 1 in the fraction's first
		// coefficient. By hand, as α = β → 0 the churn probability is 0 or
		// 1 with probability ½ each, ₂F₁(1, 1; 1; x) = 1/(1−x), so
		// DERL(d, 1) = β/(α+β)·(1+d)/d = ½·(1+d)/d: 5.5 at d = 0.1 and ½
		// at d = 10³⁰⁰ (mpmath at 50 digits: 5.4999999999999999999 at
		// 10⁻²⁰); a customer who renewed once has p = 0, (1+d)/d = 11.
		{"α = β = 10⁻²⁰, n = 1 (undefined)", 1e-20, 1e-20, 0.1, 1, 5.5},
		{"α = β = 10⁻¹⁶, n = 1 (undefined)", 1e-16, 1e-16, 0.1, 1, 5.4999999999999986812},
		{"α = β = 5e-324, d = 10³⁰⁰ (undefined)", 5e-324, 5e-324, 1e300, 1, 0.5},
		{"α = β = 10⁻²⁰, n = 2", 1e-20, 1e-20, 0.1, 2, 11},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := mustSBG(t, tc.alpha, tc.beta).DERL(tc.d, tc.n)
			require.NoError(t, err)
			assert.InEpsilon(t, tc.want, got, 1e-10)
		})
	}
}

func TestSBGDERLErrors(t *testing.T) {
	cases := []struct {
		name string
		d    float64
		n    int
		msg  string
	}{
		{"n 0", 0.1, 0, "n 0"},
		{"zero discount", 0, 1, "discount rate 0"},
		{"negative discount", -0.1, 1, "discount rate -0.1"},
		{"NaN discount", math.NaN(), 1, "discount rate NaN"},
		// Issue 13's probes: 1/(1+d) rounds to 1 at d = 1e-17 and the
		// ₂F₁ gave NaN (and ResidualValue panicked making a Decimal of
		// it); at 1e-14 it overflowed to +Inf.
		{"discount 1e-17", 1e-17, 1, "cohort.SBG.DERL: discount rate 1e-17: must be a finite number ≥ MinDiscount (1e-6)"},
		{"discount 1e-14", 1e-14, 1, "discount rate 1e-14: must be a finite number ≥ MinDiscount"},
		{"just below MinDiscount", math.Nextafter(cohort.MinDiscount, 0), 1, "must be a finite number ≥ MinDiscount"},
		{"infinite discount", math.Inf(1), 1, "discount rate +Inf"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mustSBG(t, 1, 1).DERL(tc.d, tc.n)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, tc.msg)
			_, err = mustSBG(t, 1, 1).ResidualValue(d("10"), tc.d, tc.n)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
		})
	}
}

func TestSBGResidualValue(t *testing.T) {
	// cash × DERL, with the DERL values of TestSBGDERL, to 6 places.
	cases := []struct {
		name        string
		alpha, beta float64
		cash        string
		n           int
		want        string
	}{
		{"regular new", 0.704, 1.182, "100", 1, "296.466215"},
		{"high end 4 renewals", 0.668, 3.806, "100", 5, "689.70574"},
		{"nothing", 2, 3, "0", 1, "0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := mustSBG(t, tc.alpha, tc.beta).ResidualValue(d(tc.cash), 0.1, tc.n)
			require.NoError(t, err)
			assertDec(t, tc.want, got)
		})
	}
	_, err := mustSBG(t, 1, 1).ResidualValue(d("-1"), 0.1, 1)
	assert.ErrorIs(t, err, kpi.ErrInvalid)
}

// TestSBGResidualValueErrors holds issue 13's probes of ResidualValue.
func TestSBGResidualValueErrors(t *testing.T) {
	cases := []struct {
		name string
		cash decimal.Decimal
		d    float64
		msg  string
	}{
		{"discount 1e-17", d("100"), 1e-17, "cohort.SBG.DERL: discount rate 1e-17: must be a finite number ≥ MinDiscount (1e-6)"},
		{"cash 1e2147483647", decimal.New(1, math.MaxInt32), 0.1, "cohort.SBG.ResidualValue: cash 1e2147483647: more than 30 digits before the point"},
		{"cash 7e-2147483648", decimal.New(7, math.MinInt32), 0.1, "cohort.SBG.ResidualValue: cash 7e-2147483648: more than 18 decimal places"},
		{"negative cash", d("-1"), 0.1, "cohort.SBG.ResidualValue: cash -1: negative"},
		// probe (money bound): a residual value beyond the bound on money
		// was returned as valid. DERL(10⁻⁶, 1) ≈ 1.838·10⁵ (the digits of
		// the error), so cash 10²⁹ is worth 1.8·10³⁴.
		{"value beyond the bound", decimal.New(1, 29), 1e-6,
			"cohort.SBG.ResidualValue: cash 100000000000000000000000000000: residual value 18380374325546916000000000000000 has more than 30 digits before the point, beyond the library's bound on money"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := mustSBG(t, 0.704, 1.182).ResidualValue(tc.cash, tc.d, 1)
			assert.True(t, v.IsZero())
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.msg)
		})
	}
}

// BenchmarkSBGDERL times DERL for the regular customers of Fader and
// Hardie's example at a discount of 10 % a period and at MinDiscount,
// where the continued fraction takes the most steps.
func BenchmarkSBGDERL(b *testing.B) {
	m, err := cohort.NewSBG(0.704, 1.182)
	require.NoError(b, err)
	for _, bc := range []struct {
		name string
		d    float64
	}{{"d=0.1", 0.1}, {"d=MinDiscount", cohort.MinDiscount}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.DERL(bc.d, 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
