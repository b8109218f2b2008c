package kpi

import (
	"math"
	"strconv"

	"gonum.org/v1/gonum/mathext"

	"github.com/kpiflow/kpi/internal/km"
)

// Method is a way to compute a confidence interval for a proportion. The
// zero Method is Wilson, the default.
type Method int

// The interval methods. In the formulas, x is the number of successes, n the
// number of trials, p = x/n, α = 1 − confidence and z = Φ⁻¹(1 − α/2).
const (
	// Wilson is the Wilson score interval:
	//
	//	(x + z²/2)/(n + z²) ± z/(n + z²) · sqrt(x(n − x)/n + z²/4)
	//
	// It equals R's prop.test(x, n, correct = FALSE)$conf.int and
	// statsmodels' proportion_confint(x, n, method="wilson").
	Wilson Method = iota

	// WilsonCC is the Wilson interval with continuity correction, method 4
	// of Newcombe (1998):
	//
	//	L = (2np + z² − 1 − z·sqrt(z² − 2 − 1/n + 4p(n(1 − p) + 1))) / (2(n + z²))
	//	U = (2np + z² + 1 + z·sqrt(z² + 2 − 1/n + 4p(n(1 − p) − 1))) / (2(n + z²))
	//
	// with L = 0 when x = 0 and U = 1 when x = n. R's prop.test(correct =
	// TRUE) differs from it: R shrinks the correction to |x − n/2| when that
	// is below 0.5, so at x = n/2 R gives the plain Wilson interval.
	WilsonCC

	// Wald is the normal approximation p ± z·sqrt(p(1 − p)/n), clipped to
	// [0, 1]. It equals statsmodels' proportion_confint(x, n,
	// method="normal"). It collapses to a point at x = 0 and x = n and
	// covers badly for small n; it is here for comparison with reports that
	// use it.
	Wald

	// AgrestiCoull is the Agresti–Coull interval: with ñ = n + z² and
	// p̃ = (x + z²/2)/ñ, the interval p̃ ± z·sqrt(p̃(1 − p̃)/ñ), clipped to
	// [0, 1]. It equals statsmodels' proportion_confint(x, n,
	// method="agresti_coull").
	AgrestiCoull

	// ClopperPearson is the exact interval from the beta distribution:
	//
	//	L = B⁻¹(α/2; x, n − x + 1)      (0 when x = 0)
	//	U = B⁻¹(1 − α/2; x + 1, n − x)  (1 when x = n)
	//
	// where B⁻¹(q; a, b) is the q quantile of Beta(a, b). It equals R's
	// binom.test(x, n)$conf.int and statsmodels' proportion_confint(x, n,
	// method="beta").
	//
	// Its bounds, and Jeffreys', come from gonum's inverse regularized
	// incomplete beta, whose relative error grows with n near 0 and 1:
	// against R's qbeta it is below 1e-9 up to about 10⁶ trials, and at
	// MaxTrials about 1e-9 for p near 1/3 but 7e-4 for 2 successes. At
	// confidence levels near 0 rounding can put a bound across p; the
	// bounds are then set to p.
	ClopperPearson

	// Jeffreys is the equal-tailed interval of the Beta(x + ½, n − x + ½)
	// posterior under the Jeffreys prior, with the boundary rule of Brown,
	// Cai and DasGupta (2001): L = 0 when x = 0 and U = 1 when x = n. Away
	// from the boundaries it equals R's qbeta(c(α/2, 1 − α/2), x + 0.5,
	// n − x + 0.5) and statsmodels' proportion_confint(x, n,
	// method="jeffreys"). Being a posterior interval, at low confidence
	// levels it need not contain p; where rounding puts L above U there,
	// both are set to their mean.
	Jeffreys

	numMethods
)

var methodNames = [...]string{
	Wilson:         "Wilson",
	WilsonCC:       "WilsonCC",
	Wald:           "Wald",
	AgrestiCoull:   "AgrestiCoull",
	ClopperPearson: "ClopperPearson",
	Jeffreys:       "Jeffreys",
}

// String returns the method's name, such as "Wilson", or "Method(9)" for a
// value that is not one of the constants.
func (m Method) String() string {
	if m >= 0 && m < numMethods {
		return methodNames[m]
	}
	return "Method(" + strconv.Itoa(int(m)) + ")"
}

// Interval returns the two-sided confidence interval for the rate at the
// given confidence level (0.95 for 95 %) by the given method. Both ends lie
// in [0, 1].
//
// Errors:
//
//	a rate with zero trials: ErrUndefined
//	a rate with more than MaxTrials trials: ErrInvalid
//	confidence outside (0, 1), or NaN: ErrInvalid
//	a method that is not one of the constants: ErrInvalid
func (r Rate) Interval(method Method, confidence float64) (lo, hi float64, err error) {
	if err := checkInterval("kpi.Rate.Interval", r, method, confidence); err != nil {
		return 0, 0, err
	}
	lo, hi = interval(r.successes, r.trials, method, confidence)
	return lo, hi, nil
}

func checkInterval(fn string, r Rate, method Method, confidence float64) error {
	switch {
	case r.trials == 0:
		return undefined(fn, "trials", 0, "a rate with no trials has no interval")
	case r.trials > MaxTrials:
		return checkTrials(fn, "trials", r)
	case !checkUnit(confidence):
		return invalid(fn, "confidence", confidence, "must lie in (0, 1)")
	case method < 0 || method >= numMethods:
		return invalid(fn, "method", method, "unknown interval method")
	}
	return nil
}

// zCrit returns Φ⁻¹(1 − α/2) for α = 1 − confidence, as km.Z.
func zCrit(confidence float64) float64 { return km.Z(confidence) }

// interval computes the interval for valid arguments (n > 0).
func interval(x, n int64, method Method, confidence float64) (lo, hi float64) {
	fx, fn := float64(x), float64(n)
	p := fx / fn
	alpha := 1 - confidence
	switch method {
	case Wilson:
		z := zCrit(confidence)
		z2 := z * z
		den := fn + z2
		center := (fx + z2/2) / den
		half := z / den * math.Sqrt(fx*(fn-fx)/fn+z2/4)
		lo, hi = center-half, center+half
	case WilsonCC:
		z := zCrit(confidence)
		z2 := z * z
		den := 2 * (fn + z2)
		lo, hi = 0, 1
		if x > 0 {
			lo = (2*fn*p + z2 - 1 - z*math.Sqrt(z2-2-1/fn+4*p*(fn*(1-p)+1))) / den
		}
		if x < n {
			hi = (2*fn*p + z2 + 1 + z*math.Sqrt(z2+2-1/fn+4*p*(fn*(1-p)-1))) / den
		}
	case Wald:
		z := zCrit(confidence)
		half := z * math.Sqrt(p*(1-p)/fn)
		lo, hi = p-half, p+half
	case AgrestiCoull:
		z := zCrit(confidence)
		z2 := z * z
		nt := fn + z2
		pt := (fx + z2/2) / nt
		half := z * math.Sqrt(pt*(1-pt)/nt)
		lo, hi = pt-half, pt+half
	case ClopperPearson:
		lo, hi = 0, 1
		if x > 0 {
			lo = mathext.InvRegIncBeta(fx, fn-fx+1, alpha/2)
		}
		if x < n {
			hi = mathext.InvRegIncBeta(fx+1, fn-fx, 1-alpha/2)
		}
		// The exact bounds bracket p; at confidence levels near 0 and
		// large n the quantiles' rounding can cross it.
		lo, hi = min(lo, p), max(hi, p)
	case Jeffreys:
		lo, hi = 0, 1
		if x > 0 {
			lo = mathext.InvRegIncBeta(fx+0.5, fn-fx+0.5, alpha/2)
		}
		if x < n {
			hi = mathext.InvRegIncBeta(fx+0.5, fn-fx+0.5, 1-alpha/2)
		}
		if lo > hi { // rounding, at confidence levels near 0
			lo = (lo + hi) / 2
			hi = lo
		}
	}
	return clamp01(lo), clamp01(hi)
}

func clamp01(v float64) float64 {
	if v < 0 {
		return 0
	}
	if v > 1 {
		return 1
	}
	return v
}
