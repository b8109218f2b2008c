package clv

import (
	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/mle"
)

// Parameter is one parameter of a fitted model: its Name ("r", "alpha",
// "a", "b"; "p", "q", "gamma"), its maximum-likelihood Value, its standard
// error SE (by the delta method from the log scale, se = Value·sd(ln
// Value)) and its Interval, exp(ln Value ± z·sd(ln Value)), method
// "delta-log": a kpi.Parameter.
type Parameter = kpi.Parameter

// BGNBDEstimate is a BG/NBD model fitted by maximum likelihood together
// with the sampling uncertainty of the fit: the covariance of the
// parameters' logarithms, the inverse of the observed information at the
// maximum on the log scale the fit searches. Every interval it gives is a
// delta-method interval: the quantity is taken to be normal on a scale
// where it is unbounded — the logarithm for the parameters and the
// expected purchases, the logit for P(alive) — with variance ∇ᵀ·Cov·∇,
// its gradient in the log-parameters by central differences, and the
// interval's ends are transformed back, so they stay inside the
// quantity's range. The intervals reflect the uncertainty of the
// parameters given that the model holds; they are not prediction
// intervals for a customer's purchases, which vary far more.
//
// A BGNBDEstimate is made by EstimateBGNBD. The zero BGNBDEstimate is not
// an estimate: Model returns the zero BGNBD and the other methods return
// an error wrapping kpi.ErrInvalid that says to use EstimateBGNBD.
type BGNBDEstimate struct {
	m   BGNBD
	est mle.Estimate
}

// EstimateBGNBD fits the BG/NBD model to the customers as FitBGNBD does
// and computes the covariance of the estimate, at the cost of eight more
// evaluations of the likelihood's gradient. Errors: those of FitBGNBD; an
// observed information that is not positive definite (a flat likelihood,
// a parameter at its bound) wraps ErrNotConverged and says that the
// BG/NBD's standard errors are undefined.
func EstimateBGNBD(customers []RFM) (BGNBDEstimate, error) {
	const fn = "clv.EstimateBGNBD"
	d, err := newBGData(fn, customers)
	if err != nil {
		return BGNBDEstimate{}, err
	}
	m, err := fitBG(fn, d)
	if err != nil {
		return BGNBDEstimate{}, err
	}
	est, err := mle.NewEstimate(fn, "BG/NBD", bgNames, d.logLik, []float64{m.r, m.alpha, m.a, m.b}, ErrNotConverged)
	if err != nil {
		return BGNBDEstimate{}, err
	}
	return BGNBDEstimate{m: m, est: est}, nil
}

func (e BGNBDEstimate) usable(fn string) error {
	if e.est.Cov != nil {
		return nil
	}
	return errs.Zero(fn, "BGNBDEstimate", "clv.EstimateBGNBD")
}

// Model returns the fitted model.
func (e BGNBDEstimate) Model() BGNBD { return e.m }

// Parameters returns r, α, a and b with their standard errors and
// intervals at level. Errors, wrapping kpi.ErrInvalid: level outside
// (0, 1).
func (e BGNBDEstimate) Parameters(level float64) ([]Parameter, error) {
	const fn = "clv.BGNBDEstimate.Parameters"
	if err := e.usable(fn); err != nil {
		return nil, err
	}
	return parameters(fn, e.est, []string{"r", "alpha", "a", "b"}, level)
}

func parameters(fn string, est mle.Estimate, names []string, level float64) ([]Parameter, error) {
	out := make([]Parameter, len(names))
	for i, name := range names {
		iv, err := est.Param(fn, i, level)
		if err != nil {
			return nil, err
		}
		out[i] = Parameter{Name: name, Value: est.P[i], SE: est.SE(i), Interval: iv}
	}
	return out, nil
}

func bgAt(p []float64) BGNBD { return BGNBD{r: p[0], alpha: p[1], a: p[2], b: p[3]} }

// ExpectedPurchases returns E[X(t)] (see BGNBD.ExpectedPurchases) and its
// interval at level, on the log scale; E[X(0)] = 0 with the interval
// [0, 0], method "exact". Errors: those of BGNBD.ExpectedPurchases;
// level outside (0, 1), wrapping kpi.ErrInvalid.
func (e BGNBDEstimate) ExpectedPurchases(t, level float64) (float64, kpi.Interval, error) {
	const fn = "clv.BGNBDEstimate.ExpectedPurchases"
	if err := e.usable(fn); err != nil {
		return 0, kpi.Interval{}, err
	}
	if err := errs.Level(fn, "level", level); err != nil {
		return 0, kpi.Interval{}, err
	}
	if _, err := e.m.ExpectedPurchases(t); err != nil {
		return 0, kpi.Interval{}, err
	}
	return e.est.Interval(fn, func(p []float64) (float64, error) { return bgAt(p).grow(fn, 0, p[1], t) }, mle.Log, level)
}

// ConditionalPurchases returns E[Y(t) | h] (see
// BGNBD.ConditionalPurchases) and its interval at level, on the log scale;
// 0 for t = 0 with the interval [0, 0], method "exact". Errors: those of
// BGNBD.ConditionalPurchases; level outside (0, 1), wrapping
// kpi.ErrInvalid.
func (e BGNBDEstimate) ConditionalPurchases(h History, t, level float64) (float64, kpi.Interval, error) {
	const fn = "clv.BGNBDEstimate.ConditionalPurchases"
	if err := e.usable(fn); err != nil {
		return 0, kpi.Interval{}, err
	}
	if err := errs.Level(fn, "level", level); err != nil {
		return 0, kpi.Interval{}, err
	}
	if _, err := e.m.ConditionalPurchases(h, t); err != nil {
		return 0, kpi.Interval{}, err
	}
	return e.est.Interval(fn, func(p []float64) (float64, error) { return bgAt(p).ConditionalPurchases(h, t) }, mle.Log, level)
}

// Alive returns P(alive | h) (see BGNBD.Alive) and its interval at level,
// on the logit scale. A customer with no repeat purchase is alive for
// sure, with the interval [1, 1], method "exact"; so is a probability
// that underflowed to 0, with [0, 0]. Errors: those of BGNBD.Alive; level
// outside (0, 1), wrapping kpi.ErrInvalid.
func (e BGNBDEstimate) Alive(h History, level float64) (float64, kpi.Interval, error) {
	const fn = "clv.BGNBDEstimate.Alive"
	if err := e.usable(fn); err != nil {
		return 0, kpi.Interval{}, err
	}
	if err := errs.Level(fn, "level", level); err != nil {
		return 0, kpi.Interval{}, err
	}
	if err := h.check(fn, "history"); err != nil {
		return 0, kpi.Interval{}, err
	}
	return e.est.Interval(fn, func(p []float64) (float64, error) { return bgAt(p).alive(h), nil }, mle.Logit, level)
}

// String formats the estimate as a table of the parameters with their
// standard errors and 95 % intervals, as cohort's SBGEstimate does:
//
//	BG/NBD  estimate  std. error  95% interval
//	r       0.2426    0.01256     [0.2192, 0.2685] 95% delta-log
//	…
//
// The zero BGNBDEstimate formats as "BG/NBD estimate: zero value".
func (e BGNBDEstimate) String() string {
	ps, err := e.Parameters(0.95)
	if err != nil {
		return "BG/NBD estimate: zero value"
	}
	return mle.Table("BG/NBD", ps)
}

// GammaGammaEstimate is a Gamma–Gamma model fitted by maximum likelihood
// with the covariance of its parameters' logarithms, as BGNBDEstimate is
// for the BG/NBD; its intervals are delta-method intervals on the log
// scale. It is made by EstimateGammaGamma; the zero GammaGammaEstimate's
// methods return an error wrapping kpi.ErrInvalid that says to use
// EstimateGammaGamma (Model returns the zero GammaGamma).
type GammaGammaEstimate struct {
	m   GammaGamma
	est mle.Estimate
}

// EstimateGammaGamma fits the Gamma–Gamma model as FitGammaGamma does and
// computes the covariance of the estimate. Errors: those of
// FitGammaGamma; an observed information that is not positive definite
// wraps ErrNotConverged and says that the Gamma–Gamma's standard errors
// are undefined.
func EstimateGammaGamma(customers []RFM) (GammaGammaEstimate, error) {
	const fn = "clv.EstimateGammaGamma"
	d, err := newGGData(fn, customers)
	if err != nil {
		return GammaGammaEstimate{}, err
	}
	p, err := mle.FitPositive(fn, ggNames, d.logLik, d.start(), ErrNotConverged)
	if err != nil {
		return GammaGammaEstimate{}, err
	}
	if err := fitted(fn, ggNames, []bool{true, true, false}, p); err != nil {
		return GammaGammaEstimate{}, err
	}
	est, err := mle.NewEstimate(fn, "Gamma–Gamma", ggNames, d.logLik, p, ErrNotConverged)
	if err != nil {
		return GammaGammaEstimate{}, err
	}
	return GammaGammaEstimate{m: GammaGamma{p: p[0], q: p[1], gamma: p[2]}, est: est}, nil
}

func (e GammaGammaEstimate) usable(fn string) error {
	if e.est.Cov != nil {
		return nil
	}
	return errs.Zero(fn, "GammaGammaEstimate", "clv.EstimateGammaGamma")
}

// Model returns the fitted model.
func (e GammaGammaEstimate) Model() GammaGamma { return e.m }

// Parameters returns p, q and γ with their standard errors and intervals
// at level. Errors, wrapping kpi.ErrInvalid: level outside (0, 1).
func (e GammaGammaEstimate) Parameters(level float64) ([]Parameter, error) {
	const fn = "clv.GammaGammaEstimate.Parameters"
	if err := e.usable(fn); err != nil {
		return nil, err
	}
	return parameters(fn, e.est, []string{"p", "q", "gamma"}, level)
}

// ExpectedValue returns E[Z | m, x] (see GammaGamma.ExpectedValue) and
// its interval at level on the log scale, each end rounded to 6 decimal
// places. Errors: those of GammaGamma.ExpectedValue; level outside
// (0, 1), wrapping kpi.ErrInvalid.
func (e GammaGammaEstimate) ExpectedValue(c RFM, level float64) (decimal.Decimal, kpi.MoneyInterval, error) {
	const fn = "clv.GammaGammaEstimate.ExpectedValue"
	if err := e.usable(fn); err != nil {
		return decimal.Zero, kpi.MoneyInterval{}, err
	}
	if err := errs.Level(fn, "level", level); err != nil {
		return decimal.Zero, kpi.MoneyInterval{}, err
	}
	v, err := e.m.ExpectedValue(c)
	if err != nil {
		return decimal.Zero, kpi.MoneyInterval{}, err
	}
	_, iv, err := e.est.Interval(fn, func(p []float64) (float64, error) {
		return GammaGamma{p: p[0], q: p[1], gamma: p[2]}.expected(fn, c)
	}, mle.Log, level)
	if err != nil {
		return decimal.Zero, kpi.MoneyInterval{}, err
	}
	return v, moneyBand(iv), nil
}

// String formats the estimate as a table of the parameters with their
// standard errors and 95 % intervals; the zero GammaGammaEstimate formats
// as "Gamma–Gamma estimate: zero value".
func (e GammaGammaEstimate) String() string {
	ps, err := e.Parameters(0.95)
	if err != nil {
		return "Gamma–Gamma estimate: zero value"
	}
	return mle.Table("GG", ps)
}

// moneyBand returns iv with its ends rounded to the package's places.
func moneyBand(iv kpi.Interval) kpi.MoneyInterval {
	return kpi.MoneyInterval{Lo: decimal.NewFromFloat(iv.Lo).Round(places), Hi: decimal.NewFromFloat(iv.Hi).Round(places),
		Level: iv.Level, Method: iv.Method}
}

// ValueInterval returns the Value of customer c (see Valuation.Value) and
// its interval at level by the delta method on the log scale over the
// seven parameters of both models, whose estimates are taken as
// independent (they are fitted apart, to the purchases and to their
// values): the covariance is block-diagonal. purchases and spend must be
// the estimates of v.Purchases and v.Spend. A value of 0 has the interval
// [0, 0], method "exact". The ends are rounded to 6 decimal places.
//
// Errors: those of Value; an estimate whose model is not the valuation's,
// wrapping kpi.ErrInvalid; level outside (0, 1), wrapping kpi.ErrInvalid.
func (v Valuation) ValueInterval(c RFM, purchases BGNBDEstimate, spend GammaGammaEstimate, level float64) (decimal.Decimal, kpi.MoneyInterval, error) {
	const fn = "clv.Valuation.ValueInterval"
	if err := purchases.usable(fn); err != nil {
		return decimal.Zero, kpi.MoneyInterval{}, err
	}
	if err := spend.usable(fn); err != nil {
		return decimal.Zero, kpi.MoneyInterval{}, err
	}
	if err := errs.Level(fn, "level", level); err != nil {
		return decimal.Zero, kpi.MoneyInterval{}, err
	}
	if purchases.m != v.Purchases {
		return decimal.Zero, kpi.MoneyInterval{}, errs.Invalid(fn, "purchases", purchases.m, "is not the estimate of the valuation's Purchases "+v.Purchases.String())
	}
	if spend.m != v.Spend {
		return decimal.Zero, kpi.MoneyInterval{}, errs.Invalid(fn, "spend", spend.m, "is not the estimate of the valuation's Spend "+v.Spend.String())
	}
	val, err := v.Value(c)
	if err != nil {
		return decimal.Zero, kpi.MoneyInterval{}, err
	}
	joint := mle.Join(purchases.est, spend.est)
	_, iv, err := joint.Interval(fn, func(p []float64) (float64, error) {
		w := v
		w.Purchases, w.Spend = bgAt(p), GammaGamma{p: p[4], q: p[5], gamma: p[6]}
		return w.value(fn, c)
	}, mle.Log, level)
	if err != nil {
		return decimal.Zero, kpi.MoneyInterval{}, err
	}
	return val, moneyBand(iv), nil
}
