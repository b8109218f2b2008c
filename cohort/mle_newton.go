//go:build !gonum_optimize

package cohort

import (
	"fmt"
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
	x := make([]float64, n)
	for i, v := range init {
		x[i] = math.Log(v)
	}
	p, gp := make([]float64, n), make([]float64, n)
	eval := func(x, g []float64) float64 {
		for i, v := range x {
			p[i] = math.Exp(v)
		}
		var gr []float64
		if g != nil {
			gr = gp
		}
		v := l.logLik(p, gr)
		for i := range g {
			g[i] = gp[i] * p[i]
		}
		return v
	}
	g, gh, xt := make([]float64, n), make([]float64, n), make([]float64, n)
	step := make([]float64, n)
	hess := make([]float64, n*n) // hess[i*n+j] = ∂g_i/∂x_j
	neg := mat.NewSymDense(n, nil)
	var chol mat.Cholesky
	sv := mat.NewVecDense(n, step)
	gv := mat.NewVecDense(n, g)

	f := eval(x, g)
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
		// Hessian by central differences of the gradient.
		const h = 1e-5
		for j := range n {
			copy(xt, x)
			xt[j] = x[j] + h
			eval(xt, gh)
			for i := range n {
				hess[i*n+j] = gh[i]
			}
			xt[j] = x[j] - h
			eval(xt, gh)
			for i := range n {
				hess[i*n+j] = (hess[i*n+j] - gh[i]) / (2 * h)
			}
		}
		for i := range n {
			for j := i; j < n; j++ {
				neg.SetSym(i, j, -(hess[i*n+j]+hess[j*n+i])/2)
			}
		}
		if chol.Factorize(neg) && chol.SolveVecTo(sv, gv) == nil && dot(step, g) > 0 {
			// Newton step solves (−H)·s = g.
		} else {
			copy(step, g)
		}
		if s := math.Sqrt(dot(step, step)); s > 2 {
			for i := range step {
				step[i] *= 2 / s
			}
		}
		// Backtrack until the likelihood rises enough.
		slope, t, moved := dot(step, g), 1.0, false
		for k := 0; k < 60; k++ {
			for i := range x {
				xt[i] = x[i] + t*step[i]
			}
			if ft := eval(xt, nil); finite(ft) && ft >= f+1e-4*t*slope {
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
		f = eval(x, g)
		if maxAbs(x) > maxLogParam {
			break
		}
	}
	for i, v := range x {
		if !finite(v) || math.Abs(v) > maxLogParam {
			return nil, undefined(fn, "search", "diverged",
				fmt.Sprintf("parameter %d runs off to %.3g: the likelihood has no finite maximum", i, math.Exp(v)), ErrNotConverged)
		}
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
