package cohort_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
)

// Two cohorts drawn from sBG(α = 0.7, β = 1.2) in R 4.2.2 with
// set.seed(2026): θ <- rbeta(n, 0.7, 1.2); T <- rgeom(n, θ) + 1; the
// survivors are sum(T > t) for t = 0 … 7 (1,000 customers) and 0 … 4
// (600 customers).
var (
	simA = []int64{1000, 625, 480, 388, 332, 297, 273, 244}
	simB = []int64{600, 384, 295, 238, 212}
)

// The reference values below are R 4.2.2's: the sBG log-likelihood
// written in R (lbeta), maximised over (ln α, ln β) by optim(method =
// "BFGS", hessian = TRUE, reltol = 1e-15), V <- solve(o$hessian) — R's
// own numeric Hessian, not this package's —, and the delta method in R
// with a central-difference gradient (h = 1e-5) on the logit or log scale;
// DERL in R as the truncated sum Σ_{t=n}^{n+5000} S(t)/S(n−1)·1.1^−(t−n).
func estimateSim(t *testing.T) cohort.SBGEstimate {
	e, err := cohort.EstimateSBG(simA, simB)
	require.NoError(t, err)
	return e
}

func TestEstimateSBG(t *testing.T) {
	e := estimateSim(t)
	tests := []struct {
		name      string
		level     float64
		i         int
		value, se float64
		lo, hi    float64
	}{
		{"alpha", 0.95, 0, 0.6685730399, 0.05362198704, 0.5713199679, 0.7823810382},
		// β's interval from R's covariance: 1.14312·exp(±z·√0.0118238), z = qnorm(0.975), qnorm(0.95).
		{"beta", 0.95, 1, 1.1431202990, 0.1242998381, 1.1431202990 * math.Exp(-1.959963985*math.Sqrt(0.01182380483)),
			1.1431202990 * math.Exp(1.959963985*math.Sqrt(0.01182380483))},
		{"beta at 90 %", 0.90, 1, 1.1431202990, 0.1242998381, 1.1431202990 * math.Exp(-1.644853627*math.Sqrt(0.01182380483)),
			1.1431202990 * math.Exp(1.644853627*math.Sqrt(0.01182380483))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps, err := e.Parameters(tc.level)
			require.NoError(t, err)
			got := ps[tc.i]
			assert.Equal(t, [2]string{"alpha", "beta"}[tc.i], got.Name)
			assert.InEpsilon(t, tc.value, got.Value, 1e-6)
			assert.InEpsilon(t, tc.se, got.SE, 1e-4)
			assert.InEpsilon(t, tc.lo, got.Interval.Lo, 1e-5)
			assert.InEpsilon(t, tc.hi, got.Interval.Hi, 1e-5)
			assert.Equal(t, "delta-log", got.Interval.Method)
			assert.Equal(t, tc.level, got.Interval.Level)
		})
	}
}

func TestTableEstimateSBG(t *testing.T) {
	tests := []struct {
		name        string
		tab         *cohort.Table
		alpha, beta float64
	}{
		{"the R cohorts", tableOf(simA, simB), 0.6685730399, 1.1431202990},
		{"Fader and Hardie's regular", tableOf(regular), 0.704, 1.182},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := tc.tab.EstimateSBG()
			require.NoError(t, err)
			assert.InDelta(t, tc.alpha, e.Model().Alpha(), 1e-3)
			assert.InDelta(t, tc.beta, e.Model().Beta(), 1e-3)
		})
	}
}

// tableOf makes a table whose cohorts have the given survivors, 10 of
// revenue per survivor.
func tableOf(series ...[]int64) *cohort.Table {
	t := &cohort.Table{Grain: cohort.Month}
	for i, s := range series {
		c := cohort.Cohort{Start: day(2024, 1+time12(i), 1), Size: s[0]}
		for _, v := range s {
			c.Cells = append(c.Cells, cohort.Cell{Active: v, Survivors: v, Revenue: d("10").Mul(d(itoa(v)))})
		}
		t.Cohorts = append(t.Cohorts, c)
	}
	return t
}

func TestSBGEstimateOutputs(t *testing.T) {
	e := estimateSim(t)
	tests := []struct {
		name      string
		call      func(level float64) (float64, kpi.Interval, error)
		v, lo, hi float64
		method    string
	}{
		{"Survival(10)", func(l float64) (float64, kpi.Interval, error) { return e.Survival(10, l) },
			0.2013348727, 0.1796119746, 0.2249645784, "delta-logit"},
		{"Retention(10)", func(l float64) (float64, kpi.Interval, error) { return e.Retention(10, l) },
			0.9381620419, 0.929788324, 0.9455955133, "delta-logit"},
		{"DERL(0.1, 1)", func(l float64) (float64, kpi.Interval, error) { return e.DERL(0.1, 1, l) },
			3.061266902, 2.854940615, 3.282504371, "delta-log"},
		{"DERL(0.1, 5)", func(l float64) (float64, kpi.Interval, error) { return e.DERL(0.1, 5, l) },
			6.040258421, 5.649967341, 6.45751021, "delta-log"},
		{"Survival(0)", func(l float64) (float64, kpi.Interval, error) { return e.Survival(0, l) }, 1, 1, 1, "exact"},
		{"Retention(-1)", func(l float64) (float64, kpi.Interval, error) { return e.Retention(-1, l) }, 1, 1, 1, "exact"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, iv, err := tc.call(0.95)
			require.NoError(t, err)
			assert.InEpsilon(t, tc.v, v, 1e-6)
			assert.InEpsilon(t, tc.lo, iv.Lo, 1e-4)
			assert.InEpsilon(t, tc.hi, iv.Hi, 1e-4)
			assert.Equal(t, 0.95, iv.Level)
			assert.Equal(t, tc.method, iv.Method)
		})
	}
}

func TestSBGEstimateResidualValue(t *testing.T) {
	e := estimateSim(t)
	tests := []struct {
		name, cash string
		n          int
		derl       [3]float64 // R's DERL(0.1, n) and its interval
	}{
		{"new customer", "100", 1, [3]float64{3.061266902, 2.854940615, 3.282504371}},
		{"fifth renewal", "25.50", 5, [3]float64{6.040258421, 5.649967341, 6.45751021}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, iv, err := e.ResidualValue(d(tc.cash), 0.1, tc.n, 0.95)
			require.NoError(t, err)
			c := d(tc.cash).InexactFloat64()
			assert.InEpsilon(t, c*tc.derl[0], v.InexactFloat64(), 1e-6)
			assert.InEpsilon(t, c*tc.derl[1], iv.Lo.InexactFloat64(), 1e-4)
			assert.InEpsilon(t, c*tc.derl[2], iv.Hi.InexactFloat64(), 1e-4)
			assert.Equal(t, "delta-log", iv.Method)
		})
	}
}

func TestSBGEstimateErrors(t *testing.T) {
	e := estimateSim(t)
	var zero cohort.SBGEstimate
	tests := []struct {
		name  string
		call  func() error
		class error
		msg   string
	}{
		{"level 1", func() error { _, err := e.Parameters(1); return err }, kpi.ErrInvalid, "cohort.SBGEstimate.Parameters: level 1: must lie in (0, 1)"},
		{"level 0", func() error { _, _, err := e.Survival(3, 0); return err }, kpi.ErrInvalid, "cohort.SBGEstimate.Survival: level 0"},
		{"level NaN", func() error { _, _, err := e.Retention(3, math.NaN()); return err }, kpi.ErrInvalid, "level NaN"},
		{"DERL n 0", func() error { _, _, err := e.DERL(0.1, 0, 0.95); return err }, kpi.ErrInvalid, "cohort.SBG.DERL: n 0"},
		{"DERL level", func() error { _, _, err := e.DERL(0.1, 1, 2); return err }, kpi.ErrInvalid, "cohort.SBGEstimate.DERL: level 2"},
		{"negative cash", func() error { _, _, err := e.ResidualValue(d("-1"), 0.1, 1, 0.95); return err }, kpi.ErrInvalid, "cash -1"},
		{"value level", func() error { _, _, err := e.ResidualValue(d("1"), 0.1, 1, -0.5); return err }, kpi.ErrInvalid, "level -0.5"},
		// probe (money bound): by R's figures of TestSBGEstimateResidualValue,
		// 3.1·10²⁹ × 3.0613 = 9.49·10²⁹ is within the bound, but the upper
		// end 3.1·10²⁹ × 3.2825 = 1.018·10³⁰ is not.
		{"upper end beyond the bound", func() error {
			_, _, err := e.ResidualValue(d("310000000000000000000000000000"), 0.1, 1, 0.95)
			return err
		},
			kpi.ErrInvalid, "cohort.SBGEstimate.ResidualValue: cash 310000000000000000000000000000: residual value's upper bound 1017"},
		{"zero Parameters", func() error { _, err := zero.Parameters(0.95); return err }, kpi.ErrInvalid, "SBGEstimate zero value: use cohort.EstimateSBG"},
		{"zero Survival", func() error { _, _, err := zero.Survival(1, 0.95); return err }, kpi.ErrInvalid, "use cohort.EstimateSBG"},
		{"zero Retention", func() error { _, _, err := zero.Retention(1, 0.95); return err }, kpi.ErrInvalid, "use cohort.EstimateSBG"},
		{"zero DERL", func() error { _, _, err := zero.DERL(0.1, 1, 0.95); return err }, kpi.ErrInvalid, "use cohort.EstimateSBG"},
		{"zero ResidualValue", func() error { _, _, err := zero.ResidualValue(d("1"), 0.1, 1, 0.95); return err }, kpi.ErrInvalid, "use cohort.EstimateSBG"},
		{"nobody lost", func() error { _, err := cohort.EstimateSBG([]int64{100, 100, 100}); return err }, cohort.ErrNotConverged, "α runs to 0"},
		{"constant churn", func() error { _, err := cohort.EstimateSBG([]int64{1000, 500, 250, 125, 62, 31}); return err }, cohort.ErrNotConverged,
			"cohort.EstimateSBG: alpha "}, // named as the caller called it, and α, not "parameter 0"
		{"increase", func() error { _, err := cohort.EstimateSBG([]int64{1000, 631, 640}); return err }, kpi.ErrInvalid,
			"cohort.EstimateSBG: survivors[0][2] 640: exceeds 631"},
		{"one period", func() error { _, err := cohort.EstimateSBG([]int64{100, 50}); return err }, kpi.ErrInvalid, "fewer than two periods"},
		{"no series", func() error { _, err := cohort.EstimateSBG(); return err }, kpi.ErrInvalid, "no series"},
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

func TestTableProjectBands(t *testing.T) {
	e := estimateSim(t)
	tab := tableOf(simA, simB)
	bands, err := tab.ProjectBands(e, 13, 0.8, 0.01, 0.95)
	require.NoError(t, err)
	require.Len(t, bands, 2)
	tests := []struct {
		name   string
		cohort int
		age    int
		lo, hi float64 // survivors
		method string
	}{
		{"observed", 0, 7, 244, 244, "observed"},
		// R: S(12)/S(7) = 0.7224008031 in [0.6906639534, 0.7520505012], times the 244 at age 7.
		{"projected", 0, 12, 244 * 0.6906639534, 244 * 0.7520505012, "delta-logit"},
		{"second cohort observed", 1, 0, 600, 600, "observed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := bands[tc.cohort]
			iv := b.Survivors[tc.age]
			assert.InEpsilon(t, tc.lo, iv.Lo, 1e-4)
			assert.InEpsilon(t, tc.hi, iv.Hi, 1e-4)
			assert.Equal(t, tc.method, iv.Method)
			s0 := b.Projection.Survivors[0]
			assert.InEpsilon(t, tc.lo/s0, b.Retention[tc.age].Lo, 1e-4)
			assert.LessOrEqual(t, b.LTV.Lo.InexactFloat64(), b.Projection.LTV.InexactFloat64())
			assert.GreaterOrEqual(t, b.LTV.Hi.InexactFloat64(), b.Projection.LTV.InexactFloat64())
			assert.Less(t, b.LTV.Lo.InexactFloat64(), b.LTV.Hi.InexactFloat64())
		})
	}
	// The bands' errors.
	errTests := []struct {
		name    string
		e       cohort.SBGEstimate
		horizon int
		level   float64
		msg     string
	}{
		{"level", e, 13, 1.5, "cohort.Table.ProjectBands: level 1.5"},
		{"horizon", e, 0, 0.95, "horizon 0"},
		{"zero estimate", cohort.SBGEstimate{}, 13, 0.95, "use cohort.EstimateSBG"},
	}
	for _, tc := range errTests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tab.ProjectBands(tc.e, tc.horizon, 0.8, 0.01, tc.level)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, tc.msg)
		})
	}
}

func TestSBGEstimateString(t *testing.T) {
	tests := []struct {
		name string
		e    cohort.SBGEstimate
		want string
	}{
		{"fitted", estimateSim(t), "sBG     estimate  std. error  95% interval\n" +
			"alpha   0.6686    0.05362     [0.5713, 0.7824] 95% delta-log\n" +
			"beta    1.143     0.1243      [0.9237, 1.415] 95% delta-log\n"},
		// β's interval from R's covariance: 1.14312·exp(±1.96·√0.0118238).
		{"zero", cohort.SBGEstimate{}, "sBG estimate: zero value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.e.String())
		})
	}
}

func TestBandString(t *testing.T) {
	e := estimateSim(t)
	bands, err := tableOf(simB).ProjectBands(e, 6, 1, 0.01, 0.9)
	require.NoError(t, err)
	tests := []struct {
		name string
		b    cohort.Band
		want string
	}{
		{"projected", bands[0], "cohort 2024-01-01\n" +
			"age  survivors   interval                            retention   interval\n" +
			"0    600         [600, 600] 90% observed             1           [1, 1] 90% observed\n" +
			"1    384         [384, 384] 90% observed             0.64        [0.64, 0.64] 90% observed\n" +
			"2    295         [295, 295] 90% observed             0.4917      [0.4917, 0.4917] 90% observed\n" +
			"3    238         [238, 238] 90% observed             0.3967      [0.3967, 0.3967] 90% observed\n" +
			"4    212         [212, 212] 90% observed             0.3533      [0.3533, 0.3533] 90% observed\n" +
			// By hand: S(5)/S(4) = r(5) = (β+4)/(α+β+4) = 5.14312/5.81169 = 0.884961; × 212 = 187.61.
			"5    187.61      [185.4, 189.6] 90% delta-logit      0.3127      [0.309, 0.3161] 90% delta-logit\n" +
			"LTV " + bands[0].Projection.LTV.String() + " " + bands[0].LTV.String() + "\n"},
		{"zero", cohort.Band{}, "cohort 0001-01-01\nage  survivors   interval                            retention   interval\nLTV 0 [0, 0] 0% (no method)\n"},
		// Built by hand beyond the bound on money: short, never expanded.
		{"1e1073741824", cohort.Band{Projection: cohort.Projection{LTV: decimal.New(1, 1<<30)},
			LTV: kpi.MoneyInterval{Lo: decimal.New(-5, -1<<30), Hi: decimal.New(1, 1<<30), Level: 0.9, Method: "m"}},
			"cohort 0001-01-01\nage  survivors   interval                            retention   interval\n" +
				"LTV 1e1073741824 [-5e-1073741824, 1e1073741824] 90% m\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.b.String())
			assert.Less(t, len(tc.b.String()), 4096)
		})
	}
}

// TestSBGBootstrapAgrees checks the delta method against a parametric
// bootstrap with a fixed seed: 200 times, 1,600 customers (1,000 observed
// for 7 periods, 600 for 4, as the R cohorts) are drawn from the fitted
// model, refitted, and the spread of S(10) and DERL(0.1, 1) over the
// refits is set beside the delta method's. Their standard deviations
// agree within 10 % (the bootstrap's own sampling error at B = 200 is
// about 5 %), and the 2.5 % and 97.5 % percentiles within 3 % of the
// delta interval's ends.
func TestSBGBootstrapAgrees(t *testing.T) {
	e := estimateSim(t)
	m := e.Model()
	src := rand.New(rand.NewPCG(20, 26))
	const B = 200
	surv, derl := make([]float64, 0, B), make([]float64, 0, B)
	for range B {
		a := drawSBG(src, m, 1000, 7)
		b := drawSBG(src, m, 600, 4)
		f, err := cohort.FitSBG(a, b)
		require.NoError(t, err)
		surv = append(surv, f.Survival(10))
		v, err := f.DERL(0.1, 1)
		require.NoError(t, err)
		derl = append(derl, v)
	}
	tests := []struct {
		name string
		boot []float64
		call func() (float64, kpi.Interval, error)
		sd   func(v float64, iv kpi.Interval) float64 // the delta method's sd on the quantity's own scale
	}{
		{"Survival(10)", surv, func() (float64, kpi.Interval, error) { return e.Survival(10, 0.95) },
			func(v float64, iv kpi.Interval) float64 { return (iv.Hi - iv.Lo) / (2 * 1.959964) }},
		{"DERL(0.1, 1)", derl, func() (float64, kpi.Interval, error) { return e.DERL(0.1, 1, 0.95) },
			func(v float64, iv kpi.Interval) float64 { return (iv.Hi - iv.Lo) / (2 * 1.959964) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, iv, err := tc.call()
			require.NoError(t, err)
			slices.Sort(tc.boot)
			assert.InEpsilon(t, tc.sd(v, iv), stat.StdDev(tc.boot, nil), 0.10)
			assert.InEpsilon(t, iv.Lo, stat.Quantile(0.025, stat.Empirical, tc.boot, nil), 0.03)
			assert.InEpsilon(t, iv.Hi, stat.Quantile(0.975, stat.Empirical, tc.boot, nil), 0.03)
		})
	}
}

// drawSBG draws n customers from the model and returns the survivors at
// ages 0 … periods: θ ~ Beta(α, β), the period of leaving T ≥ 1 geometric.
func drawSBG(src *rand.Rand, m cohort.SBG, n int, periods int) []int64 {
	theta := distuv.Beta{Alpha: m.Alpha(), Beta: m.Beta(), Src: src}
	s := make([]int64, periods+1)
	for range n {
		th := theta.Rand()
		t := 1
		for t <= periods && src.Float64() >= th {
			t++
		}
		for a := 0; a < t && a <= periods; a++ {
			s[a]++
		}
	}
	return s
}

// FuzzEstimateSBG estimates the sBG from survivor series built from
// fuzzed losses: the estimate fails with a kpi.Error, or its standard
// errors are finite and positive and its intervals hold their estimate
// inside the quantity's range — never a NaN or a negative variance.
func FuzzEstimateSBG(f *testing.F) {
	f.Add(uint16(1000), uint16(369), uint16(163), uint16(86), uint16(56), uint16(37), uint8(8))
	f.Add(uint16(1000), uint16(131), uint16(126), uint16(90), uint16(60), uint16(42), uint8(8))
	f.Add(uint16(10), uint16(0), uint16(0), uint16(0), uint16(0), uint16(0), uint8(3))
	f.Add(uint16(3), uint16(1), uint16(1), uint16(0), uint16(0), uint16(0), uint8(2))
	f.Add(uint16(65535), uint16(1), uint16(1), uint16(1), uint16(1), uint16(1), uint8(4))
	f.Fuzz(func(t *testing.T, n0, l1, l2, l3, l4, l5 uint16, split uint8) {
		s := []int64{int64(n0)}
		for _, l := range []uint16{l1, l2, l3, l4, l5} {
			s = append(s, max(0, s[len(s)-1]-int64(l)))
		}
		series := [][]int64{s}
		if k := int(split%7) + 1; k < len(s) {
			series = [][]int64{s, s[:k]}
		}
		e, err := cohort.EstimateSBG(series...)
		if err != nil {
			var ke *kpi.Error
			require.ErrorAs(t, err, &ke)
			return
		}
		ps, err := e.Parameters(0.95)
		require.NoError(t, err)
		for _, p := range ps {
			if !(p.SE > 0) || math.IsInf(p.SE, 0) || !(p.Interval.Lo <= p.Value && p.Value <= p.Interval.Hi) {
				t.Fatalf("%s = %v, se %v, %v", p.Name, p.Value, p.SE, p.Interval)
			}
		}
		v, iv, err := e.Survival(6, 0.9)
		require.NoError(t, err)
		if !(0 <= iv.Lo && iv.Lo <= v && v <= iv.Hi && iv.Hi <= 1) {
			t.Fatalf("S(6) = %v %v", v, iv)
		}
		v, iv, err = e.DERL(0.05, 2, 0.9)
		if err == nil && !(0 < iv.Lo && iv.Lo <= v && v <= iv.Hi && !math.IsInf(iv.Hi, 0)) {
			t.Fatalf("DERL = %v %v", v, iv)
		}
	})
}
