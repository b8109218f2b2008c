package clv

import (
	"math"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/internal/errs"
)

// places is the number of decimal places money keeps in transactions and
// in the money this package computes: amounts are exact to 10⁻⁶, and
// quotients are rounded half away from zero to 6 places.
const places = 6

var pow10 = [...]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// toUnits converts d to a whole number of 10⁻⁶ units without allocating.
// It returns a reason when d has more than six decimal places or does not
// fit in an int64 of units.
func toUnits(d decimal.Decimal) (int64, string) {
	if d.IsZero() {
		return 0, ""
	}
	if d.NumDigits() > 18 {
		return 0, "too large or too precise"
	}
	c := d.CoefficientInt64()
	e := d.Exponent() + places
	if e >= 0 {
		if e > 18 || c > math.MaxInt64/pow10[e] || c < -math.MaxInt64/pow10[e] {
			return 0, "too large"
		}
		return c * pow10[e], ""
	}
	if -e > 18 || c%pow10[-e] != 0 {
		return 0, "has more than 6 decimal places"
	}
	return c / pow10[-e], ""
}

// fromUnits is the decimal value of u units of 10⁻⁶.
func fromUnits(u int64) decimal.Decimal { return decimal.New(u, -places) }

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// checkMargin reports a gross margin outside (0, 1].
func checkMargin(fn string, margin float64) error {
	if !(margin > 0 && margin <= 1) {
		return errs.Invalid(fn, "gross margin", margin, "must lie in (0, 1]")
	}
	return nil
}
