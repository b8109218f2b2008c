package funnel

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
)

// Velocity returns sales velocity, the revenue the pipeline brings in per
// day:
//
//	velocity = opportunities × win rate × deal size / cycle length in days
//
// where winRate is won/closed (such as the step opportunity → won of a
// funnel) and cycle the average time from opening an opportunity to
// winning it. The result is exact up to one rounding, half away from zero,
// to the decimal places of dealSize or two, whichever is more.
//
// Errors: opportunities below 0, a deal size ≤ 0 or a cycle ≤ 0 wrap
// kpi.ErrInvalid, as does a deal size with more than 30 digits before the
// point or 18 after it, the bound on all money in the library, and a
// velocity beyond that bound (10⁹ opportunities won of deals of 10²⁵ in
// a day); a win rate with no trials wraps kpi.ErrUndefined.
func Velocity(opportunities int64, winRate kpi.Rate, dealSize decimal.Decimal, cycle time.Duration) (decimal.Decimal, error) {
	const fn = "funnel.Velocity"
	if err := errs.Money(fn, "deal size", dealSize); err != nil {
		return decimal.Zero, err
	}
	switch {
	case opportunities < 0:
		return decimal.Zero, errs.Invalid(fn, "opportunities", opportunities, "negative count")
	case winRate.Trials() == 0:
		return decimal.Zero, errs.Undefined(fn, "win rate", winRate, "a rate with no trials has no value")
	case !dealSize.IsPositive():
		return decimal.Zero, errs.Invalid(fn, "deal size", dealSize, "must be > 0")
	case cycle <= 0:
		return decimal.Zero, errs.Invalid(fn, "cycle", cycle, "must be > 0")
	}
	// opportunities · won · dealSize · (one day) / (closed · cycle), with
	// the durations in nanoseconds, all in exact decimal arithmetic.
	num := decimal.NewFromInt(opportunities).Mul(decimal.NewFromInt(winRate.Successes())).
		Mul(dealSize).Mul(decimal.NewFromInt(int64(24 * time.Hour)))
	den := decimal.NewFromInt(winRate.Trials()).Mul(decimal.NewFromInt(int64(cycle)))
	v := num.DivRound(den, max(places(dealSize), 2))
	if err := errs.Money(fn, "velocity", v); err != nil {
		return decimal.Zero, err
	}
	return v, nil
}
