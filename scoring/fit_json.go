package scoring

import (
	"encoding/json"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/jsonx"
)

// fitJSON is the wire form of a Fit.
type fitJSON struct {
	Rules       []RuleFit   `json:"rules"`
	Intercept   float64     `json:"intercept"`
	InterceptSE float64     `json:"interceptSE"`
	Lambda      float64     `json:"lambda"`
	Leads       int64       `json:"leads"`
	Converted   int64       `json:"converted"`
	Covariance  [][]float64 `json:"covariance"`
}

// MarshalJSON writes the fit as its exported fields' keys and the
// covariance of its coefficients, the intercept's first, which
// Fit.Intervals needs:
//
//	{"rules": [RuleFit, ...], "intercept": -2.58, "interceptSE": 0.19,
//	 "lambda": 0.001, "leads": 800, "converted": 176,
//	 "covariance": [[0.035, -0.02, ...], ...]}
//
// The zero Fit's covariance is null. A number that is not finite, which
// no fit of Learn holds, is written as 0.
func (f Fit) MarshalJSON() ([]byte, error) {
	w := fitJSON{Intercept: finite(f.Intercept), InterceptSE: finite(f.InterceptSE), Lambda: finite(f.Lambda),
		Leads: f.Leads, Converted: f.Converted, Rules: make([]RuleFit, len(f.Rules))}
	for i, r := range f.Rules {
		r.Coef, r.SE, r.Points, r.Suggested = finite(r.Coef), finite(r.SE), finite(r.Points), finite(r.Suggested)
		w.Rules[i] = r
	}
	if f.cov != nil {
		n := f.cov.SymmetricDim()
		w.Covariance = make([][]float64, n)
		for i := range n {
			w.Covariance[i] = make([]float64, n)
			for j := range n {
				w.Covariance[i][j] = finite(f.cov.At(i, j))
			}
		}
	}
	b, err := json.Marshal(w)
	if err != nil { // not reached: every number is finite
		return nil, jsonx.Error("scoring.Fit.MarshalJSON", err)
	}
	return b, nil
}

// UnmarshalJSON reads a fit as MarshalJSON writes it and checks it as
// Learn makes them: unique rule IDs, finite numbers, standard errors that
// are the square roots of the covariance's diagonal, a covariance that is
// symmetric and positive definite, at least one lead of each outcome, and
// suggested points that are the coefficients scaled to the model's range
// (see Learn); both to a relative 1e-9. "rules" and "covariance" are
// required. Decoding is strict: unknown keys are errors. Errors are
// *kpi.Error values wrapping kpi.ErrInvalid that name the key, such as
// "rules[1].se".
//
// A decoded fit has the learned points and their covariance, so that
// Intervals works on it, but not the Scorer it was learned with: Holdout
// on it is an error.
func (f *Fit) UnmarshalJSON(data []byte) error {
	const fn = "scoring.Fit.UnmarshalJSON"
	var w fitJSON
	if err := jsonx.Decode(fn, data, &w); err != nil {
		return err
	}
	if w.Rules == nil || w.Covariance == nil {
		return errs.Invalid(fn, "JSON", "rules and covariance", "both are required")
	}
	cov, err := w.check(fn)
	if err != nil {
		return err
	}
	*f = Fit{Rules: w.Rules, Intercept: w.Intercept, InterceptSE: w.InterceptSE, Lambda: w.Lambda,
		Leads: w.Leads, Converted: w.Converted, cov: cov}
	return nil
}

// near reports whether a and b agree to a relative 1e-9.
func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

// check checks the wire form as Learn makes fits and returns its
// covariance.
func (w fitJSON) check(fn string) (*mat.SymDense, error) {
	switch {
	case !(w.Lambda >= 0 && w.Lambda <= maxLambda):
		return nil, errs.Invalid(fn, "lambda", w.Lambda, "want a penalty in [0, 1e6], as Learn takes")
	case w.Leads < 2:
		return nil, errs.Invalid(fn, "leads", w.Leads, "a fit needs leads of both outcomes")
	case w.Converted < 1 || w.Converted >= w.Leads:
		return nil, errs.Invalid(fn, "converted", w.Converted, fmt.Sprintf("want 1 to %d, fewer than the leads", w.Leads-1))
	case math.IsNaN(w.Intercept) || math.IsInf(w.Intercept, 0):
		return nil, errs.Invalid(fn, "intercept", w.Intercept, "not finite")
	}
	p := len(w.Rules)
	seen := make(map[string]bool, p)
	var sumPts, sumCoef float64
	for i, r := range w.Rules {
		at := func(key string) string { return fmt.Sprintf("rules[%d].%s", i, key) }
		switch {
		case r.ID == "":
			return nil, errs.Invalid(fn, at("id"), `""`, "empty rule ID")
		case seen[r.ID]:
			return nil, errs.Invalid(fn, at("id"), fmt.Sprintf("%q", r.ID), "duplicate rule ID")
		case r.Fired < 1 || r.Fired >= w.Leads:
			return nil, errs.Invalid(fn, at("fired"), r.Fired, "a rule of a fit fires on some leads, not all")
		}
		for _, kv := range [...]struct {
			key string
			v   float64
		}{{"coef", r.Coef}, {"points", r.Points}, {"suggested", r.Suggested}} {
			if math.IsNaN(kv.v) || math.IsInf(kv.v, 0) {
				return nil, errs.Invalid(fn, at(kv.key), kv.v, "not finite")
			}
		}
		seen[r.ID] = true
		sumPts += math.Abs(r.Points)
		sumCoef += math.Abs(r.Coef)
	}
	if sumPts == 0 {
		sumPts = 100
	}
	for i, r := range w.Rules {
		want := 0.0
		if sumCoef > 0 {
			want = r.Coef * sumPts / sumCoef
		}
		if !near(r.Suggested, want) {
			return nil, errs.Invalid(fn, fmt.Sprintf("rules[%d].suggested", i), r.Suggested, fmt.Sprintf("want %v, the coefficient scaled to the model's range", want))
		}
	}
	return w.covariance(fn)
}

// covariance checks the wire form's covariance against its standard
// errors and returns it.
func (w fitJSON) covariance(fn string) (*mat.SymDense, error) {
	n := len(w.Rules) + 1
	if len(w.Covariance) != n {
		return nil, errs.Invalid(fn, "covariance", fmt.Sprintf("%d rows", len(w.Covariance)), fmt.Sprintf("want %d, the intercept and each rule", n))
	}
	cov := mat.NewSymDense(n, nil)
	for i, row := range w.Covariance {
		if len(row) != n {
			return nil, errs.Invalid(fn, fmt.Sprintf("covariance[%d]", i), fmt.Sprintf("%d columns", len(row)), fmt.Sprintf("want %d", n))
		}
		for j, v := range row {
			at := fmt.Sprintf("covariance[%d][%d]", i, j)
			switch {
			case math.IsNaN(v) || math.IsInf(v, 0):
				return nil, errs.Invalid(fn, at, v, "not finite")
			case j < i && v != w.Covariance[j][i]:
				return nil, errs.Invalid(fn, at, v, fmt.Sprintf("differs from covariance[%d][%d] %v: not symmetric", j, i, w.Covariance[j][i]))
			}
			cov.SetSym(i, j, v)
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(cov) {
		return nil, errs.Invalid(fn, "covariance", "matrix", "not positive definite")
	}
	for i := range n {
		se, at := w.InterceptSE, "interceptSE"
		if i > 0 {
			se, at = w.Rules[i-1].SE, fmt.Sprintf("rules[%d].se", i-1)
		}
		if want := math.Sqrt(cov.At(i, i)); !near(se, want) {
			return nil, errs.Invalid(fn, at, se, fmt.Sprintf("want %v, the square root of covariance[%d][%d]", want, i, i))
		}
	}
	return cov, nil
}
