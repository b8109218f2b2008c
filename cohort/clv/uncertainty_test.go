package clv_test

import (
	"math"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort/clv"
)

// The reference values of these tests are R 4.2.2's, on the data of
// cdnowSim written out with 17 digits: the BG/NBD and Gamma–Gamma
// log-likelihoods written in R (lgamma, lbeta, a log-sum-exp), maximised
// over the parameters' logarithms by optim(method = "BFGS", hessian =
// TRUE, reltol = 1e-15), V <- solve(o$hessian) — R's numeric Hessian,
// not this package's —, standard errors exp(par)·sqrt(diag(V)), and the
// delta method in R with a central-difference gradient (h = 1e-5) on the
// logit or log scale, ₂F₁ by its series summed in R.

func estimates(t *testing.T) (clv.BGNBDEstimate, clv.GammaGammaEstimate) {
	t.Helper()
	cs := cdnowSim()
	bg, err := clv.EstimateBGNBD(cs)
	require.NoError(t, err)
	gg, err := clv.EstimateGammaGamma(cs)
	require.NoError(t, err)
	return bg, gg
}

func TestEstimateBGNBD(t *testing.T) {
	tests := []struct {
		name      string
		level     float64
		i         int
		value, se float64
	}{
		{"r", 0.95, 0, 0.2527942041, 0.01297932524},
		{"alpha", 0.95, 1, 4.665595512, 0.3885659068},
		{"a", 0.90, 2, 0.6939999043, 0.1573403306},
		{"b", 0.99, 3, 2.234848386, 0.6458222465},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := clv.EstimateBGNBD(cdnowSim())
			require.NoError(t, err)
			ps, err := e.Parameters(tc.level)
			require.NoError(t, err)
			p := ps[tc.i]
			assert.Equal(t, tc.name, p.Name)
			assert.InEpsilon(t, tc.value, p.Value, 1e-5)
			assert.InEpsilon(t, tc.se, p.SE, 1e-3)
			sd := tc.se / tc.value // sd of ln p
			assert.InEpsilon(t, tc.value*math.Exp(-z(tc.level)*sd), p.Interval.Lo, 1e-3)
			assert.InEpsilon(t, tc.value*math.Exp(z(tc.level)*sd), p.Interval.Hi, 1e-3)
			assert.Equal(t, "delta-log", p.Interval.Method)
		})
	}
}

// z is qnorm(1 − (1 − level)/2) in R 4.2.2.
func z(level float64) float64 {
	return map[float64]float64{0.90: 1.644853627, 0.95: 1.959963985, 0.99: 2.575829304}[level]
}

func TestEstimateGammaGamma(t *testing.T) {
	tests := []struct {
		name      string
		i         int
		value, se float64
	}{
		{"p", 0, 7.222304999, 1.398464217},
		{"q", 1, 3.433336573, 0.2333032578},
		{"gamma", 2, 12.44668584, 3.182864838},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := clv.EstimateGammaGamma(cdnowSim())
			require.NoError(t, err)
			ps, err := e.Parameters(0.95)
			require.NoError(t, err)
			p := ps[tc.i]
			assert.Equal(t, tc.name, p.Name)
			assert.InEpsilon(t, tc.value, p.Value, 1e-5)
			assert.InEpsilon(t, tc.se, p.SE, 1e-3)
			assert.InEpsilon(t, tc.value*math.Exp(-z(0.95)*tc.se/tc.value), p.Interval.Lo, 1e-3)
		})
	}
}

func TestBGNBDEstimateOutputs(t *testing.T) {
	e, _ := estimates(t)
	tests := []struct {
		name      string
		call      func() (float64, kpi.Interval, error)
		v, lo, hi float64
		method    string
	}{
		{"Alive(2, 30, 39)", func() (float64, kpi.Interval, error) { return e.Alive(hist(2, 30, 39), 0.95) },
			0.7348346267, 0.7018163015, 0.765418853, "delta-logit"},
		{"Alive(5, 20, 38)", func() (float64, kpi.Interval, error) { return e.Alive(hist(5, 20, 38), 0.95) },
			0.3355905492, 0.2767083085, 0.4000720512, "delta-logit"},
		{"Alive with no repeat purchase", func() (float64, kpi.Interval, error) { return e.Alive(hist(0, 0, 39), 0.95) },
			1, 1, 1, "exact"},
		{"ConditionalPurchases(2, 30, 39; 39)", func() (float64, kpi.Interval, error) {
			return e.ConditionalPurchases(hist(2, 30, 39), 39, 0.95)
		}, 1.252356739, 1.168190575, 1.342586934, "delta-log"},
		{"ConditionalPurchases(0, 0, 39; 52)", func() (float64, kpi.Interval, error) {
			return e.ConditionalPurchases(hist(0, 0, 39), 52, 0.95)
		}, 0.2615668624, 0.2389788887, 0.2862898219, "delta-log"},
		{"ConditionalPurchases in no time", func() (float64, kpi.Interval, error) {
			return e.ConditionalPurchases(hist(2, 30, 39), 0, 0.95)
		}, 0, 0, 0, "exact"},
		{"ExpectedPurchases(39)", func() (float64, kpi.Interval, error) { return e.ExpectedPurchases(39, 0.95) },
			1.231749098, 1.130203577, 1.342418189, "delta-log"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, iv, err := tc.call()
			require.NoError(t, err)
			assert.InDelta(t, tc.v, v, 1e-6*max(tc.v, 1))
			assert.InDelta(t, tc.lo, iv.Lo, 1e-3*max(tc.lo, 1e-3))
			assert.InDelta(t, tc.hi, iv.Hi, 1e-3*max(tc.hi, 1e-3))
			assert.Equal(t, tc.method, iv.Method)
			assert.Equal(t, 0.95, iv.Level)
		})
	}
}

func TestGammaGammaEstimateExpectedValue(t *testing.T) {
	_, e := estimates(t)
	tests := []struct {
		name      string
		c         clv.RFM
		v, lo, hi float64
	}{
		{"three purchases of 40", rfm(3, 20, 39, "40"), 39.69130191, 39.40793288, 39.97670856},
		{"two purchases of 40", rfm(2, 20, 39, "40"), 39.55920577, 39.16222216, 39.96021355},
		{"no repeat purchase", rfm(0, 0, 39, "0"), 36.94259248, 34.96478056, 39.03228098},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, iv, err := e.ExpectedValue(tc.c, 0.95)
			require.NoError(t, err)
			assert.InEpsilon(t, tc.v, v.InexactFloat64(), 1e-6)
			assert.InEpsilon(t, tc.lo, iv.Lo.InexactFloat64(), 1e-4)
			assert.InEpsilon(t, tc.hi, iv.Hi.InexactFloat64(), 1e-4)
			assert.Equal(t, "delta-log", iv.Method)
		})
	}
}

func TestValuationValueInterval(t *testing.T) {
	bg, gg := estimates(t)
	// One period of 39 weeks at a 10 % discount and a margin of 0.5: by
	// hand, Value = 0.5 · E[Z] · E[Y(39)] / 1.1, and with the two fits
	// independent the variance of its logarithm is the sum of theirs,
	// each sd = (ln hi − ln lo)/(2z) from R's intervals above.
	sdLog := func(lo, hi float64) float64 { return (math.Log(hi) - math.Log(lo)) / (2 * z(0.95)) }
	sd := math.Hypot(sdLog(1.168190575, 1.342586934), sdLog(39.16222216, 39.96021355))
	val := 0.5 * 39.55920577 * 1.252356739 / 1.1
	tests := []struct {
		name      string
		v         clv.Valuation
		c         clv.RFM
		value     float64
		lo, hi    float64
		tolerance float64
	}{
		{"one period", clv.Valuation{Purchases: bg.Model(), Spend: gg.Model(), Periods: 1, Length: 39, Discount: 0.1, Margin: 0.5},
			rfm(2, 30, 39, "40"), val, val * math.Exp(-z(0.95)*sd), val * math.Exp(z(0.95)*sd), 1e-3},
		{"gone", clv.Valuation{Purchases: bg.Model(), Spend: gg.Model(), Periods: 12, Length: 4, Discount: 0.01, Margin: 1},
			rfm(3000, 0.5, 39, "40"), 0, 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, iv, err := tc.v.ValueInterval(tc.c, bg, gg, 0.95)
			require.NoError(t, err)
			assert.InDelta(t, tc.value, v.InexactFloat64(), 1e-5*max(tc.value, 1))
			assert.InDelta(t, tc.lo, iv.Lo.InexactFloat64(), tc.tolerance*tc.lo)
			assert.InDelta(t, tc.hi, iv.Hi.InexactFloat64(), tc.tolerance*tc.hi)
		})
	}
}

func TestUncertaintyErrors(t *testing.T) {
	bg, gg := estimates(t)
	v := clv.Valuation{Purchases: bg.Model(), Spend: gg.Model(), Periods: 4, Length: 13, Discount: 0.02, Margin: 0.3}
	other := v
	other.Purchases = mustBG(t, 0.243, 4.414, 0.793, 2.426)
	otherSpend := v
	otherSpend.Spend = mustGG(t, 6.25, 3.74, 15.44)
	var zb clv.BGNBDEstimate
	var zg clv.GammaGammaEstimate
	tests := []struct {
		name  string
		call  func() error
		class error
		msg   string
	}{
		{"level 1", func() error { _, err := bg.Parameters(1); return err }, kpi.ErrInvalid, "clv.BGNBDEstimate.Parameters: level 1: must lie in (0, 1)"},
		{"GG level 0", func() error { _, err := gg.Parameters(0); return err }, kpi.ErrInvalid, "clv.GammaGammaEstimate.Parameters: level 0"},
		{"Alive level", func() error { _, _, err := bg.Alive(hist(1, 1, 2), math.NaN()); return err }, kpi.ErrInvalid, "level NaN"},
		{"Alive history", func() error { _, _, err := bg.Alive(hist(1, 3, 2), 0.95); return err }, kpi.ErrInvalid, "recency 3"},
		{"Conditional t", func() error { _, _, err := bg.ConditionalPurchases(hist(1, 1, 2), -1, 0.95); return err }, kpi.ErrInvalid, "t -1"},
		{"Conditional level", func() error { _, _, err := bg.ConditionalPurchases(hist(1, 1, 2), 1, 2); return err }, kpi.ErrInvalid, "level 2"},
		{"Expected t", func() error { _, _, err := bg.ExpectedPurchases(math.Inf(1), 0.95); return err }, kpi.ErrInvalid, "t +Inf"},
		{"Expected level", func() error { _, _, err := bg.ExpectedPurchases(1, -1); return err }, kpi.ErrInvalid, "level -1"},
		// Found by FuzzValueInterval: at t = 8e17 the model's ₂F₁ is undefined,
		// and that error came first; the level is checked before any work.
		{"Expected level before an undefined t", func() error { _, _, err := bg.ExpectedPurchases(8e17, -52); return err }, kpi.ErrInvalid, "clv.BGNBDEstimate.ExpectedPurchases: level -52"},
		{"ExpectedValue negative", func() error { _, _, err := gg.ExpectedValue(rfm(1, 1, 2, "-1"), 0.95); return err }, kpi.ErrInvalid, "negative"},
		{"ExpectedValue level", func() error { _, _, err := gg.ExpectedValue(rfm(1, 1, 2, "1"), 1); return err }, kpi.ErrInvalid, "level 1"},
		{"ValueInterval level", func() error { _, _, err := v.ValueInterval(rfm(1, 1, 2, "1"), bg, gg, 0); return err }, kpi.ErrInvalid, "clv.Valuation.ValueInterval: level 0"},
		{"ValueInterval other purchases", func() error { _, _, err := other.ValueInterval(rfm(1, 1, 2, "1"), bg, gg, 0.95); return err }, kpi.ErrInvalid, "is not the estimate of the valuation's Purchases"},
		{"ValueInterval other spend", func() error { _, _, err := otherSpend.ValueInterval(rfm(1, 1, 2, "1"), bg, gg, 0.95); return err }, kpi.ErrInvalid, "is not the estimate of the valuation's Spend"},
		{"ValueInterval periods", func() error {
			w := v
			w.Periods = 0
			_, _, err := w.ValueInterval(rfm(1, 1, 2, "1"), bg, gg, 0.95)
			return err
		}, kpi.ErrInvalid, "periods 0"},
		{"ValueInterval zero purchases", func() error { _, _, err := v.ValueInterval(rfm(1, 1, 2, "1"), zb, gg, 0.95); return err }, kpi.ErrInvalid, "use clv.EstimateBGNBD"},
		{"ValueInterval zero spend", func() error { _, _, err := v.ValueInterval(rfm(1, 1, 2, "1"), bg, zg, 0.95); return err }, kpi.ErrInvalid, "use clv.EstimateGammaGamma"},
		{"zero Parameters", func() error { _, err := zb.Parameters(0.95); return err }, kpi.ErrInvalid, "BGNBDEstimate zero value: use clv.EstimateBGNBD"},
		{"zero Alive", func() error { _, _, err := zb.Alive(hist(0, 0, 1), 0.95); return err }, kpi.ErrInvalid, "use clv.EstimateBGNBD"},
		{"zero Conditional", func() error { _, _, err := zb.ConditionalPurchases(hist(0, 0, 1), 1, 0.95); return err }, kpi.ErrInvalid, "use clv.EstimateBGNBD"},
		{"zero Expected", func() error { _, _, err := zb.ExpectedPurchases(1, 0.95); return err }, kpi.ErrInvalid, "use clv.EstimateBGNBD"},
		{"zero GG Parameters", func() error { _, err := zg.Parameters(0.95); return err }, kpi.ErrInvalid, "use clv.EstimateGammaGamma"},
		{"zero GG ExpectedValue", func() error { _, _, err := zg.ExpectedValue(rfm(1, 1, 2, "1"), 0.95); return err }, kpi.ErrInvalid, "use clv.EstimateGammaGamma"},
		{"no repeat buyer", func() error {
			_, err := clv.EstimateBGNBD([]clv.RFM{rfm(0, 0, 5, "0"), rfm(0, 0, 3, "0")})
			return err
		}, clv.ErrNotConverged, "clv.EstimateBGNBD: repeat purchases 0"},
		{"no customers", func() error { _, err := clv.EstimateBGNBD(nil); return err }, kpi.ErrInvalid, "no customers"},
		{"GG no repeat buyer", func() error { _, err := clv.EstimateGammaGamma([]clv.RFM{rfm(0, 0, 5, "0")}); return err }, kpi.ErrInvalid, "no customer with a repeat purchase"},
		{"GG equal values", func() error {
			_, err := clv.EstimateGammaGamma([]clv.RFM{rfm(1, 1, 5, "10"), rfm(2, 3, 5, "10"), rfm(4, 4, 5, "10")})
			return err
		}, clv.ErrNotConverged, "clv.EstimateGammaGamma"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.class)
			assert.ErrorContains(t, err, tc.msg)
		})
	}
}

func TestEstimateStrings(t *testing.T) {
	bg, gg := estimates(t)
	tests := []struct {
		name string
		bg   clv.BGNBDEstimate
		gg   clv.GammaGammaEstimate
		want string // of the BG/NBD's String, or of the Gamma–Gamma's when bg is the zero value
	}{
		{"BG/NBD", bg, gg, "BG/NBD  estimate  std. error  95% interval\n" +
			"r       0.2528    0.01298     [0.2286, 0.2796] 95% delta-log\n" +
			"alpha   4.666     0.3886      [3.963, 5.493] 95% delta-log\n" +
			"a       0.694     0.1573      [0.445, 1.082] 95% delta-log\n" +
			"b       2.235     0.6458      [1.268, 3.938] 95% delta-log\n"},
		{"Gamma–Gamma", clv.BGNBDEstimate{}, gg, "GG      estimate  std. error  95% interval\n" +
			"p       7.222     1.398       [4.941, 10.56] 95% delta-log\n" +
			"q       3.433     0.2333      [3.005, 3.922] 95% delta-log\n" +
			"gamma   12.45     3.183       [7.54, 20.55] 95% delta-log\n"},
		{"zero Gamma–Gamma", clv.BGNBDEstimate{}, clv.GammaGammaEstimate{}, "Gamma–Gamma estimate: zero value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.bg.String()
			if got == "BG/NBD estimate: zero value" {
				got = tc.gg.String()
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestEstimateModel(t *testing.T) {
	bg, gg := estimates(t)
	tests := []struct {
		name  string
		bgnbd bool
		want  string
	}{
		{"BG/NBD", true, "BG/NBD(r=0.253, α=4.666, a=0.694, b=2.235)"},
		{"Gamma–Gamma", false, "Gamma–Gamma(p=7.22, q=3.43, γ=12.45)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := gg.Model().String()
			if tc.bgnbd {
				got = bg.Model().String()
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestBootstrapAgrees checks the delta method against a parametric
// bootstrap with a fixed seed on the CDNOW-sized data: 400 times, 2,357
// customers are drawn from the fitted BG/NBD and Gamma–Gamma models (the
// generative process of cdnowSim), both models are refitted, and the
// spread of each quantity over the refits is set beside its delta-method
// interval. The bootstrap's standard deviations are within 10 % of the
// delta method's (at the time of writing 0.95 to 1.06 times), and its
// 2.5 % and 97.5 % percentiles within 5 % of the interval's ends (the
// largest gap, 4.4 %, at the upper end of a P(alive) of 0.34, whose
// bootstrap distribution is skewed). The bootstrap's own error on a
// standard deviation at B = 400 is about 3.5 %.
func TestBootstrapAgrees(t *testing.T) {
	if raceEnabled {
		t.Skip("200 refits under the race detector")
	}
	bg, gg := estimates(t)
	m, s := bg.Model(), gg.Model()
	fitted := bgParams{r: m.R(), alpha: m.Alpha(), a: m.A(), b: m.B(), p: s.P(), q: s.Q(), gamma: s.Gamma()}
	v := clv.Valuation{Purchases: m, Spend: s, Periods: 12, Length: 4, Discount: 0.01, Margin: 0.3}
	h1, h2, c := hist(2, 30, 39), hist(5, 20, 38), rfm(2, 30, 39, "40")
	const B = 400
	boot := make([][]float64, 5)
	for i := range B {
		cs := simulate(fitted, 2357, weeks(), 0, 1.0/7, uint64(1000+i))
		fb, err := clv.FitBGNBD(cs)
		require.NoError(t, err)
		fg, err := clv.FitGammaGamma(cs)
		require.NoError(t, err)
		a1, _ := fb.Alive(h1)
		a2, _ := fb.Alive(h2)
		cp, _ := fb.ConditionalPurchases(h1, 39)
		w := v
		w.Purchases, w.Spend = fb, fg
		val, err := w.Value(c)
		require.NoError(t, err)
		for k, x := range []float64{fb.R(), a1, a2, cp, val.InexactFloat64()} {
			boot[k] = append(boot[k], x)
		}
	}
	tests := []struct {
		name string
		k    int
		call func() (float64, kpi.Interval, error)
	}{
		{"r", 0, func() (float64, kpi.Interval, error) {
			ps, err := bg.Parameters(0.95)
			return ps[0].Value, ps[0].Interval, err
		}},
		{"Alive(2, 30, 39)", 1, func() (float64, kpi.Interval, error) { return bg.Alive(h1, 0.95) }},
		{"Alive(5, 20, 38)", 2, func() (float64, kpi.Interval, error) { return bg.Alive(h2, 0.95) }},
		{"ConditionalPurchases(39)", 3, func() (float64, kpi.Interval, error) { return bg.ConditionalPurchases(h1, 39, 0.95) }},
		{"Value", 4, func() (float64, kpi.Interval, error) {
			val, iv, err := v.ValueInterval(c, bg, gg, 0.95)
			return val.InexactFloat64(), kpi.Interval{Lo: iv.Lo.InexactFloat64(), Hi: iv.Hi.InexactFloat64()}, err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			val, iv, err := tc.call()
			require.NoError(t, err)
			x := boot[tc.k]
			slices.Sort(x)
			lo, hi := stat.Quantile(0.025, stat.Empirical, x, nil), stat.Quantile(0.975, stat.Empirical, x, nil)
			t.Logf("delta %.5g [%.5g, %.5g], bootstrap [%.5g, %.5g], sd ratio %.3f", val, iv.Lo, iv.Hi, lo, hi,
				stat.StdDev(x, nil)/((iv.Hi-iv.Lo)/(2*z(0.95))))
			assert.InEpsilon(t, iv.Lo, lo, 0.05)
			assert.InEpsilon(t, iv.Hi, hi, 0.05)
			assert.InEpsilon(t, (iv.Hi-iv.Lo)/(2*z(0.95)), stat.StdDev(x, nil), 0.10)
		})
	}
}

// FuzzEstimate estimates the BG/NBD and Gamma–Gamma models on 40
// customers made from three fuzzed histories and values: the estimates
// fail with a kpi.Error, or their standard errors are finite and
// positive and P(alive) keeps its estimate inside an interval in [0, 1].
func FuzzEstimate(f *testing.F) {
	f.Add(int64(2), 30.0, 38.0, int64(0), 0.0, 20.0, int64(5), 10.0, 12.0, "12.5", "30")
	f.Add(int64(10), 10.0, 10.0, int64(5), 5.0, 5.0, int64(20), 20.0, 20.0, "1", "1")
	f.Add(int64(5000), 1.0, 39.0, int64(0), 0.0, 39.0, int64(1), 38.0, 39.0, "0.000001", "1e6")
	f.Add(int64(1), 1e-300, 1e300, int64(0), 0.0, 0.0, int64(0), 0.0, 1.0, "-1", "abc")
	f.Fuzz(func(t *testing.T, x1 int64, tx1, age1 float64, x2 int64, tx2, age2 float64, x3 int64, tx3, age3 float64, v1, v3 string) {
		cs := fuzzCustomers(x1, tx1, age1, x2, tx2, age2, x3, tx3, age3, v1, v3)
		bg, err := clv.EstimateBGNBD(cs)
		checkKPIError(t, err)
		if err == nil {
			ps, err := bg.Parameters(0.95)
			require.NoError(t, err)
			for _, p := range ps {
				if !(p.SE > 0) || math.IsInf(p.SE, 0) {
					t.Fatalf("%s = %v, se %v", p.Name, p.Value, p.SE)
				}
			}
			v, iv, err := bg.Alive(cs[0].History, 0.9)
			if err == nil && !(0 <= iv.Lo && iv.Lo <= v && v <= iv.Hi && iv.Hi <= 1) {
				t.Fatalf("P(alive) = %v %v", v, iv)
			}
		}
		gg, err := clv.EstimateGammaGamma(cs)
		checkKPIError(t, err)
		if err == nil {
			ps, err := gg.Parameters(0.95)
			require.NoError(t, err)
			for _, p := range ps {
				if !(p.SE > 0) || math.IsInf(p.SE, 0) {
					t.Fatalf("%s = %v, se %v", p.Name, p.Value, p.SE)
				}
			}
		}
	})
}

// fuzzCustomers makes the 40 customers of the estimate fuzz targets from
// three fuzzed histories: customer i has the first history and value v1
// when i mod 4 is 0, the second and no value when it is 1, and otherwise
// the third, older by i mod 4, and value v3. A value that does not parse,
// or is too long for money, becomes 1.
func fuzzCustomers(x1 int64, tx1, age1 float64, x2 int64, tx2, age2 float64, x3 int64, tx3, age3 float64, v1, v3 string) []clv.RFM {
	value := func(s string) decimal.Decimal {
		d, err := decimal.NewFromString(s)
		if err != nil || d.NumDigits() > 30 || d.Exponent() < -18 || d.Exponent() > 18 {
			return decimal.NewFromInt(1)
		}
		return d
	}
	cs := make([]clv.RFM, 0, 40)
	for i := range 40 {
		switch i % 4 {
		case 0:
			cs = append(cs, clv.RFM{History: hist(x1, tx1, age1), Value: value(v1)})
		case 1:
			cs = append(cs, clv.RFM{History: hist(x2, tx2, age2)})
		default:
			cs = append(cs, clv.RFM{History: hist(x3, tx3, age3+float64(i%4)), Value: value(v3)})
		}
	}
	return cs
}
