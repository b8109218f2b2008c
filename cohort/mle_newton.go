//go:build !gonum_optimize

package cohort

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// fitPositive maximises l over positive parameters from init, searching
// over their logarithms so that no bound is needed, and returns the
// estimate or an error wrapping ErrNotConverged that names the search's
// status.
//
// The search is Newton's method with a backtracking (Armijo) line search:
// the analytic gradient, a Hessian from central differences of it, the
// step from a Cholesky solve (gonum/mat), and a steepest-ascent step where
// the Hessian is not negative definite. gonum/optimize's BFGS does the
// same job in mle_optimize.go (build tag gonum_optimize); it needs
// golang.org/x/tools in go.mod, which this module does not list yet.
func fitPositive(fn string, l likelihood, init []float64) ([]float64, error) {
	n := len(init)
	s := newLogSpace(l, n)
	x := make([]float64, n)
	for i, v := range init {
		x[i] = math.Log(v)
	}
	g, xt, step := make([]float64, n), make([]float64, n), make([]float64, n)
	hess := mat.NewSymDense(n, nil)
	neg := mat.NewSymDense(n, nil)
	var chol mat.Cholesky
	sv := mat.NewVecDense(n, step)
	gv := mat.NewVecDense(n, g)

	f := s.eval(x, g)
	if !finite(f) || !finiteAll(g) {
		return nil, undefined(fn, "start", init, "log-likelihood not finite at the starting point", ErrNotConverged)
	}
	tol := 1e-9 * max(1, math.Abs(f)) // a gradient this small is zero
	status := "IterationLimit"
	for iter := 0; iter < 200; iter++ {
		if maxAbs(g) < tol {
			status = ""
			break
		}
		s.hessian(hess, x)
		for i := range n {
			for j := i; j < n; j++ {
				neg.SetSym(i, j, -hess.At(i, j))
			}
		}
		if !chol.Factorize(neg) || chol.SolveVecTo(sv, gv) != nil || dot(step, g) <= 0 {
			copy(step, g) // steepest ascent where −H is not positive definite
		}
		if norm := math.Sqrt(dot(step, step)); norm > 2 {
			for i := range step {
				step[i] *= 2 / norm
			}
		}
		// Backtrack until the likelihood rises enough.
		slope, t, moved := dot(step, g), 1.0, false
		for k := 0; k < 60; k++ {
			for i := range x {
				xt[i] = x[i] + t*step[i]
			}
			if ft := s.eval(xt, nil); finite(ft) && ft >= f+1e-4*t*slope {
				moved = true
				break
			}
			t /= 2
		}
		if !moved {
			status = "LineSearchFailed"
			if maxAbs(g) < 1e3*tol {
				status = ""
			}
			break
		}
		copy(x, xt)
		f = s.eval(x, g)
		if maxAbs(x) > maxLogParam {
			break
		}
	}
	if err := checkEstimate(fn, s, x); err != nil {
		return nil, err
	}
	if status != "" {
		return nil, undefined(fn, "search status", status, "no maximum found", ErrNotConverged)
	}
	out := make([]float64, n)
	for i, v := range x {
		out[i] = math.Exp(v)
	}
	return out, nil
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func maxAbs(a []float64) float64 {
	m := 0.0
	for _, v := range a {
		m = max(m, math.Abs(v))
	}
	return m
}
