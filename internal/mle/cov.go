package mle

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
)

// hessianStep is the step, in log-parameters, of the central differences
// of the analytic gradient that make the Hessian: the error of the formula
// is O(step²) ≈ 10⁻¹⁰ relative, and rounding in gradients of size |g|
// costs about 10⁻¹⁶·|g|/step ≈ 10⁻¹¹·|g|.
const hessianStep = 1e-5

// Estimate is a maximum-likelihood estimate of positive parameters with
// the covariance of its logarithms, the scale on which FitPositive
// searches and on which the likelihood is closest to quadratic.
type Estimate struct {
	P   []float64     // the estimate
	Cov *mat.SymDense // covariance of ln P: the inverse of the observed information
}

// NewEstimate returns the estimate p of the model that fn fits with the
// covariance of ln p, the inverse of the observed information
//
//	I(x) = −∇²ℓ(eˣ) at x = ln p
//
// whose Hessian is gonum's diff/fd Jacobian of the analytic gradient by
// central differences, symmetrised. The information must be positive
// definite with every eigenvalue above 10⁻¹⁰ of the largest; otherwise —
// a flat likelihood, a parameter at its bound — the error wraps class and
// says that the standard errors of model are undefined. A p that is not
// positive and finite wraps kpi.ErrInvalid naming the parameter by
// names[i], as FitPositive does.
func NewEstimate(fn, model string, names []string, l Likelihood, p []float64, class error) (Estimate, error) {
	n := len(p)
	s := newLogSpace(l, n)
	x := make([]float64, n)
	for i, v := range p {
		if !(v > 0) || !Finite(v) {
			return Estimate{}, errs.Invalid(fn, param(names, i), v, "must be a finite number > 0")
		}
		x[i] = math.Log(v)
	}
	info := mat.NewSymDense(n, nil)
	s.hessian(info, x)
	info.ScaleSym(-1, info)
	var eig mat.EigenSym
	ok := eig.Factorize(info, false)
	vals := eig.Values(nil)
	if !ok || !finiteAll(vals) || !(vals[0] > 1e-10*vals[n-1]) {
		return Estimate{}, errs.Class(fn, "observed information", vals,
			model+": not positive definite (the likelihood is flat or a parameter sits at its bound), so its standard errors are undefined", class)
	}
	var ch mat.Cholesky
	if !ch.Factorize(info) {
		return Estimate{}, errs.Class(fn, "observed information", vals, model+": not positive definite, so its standard errors are undefined", class)
	}
	cov := mat.NewSymDense(n, nil)
	if err := ch.InverseTo(cov); err != nil {
		return Estimate{}, errs.Class(fn, "observed information", vals, model+": "+err.Error(), class)
	}
	return Estimate{P: append([]float64(nil), p...), Cov: cov}, nil
}

// hessian stores in h the Hessian of the log-likelihood at x: gonum's
// diff/fd Jacobian of the analytic gradient by central differences,
// symmetrised.
func (s *logSpace) hessian(h *mat.SymDense, x []float64) {
	n := len(x)
	var jac mat.Dense
	jac.ReuseAs(n, n)
	fd.Jacobian(&jac, func(g, x []float64) { s.eval(x, g) }, x,
		&fd.JacobianSettings{Formula: fd.Central, Step: hessianStep})
	for i := range n {
		for j := i; j < n; j++ {
			h.SetSym(i, j, (jac.At(i, j)+jac.At(j, i))/2)
		}
	}
}

// SE returns the standard error of parameter i on its own scale, by the
// delta method from the log scale: se(pᵢ) = pᵢ·√Cov(ln pᵢ).
func (e Estimate) SE(i int) float64 { return e.P[i] * math.Sqrt(e.Cov.At(i, i)) }

// Param returns the interval of parameter i at level: exp(ln pᵢ ± z·√Cov(ln pᵢ)),
// always positive, method "delta-log".
func (e Estimate) Param(fn string, i int, level float64) (kpi.Interval, error) {
	if err := errs.Level(fn, "level", level); err != nil {
		return kpi.Interval{}, err
	}
	return band(e.P[i], math.Log(e.P[i]), math.Sqrt(e.Cov.At(i, i)), Log, level), nil
}

// Scale is the scale on which the delta method takes a quantity to be
// normal before its interval is transformed back.
type Scale int

const (
	// Log is for a positive quantity v: ln v ± z·sd, then exp; method
	// "delta-log".
	Log Scale = iota
	// Logit is for a probability v: logit v ± z·sd, then the logistic
	// function; method "delta-logit".
	Logit
	// Linear is for a quantity of any sign: v ± z·sd; method "delta".
	Linear
)

// to returns v on the scale, and whether it is finite there.
func (s Scale) to(v float64) (float64, bool) {
	var h float64
	switch s {
	case Log:
		h = math.Log(v)
	case Logit:
		h = math.Log(v) - math.Log1p(-v)
	default:
		h = v
	}
	return h, Finite(h)
}

// from undoes to.
func (s Scale) from(h float64) float64 {
	switch s {
	case Log:
		return math.Exp(h)
	case Logit:
		return 1 / (1 + math.Exp(-h))
	}
	return h
}

var methodNames = [...]string{Log: "delta-log", Logit: "delta-logit", Linear: "delta"}

// band returns the interval from(h ± z·sd) of the value v, h = to(v),
// z the normal quantile at 1 − (1 − level)/2. For a level within
// 1.1·10⁻¹⁶ of 1 that probability rounds to 1, whose quantile is +Inf; z
// is then taken from the lower tail, −Quantile((1 − level)/2), which is
// finite for every level below 1. A zero half-width z·sd (a zero sd, or a
// level so small that z is 0) gives v itself at any level (0·z would be
// NaN for an infinite z). The interval always holds v: from(to(v)) can
// miss v by an ulp or two (exp of a rounded logarithm), and a half-width
// below the rounding of h would leave both ends on that side of v, so
// the ends are taken no further in than v.
func band(v, h, sd float64, s Scale, level float64) kpi.Interval {
	z := distuv.UnitNormal.Quantile(1 - (1-level)/2)
	if math.IsInf(z, 1) {
		z = -distuv.UnitNormal.Quantile((1 - level) / 2)
	}
	w := z * sd
	if sd == 0 || w == 0 {
		return kpi.Interval{Lo: v, Hi: v, Level: level, Method: methodNames[s]}
	}
	lo, hi := s.from(h-w), s.from(h+w)
	return kpi.Interval{Lo: min(lo, v), Hi: max(hi, v), Level: level, Method: methodNames[s]}
}

// Interval returns the quantity q = f(p) at the estimate and its
// interval at level by the delta method on scale s: with h the scale's
// transform and x = ln p,
//
//	var h(q) ≈ ∇ₓh(q)ᵀ · Cov · ∇ₓh(q)
//
// the gradient by gonum's diff/fd central differences. A quantity that
// sits where its scale is infinite — 0 on the log scale, 0 or 1 on the
// logit scale — is one the model fixes (the survival at age 0, the
// purchases in no time) or one that underflowed; its interval is that
// value, Lo = Hi, with method "exact". Errors: level outside (0, 1) wraps
// kpi.ErrInvalid; those of f, at the estimate or near it; a variance that
// is not finite wraps kpi.ErrUndefined.
func (e Estimate) Interval(fn string, f func(p []float64) (float64, error), s Scale, level float64) (float64, kpi.Interval, error) {
	if err := errs.Level(fn, "level", level); err != nil {
		return 0, kpi.Interval{}, err
	}
	v, err := f(e.P)
	if err != nil {
		return 0, kpi.Interval{}, err
	}
	h, ok := s.to(v)
	if !ok {
		return v, kpi.Interval{Lo: v, Hi: v, Level: level, Method: "exact"}, nil
	}
	n := len(e.P)
	x := make([]float64, 2*n)
	p, x := x[n:], x[:n]
	for i, v := range e.P {
		x[i] = math.Log(v)
	}
	var ferr error
	g := fd.Gradient(nil, func(x []float64) float64 {
		for i, v := range x {
			p[i] = math.Exp(v)
		}
		q, err := f(p)
		if err != nil && ferr == nil {
			ferr = err
		}
		hq, _ := s.to(q)
		return hq
	}, x, &fd.Settings{Formula: fd.Central, OriginKnown: true, OriginValue: h})
	if ferr != nil {
		return 0, kpi.Interval{}, ferr
	}
	sd, err := Delta(fn, g, e.Cov)
	if err != nil {
		return 0, kpi.Interval{}, err
	}
	return v, band(v, h, sd, s, level), nil
}

// Delta returns the standard deviation √(gᵀ·cov·g) of a quantity with
// gradient g with respect to parameters of covariance cov. Errors,
// wrapping kpi.ErrUndefined: a variance that is negative (cov not
// positive semi-definite) or not finite, as a gradient that is.
func Delta(fn string, g []float64, cov mat.Symmetric) (float64, error) {
	v := mat.Inner(mat.NewVecDense(len(g), g), cov, mat.NewVecDense(len(g), g))
	if !(v >= 0) || !Finite(v) {
		return 0, errs.Undefined(fn, "variance", v, "the delta method's variance is negative or not finite: no interval")
	}
	return math.Sqrt(v), nil
}

// Band returns the interval from(to(v) ± z·sd) at level for a quantity v
// whose standard deviation on scale s is sd; see Interval for the values
// at which a scale is infinite. The interval holds v whatever the
// rounding of the scale's transform. It does not check level.
func Band(v, sd float64, s Scale, level float64) kpi.Interval {
	h, ok := s.to(v)
	if !ok {
		return kpi.Interval{Lo: v, Hi: v, Level: level, Method: "exact"}
	}
	return band(v, h, sd, s, level)
}

// Join returns independent estimates as one: their parameters one after
// the other and the block-diagonal covariance of their logarithms, for a
// quantity that depends on several models fitted apart.
func Join(es ...Estimate) Estimate {
	var p []float64
	for _, e := range es {
		p = append(p, e.P...)
	}
	cov := mat.NewSymDense(len(p), nil)
	off := 0
	for _, e := range es {
		for i := range e.P {
			for j := i; j < len(e.P); j++ {
				cov.SetSym(off+i, off+j, e.Cov.At(i, j))
			}
		}
		off += len(e.P)
	}
	return Estimate{P: p, Cov: cov}
}

// Table formats fitted parameters as the String methods of package
// cohort's and cohort/clv's estimates print them: a header naming the
// model, then a row per parameter with its estimate, standard error and
// interval.
func Table(model string, ps []kpi.Parameter) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-8s%-10s%-12s%s\n", model, "estimate", "std. error", "95% interval")
	for _, p := range ps {
		fmt.Fprintf(&b, "%-8s%-10.4g%-12.4g%v\n", p.Name, p.Value, p.SE, p.Interval)
	}
	return b.String()
}
