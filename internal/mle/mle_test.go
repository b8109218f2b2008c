package mle_test

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mathext"

	"github.com/kpiflow/kpi/internal/mle"
)

var errSentinel = errors.New("not converged")

// gammaLik is the log-likelihood of Gamma(shape a, rate b) at fixed
// sufficient statistics: a maximum at a finite (a, b).
func gammaLik(n, sumX, sumLogX float64) mle.Likelihood {
	return func(p, grad []float64) float64 {
		a, b := p[0], p[1]
		lg, _ := math.Lgamma(a)
		if grad != nil {
			grad[0] = n*math.Log(b) - n*digamma(a) + sumLogX
			grad[1] = n*a/b - sumX
		}
		return n*a*math.Log(b) - n*lg + (a-1)*sumLogX - b*sumX
	}
}

func digamma(x float64) float64 { return mathext.Digamma(x) }

// rising is ln p, which rises without bound: the search runs off.
func rising(p, g []float64) float64 {
	if g != nil {
		g[0] = 1 / p[0]
	}
	return math.Log(p[0])
}

func TestFitPositive(t *testing.T) {
	tests := []struct {
		name  string
		names []string
		l     mle.Likelihood
		init  []float64
		want  []float64 // nil: an error wrapping the sentinel
		msg   string
	}{
		{"Poisson rate", []string{"lambda"}, func(p, g []float64) float64 {
			if g != nil {
				g[0] = 7/p[0] - 2
			}
			return 7*math.Log(p[0]) - 2*p[0]
		}, []float64{1}, []float64{3.5}, ""},
		{"gamma shape and rate", []string{"shape", "rate"}, gammaLik(4, 4*2.5, 4*0.8), []float64{1, 1}, nil, ""},
		// The errors name the parameter, or the point with the names in
		// order, as the model's constructor would.
		{"rising to the edge", []string{"lambda"}, rising, []float64{1}, nil, "f: lambda "},
		{"rising, no names", nil, rising, []float64{1}, nil, "f: parameter 0 "},
		{"not finite at the start", []string{"shape", "rate"}, func(p, g []float64) float64 { return math.NaN() }, []float64{1, 2}, nil,
			"f: start (shape, rate) [1 2]: log-likelihood not finite at the starting point"},
		{"not finite, no names", nil, func(p, g []float64) float64 { return math.NaN() }, []float64{1}, nil, "f: start [1]: "},
		{"flat", []string{"lambda"}, func(p, g []float64) float64 {
			for i := range g {
				g[i] = 0
			}
			return 0
		}, []float64{1}, nil, "f: estimate (lambda) [1]: the likelihood is flat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mle.FitPositive("f", tt.names, tt.l, tt.init, errSentinel)
			if tt.name == "gamma shape and rate" {
				require.NoError(t, err)
				// At the maximum the mean a/b equals the sample mean 2.5.
				assert.InDelta(t, 2.5, got[0]/got[1], 1e-6)
				return
			}
			if tt.want != nil {
				require.NoError(t, err)
				assert.InDeltaSlice(t, tt.want, got, 1e-6)
				return
			}
			assert.ErrorIs(t, err, errSentinel)
			assert.ErrorContains(t, err, tt.msg)
			assert.Nil(t, got)
		})
	}
}

func TestFinite(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want bool
	}{{1, true}, {0, true}, {math.NaN(), false}, {math.Inf(1), false}, {math.Inf(-1), false}} {
		assert.Equal(t, tt.want, mle.Finite(tt.v), "%v", tt.v)
	}
}
