package cohort

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/mle"
	"github.com/kpiflow/kpi/internal/money"
)

// SBGEstimate is an sBG model fitted by maximum likelihood together with
// the sampling uncertainty of the fit: the covariance of (ln α, ln β), the
// inverse of the observed information at the maximum on the log scale the
// fit searches. Every interval it gives is a delta-method interval: the
// quantity is taken to be normal on a scale where it is unbounded — the
// logarithm for α, β and DERL, the logit for survival and retention,
// which lie in (0, 1) — with variance ∇ᵀ·Cov·∇, its gradient in
// (ln α, ln β) by central differences; the interval's ends are then
// transformed back, so they stay inside the quantity's range. The
// intervals reflect the uncertainty of α and β given that the sBG model
// holds, not whether it does.
//
// An SBGEstimate is made by EstimateSBG or Table.EstimateSBG. The zero
// SBGEstimate is not an estimate: Model returns the zero SBG and the other
// methods return an error wrapping kpi.ErrInvalid that says to use
// EstimateSBG.
type SBGEstimate struct {
	m   SBG
	est mle.Estimate
}

// Parameter is one parameter of a fitted model: its Name ("alpha",
// "beta"), its maximum-likelihood Value, its standard error SE (by the
// delta method from the log scale, se = Value·sd(ln Value)) and its
// Interval, exp(ln Value ± z·sd(ln Value)), method "delta-log": a
// kpi.Parameter.
type Parameter = kpi.Parameter

// EstimateSBG fits the sBG model to survivor counts as FitSBG does and
// computes the covariance of the estimate. Errors: those of FitSBG; an
// observed information that is not positive definite (a flat likelihood,
// a parameter at its bound) wraps ErrNotConverged and says that the sBG's
// standard errors are undefined.
func EstimateSBG(survivors ...[]int64) (SBGEstimate, error) {
	return estimateSBG("cohort.EstimateSBG", survivors, seriesArgs)
}

// estimateSBG is EstimateSBG for the function fn, its errors naming the
// counts by args.
func estimateSBG(fn string, survivors [][]int64, args sbgArgs) (SBGEstimate, error) {
	m, s, err := fitSBG(fn, survivors, args)
	if err != nil {
		return SBGEstimate{}, err
	}
	est, err := mle.NewEstimate(fn, "sBG", sbgNames, s.logLik, []float64{m.alpha, m.beta}, ErrNotConverged)
	if err != nil {
		return SBGEstimate{}, err
	}
	return SBGEstimate{m: m, est: est}, nil
}

// EstimateSBG is EstimateSBG over the Survivors of every cohort of the
// table, as Table.FitSBG; its errors name the table's cells.
func (t *Table) EstimateSBG() (SBGEstimate, error) {
	return estimateSBG("cohort.Table.EstimateSBG", t.survivors(), tableArgs)
}

// usable returns nil for an estimate made by EstimateSBG.
func (e SBGEstimate) usable(fn string) error {
	if e.est.Cov != nil {
		return nil
	}
	return errs.Zero(fn, "SBGEstimate", "cohort.EstimateSBG")
}

// Model returns the fitted model.
func (e SBGEstimate) Model() SBG { return e.m }

// Parameters returns α and β with their standard errors and intervals
// at level. Errors, wrapping kpi.ErrInvalid: level outside (0, 1).
func (e SBGEstimate) Parameters(level float64) ([]Parameter, error) {
	const fn = "cohort.SBGEstimate.Parameters"
	if err := e.usable(fn); err != nil {
		return nil, err
	}
	out := make([]Parameter, 2)
	for i, name := range [2]string{"alpha", "beta"} {
		iv, err := e.est.Param(fn, i, level)
		if err != nil {
			return nil, err
		}
		out[i] = Parameter{Name: name, Value: e.est.P[i], SE: e.est.SE(i), Interval: iv}
	}
	return out, nil
}

// model returns the sBG at parameters p.
func sbgAt(p []float64) SBG { return SBG{alpha: p[0], beta: p[1]} }

// Survival returns S(t) (see SBG.Survival) and its interval at level,
// on the logit scale. S(t) = 1 for t ≤ 0, with the interval [1, 1],
// method "exact". Errors, wrapping kpi.ErrInvalid: level outside (0, 1).
func (e SBGEstimate) Survival(t int, level float64) (float64, kpi.Interval, error) {
	const fn = "cohort.SBGEstimate.Survival"
	if err := e.usable(fn); err != nil {
		return 0, kpi.Interval{}, err
	}
	return e.est.Interval(fn, func(p []float64) (float64, error) { return sbgAt(p).Survival(t), nil }, mle.Logit, level)
}

// Retention returns r(t) (see SBG.Retention) and its interval at level,
// on the logit scale. r(t) = 1 for t ≤ 0, with the interval [1, 1],
// method "exact". Errors, wrapping kpi.ErrInvalid: level outside (0, 1).
func (e SBGEstimate) Retention(t int, level float64) (float64, kpi.Interval, error) {
	const fn = "cohort.SBGEstimate.Retention"
	if err := e.usable(fn); err != nil {
		return 0, kpi.Interval{}, err
	}
	return e.est.Interval(fn, func(p []float64) (float64, error) { return sbgAt(p).Retention(t), nil }, mle.Logit, level)
}

// DERL returns the discounted expected residual lifetime DERL(d, n) (see
// SBG.DERL) and its interval at level, on the log scale. Errors: those of
// SBG.DERL; level outside (0, 1), wrapping kpi.ErrInvalid.
func (e SBGEstimate) DERL(d float64, n int, level float64) (float64, kpi.Interval, error) {
	const fn = "cohort.SBGEstimate.DERL"
	if err := e.usable(fn); err != nil {
		return 0, kpi.Interval{}, err
	}
	if _, err := e.m.DERL(d, n); err != nil {
		return 0, kpi.Interval{}, err
	}
	return e.est.Interval(fn, func(p []float64) (float64, error) { return sbgAt(p).DERL(d, n) }, mle.Log, level)
}

// ResidualValue returns the residual value cash·DERL(d, n) (see
// SBG.ResidualValue) and its interval at level, cash times the ends of
// DERL's interval, each rounded to 6 decimal places. Errors: those of
// SBG.ResidualValue; level outside (0, 1), or an upper end beyond the
// library's bound on money (30 digits before the point), wrapping
// kpi.ErrInvalid.
func (e SBGEstimate) ResidualValue(cash decimal.Decimal, d float64, n int, level float64) (decimal.Decimal, kpi.MoneyInterval, error) {
	const fn = "cohort.SBGEstimate.ResidualValue"
	if err := e.usable(fn); err != nil {
		return decimal.Zero, kpi.MoneyInterval{}, err
	}
	v, err := e.m.ResidualValue(cash, d, n)
	if err != nil {
		return decimal.Zero, kpi.MoneyInterval{}, err
	}
	_, iv, err := e.DERL(d, n, level)
	if err != nil {
		return decimal.Zero, kpi.MoneyInterval{}, err
	}
	hi := scale(cash, iv.Hi)
	if err := bounded(fn, "cash", cash, "residual value's upper bound", hi); err != nil {
		return decimal.Zero, kpi.MoneyInterval{}, err
	}
	return v, kpi.MoneyInterval{Lo: scale(cash, iv.Lo), Hi: hi, Level: level, Method: iv.Method}, nil
}

// String formats the estimate as a table of the parameters with their
// standard errors and 95 % intervals:
//
//	sBG     estimate  std. error  95% interval
//	alpha   0.6686    0.05362     [0.5713, 0.7824] delta-log
//	beta    1.143     0.1243      [0.8974, 1.456] delta-log
//
// The zero SBGEstimate formats as "sBG estimate: zero value".
func (e SBGEstimate) String() string {
	ps, err := e.Parameters(0.95)
	if err != nil {
		return "sBG estimate: zero value"
	}
	return mle.Table("sBG", ps)
}

// Band is the interval around one cohort's Projection: for each age the
// interval of the survivors and of the retention, and the interval of the
// lifetime value. At observed ages, a < Projection.Observed, the counts
// are data and the interval is the count itself, method "observed". After
// the last observed age k the projected survivors are Survivors[k] times
// the ratio S(a)/S(k), whose interval is taken on the logit scale (the
// ratio lies in (0, 1]); Retention scales the same interval by
// 1/Survivors[0]. The LTV is an increasing function of DERL(d, k+1), so
// its interval is the LTV at the ends of DERL's interval.
type Band struct {
	Projection Projection        `json:"projection"`
	Survivors  []kpi.Interval    `json:"survivors"`
	Retention  []kpi.Interval    `json:"retention"` // nil when the projection's Retention is
	LTV        kpi.MoneyInterval `json:"ltv"`
}

// ProjectBands projects every cohort of the table as Table.Project does
// with the estimate's model, and returns each projection with its band
// at level. Errors: those of Table.Project; level outside (0, 1),
// wrapping kpi.ErrInvalid; the zero SBGEstimate, wrapping kpi.ErrInvalid;
// an LTV band with an end beyond the library's bound on money,
// wrapping kpi.ErrInvalid.
func (t *Table) ProjectBands(e SBGEstimate, horizon int, margin, discount, level float64) (Bands, error) {
	const fn = "cohort.Table.ProjectBands"
	if err := e.usable(fn); err != nil {
		return nil, err
	}
	if err := errs.Level(fn, "level", level); err != nil {
		return nil, err
	}
	ps, err := t.Project(e.m, horizon, margin, discount)
	if err != nil {
		return nil, err
	}
	out := make(Bands, len(ps))
	for i, p := range ps {
		c := t.Cohorts[i]
		k := len(c.Cells) - 1
		b := Band{Projection: p, Survivors: make([]kpi.Interval, horizon)}
		for a := range b.Survivors {
			if a <= k {
				b.Survivors[a] = kpi.Interval{Lo: p.Survivors[a], Hi: p.Survivors[a], Level: level, Method: "observed"}
				continue
			}
			_, iv, err := e.est.Interval(fn, func(q []float64) (float64, error) { return sbgAt(q).survivalRatio(a, k), nil }, mle.Logit, level)
			if err != nil {
				return nil, err
			}
			sk := p.Survivors[k]
			b.Survivors[a] = kpi.Interval{Lo: sk * iv.Lo, Hi: sk * iv.Hi, Level: level, Method: iv.Method}
		}
		if p.Retention != nil {
			b.Retention = make([]kpi.Interval, horizon)
			for a, iv := range b.Survivors {
				b.Retention[a] = kpi.Interval{Lo: iv.Lo / p.Survivors[0], Hi: iv.Hi / p.Survivors[0], Level: level, Method: iv.Method}
			}
		}
		if b.LTV, err = e.ltvBand(fn, c, p, discount, margin, level); err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// ltvBand returns the LTV of Projection at the ends of DERL's interval.
func (e SBGEstimate) ltvBand(fn string, c Cohort, p Projection, discount, margin, level float64) (kpi.MoneyInterval, error) {
	k := len(c.Cells) - 1
	_, iv, err := e.est.Interval(fn, func(q []float64) (float64, error) { return sbgAt(q).DERL(discount, k+1) }, mle.Log, level)
	if err != nil {
		return kpi.MoneyInterval{}, err
	}
	total := decimal.Zero
	for _, cell := range c.Cells {
		total = total.Add(cell.Revenue)
	}
	mg, size := decimal.NewFromFloat(margin), decimal.NewFromInt(c.Size)
	ltv := func(derl float64) decimal.Decimal {
		v := total.Add(c.Cells[k].Revenue.Mul(decimal.NewFromFloat(derl / (1 + discount))))
		return v.Mul(mg).DivRound(size, places)
	}
	b := kpi.MoneyInterval{Lo: ltv(iv.Lo), Hi: ltv(iv.Hi), Level: level, Method: iv.Method}
	if err := checkLTV(fn, "LTV band's lower end", c, b.Lo); err != nil {
		return kpi.MoneyInterval{}, err
	}
	if err := checkLTV(fn, "LTV band's upper end", c, b.Hi); err != nil {
		return kpi.MoneyInterval{}, err
	}
	return b, nil
}

// String formats the band as a table, one row per age: the survivors and
// the retention with their intervals, then the LTV with its interval:
//
//	cohort 2024-01  age  survivors  interval                     retention  interval
//	                0    1000       [1000, 1000] 95% observed    1          [1, 1] 95% observed
//	…
//	LTV 512.25 [488.1, 530.77] 95% delta-log
//
// The zero Band formats as its header and a zero LTV. An LTV beyond the
// library's bound on money (30 digits before the point, 18 after it),
// which only a band built by hand can hold, is written short, as
// 1e1073741824 or ≈1.000e999999, never expanded.
func (b Band) String() string {
	var s strings.Builder
	fmt.Fprintf(&s, "cohort %s\n%-5s%-12s%-36s%-12s%s\n", b.Projection.Start.Format(time.DateOnly), "age", "survivors", "interval", "retention", "interval")
	for a, iv := range b.Survivors {
		var sv, r float64
		if a < len(b.Projection.Survivors) {
			sv = b.Projection.Survivors[a]
		}
		line := fmt.Sprintf("%-5d%-12.5g%-36v", a, sv, iv)
		if a < len(b.Retention) && a < len(b.Projection.Retention) {
			r = b.Projection.Retention[a]
			line += fmt.Sprintf("%-12.4g%v", r, b.Retention[a])
		}
		s.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	fmt.Fprintf(&s, "LTV %s %v\n", money.Format(b.Projection.LTV), b.LTV)
	return s.String()
}
