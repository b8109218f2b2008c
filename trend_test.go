package kpi_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
)

func rates(t testing.TB, xn ...int64) []kpi.Rate {
	t.Helper()
	out := make([]kpi.Rate, len(xn)/2)
	for i := range out {
		r, err := kpi.NewRate(xn[2*i], xn[2*i+1])
		require.NoError(t, err)
		out[i] = r
	}
	return out
}

// Six months of MQL→SQL, falling slowly: no month-to-month change is
// near significant (R's fisher.test p-values 0.893, 0.587, 1, 0.675,
// 0.672), the trend test reads the drift. References from R 4.2.2:
//
//	x <- c(52, 50, 47, 45, 41, 39); n <- c(110, 108, 112, 105, 103, 106)
//	prop.trend.test(x, n)                                    # X-squared 3.1557863956495322, p 0.075658229490286499
//	prop.trend.test(x, n, score = c(1, 2, 4, 5, 6, 9))       # 3.2530996040064997, 0.071288528485398392
//	x2 <- c(15, 10, 22, 30); n2 <- c(200, 180, 210, 190)
//	prop.trend.test(x2, n2)                                  # 9.3632853632853568, 0.00221374989062261
func TestTestTrend(t *testing.T) {
	months := rates(t, 52, 110, 50, 108, 47, 112, 45, 105, 41, 103, 39, 106)
	tests := []struct {
		name    string
		periods []kpi.Rate
		scores  []float64
		chi2, p float64
		rising  bool
	}{
		{"six months", months, nil, 3.1557863956495322, 0.075658229490286499, false},
		{"with scores", months, []float64{1, 2, 4, 5, 6, 9}, 3.2530996040064997, 0.071288528485398392, false},
		{"rising", rates(t, 15, 200, 10, 180, 22, 210, 30, 190), nil, 9.3632853632853568, 0.00221374989062261, true},
		{"an empty month is left out", append(rates(t, 15, 200, 10, 180, 22, 210, 30, 190), kpi.Rate{}), nil, 9.3632853632853568, 0.00221374989062261, true},
		// Issue 13's probes. The statistic is unchanged when the scores
		// are multiplied by a constant, here 2¹⁰²⁰ and 2⁻¹⁰⁰⁰, so R's
		// values for scores (1, 2, 4, 5, 6, 9) hold. Σnᵢsᵢ overflowed
		// near 10³⁰⁸ (Z NaN, no error), and nᵢ(sᵢ − s̄)² underflowed to
		// 0 near 10⁻³⁰⁰ ("scores all equal").
		{"scores near 1e308", months, scaled(1020, 1, 2, 4, 5, 6, 9), 3.2530996040064997, 0.071288528485398392, false},
		{"scores near 1e-300", months, scaled(-1000, 1, 2, 4, 5, 6, 9), 3.2530996040064997, 0.071288528485398392, false},
		{"an empty month's huge score is left out", append(rates(t, 52, 110, 50, 108, 47, 112, 45, 105, 41, 103, 39, 106), kpi.Rate{}), []float64{1, 2, 4, 5, 6, 9, math.MaxFloat64}, 3.2530996040064997, 0.071288528485398392, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := kpi.TestTrend(tc.periods, tc.scores)
			require.NoError(t, err)
			closeTo(t, tc.chi2, got.ChiSquare, "chi-square")
			closeTo(t, tc.p, got.P, "p")
			closeTo(t, math.Sqrt(tc.chi2), math.Abs(got.Z), "|z|")
			assert.Equal(t, tc.rising, got.Z > 0)
		})
	}
}

// full returns n rates of MaxTrials trials with no successes, so that
// their total passes 2⁵³ when n > 2¹³.
func full(t testing.TB, n int) []kpi.Rate {
	t.Helper()
	r, err := kpi.NewRate(0, kpi.MaxTrials)
	require.NoError(t, err)
	out := make([]kpi.Rate, n)
	for i := range out {
		out[i] = r
	}
	return out
}

// scaled returns the scores times 2^e.
func scaled(e int, scores ...float64) []float64 {
	out := make([]float64, len(scores))
	for i, s := range scores {
		out[i] = math.Ldexp(s, e)
	}
	return out
}

// TestTestTrendScaleExact: scores times a power of two give the same
// statistic bit for bit, which TestTrend's own scaling relies on.
func TestTestTrendScaleExact(t *testing.T) {
	months := rates(t, 52, 110, 50, 108, 47, 112, 45, 105, 41, 103, 39, 106)
	want, err := kpi.TestTrend(months, []float64{1, 2, 4, 5, 6, 9})
	require.NoError(t, err)
	for _, e := range []int{-1070, -1000, -1, 3, 1020} {
		t.Run(fmt.Sprint(e), func(t *testing.T) {
			got, err := kpi.TestTrend(months, scaled(e, 1, 2, 4, 5, 6, 9))
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

func TestTestTrendDegenerate(t *testing.T) {
	tests := []struct {
		name    string
		periods []kpi.Rate
	}{
		{"all zero", rates(t, 0, 10, 0, 12, 0, 9)},
		{"all one", rates(t, 10, 10, 12, 12)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := kpi.TestTrend(tc.periods, nil)
			require.NoError(t, err)
			assert.Equal(t, kpi.Trend{P: 1}, got)
		})
	}
}

func TestTestTrendErrors(t *testing.T) {
	two := rates(t, 1, 10, 2, 10)
	tests := []struct {
		name    string
		periods []kpi.Rate
		scores  []float64
		msg     string
	}{
		{"one period", rates(t, 1, 10), nil, "kpi.TestTrend: periods 1: need at least two periods with trials"},
		{"empty periods", []kpi.Rate{{}, {}}, nil, "kpi.TestTrend: periods 0: need at least two periods with trials"},
		{"scores length", two, []float64{1}, "kpi.TestTrend: scores 1: length differs from periods' 2"},
		{"score NaN", two, []float64{1, math.NaN()}, "kpi.TestTrend: scores[1] NaN: must be finite"},
		{"equal scores", two, []float64{3, 3}, "kpi.TestTrend: scores all equal: a trend needs periods with different scores"},
		{"too many trials", rates(t, 1, kpi.MaxTrials, 1, kpi.MaxTrials), nil, "kpi.TestTrend: periods 2199023255552: more than MaxTrials trials in all"},
		// Issue 13's probe: the total was named as int64(n), rounded past
		// 2⁵³ and wrapped past 2⁶³ (TestTestSRMErrors has that row).
		{"past 2^53 trials", full(t, 1<<13+1), nil, "kpi.TestTrend: periods about 9.008e+15: more than MaxTrials trials in all"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kpi.TestTrend(tc.periods, tc.scores)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.msg)
		})
	}
}

// R 4.2.2: chisq.test(rbind(x, n - x), correct = FALSE) on the two series
// of TestTestTrend: X-squared 3.3983156241056323, df 5, p
// 0.63882647018241334; and 12.597991533488175, df 3, p
// 0.0055917713280223599.
func TestTestHomogeneity(t *testing.T) {
	tests := []struct {
		name    string
		rates   []kpi.Rate
		chi2, p float64
		df      int
	}{
		{"six months", rates(t, 52, 110, 50, 108, 47, 112, 45, 105, 41, 103, 39, 106), 3.3983156241056323, 0.63882647018241334, 5},
		{"four quarters and an empty one", append(rates(t, 15, 200, 10, 180, 22, 210, 30, 190), kpi.Rate{}), 12.597991533488175, 0.0055917713280223599, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := kpi.TestHomogeneity(tc.rates)
			require.NoError(t, err)
			closeTo(t, tc.chi2, got.ChiSquare, "chi-square")
			closeTo(t, tc.p, got.P, "p")
			assert.Equal(t, tc.df, got.DF)
		})
	}
}

func TestTestHomogeneityEdges(t *testing.T) {
	tests := []struct {
		name  string
		rates []kpi.Rate
		want  kpi.Homogeneity
		msg   string
	}{
		{"all zero", rates(t, 0, 5, 0, 7), kpi.Homogeneity{DF: 1, P: 1}, ""},
		{"one rate", rates(t, 1, 5), kpi.Homogeneity{}, "kpi.TestHomogeneity: rates 1: need at least two rates with trials"},
		{"too many", rates(t, 1, kpi.MaxTrials, 1, 5), kpi.Homogeneity{}, "kpi.TestHomogeneity: rates 1099511627781: more than MaxTrials trials in all"},
		{"past 2^53 trials", full(t, 1<<13+1), kpi.Homogeneity{}, "kpi.TestHomogeneity: rates about 9.008e+15: more than MaxTrials trials in all"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := kpi.TestHomogeneity(tc.rates)
			if tc.msg != "" {
				require.ErrorIs(t, err, kpi.ErrInvalid)
				assert.EqualError(t, err, tc.msg)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// R 4.2.2:
//
//	chisq.test(c(5050, 4950), p = c(0.5, 0.5))               # X-squared 1, p 0.31731050786291415
//	chisq.test(c(9210, 790), p = c(0.9, 0.1))                # 49, 2.5596250877716699e-12
//	chisq.test(c(3400, 3300, 3500), p = c(1, 1, 1)/3)        # 5.882352941176471, 0.052803570334300512
//	chisq.test(c(50210, 49010), p = c(0.5, 0.5))             # 14.513202983269503, 0.00013918065753076208
func TestTestSRM(t *testing.T) {
	tests := []struct {
		name    string
		counts  []int64
		weights []float64
		chi2, p float64
	}{
		{"50/50 fine", []int64{5050, 4950}, []float64{1, 1}, 1, 0.31731050786291415},
		{"90/10 broken", []int64{9210, 790}, []float64{0.9, 0.1}, 49, 2.5596250877716699e-12},
		{"three arms", []int64{3400, 3300, 3500}, []float64{1, 1, 1}, 5.882352941176471, 0.052803570334300512},
		{"large and off by 1.2 %", []int64{50210, 49010}, []float64{50, 50}, 14.513202983269503, 0.00013918065753076208},
		// The weights' sum overflowed to +Inf, every eᵢ was 0 and the
		// statistic 0/0 = NaN: 10³⁰⁸, 10³⁰⁸ is 50/50, so as the first row.
		{"huge weights", []int64{5050, 4950}, []float64{1e308, 1e308}, 1, 0.31731050786291415},
		// By hand: e = (20·(1−5·10⁻³¹⁴), 20·5·10⁻³¹⁴) = (20, 10⁻³¹²); the
		// second group's 10 units give 10²/10⁻³¹² = 10³¹⁴: +Inf, P = 0.
		{"tiny weight, units in it", []int64{10, 10}, []float64{1, 5e-314}, math.Inf(1), 0},
		// e₂ = 10·5·10⁻³²⁴/10³⁰⁸ underflows to 0: the empty group adds 0
		// and the other (o = e = 10) adds 0.
		{"weight underflows, group empty", []int64{10, 0}, []float64{1e308, 5e-324}, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := kpi.TestSRM(tc.counts, tc.weights)
			require.NoError(t, err)
			closeTo(t, tc.chi2, got.ChiSquare, "chi-square")
			closeTo(t, tc.p, got.P, "p")
			assert.Equal(t, len(tc.counts)-1, got.DF)
		})
	}
}

func TestTestSRMErrors(t *testing.T) {
	tests := []struct {
		name    string
		counts  []int64
		weights []float64
		msg     string
	}{
		{"one group", []int64{5}, []float64{1}, "kpi.TestSRM: counts 1: need at least two groups"},
		{"lengths", []int64{5, 5}, []float64{1}, "kpi.TestSRM: weights 1: length differs from counts' 2"},
		{"negative", []int64{5, -1}, []float64{1, 1}, "kpi.TestSRM: counts[1] -1: negative count"},
		{"zero weight", []int64{5, 1}, []float64{0, 1}, "kpi.TestSRM: weights[0] 0: must be positive and finite"},
		{"NaN weight", []int64{5, 1}, []float64{1, math.NaN()}, "kpi.TestSRM: weights[1] NaN: must be positive and finite"},
		{"no units", []int64{0, 0}, []float64{1, 1}, "kpi.TestSRM: counts all 0: no units to check"},
		{"too many", []int64{kpi.MaxTrials, 1}, []float64{1, 1}, "kpi.TestSRM: counts 1099511627777: more than MaxTrials units in all"},
		// Issue 13's probe: 2⁶² + 2⁶² was named as int64(n): -9223372036854775808.
		{"past 2^63 units", []int64{1 << 62, 1 << 62}, []float64{1, 1}, "kpi.TestSRM: counts about 9.223e+18: more than MaxTrials units in all"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kpi.TestSRM(tc.counts, tc.weights)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.msg)
		})
	}
}

// Six months in which no change from one month to the next is
// significant, read as a trend, and as a test of any difference.
func ExampleTestTrend() {
	months := []kpi.Rate{
		must(kpi.NewRate(15, 200)), must(kpi.NewRate(10, 180)),
		must(kpi.NewRate(22, 210)), must(kpi.NewRate(30, 190)),
	}
	tr, _ := kpi.TestTrend(months, nil)
	fmt.Printf("trend z = %+.2f, p = %.4f\n", tr.Z, tr.P)
	// Output: trend z = +3.06, p = 0.0022
}

// Do the four quarters convert at the same rate?
func ExampleTestHomogeneity() {
	quarters := []kpi.Rate{
		must(kpi.NewRate(15, 200)), must(kpi.NewRate(10, 180)),
		must(kpi.NewRate(22, 210)), must(kpi.NewRate(30, 190)),
	}
	h, _ := kpi.TestHomogeneity(quarters)
	fmt.Printf("chi-square %.2f, df %d, p = %.4f\n", h.ChiSquare, h.DF, h.P)
	// Output: chi-square 12.60, df 3, p = 0.0056
}

// A 50/50 test that gave 50 210 and 49 010 visitors: the split is broken,
// and the result is not to be read until it is found out why.
func ExampleTestSRM() {
	s, _ := kpi.TestSRM([]int64{50210, 49010}, []float64{1, 1})
	fmt.Printf("chi-square %.2f, p = %.5f, mismatch: %v\n", s.ChiSquare, s.P, s.P < 0.001)
	// Output: chi-square 14.51, p = 0.00014, mismatch: true
}
