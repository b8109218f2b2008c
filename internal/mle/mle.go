// Package mle holds the maximum-likelihood machinery the cohort and
// cohort/clv models share: a search over positive parameters in log
// space, and the checks that the estimate is a proper maximum. It is not
// API.
package mle

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/kpiflow/kpi/internal/errs"
)

// maxLogParam bounds the logarithm of a fitted parameter: an estimate
// beyond 10^±5 means the likelihood is still rising, or flat, towards the
// edge of the parameter space and there is no finite maximum to report.
// (For the sBG, α and β both beyond 10⁵ mean customers who all churn
// alike: a geometric model, which the sBG reaches only in the limit.)
const maxLogParam = 11.5

// Likelihood is a log-likelihood over parameters that must be positive,
// with its gradient. It is the shape every model fits through
// FitPositive.
// It returns the log-likelihood at p and, when grad is not nil, stores
// its gradient with respect to p in grad.
type Likelihood func(p, grad []float64) float64

// logSpace evaluates a likelihood at x = ln p, the space the fits search.
type logSpace struct {
	l     Likelihood
	p, gp []float64
}

func newLogSpace(l Likelihood, n int) *logSpace {
	return &logSpace{l: l, p: make([]float64, n), gp: make([]float64, n)}
}

// eval returns the log-likelihood at exp(x) and, when g is not nil, its
// gradient with respect to x, gᵢ = pᵢ·∂ll/∂pᵢ.
func (s *logSpace) eval(x, g []float64) float64 {
	for i, v := range x {
		s.p[i] = math.Exp(v)
	}
	var gp []float64
	if g != nil {
		gp = s.gp
	}
	v := s.l(s.p, gp)
	for i := range g {
		g[i] = s.gp[i] * s.p[i]
	}
	return v
}

// peaked reports whether the log-likelihood has a proper maximum at x:
// every eigenvalue of its Hessian below −10⁻⁶·max(1, |ll|). A flat
// direction means the search stopped on a ridge that runs to the edge of
// the parameter space, where the gradient fades without a maximum.
func (s *logSpace) peaked(x []float64) bool {
	n := len(x)
	h := mat.NewSymDense(n, nil)
	s.hessian(h, x)
	var eig mat.EigenSym
	if !eig.Factorize(h, false) {
		return false
	}
	limit := -1e-6 * max(1, math.Abs(s.eval(x, nil)))
	for _, v := range eig.Values(nil) {
		if !(v < limit) {
			return false
		}
	}
	return true
}

// checkEstimate rejects an estimate that ran off towards the edge of the
// parameter space or sits where the likelihood is flat; the error wraps
// notConverged and names the parameter (names[i]) or the point.
func checkEstimate(fn string, names []string, s *logSpace, x []float64, notConverged error) error {
	for i, v := range x {
		if !Finite(v) || math.Abs(v) > maxLogParam {
			return errs.Class(fn, param(names, i), math.Exp(v),
				"runs off towards the edge: the likelihood has no finite maximum", notConverged)
		}
	}
	if !s.peaked(x) {
		return errs.Class(fn, point("estimate", names), expAll(x),
			"the likelihood is flat at the estimate: no finite maximum", notConverged)
	}
	return nil
}

// param names parameter i in an error: names[i], as the model's
// constructor names it, or "parameter i" when names has no such entry.
func param(names []string, i int) string {
	if i < len(names) {
		return names[i]
	}
	return fmt.Sprintf("parameter %d", i)
}

// point names a whole point of the parameters in an error, what followed
// by the names in order: "estimate (alpha, beta)".
func point(what string, names []string) string {
	if len(names) == 0 {
		return what
	}
	return what + " (" + strings.Join(names, ", ") + ")"
}

func finiteAll(x []float64) bool {
	for _, v := range x {
		if !Finite(v) {
			return false
		}
	}
	return true
}

// expAll returns the parameters at log-space point x, for error messages.
func expAll(x []float64) []float64 {
	p := make([]float64, len(x))
	for i, v := range x {
		p[i] = math.Exp(v)
	}
	return p
}

// Finite reports whether v is neither NaN nor infinite.
func Finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
