// Package money holds the fixed-point conversions that cohort and
// cohort/clv share. It is not API.
package money

import (
	"math"

	"github.com/shopspring/decimal"
)

// Places is the number of decimal places money keeps in transactions, tables
// and the money cohort and clv compute: amounts are exact to 10⁻⁶, and
// quotients are rounded half away from zero to 6 places.
const Places = 6

var pow10 = [...]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// ToUnits converts d to a whole number of 10⁻⁶ units without allocating.
// It returns a reason when d has more than six decimal places or does not
// fit in an int64 of units.
func ToUnits(d decimal.Decimal) (int64, string) {
	if d.IsZero() {
		return 0, ""
	}
	if d.NumDigits() > 18 {
		return 0, "too large or too precise"
	}
	c := d.CoefficientInt64()
	e := d.Exponent() + Places
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

// FromUnits is the decimal value of u units of 10⁻⁶.
func FromUnits(u int64) decimal.Decimal { return decimal.New(u, -Places) }
