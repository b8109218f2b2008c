package kpi_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
)

// compareReference holds every row of the project's reference table of
// two-sample comparisons, made with R 4.2.2 (prop.test, chisq.test,
// fisher.test) and statsmodels 0.13.5 / scipy (proportions_ztest,
// confint_proportions_2indep). The Wald interval is R's prop.test(correct =
// FALSE) interval, which R clips to [−1, 1]. z is statsmodels' pooled z of p1 − p2, the
// negative of Comparison.Z; a NaN lift marks a row whose lift R leaves
// empty (p1 = 0). Chi-square and Fisher values are R's columns; the
// Bayesian probability is the exact sum column.
var compareReference = []struct {
	name                       string
	xa, na, xb, nb             int64
	diff, lift, zAB, zp        float64
	chi2, chi2p, yates, yatesp float64
	fisherp                    float64
	waldLo, waldHi             float64
	newcombeLo, newcombeHi     float64
	caffoLo, caffoHi           float64
	bayes                      float64
}{
	{"case 1", 10, 100, 15, 100, 0.04999999999999999, 0.4999999999999998, -1.0690449676496971, 0.28504940740261286, 1.1428571428571428, 0.28504940740261275, 0.7314285714285714, 0.3924205244765818, 0.39282961576017184, -0.04140663507103695, 0.14140663507103693, -0.04366126184318071, 0.14416032135575424, -0.04374075189822628, 0.1417799675845008, 0.8532837899338429},
	{"case 2", 100, 1000, 150, 1000, 0.04999999999999999, 0.4999999999999998, -3.3806170189140654, 0.0007232327164301953, 11.428571428571429, 0.000723232716430193, 10.975999999999999, 0.0009229943590897618, 0.0008950875386906854, 0.021094683992369627, 0.07890531600763034, 0.021046197045332313, 0.07903213816878465, 0.020949054261964705, 0.07885134493963213, 0.9996423629001171},
	{"case 3", 3, 20, 9, 20, 0.30000000000000004, 2.0, -2.070196678027063, 0.038433930236781655, 4.285714285714286, 0.03843393023678181, 2.9761904761904763, 0.08449793972392906, 0.08235877701951104, 0.0316208784424265, 0.5683791215575735, 0.015282314886274462, 0.5296962485585452, 0.009540120956913645, 0.5359144244976317, 0.9784644991175283},
	{"case 4", 45, 500, 62, 480, 0.03916666666666668, 0.43518518518518534, -1.9653335132766288, 0.04937564916695323, 3.8625358184082543, 0.049375649166953375, 3.470341555063109, 0.06247840867230569, 0.05201655796332768, 5.868890922011705e-05, 0.07827464442411325, -1.2314546880533295e-05, 0.07883714678057059, -0.0002027156408214506, 0.07834657175164786, 0.9750361715239592},
	{"case 5", 0, 10, 5, 10, 0.5, math.NaN(), -2.581988897471611, 0.009823274507519249, 6.666666666666667, 0.009823274507519264, 4.266666666666667, 0.03886710381241724, 0.03250773993808054, 0.19010248384771927, 0.8098975161522808, 0.11736746745022203, 0.7634069094874361, 0.09342662735135415, 0.7399067059819793, 0.9938080495356035},
	{"case 6", 0, 100, 1, 100, 0.01, math.NaN(), -1.002509414234171, 0.31609762202891256, 1.0050251256281406, 0.3160976220289126, 0.0, 1.0, 1.0, -0.009501395417987868, 0.029501395417987866, -0.02789847073971182, 0.05448619617870533, -0.02320498064939293, 0.04281282378664783, 0.7512437810944564},
	{"case 7", 1, 2, 2, 2, 0.5, 1.0, -1.1547005383792517, 0.24821307898992362, 1.3333333333333333, 0.24821307898992362, 0.0, 1.0, 1.0, -0.19295191217483876, 1.0, -0.2725727851131816, 0.9054687942657693, -0.39819716021702856, 0.8981971602170286, 0.7999999999999999},
	{"case 8", 7, 12, 2, 13, -0.4294871794871795, -0.7362637362637363, 2.235122146862675, 0.025409330786804, 4.995771011396011, 0.02540933078680406, 3.3055666844729337, 0.06904552693777442, 0.041405303540180384, -0.7704774563523322, -0.08849690262202675, -0.6787663380360752, -0.05306402317277287, -0.7003253502896931, -0.042531792567449656, 0.015102974828375295},
	{"case 9", 20, 25, 10, 25, -0.4, -0.5, 2.886751345948129, 0.003892417122778628, 8.333333333333334, 0.0038924171227786297, 6.75, 0.009374768459434878, 0.00857850815046915, -0.6479180129218246, -0.15208198707817547, -0.5998842028486403, -0.12852960292715776, -0.6131464623800187, -0.12759427836072207, 0.002085504034551241},
	{"case 10", 30, 60, 30, 60, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, -0.17891941437171566, 0.17891941437171566, -0.17345295059769072, 0.17345295059769072, -0.17600996170245883, 0.17600996170245883, 0.4999999999999991},
	{"case 11", 2, 50, 8, 50, 0.12, 3.0, -1.9999999999999998, 0.04550026389635843, 4.0, 0.04550026389635847, 2.7777777777777777, 0.09558070454562881, 0.09164715528813328, 0.004778119767472583, 0.2352218802325274, -0.001740887823806811, 0.2484496266566053, -0.005400579420457949, 0.2361698101896887, 0.9743016035365111},
	{"case 12", 50, 200, 70, 200, 0.09999999999999998, 0.3999999999999999, -2.182178902359923, 0.029096331741252257, 4.761904761904762, 0.02909633174125223, 4.2976190476190474, 0.03816576945882994, 0.03793211445778315, 0.010719391506664178, 0.18928060849333578, 0.010152758576193757, 0.1876917547583231, 0.0099932927014115, 0.18802650927878647, 0.9852839556777008},
}

func TestCompareReference(t *testing.T) {
	for _, c := range compareReference {
		t.Run(c.name, func(t *testing.T) {
			a, err := kpi.NewRate(c.xa, c.na)
			require.NoError(t, err)
			b, err := kpi.NewRate(c.xb, c.nb)
			require.NoError(t, err)
			got, err := kpi.Compare(a, b)
			require.NoError(t, err)
			assert.Equal(t, a, got.A)
			assert.Equal(t, b, got.B)
			closeTo(t, c.diff, got.Diff, "diff")
			closeTo(t, -c.zAB, got.Z, "z")
			closeTo(t, c.zp, got.ZP, "z p")
			closeTo(t, c.chi2, got.ChiSquare, "chi-square")
			closeTo(t, c.chi2p, got.ChiSquareP, "chi-square p")
			closeTo(t, c.yates, got.Yates, "Yates")
			closeTo(t, c.yatesp, got.YatesP, "Yates p")
			closeTo(t, c.fisherp, got.FisherP, "Fisher p")
			closeTo(t, c.bayes, got.ProbBBetter, "P(B > A)")

			lift, err := got.Lift()
			if math.IsNaN(c.lift) {
				assert.ErrorIs(t, err, kpi.ErrUndefined)
			} else {
				require.NoError(t, err)
				closeTo(t, c.lift, lift, "lift")
			}

			for _, iv := range []struct {
				method kpi.Method
				lo, hi float64
			}{
				{kpi.Wald, c.waldLo, c.waldHi},
				{kpi.Wilson, c.newcombeLo, c.newcombeHi},
				{kpi.AgrestiCoull, c.caffoLo, c.caffoHi},
			} {
				lo, hi, err := got.DiffInterval(iv.method, 0.95)
				require.NoError(t, err)
				closeTo(t, iv.lo, lo, iv.method.String()+" lower")
				closeTo(t, iv.hi, hi, iv.method.String()+" upper")
			}
		})
	}
}

// Large samples, where the sums over the hypergeometric and beta terms run
// outward from the mode. Expected values from R 4.2.2:
//
//	fisher.test(matrix(c(xa, na - xa, xb, nb - xb), 2, byrow = TRUE))$p.value
//	i <- 0:(aB - 1)   # with aA = xa + 1, bA = na - xa + 1, aB, bB likewise
//	sum(exp(lbeta(aA + i, bA + bB) - log(bB + i) - lbeta(1 + i, bB) - lbeta(aA, bA)))
func TestCompareLarge(t *testing.T) {
	cases := []struct {
		name           string
		xa, na, xb, nb int64
		fisherp, bayes float64
	}{
		{"1% lift on a million", 100000, 1000000, 101000, 1000000, 0.018800806207505252, 0.99065868359792908},
		{"2% lift on a million", 100000, 1000000, 102000, 1000000, 2.7194652652825376e-06, 0.99999865567377999},
		{"near a half", 500000, 1000000, 500300, 1000000, 0.67240480721976559, 0.66431330406669309},
		{"rare events", 20, 1000000, 45, 1000000, 0.0026259620313789081, 0.99907104326779983},
		{"zero in B", 3, 500000, 0, 700000, 0.072337709779937948, 0.030140647103451164},
		{"unequal sizes", 12345, 200000, 12000, 180000, 5.5230519682314953e-10, 0.99999999973338316},
		// By symmetry: equal samples give P(B > A) = ½ exactly, and the
		// observed table is the mode, so Fisher's p is 1.
		{"equal at 2^32", 1 << 31, 1 << 32, 1 << 31, 1 << 32, 1, 0.5},
		{"equal at the limit", 1 << 38, kpi.MaxTrials, 1 << 38, kpi.MaxTrials, 1, 0.5},
		// By hand: all failures against all successes; the observed table
		// is the least likely one (p below 1e−300, reported as 0) and
		// P(B > A) = 1 − 1/C(2n + 2, n + 1), which is 1 in float64.
		{"none against all at 2^28", 0, 1 << 28, 1 << 28, 1 << 28, 0, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := kpi.NewRate(c.xa, c.na)
			require.NoError(t, err)
			b, err := kpi.NewRate(c.xb, c.nb)
			require.NoError(t, err)
			got, err := kpi.Compare(a, b)
			require.NoError(t, err)
			closeTo(t, c.fisherp, got.FisherP, "Fisher p")
			closeTo(t, c.bayes, got.ProbBBetter, "P(B > A)")
		})
	}
}

func TestCompareDegenerate(t *testing.T) {
	// By hand: with no successes (or no failures) in either sample the z
	// and chi-square statistics are 0/0; Compare documents them as 0 with
	// p = 1, and Fisher's p is 1 as in R. P(B > A) under Beta(1, 1) priors:
	// 0/10 against 0/20 is ∫ P(θB > t) f_A(t) dt with θA ~ Beta(1, 11),
	// θB ~ Beta(1, 21): ∫ (1 − t)²¹ · 11(1 − t)¹⁰ dt = 11/32; 10/10 against
	// 20/20 is ∫ t¹¹ · 21t²⁰ dt = 21/32.
	cases := []struct {
		name           string
		xa, na, xb, nb int64
		bayes          float64
	}{
		{"all zero", 0, 10, 0, 20, 11.0 / 32},
		{"all one", 10, 10, 20, 20, 21.0 / 32},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := kpi.NewRate(c.xa, c.na)
			require.NoError(t, err)
			b, err := kpi.NewRate(c.xb, c.nb)
			require.NoError(t, err)
			got, err := kpi.Compare(a, b)
			require.NoError(t, err)
			assert.Equal(t, 0.0, got.Diff)
			assert.Equal(t, 0.0, got.Z)
			assert.Equal(t, 0.0, got.ChiSquare)
			assert.Equal(t, 0.0, got.Yates)
			for _, p := range []float64{got.ZP, got.ChiSquareP, got.YatesP, got.FisherP} {
				assert.Equal(t, 1.0, p)
			}
			closeTo(t, c.bayes, got.ProbBBetter, "P(B > A)")
		})
	}
}

func TestCompareErrors(t *testing.T) {
	r, err := kpi.NewRate(1, 2)
	require.NoError(t, err)
	huge, err := kpi.NewRate(1, kpi.MaxTrials+1)
	require.NoError(t, err)
	cases := []struct {
		name  string
		a, b  kpi.Rate
		class error
		msg   string
	}{
		{"a without trials", kpi.Rate{}, r, kpi.ErrUndefined, "kpi.Compare: a.trials 0: a rate with no trials cannot be compared"},
		{"b without trials", r, kpi.Rate{}, kpi.ErrUndefined, "kpi.Compare: b.trials 0: a rate with no trials cannot be compared"},
		{"a too large", huge, r, kpi.ErrInvalid, "kpi.Compare: a.trials 1099511627777: exceeds MaxTrials (2^40)"},
		{"b too large", r, huge, kpi.ErrInvalid, "kpi.Compare: b.trials 1099511627777: exceeds MaxTrials (2^40)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := kpi.Compare(c.a, c.b)
			assert.ErrorIs(t, err, c.class)
			assert.EqualError(t, err, c.msg)
		})
	}
}

// Newcombe (1998), "Interval estimation for the difference between
// independent proportions", Statistics in Medicine 17, Table II, example
// (a): 56/70 against 48/80, difference 0.2000. Method 10 (Wilson score,
// here kpi.Wilson) gives 0.0524 to 0.3339 and method 11 (with continuity
// correction, kpi.WilsonCC) 0.0428 to 0.3422; the table has four decimals.
// The other methods are checked against the square-and-add formula
// applied by hand to the single-rate intervals.
func TestDiffInterval(t *testing.T) {
	a, err := kpi.NewRate(48, 80)
	require.NoError(t, err)
	b, err := kpi.NewRate(56, 70)
	require.NoError(t, err)
	c, err := kpi.Compare(a, b)
	require.NoError(t, err)
	mover := func(m kpi.Method) (float64, float64) {
		la, ua, err := a.Interval(m, 0.95)
		require.NoError(t, err)
		lb, ub, err := b.Interval(m, 0.95)
		require.NoError(t, err)
		pa, pb := 0.6, 0.8
		return 0.2 - math.Sqrt((pb-lb)*(pb-lb)+(ua-pa)*(ua-pa)), 0.2 + math.Sqrt((ub-pb)*(ub-pb)+(pa-la)*(pa-la))
	}
	cpLo, cpHi := mover(kpi.ClopperPearson)
	jLo, jHi := mover(kpi.Jeffreys)
	cases := []struct {
		name   string
		method kpi.Method
		lo, hi float64
		tol    float64
	}{
		{"Newcombe method 10", kpi.Wilson, 0.0524, 0.3339, 5e-5},
		{"Newcombe method 11", kpi.WilsonCC, 0.0428, 0.3422, 5e-5},
		{"MOVER Clopper-Pearson", kpi.ClopperPearson, cpLo, cpHi, 1e-15},
		{"MOVER Jeffreys", kpi.Jeffreys, jLo, jHi, 1e-15},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi, err := c.DiffInterval(tc.method, 0.95)
			require.NoError(t, err)
			assert.InDelta(t, tc.lo, lo, tc.tol)
			assert.InDelta(t, tc.hi, hi, tc.tol)
		})
	}
}

func TestDiffIntervalErrors(t *testing.T) {
	a, err := kpi.NewRate(48, 80)
	require.NoError(t, err)
	b, err := kpi.NewRate(56, 70)
	require.NoError(t, err)
	c, err := kpi.Compare(a, b)
	require.NoError(t, err)
	cases := []struct {
		name   string
		c      kpi.Comparison
		method kpi.Method
		conf   float64
		class  error
		msg    string
	}{
		{"confidence 0", c, kpi.Wilson, 0, kpi.ErrInvalid, "kpi.Comparison.DiffInterval: confidence 0: must lie in (0, 1)"},
		{"unknown method", c, kpi.Method(7), 0.9, kpi.ErrInvalid, "kpi.Comparison.DiffInterval: method Method(7): unknown interval method"},
		{"zero Comparison", kpi.Comparison{}, kpi.Wald, 0.9, kpi.ErrUndefined, "kpi.Comparison.DiffInterval: trials 0: a rate with no trials has no interval"},
		{"no trials in B", kpi.Comparison{A: a}, kpi.Wald, 0.9, kpi.ErrUndefined, "kpi.Comparison.DiffInterval: trials 0: a rate with no trials has no interval"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := tc.c.DiffInterval(tc.method, tc.conf)
			assert.ErrorIs(t, err, tc.class)
			assert.EqualError(t, err, tc.msg)
		})
	}
}
