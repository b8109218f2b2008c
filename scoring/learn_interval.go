package scoring

import (
	"math"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/mle"
)

// RuleInterval is the uncertainty of what a fit learned about one rule:
// the interval of its coefficient, b_j ± z·SE (method "Wald", as R's
// confint.default), and the standard error and interval of its suggested
// points (method "delta"), in the same form as the coefficient's.
type RuleInterval struct {
	ID          string       `json:"id"`
	Coef        kpi.Interval `json:"coef"`
	SuggestedSE float64      `json:"suggestedSE"`
	Suggested   kpi.Interval `json:"suggested"`
}

// Intervals returns, for each rule in the order of Fit.Rules, the
// intervals of its coefficient and of its suggested points at level. The
// suggested points s_j = b_j·S/T, with S the model's range and
// T = Σ_k |b_k|, get their standard error by the delta method from the
// covariance of the coefficients (the inverse Hessian of Learn, whose
// square roots are the SE):
//
//	∂s_j/∂b_i = S·(δ_ij/T − b_j·sign(b_i)/T²)
//	var s_j = ∇s_jᵀ · Cov(b₁ … b_p) · ∇s_j
//
// and the interval s_j ± z·se. The suggested points add up in absolute
// value to S whatever the data, so their errors are correlated: when one
// rule's points go up, others' go down. Errors: the zero Fit, and level
// outside (0, 1), wrap kpi.ErrInvalid; a fit whose coefficients are all
// 0 (its suggested points are all 0 and have no gradient) wraps
// kpi.ErrUndefined.
func (f *Fit) Intervals(level float64) ([]RuleInterval, error) {
	const fn = "scoring.Fit.Intervals"
	if f.cov == nil {
		return nil, errs.Zero(fn, "f", "Learn")
	}
	if err := errs.Level(fn, "level", level); err != nil {
		return nil, err
	}
	p := len(f.Rules)
	var sumPts, sumCoef float64
	for _, r := range f.Rules {
		sumPts += math.Abs(r.Points)
		sumCoef += math.Abs(r.Coef)
	}
	if sumPts == 0 {
		sumPts = 100
	}
	if !(sumCoef > 0) {
		return nil, errs.Undefined(fn, "coefficients", 0, "all 0: the suggested points have no interval")
	}
	// Cov of b₁ … b_p; the intercept's row and column are left out.
	cov := f.cov.SliceSym(1, p+1)
	out := make([]RuleInterval, p)
	g := make([]float64, p)
	for j, r := range f.Rules {
		for i, ri := range f.Rules {
			g[i] = -sumPts * r.Coef * sign(ri.Coef) / (sumCoef * sumCoef)
		}
		g[j] += sumPts / sumCoef
		se, err := mle.Delta(fn, g, cov)
		if err != nil {
			return nil, err
		}
		coef := mle.Band(r.Coef, r.SE, mle.Linear, level)
		coef.Method = "Wald"
		out[j] = RuleInterval{ID: r.ID, Coef: coef, SuggestedSE: se, Suggested: mle.Band(r.Suggested, se, mle.Linear, level)}
	}
	return out, nil
}

func sign(v float64) float64 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}
