package clv

import (
	"math"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/internal/errs"
)

// Valuation values customers with no contract: how often they will buy
// by a BG/NBD model, what they will spend by a Gamma–Gamma model, over a
// horizon of Periods periods of Length units of time (the unit of the
// histories), with money discounted at rate Discount per period and
// counted at gross margin Margin.
type Valuation struct {
	Purchases BGNBD      `json:"purchases"`
	Spend     GammaGamma `json:"spend"`
	Periods   int        `json:"periods"`  // 1 … 10 000
	Length    float64    `json:"length"`   // > 0, in the histories' unit (4.35 weeks for a month)
	Discount  float64    `json:"discount"` // ≥ 0, per period
	Margin    float64    `json:"margin"`   // in (0, 1]
}

// Value returns the expected discounted margin of customer c over the
// horizon, rounded to 6 decimal places: with E[Y(t)] the BG/NBD's
// ConditionalPurchases, E[Z] the Gamma–Gamma's ExpectedValue, L the
// period Length, d the Discount and n the Periods,
//
//	Value = Margin · E[Z] · Σ_{k=1..n} (E[Y(kL)] − E[Y((k−1)L)]) / (1+d)^k
//
// so the purchases expected in period k are discounted as if made at its
// end (the discrete form the lifetimes package uses).
//
// Its cost is linear in Periods (a ₂F₁ per period, about 0.1 ms).
//
// Errors: zero models, Periods outside [1, 10000], Length not a finite number > 0,
// Discount not a finite number ≥ 0, Margin outside (0, 1], an invalid
// History or a negative Value wrap kpi.ErrInvalid; those of
// ConditionalPurchases and ExpectedValue.
func (v Valuation) Value(c RFM) (decimal.Decimal, error) {
	const fn = "clv.Valuation.Value"
	if err := v.check(fn); err != nil {
		return decimal.Zero, err
	}
	val, err := v.value(fn, c)
	if err != nil {
		return decimal.Zero, err
	}
	return decimal.NewFromFloat(val).Round(places), nil
}

// maxPeriods bounds a Valuation's horizon, as cohort bounds Project's:
// 10 000 periods are 833 years of months, and each costs a ₂F₁.
const maxPeriods = 10_000

// check reports why v cannot value customers.
func (v Valuation) check(fn string) error {
	if err := v.Purchases.usable(fn, "Purchases"); err != nil {
		return err
	}
	if err := v.Spend.usable(fn, "Spend"); err != nil {
		return err
	}
	switch {
	case v.Periods < 1 || v.Periods > maxPeriods:
		return errs.Invalid(fn, "periods", v.Periods, "must lie in [1, 10000]")
	case !(v.Length > 0) || !finite(v.Length):
		return errs.Invalid(fn, "length", v.Length, "must be a finite number > 0")
	case !(v.Discount >= 0) || !finite(v.Discount):
		return errs.Invalid(fn, "discount rate", v.Discount, "must be a finite number ≥ 0")
	}
	return checkMargin(fn, v.Margin)
}

// value is Value in float64, unrounded, for valid settings.
func (v Valuation) value(fn string, c RFM) (float64, error) {
	z, err := v.Spend.expected(fn, c)
	if err != nil {
		return 0, err
	}
	m := v.Purchases
	alive := m.alive(c.History)
	var sum, prev float64
	disc := 1.0
	for k := 1; k <= v.Periods; k++ {
		g, err := m.grow(fn, float64(c.Frequency), m.alpha+c.Age, float64(k)*v.Length)
		if err != nil {
			return 0, err
		}
		disc /= 1 + v.Discount
		sum += (g - prev) * disc
		prev = g
	}
	val := v.Margin * z * alive * sum
	if !finite(val) || math.Abs(val) > 1e15 {
		return 0, errs.Invalid(fn, "value", c.Value, "the customer's value is too large to represent")
	}
	return val, nil
}
