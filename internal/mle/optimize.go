package mle

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"

	"github.com/kpiflow/kpi/internal/errs"
)

// FitPositive maximises l over positive parameters from init by BFGS on
// their logarithms, so that no bound is needed, with Nelder–Mead as the
// fallback when the line search fails short of a maximum. It returns the
// estimate or an error wrapping notConverged (the calling package's
// sentinel) that names the optimiser's status, or the parameter by
// names[i] (the model's own names for its parameters, in order; a
// parameter without a name is "parameter i"), or the whole point —
// "start (alpha, beta)", "estimate (alpha, beta)".
func FitPositive(fn string, names []string, l Likelihood, init []float64, notConverged error) ([]float64, error) {
	n := len(init)
	s := newLogSpace(l, n)
	prob := optimize.Problem{
		Func: func(x []float64) float64 {
			v := s.eval(x, nil)
			if math.IsNaN(v) {
				return math.Inf(1)
			}
			return -v
		},
		Grad: func(g, x []float64) {
			s.eval(x, g)
			for i := range g {
				g[i] = -g[i]
			}
		},
	}
	x0 := make([]float64, n)
	for i, v := range init {
		x0[i] = math.Log(v)
	}
	f0 := prob.Func(x0)
	if !Finite(f0) {
		return nil, errs.Class(fn, point("start", names), init, "log-likelihood not finite at the starting point", notConverged)
	}
	// A gradient norm that counts as zero: rounding in a log-likelihood of
	// size |f| hides changes below about 10⁻¹⁶·|f|, which a line search
	// cannot see, so demand no more than 10⁻⁸·|f|.
	tol := 1e-8 * max(1, math.Abs(f0))
	res, err := optimize.Minimize(prob, x0, &optimize.Settings{GradientThreshold: tol}, &optimize.BFGS{})
	if err != nil || res == nil || !stationary(prob, res.X, 100*tol) {
		start := x0
		if res != nil && finiteAll(res.X) {
			start = res.X
		}
		nm, nmErr := optimize.Minimize(prob, start, &optimize.Settings{MajorIterations: 2000}, &optimize.NelderMead{})
		if nmErr != nil || nm == nil {
			status := optimize.NotTerminated
			if nm != nil {
				status = nm.Status
			}
			return nil, errs.Class(fn, "optimiser status", status, fmt.Sprintf("no maximum found: %v", nmErr), notConverged)
		}
		res = nm
	}
	if err := checkEstimate(fn, names, s, res.X, notConverged); err != nil {
		return nil, err
	}
	out := make([]float64, n)
	for i, v := range res.X {
		out[i] = math.Exp(v)
	}
	return out, nil
}

// stationary reports whether the gradient at x is small enough to call x
// a maximum: below tol in every log-parameter.
func stationary(prob optimize.Problem, x []float64, tol float64) bool {
	if !finiteAll(x) {
		return false
	}
	g := make([]float64, len(x))
	prob.Grad(g, x)
	for _, v := range g {
		if !(math.Abs(v) < tol) {
			return false
		}
	}
	return true
}
