package mle_test

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/mle"
)

// poisson is the log-likelihood of k events in exposure n at rate λ:
// ℓ = k ln λ − nλ, with its maximum at λ = k/n and, on the log scale,
// the information −∂²ℓ/∂(ln λ)² = nλ = k there (a hand calculation), so
// var(ln λ̂) = 1/k.
func poisson(k, n float64) mle.Likelihood {
	return func(p, g []float64) float64 {
		if g != nil {
			g[0] = k/p[0] - n
		}
		return k*math.Log(p[0]) - n*p[0]
	}
}

func TestNewEstimate(t *testing.T) {
	tests := []struct {
		name string
		l    mle.Likelihood
		p    []float64
		want []float64 // the covariance of ln p, row by row
	}{
		{"Poisson: 1/k", poisson(7, 2), []float64{3.5}, []float64{1.0 / 7}},
		// R 4.2.2: a <- 4.45946823795, b <- 1.78378721208 (optim's maximum),
		// I <- 4*matrix(c(trigamma(a), -1/b, -1/b, a/b^2), 2),
		// D <- diag(c(a, b)); solve(D %*% I %*% D).
		{"gamma: R's analytic information", gammaLik(4, 10, 3.2), []float64{4.45946823795, 1.78378721208},
			[]float64{0.46554029389, 0.465540293890, 0.465540293890, 0.521600789595}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := mle.NewEstimate("f", "model", nil, tc.l, tc.p, errSentinel)
			require.NoError(t, err)
			n := len(tc.p)
			for i := range n {
				for j := range n {
					assert.InEpsilon(t, tc.want[i*n+j], e.Cov.At(i, j), 1e-6, "cov[%d][%d]", i, j)
				}
				assert.InEpsilon(t, tc.p[i]*math.Sqrt(tc.want[i*n+i]), e.SE(i), 1e-6)
			}
		})
	}
}

func TestNewEstimateErrors(t *testing.T) {
	flat := func(p, g []float64) float64 {
		for i := range g {
			g[i] = 0
		}
		return 0
	}
	// ridge depends on p₀·p₁ only: the information is singular.
	ridge := func(p, g []float64) float64 {
		s := math.Log(p[0]) + math.Log(p[1])
		if g != nil {
			g[0], g[1] = -2*s/p[0], -2*s/p[1]
		}
		return -s * s
	}
	tests := []struct {
		name  string
		names []string
		l     mle.Likelihood
		p     []float64
		class error
		msg   string
	}{
		{"flat", nil, flat, []float64{1, 2}, errSentinel, "model: not positive definite"},
		{"ridge", nil, ridge, []float64{2, 0.5}, errSentinel, "standard errors are undefined"},
		{"minimum", nil, func(p, g []float64) float64 {
			v := poisson(7, 2)(p, g)
			g[0] = -g[0]
			return -v
		}, []float64{3.5}, errSentinel, "not positive definite"},
		{"NaN", nil, func(p, g []float64) float64 { g[0] = math.NaN(); return 0 }, []float64{1}, errSentinel, "not positive definite"},
		{"parameter 0", nil, poisson(7, 2), []float64{0}, kpi.ErrInvalid, "f: parameter 0 0: must be a finite number > 0"},
		{"named parameter 0", []string{"lambda"}, poisson(7, 2), []float64{0}, kpi.ErrInvalid, "f: lambda 0: must be a finite number > 0"},
		{"parameter Inf", nil, poisson(7, 2), []float64{math.Inf(1)}, kpi.ErrInvalid, "must be a finite number > 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mle.NewEstimate("f", "model", tc.names, tc.l, tc.p, errSentinel)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.class)
			assert.ErrorContains(t, err, tc.msg)
		})
	}
}

func TestEstimateInterval(t *testing.T) {
	e, err := mle.NewEstimate("f", "model", []string{"lambda"}, poisson(16, 4), []float64{4}, errSentinel)
	require.NoError(t, err)
	z := distuv.UnitNormal.Quantile(0.975)
	lam := 4.0
	q := math.Exp(-lam) // P(no event in a unit of time)
	// Hand calculation: sd(ln λ̂) = 1/√16 = 0.25; for q = e^−λ the logit
	// has derivative −λ/(1−q) in ln λ; for λ itself the linear sd is λ/4.
	sdLogit := lam / (1 - q) * 0.25
	logitQ := math.Log(q / (1 - q))
	tests := []struct {
		name   string
		f      func(p []float64) (float64, error)
		s      mle.Scale
		value  float64
		lo, hi float64
		method string
	}{
		{"rate, log", func(p []float64) (float64, error) { return p[0], nil }, mle.Log, lam,
			lam * math.Exp(-z*0.25), lam * math.Exp(z*0.25), "delta-log"},
		{"no event, logit", func(p []float64) (float64, error) { return math.Exp(-p[0]), nil }, mle.Logit, q,
			1 / (1 + math.Exp(-(logitQ - z*sdLogit))), 1 / (1 + math.Exp(-(logitQ + z*sdLogit))), "delta-logit"},
		{"rate, linear", func(p []float64) (float64, error) { return p[0], nil }, mle.Linear, lam,
			lam - z, lam + z, "delta"},
		{"certain, exact", func(p []float64) (float64, error) { return 1, nil }, mle.Logit, 1, 1, 1, "exact"},
		{"none, exact", func(p []float64) (float64, error) { return 0, nil }, mle.Log, 0, 0, 0, "exact"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, iv, err := e.Interval("f", tc.f, tc.s, 0.95)
			require.NoError(t, err)
			assert.InDelta(t, tc.value, v, 1e-12)
			assert.InDelta(t, tc.lo, iv.Lo, 1e-7)
			assert.InDelta(t, tc.hi, iv.Hi, 1e-7)
			assert.Equal(t, 0.95, iv.Level)
			assert.Equal(t, tc.method, iv.Method)
		})
	}
}

func TestEstimateIntervalErrors(t *testing.T) {
	e, err := mle.NewEstimate("f", "model", []string{"lambda"}, poisson(16, 4), []float64{4}, errSentinel)
	require.NoError(t, err)
	boom := errors.New("boom")
	tests := []struct {
		name  string
		f     func(p []float64) (float64, error)
		level float64
		class error
		msg   string
	}{
		{"level 1", func(p []float64) (float64, error) { return p[0], nil }, 1, kpi.ErrInvalid, "f: level 1: must lie in (0, 1)"},
		{"level NaN", func(p []float64) (float64, error) { return p[0], nil }, math.NaN(), kpi.ErrInvalid, "level NaN"},
		{"f fails", func(p []float64) (float64, error) { return 0, boom }, 0.9, boom, "boom"},
		{"f fails nearby", func(p []float64) (float64, error) {
			if p[0] != 4 {
				return 0, boom
			}
			return 1, nil
		}, 0.9, boom, "boom"},
		{"gradient not finite", func(p []float64) (float64, error) {
			if p[0] > 4 {
				return math.Inf(1), nil
			}
			return 1, nil
		}, 0.9, kpi.ErrUndefined, "variance"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := e.Interval("f", tc.f, mle.Log, tc.level)
			assert.ErrorIs(t, err, tc.class)
			assert.ErrorContains(t, err, tc.msg)
		})
	}
}

func TestEstimateParam(t *testing.T) {
	e, err := mle.NewEstimate("f", "model", []string{"lambda"}, poisson(16, 4), []float64{4}, errSentinel)
	require.NoError(t, err)
	tests := []struct {
		name   string
		level  float64
		lo, hi float64
	}{
		// exp(ln 4 ± z·0.25), z = qnorm(0.975) = 1.959964, qnorm(0.95) = 1.644854.
		{"95 %", 0.95, 4 * math.Exp(-1.959963984540054*0.25), 4 * math.Exp(1.959963984540054*0.25)},
		{"90 %", 0.90, 4 * math.Exp(-1.6448536269514722*0.25), 4 * math.Exp(1.6448536269514722*0.25)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			iv, err := e.Param("f", 0, tc.level)
			require.NoError(t, err)
			assert.InDelta(t, tc.lo, iv.Lo, 1e-6)
			assert.InDelta(t, tc.hi, iv.Hi, 1e-6)
			assert.Equal(t, "delta-log", iv.Method)
		})
	}
	_, err = e.Param("f", 0, 0)
	assert.ErrorIs(t, err, kpi.ErrInvalid)
}

func TestDeltaAndBand(t *testing.T) {
	cov := mat.NewSymDense(2, []float64{4, 1, 1, 9})
	tests := []struct {
		name string
		g    []float64
		sd   float64
	}{
		// gᵀΣg by hand: (1,0) → 4; (1,1) → 4+2+9 = 15; (0,2) → 36.
		{"first", []float64{1, 0}, 2},
		{"both", []float64{1, 1}, math.Sqrt(15)},
		{"second", []float64{0, 2}, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sd, err := mle.Delta("f", tc.g, cov)
			require.NoError(t, err)
			assert.InDelta(t, tc.sd, sd, 1e-12)
			iv := mle.Band(10, sd, mle.Linear, 0.95)
			assert.InDelta(t, 10-1.959963984540054*tc.sd, iv.Lo, 1e-9)
			assert.InDelta(t, 10+1.959963984540054*tc.sd, iv.Hi, 1e-9)
		})
	}
	_, err := mle.Delta("f", []float64{1, -1}, mat.NewSymDense(2, []float64{1, 2, 2, 1}))
	assert.ErrorIs(t, err, kpi.ErrUndefined, "1 − 4 + 1 < 0: a negative variance is an error")
	assert.Equal(t, kpi.Interval{Lo: 0, Hi: 0, Level: 0.9, Method: "exact"}, mle.Band(0, 1, mle.Log, 0.9))
}

// TestBandNearOne holds what FuzzFitIntervals found: at a level within
// 1.1·10⁻¹⁶ of 1, 1 − (1 − level)/2 rounds to 1, whose normal quantile
// is +Inf, so a zero sd gave the interval [NaN, NaN] (0·Inf) and any
// other sd [−Inf, +Inf]. z now comes from the lower tail: R 4.2.2,
// -qnorm((1 - 0.9999999999999999)/2) = 8.2923610758135951.
func TestBandNearOne(t *testing.T) {
	const level = 0.9999999999999999
	tests := []struct {
		name   string
		sd     float64
		lo, hi float64
	}{
		{"sd 0", 0, 10, 10},
		{"sd 1", 1, 10 - 8.2923610758135951, 10 + 8.2923610758135951},
		{"sd 1e-17", 1e-17, 10, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			iv := mle.Band(10, tc.sd, mle.Linear, level)
			assert.InDelta(t, tc.lo, iv.Lo, 1e-9)
			assert.InDelta(t, tc.hi, iv.Hi, 1e-9)
		})
	}
}

// TestBandHoldsValue holds what FuzzSBGSeries found: from(to(v)) can
// miss v by an ulp, so a half-width that rounds away — z = 0 at a level
// of 10⁻¹⁷, where 1 − (1 − level)/2 rounds to ½, or an sd below the
// rounding of h — gave an interval lying wholly on one side of its own
// estimate. The sBG's retention 0.081744851548030434 at level 10⁻¹⁷ had
// the interval [0.081744851548030448, 0.081744851548030448]. The values
// below are ones where exp(ln v) ≠ v or the logistic of logit v ≠ v in
// float64 (checked by running the transforms): exp(ln 0.029955067398901646)
// = 0.029955067398901639, exp(ln 0.0049925112331502741) =
// 0.0049925112331502758.
func TestBandHoldsValue(t *testing.T) {
	tests := []struct {
		name  string
		v, sd float64
		s     mle.Scale
		level float64
		lo    float64 // the interval's exact Lo, when it must be v
		hi    float64
	}{
		{"sBG retention, level 1e-17", 0.081744851548030434, 0.3, mle.Logit, 1e-17, 0.081744851548030434, 0.081744851548030434},
		{"log, exp(ln v) below v, level 1e-17", 0.029955067398901646, 1, mle.Log, 1e-17, 0.029955067398901646, 0.029955067398901646},
		{"log, exp(ln v) above v, level 1e-17", 0.0049925112331502741, 1, mle.Log, 1e-17, 0.0049925112331502741, 0.0049925112331502741},
		{"log, sd below h's rounding", 0.029955067398901646, 1e-300, mle.Log, 0.95, 0.029955067398901639, 0.029955067398901646},
		{"log, sd below h's rounding, above", 0.0049925112331502741, 1e-300, mle.Log, 0.95, 0.0049925112331502741, 0.0049925112331502758},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			iv := mle.Band(tc.v, tc.sd, tc.s, tc.level)
			assert.Equal(t, tc.lo, iv.Lo)
			assert.Equal(t, tc.hi, iv.Hi)
			assert.LessOrEqual(t, iv.Lo, tc.v)
			assert.GreaterOrEqual(t, iv.Hi, tc.v)
		})
	}
	// Every value on a grid, on both scales, at a level whose z is 0 and
	// at an sd too small to move h: the interval holds the value.
	for _, s := range []mle.Scale{mle.Log, mle.Logit} {
		for i := 1; i < 1000; i++ {
			v := float64(i) / 1000.3
			for _, c := range []struct{ sd, level float64 }{{1, 1e-17}, {1e-300, 0.95}, {0.01, 0.95}} {
				iv := mle.Band(v, c.sd, s, c.level)
				if !(iv.Lo <= v && v <= iv.Hi) {
					t.Fatalf("scale %d v %.17g sd %g level %g: [%.17g, %.17g] misses v", s, v, c.sd, c.level, iv.Lo, iv.Hi)
				}
			}
		}
	}
}

func TestJoin(t *testing.T) {
	a, err := mle.NewEstimate("f", "a", []string{"lambda"}, poisson(16, 4), []float64{4}, errSentinel)
	require.NoError(t, err)
	b, err := mle.NewEstimate("f", "b", []string{"shape", "rate"}, gammaLik(4, 10, 3.2), []float64{4.45946823795, 1.78378721208}, errSentinel)
	require.NoError(t, err)
	tests := []struct {
		name string
		es   []mle.Estimate
		p    []float64
		cov  []float64
	}{
		{"one", []mle.Estimate{a}, []float64{4}, []float64{1.0 / 16}},
		{"two", []mle.Estimate{a, b}, []float64{4, 4.45946823795, 1.78378721208}, []float64{
			1.0 / 16, 0, 0,
			0, 0.46554029389, 0.465540293890,
			0, 0.465540293890, 0.521600789595}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j := mle.Join(tc.es...)
			assert.Equal(t, tc.p, j.P)
			n := len(tc.p)
			for i := range n {
				for k := range n {
					assert.InDelta(t, tc.cov[i*n+k], j.Cov.At(i, k), 1e-6, "cov[%d][%d]", i, k)
				}
			}
		})
	}
}

// TestTable: a header naming the model, then one row per parameter.
func TestTable(t *testing.T) {
	iv := kpi.Interval{Lo: 0.5713, Hi: 0.7824, Level: 0.95, Method: "delta-log"}
	tests := []struct {
		name string
		ps   []kpi.Parameter
		want string
	}{
		{"none", nil, "sBG     estimate  std. error  95% interval\n"},
		{"one", []kpi.Parameter{{Name: "alpha", Value: 0.6686, SE: 0.05362, Interval: iv}},
			"sBG     estimate  std. error  95% interval\nalpha   0.6686    0.05362     [0.5713, 0.7824] 95% delta-log\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, mle.Table("sBG", tc.ps))
		})
	}
}
