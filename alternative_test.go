package kpi_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
)

func mustCompare(t testing.TB, xa, na, xb, nb int64) kpi.Comparison {
	t.Helper()
	a, err := kpi.NewRate(xa, na)
	require.NoError(t, err)
	b, err := kpi.NewRate(xb, nb)
	require.NoError(t, err)
	c, err := kpi.Compare(a, b)
	require.NoError(t, err)
	return c
}

// sidedReference holds one-sided p-values from R 4.2.2, B against A:
//
//	prop.test(c(xB, xA), c(nB, nA), alternative = alt, correct = FALSE)$p.value   (z)
//	prop.test(c(xB, xA), c(nB, nA), alternative = alt, correct = TRUE)$p.value    (Yates)
//	fisher.test(matrix(c(xB, nB - xB, xA, nA - xA), 2, byrow = TRUE), alternative = alt)$p.value
//
// and the one-sided 95 % Wald bound, the finite end of prop.test(...,
// correct = FALSE)$conf.int (R clips it to [−1, 1]). The last column,
// R's bound with Yates' correction, is not a method of DiffBound and is
// kept only as R printed it.
var sidedReference = []struct {
	name           string
	xa, na, xb, nb int64
	alt            kpi.Alternative
	zp, yatesp     float64
	fisherp        float64
	wald, waldCC   float64
}{
	{"10/100 vs 15/100 greater", 10, 100, 15, 100, kpi.Greater, 0.14252470370130632, 0.19621026223829091, 0.19641480788008572, -0.026710866327121621, -0.036710866327121616},
	{"10/100 vs 15/100 less", 10, 100, 15, 100, kpi.Less, 0.85747529629869368, 0.80378973776170914, 0.90056983445607375, 0.12671086632712159, 0.13671086632712159},
	{"100/1000 vs 150/1000 greater", 100, 1000, 150, 1000, kpi.Greater, 0.00036161635821509679, 0.00046149717954488114, 0.00044754376934534081, 0.025741894112158048, 0.024741894112158047},
	{"100/1000 vs 150/1000 less", 100, 1000, 150, 1000, kpi.Less, 0.99963838364178492, 0.99953850282045509, 0.9997278860177965, 0.07425810588784193, 0.075258105887841931},
	{"3/20 vs 9/20 greater", 3, 20, 9, 20, kpi.Greater, 0.019216965118390859, 0.042248969861964754, 0.041179388509755513, 0.074769141181122906, 0.024769141181122889},
	{"3/20 vs 9/20 less", 3, 20, 9, 20, kpi.Less, 0.98078303488160912, 0.9577510301380352, 0.99309292607401622, 0.52523085881887721, 0.57523085881887726},
	{"45/500 vs 62/480 greater", 45, 500, 62, 480, kpi.Greater, 0.024687824583476663, 0.031239204336152814, 0.031133660272168084, 0.0063462171255139616, 0.0043045504588472977},
	{"45/500 vs 62/480 less", 45, 500, 62, 480, kpi.Less, 0.97531217541652337, 0.96876079566384721, 0.98078325755612639, 0.071987116207819404, 0.074028782874486068},
	{"0/10 vs 5/10 greater", 0, 10, 5, 10, kpi.Greater, 0.0049116372537596235, 0.019433551906208626, 0.016253869969040272, 0.23992580606222141, 0.13992580606222138},
	{"0/10 vs 5/10 less", 0, 10, 5, 10, kpi.Less, 0.99508836274624035, 0.98056644809379134, 1, 0.76007419393777864, 0.86007419393777862},
	{"7/12 vs 2/13 greater", 7, 12, 2, 13, kpi.Greater, 0.98729533460659802, 0.96547723653111284, 0.99674249562525241, -0.7156552407785991, -0.79578344590680428},
	{"7/12 vs 2/13 less", 7, 12, 2, 13, kpi.Less, 0.01270466539340202, 0.034522763468887219, 0.033495759860008092, -0.14331911819575993, -0.06319091306755481},
	{"20/25 vs 10/25 greater", 20, 25, 10, 25, kpi.Greater, 0.99805379143861073, 0.99531261577028252, 0.99939570500918673, -0.60805935515022291, -0.64805935515022295},
	{"20/25 vs 10/25 less", 20, 25, 10, 25, kpi.Less, 0.0019462085613893127, 0.0046873842297174432, 0.0042892540752345739, -0.19194064484977716, -0.15194064484977715},
	{"30/60 vs 30/60 greater", 30, 60, 30, 60, kpi.Greater, 0.5, 0.5, 0.57238277932767956, -0.1501539058792514, -0.1501539058792514},
	{"30/60 vs 30/60 less", 30, 60, 30, 60, kpi.Less, 0.5, 0.5, 0.57238277932767945, 0.1501539058792514, 0.1501539058792514},
	{"2/50 vs 8/50 greater", 2, 50, 8, 50, kpi.Greater, 0.022750131948179212, 0.047790352272814703, 0.045823577644066624, 0.023302749897663885, 0.0033027498976638814},
	{"2/50 vs 8/50 less", 2, 50, 8, 50, kpi.Less, 0.97724986805182079, 0.9522096477271853, 0.99216975505197724, 0.21669725010233609, 0.23669725010233611},
	{"520/10000 vs 480/10000 greater", 520, 10000, 480, 10000, kpi.Greater, 0.90281704459844547, 0.89712294936347248, 0.90828905099373902, -0.009069565896518467, -0.0091695658965184682},
	{"520/10000 vs 480/10000 less", 520, 10000, 480, 10000, kpi.Less, 0.097182955401554569, 0.10287705063652756, 0.10286681920323977, 0.0010695658965184738, 0.0011695658965184741},
}

func TestComparisonSided(t *testing.T) {
	for _, tc := range sidedReference {
		t.Run(tc.name, func(t *testing.T) {
			c := mustCompare(t, tc.xa, tc.na, tc.xb, tc.nb)
			got, err := c.Sided(tc.alt)
			require.NoError(t, err)
			assert.Equal(t, tc.alt, got.Alternative)
			closeTo(t, tc.zp, got.ZP, "z p")
			closeTo(t, tc.zp, got.ChiSquareP, "chi-square p")
			closeTo(t, tc.yatesp, got.YatesP, "Yates p")
			closeTo(t, tc.fisherp, got.FisherP, "Fisher p")
			assert.Equal(t, c.Z, got.Z)
			assert.Equal(t, c.ProbBBetter, got.ProbBBetter)

			lo, hi, err := c.DiffBound(kpi.Wald, tc.alt, 0.95)
			require.NoError(t, err)
			if tc.alt == kpi.Greater {
				closeTo(t, tc.wald, lo, "Wald lower bound")
				assert.Equal(t, 1.0, hi)
			} else {
				assert.Equal(t, -1.0, lo)
				closeTo(t, tc.wald, hi, "Wald upper bound")
			}

			// Sided back to two-sided gives Compare's values.
			two, err := got.Sided(kpi.TwoSided)
			require.NoError(t, err)
			assert.Equal(t, c, two)
		})
	}
}

// TestComparisonSidedDegenerate: with both rates 0 (or both 1) every
// p-value is 1; R's fisher.test(matrix(c(0, 10, 0, 12), 2, byrow = TRUE),
// alternative = "greater") gives 1 as well.
func TestComparisonSidedDegenerate(t *testing.T) {
	tests := []struct {
		name           string
		xa, na, xb, nb int64
		alt            kpi.Alternative
	}{
		{"all zero, greater", 0, 12, 0, 10, kpi.Greater},
		{"all one, less", 12, 12, 10, 10, kpi.Less},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := mustCompare(t, tc.xa, tc.na, tc.xb, tc.nb).Sided(tc.alt)
			require.NoError(t, err)
			assert.Equal(t, []float64{1, 1, 1, 1}, []float64{got.ZP, got.ChiSquareP, got.YatesP, got.FisherP})
		})
	}
}

func TestComparisonSidedErrors(t *testing.T) {
	tests := []struct {
		name string
		c    kpi.Comparison
		alt  kpi.Alternative
		msg  string
	}{
		{"unknown alternative", mustCompare(t, 1, 2, 1, 2), kpi.Alternative(5), "kpi.Comparison.Sided: alternative Alternative(5): unknown alternative"},
		{"zero comparison", kpi.Comparison{}, kpi.Greater, "kpi.Comparison.Sided: Comparison zero trials: use kpi.Compare"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.c.Sided(tc.alt)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.msg)
		})
	}
}

// marginReference holds the Farrington–Manning score statistic computed
// in R 4.2.2 independently of the closed form: the constrained maximum
// likelihood pA is the root of the score equation, found numerically,
//
//	s <- function(p2) xb/(p2+d) - (nb-xb)/(1-p2-d) + xa/p2 - (na-xa)/(1-p2)
//	p2 <- uniroot(s, c(max(0,-d)+1e-13, min(1,1-d)-1e-13), tol = 1e-16)$root; p1 <- p2 + d
//	z <- (xb/nb - xa/na - d)/sqrt(p1*(1-p1)/nb + p2*(1-p2)/na)
//
// with the p-values pnorm(z, lower.tail = FALSE), pnorm(z) and
// 2*pnorm(-abs(z)) for Greater, Less and TwoSided.
var marginReference = []struct {
	name              string
	xa, na, xb, nb    int64
	margin            float64
	z                 float64
	greater, less, ts float64
}{
	{"10/100 vs 15/100, margin -0.05", 10, 100, 15, 100, -0.05, 2.0879960068433401, 0.01839909744522978, 0.98160090255477017, 0.03679819489045956},
	{"100/1000 vs 150/1000, margin 0.02", 100, 1000, 150, 1000, 0.02, 2.0365883533473976, 0.020845655443975104, 0.9791543445560249, 0.041691310887950209},
	{"45/500 vs 62/480, margin -0.01", 45, 500, 62, 480, -0.01, 2.4597929257416862, 0.0069508599963074725, 0.99304914000369249, 0.013901719992614945},
	{"200/400 vs 190/400, margin -0.1", 200, 400, 190, 400, -0.1, 2.132660494754699, 0.01647629342967526, 0.98352370657032473, 0.03295258685935052},
	{"7/12 vs 2/13, margin 0.1", 7, 12, 2, 13, 0.1, -2.7534003349907166, 0.9970510137434514, 0.0029489862565486042, 0.0058979725130972084},
	{"30/60 vs 30/60, margin 0.05", 30, 60, 30, 60, 0.05, -0.54840849710708184, 0.70829427836018988, 0.29170572163981012, 0.58341144327962025},
	{"480/1000 vs 470/1000, margin -0.03", 480, 1000, 470, 1000, -0.03, 0.89594890426767115, 0.18514002667233831, 0.81485997332766169, 0.37028005334467662},
	{"2/50 vs 8/50, margin -0.2", 2, 50, 8, 50, -0.2, 4.3491514313914212, 6.8332660351130433e-06, 0.99999316673396488, 1.3666532070226087e-05},
}

func TestComparisonTestMargin(t *testing.T) {
	for _, tc := range marginReference {
		for _, alt := range []kpi.Alternative{kpi.Greater, kpi.Less, kpi.TwoSided} {
			t.Run(tc.name+"/"+alt.String(), func(t *testing.T) {
				got, err := mustCompare(t, tc.xa, tc.na, tc.xb, tc.nb).TestMargin(tc.margin, alt)
				require.NoError(t, err)
				assert.Equal(t, tc.margin, got.Margin)
				assert.Equal(t, alt, got.Alternative)
				closeTo(t, tc.z, got.Z, "z")
				want := map[kpi.Alternative]float64{kpi.Greater: tc.greater, kpi.Less: tc.less, kpi.TwoSided: tc.ts}[alt]
				closeTo(t, want, got.P, "p")
			})
		}
	}
}

// TestComparisonTestMarginZero: at margin 0 the constrained rates are the
// pooled rate, so Z is Compare's pooled z and the one-sided p-values are
// Sided's (checked against R's prop.test above); with no variance at all
// P is 1.
func TestComparisonTestMarginZero(t *testing.T) {
	tests := []struct {
		name           string
		xa, na, xb, nb int64
		wantP          float64 // −1: compare with Sided
	}{
		{"3/20 vs 9/20", 3, 20, 9, 20, -1},
		{"45/500 vs 62/480", 45, 500, 62, 480, -1},
		{"all zero", 0, 10, 0, 12, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := mustCompare(t, tc.xa, tc.na, tc.xb, tc.nb)
			got, err := c.TestMargin(0, kpi.Greater)
			require.NoError(t, err)
			if tc.wantP >= 0 {
				assert.Equal(t, tc.wantP, got.P)
				assert.Equal(t, 0.0, got.Z)
				return
			}
			s, err := c.Sided(kpi.Greater)
			require.NoError(t, err)
			closeTo(t, c.Z, got.Z, "z")
			closeTo(t, s.ZP, got.P, "p")
		})
	}
}

func TestComparisonTestMarginErrors(t *testing.T) {
	c := mustCompare(t, 10, 100, 15, 100)
	tests := []struct {
		name   string
		c      kpi.Comparison
		margin float64
		alt    kpi.Alternative
		msg    string
	}{
		{"margin -1", c, -1, kpi.Greater, "kpi.Comparison.TestMargin: margin -1: must lie in (-1, 1)"},
		{"margin NaN", c, math.NaN(), kpi.Greater, "kpi.Comparison.TestMargin: margin NaN: must lie in (-1, 1)"},
		{"margin 1.5", c, 1.5, kpi.Less, "kpi.Comparison.TestMargin: margin 1.5: must lie in (-1, 1)"},
		{"alternative", c, 0.01, kpi.Alternative(-1), "kpi.Comparison.TestMargin: alternative Alternative(-1): unknown alternative"},
		{"zero comparison", kpi.Comparison{}, 0.01, kpi.Greater, "kpi.Comparison.TestMargin: Comparison zero trials: use kpi.Compare"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.c.TestMargin(tc.margin, tc.alt)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.msg)
		})
	}
}

// TestComparisonDiffBound checks the one-sided bounds against the
// two-sided interval at 2·confidence − 1 (for Wald, R's values are in
// sidedReference), and TwoSided against DiffInterval.
func TestComparisonDiffBound(t *testing.T) {
	c := mustCompare(t, 45, 500, 62, 480)
	tests := []struct {
		name   string
		method kpi.Method
		alt    kpi.Alternative
		conf   float64
	}{
		{"Wilson greater 95", kpi.Wilson, kpi.Greater, 0.95},
		{"Wilson less 97.5", kpi.Wilson, kpi.Less, 0.975},
		{"Jeffreys greater 90", kpi.Jeffreys, kpi.Greater, 0.9},
		{"Wald two-sided 95", kpi.Wald, kpi.TwoSided, 0.95},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi, err := c.DiffBound(tc.method, tc.alt, tc.conf)
			require.NoError(t, err)
			level := 2*tc.conf - 1
			if tc.alt == kpi.TwoSided {
				level = tc.conf
			}
			l2, h2, err := c.DiffInterval(tc.method, level)
			require.NoError(t, err)
			switch tc.alt {
			case kpi.Greater:
				assert.Equal(t, []float64{l2, 1}, []float64{lo, hi})
			case kpi.Less:
				assert.Equal(t, []float64{-1, h2}, []float64{lo, hi})
			default:
				assert.Equal(t, []float64{l2, h2}, []float64{lo, hi})
			}
		})
	}
}

func TestComparisonDiffBoundErrors(t *testing.T) {
	c := mustCompare(t, 45, 500, 62, 480)
	tests := []struct {
		name   string
		c      kpi.Comparison
		method kpi.Method
		alt    kpi.Alternative
		conf   float64
		class  error
	}{
		{"level 0.5", c, kpi.Wilson, kpi.Greater, 0.5, kpi.ErrInvalid},
		{"level NaN", c, kpi.Wilson, kpi.Less, math.NaN(), kpi.ErrInvalid},
		{"alternative", c, kpi.Wilson, kpi.Alternative(3), 0.95, kpi.ErrInvalid},
		{"method", c, kpi.Method(17), kpi.Greater, 0.95, kpi.ErrInvalid},
		{"zero", kpi.Comparison{}, kpi.Wilson, kpi.Greater, 0.95, kpi.ErrUndefined},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := tc.c.DiffBound(tc.method, tc.alt, tc.conf)
			assert.ErrorIs(t, err, tc.class)
		})
	}
}

// R 4.2.2: binom.test(40, 96, 0.5, alternative = alt)$p.value and
// binom.test(12, 20, 0.3, alternative = alt)$p.value.
func TestBinomialTestP(t *testing.T) {
	tests := []struct {
		name string
		x, n int64
		p0   float64
		want [3]float64 // TwoSided, Less, Greater
	}{
		{"40 of 96 against 0.5", 40, 96, 0.5, [3]float64{0.12534569718849267, 0.062672848594246336, 0.95890346572152829}},
		{"12 of 20 against 0.3", 12, 20, 0.3, [3]float64{0.0059360841980975144, 0.99872112039577976, 0.0051381615351213956}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := kpi.NewRate(tc.x, tc.n)
			require.NoError(t, err)
			bt, err := r.Test(tc.p0)
			require.NoError(t, err)
			for i, alt := range []kpi.Alternative{kpi.TwoSided, kpi.Less, kpi.Greater} {
				got, err := bt.P(alt)
				require.NoError(t, err)
				closeTo(t, tc.want[i], got, alt.String())
			}
			_, err = bt.P(kpi.Alternative(7))
			assert.ErrorIs(t, err, kpi.ErrInvalid)
		})
	}
}

func TestAlternativeString(t *testing.T) {
	tests := []struct {
		a    kpi.Alternative
		want string
	}{
		{kpi.TwoSided, "TwoSided"}, {kpi.Less, "Less"}, {kpi.Greater, "Greater"}, {kpi.Alternative(3), "Alternative(3)"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.a.String())
		})
	}
}

// Fuzz the one-sided p-values: they lie in [0, 1], the two directions of
// Fisher's test add up to 1 + P(X = xB) ≥ 1, and the two-sided z p-value
// is twice the smaller one-sided one; the margin test's p-values lie in
// [0, 1] and its two one-sided ones add up to 1.
func FuzzComparisonSided(f *testing.F) {
	f.Add(int64(10), int64(100), int64(15), int64(100), -0.05)
	f.Add(int64(0), int64(5), int64(5), int64(5), 0.0)
	f.Add(int64(4000), int64(1000000), int64(4100), int64(1000000), 0.001)
	f.Add(int64(0), int64(7), int64(7), int64(7), 0.999)
	f.Fuzz(func(t *testing.T, xa, na, xb, nb int64, margin float64) {
		a, err := kpi.NewRate(xa, na%(1<<24))
		if err != nil {
			return
		}
		b, err := kpi.NewRate(xb, nb%(1<<24))
		if err != nil {
			return
		}
		c, err := kpi.Compare(a, b)
		if err != nil {
			return
		}
		g, err := c.Sided(kpi.Greater)
		require.NoError(t, err)
		l, err := c.Sided(kpi.Less)
		require.NoError(t, err)
		for _, p := range []float64{g.ZP, g.YatesP, g.FisherP, l.ZP, l.YatesP, l.FisherP} {
			checkP(t, "p", p)
		}
		if g.FisherP+l.FisherP < 1-1e-9 {
			t.Fatalf("Fisher: greater %v + less %v < 1", g.FisherP, l.FisherP)
		}
		if c.ZP < 1 {
			assert.InDelta(t, c.ZP, 2*math.Min(g.ZP, l.ZP), 1e-12)
		}
		mg, err := c.TestMargin(margin, kpi.Greater)
		if err != nil {
			checkClass(t, err)
			return
		}
		ml, err := c.TestMargin(margin, kpi.Less)
		require.NoError(t, err)
		checkP(t, "margin greater", mg.P)
		checkP(t, "margin less", ml.P)
		if mg.P < 1 {
			assert.InDelta(t, 1, mg.P+ml.P, 1e-12)
		}
	})
}

// Is this month's MQL→SQL rate of 40 in 96 below last month's 52 in 110?
// The one-sided tests ask only that.
func ExampleComparison_Sided() {
	c := must(kpi.Compare(must(kpi.NewRate(52, 110)), must(kpi.NewRate(40, 96))))
	less, _ := c.Sided(kpi.Less)
	fmt.Printf("%v: z p = %.3f, Fisher p = %.3f\n", less.Alternative, less.ZP, less.FisherP)
	// Output: Less: z p = 0.210, Fisher p = 0.253
}

// Is variant B not worse than the control by more than 1 point? A
// non-inferiority test at margin −0.01, and the one-sided 95 % bound.
func ExampleComparison_TestMargin() {
	control, _ := kpi.NewRate(480, 1000)
	variant, _ := kpi.NewRate(470, 1000)
	c, _ := kpi.Compare(control, variant)
	ni, _ := c.TestMargin(-0.03, kpi.Greater)
	lo, _, _ := c.DiffBound(kpi.Wilson, kpi.Greater, 0.95)
	fmt.Printf("margin %+.2f: z = %.3f, p = %.3f; 95%% lower bound %+.4f\n", ni.Margin, ni.Z, ni.P, lo)
	// Output: margin -0.03: z = 0.896, p = 0.185; 95% lower bound -0.0467
}

// The one-sided 95 % bound for the lift of a variant over a control.
func ExampleComparison_DiffBound() {
	c, _ := kpi.Compare(must(kpi.NewRate(45, 500)), must(kpi.NewRate(62, 480)))
	lo, hi, _ := c.DiffBound(kpi.Wald, kpi.Greater, 0.95)
	fmt.Printf("[%+.4f, %+.0f]\n", lo, hi)
	// Output: [+0.0063, +1]
}

// The exact binomial test against the 50 % SLA, one-sided: is the rate below it?
func ExampleBinomialTest_P() {
	r, _ := kpi.NewRate(40, 96)
	t, _ := r.Test(0.5)
	p, _ := t.P(kpi.Less)
	fmt.Printf("%.4f\n", p)
	// Output: 0.0627
}

// The alternatives print as their names.
func ExampleAlternative_String() {
	fmt.Println(kpi.TwoSided, kpi.Less, kpi.Greater)
	// Output: TwoSided Less Greater
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
