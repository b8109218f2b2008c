package cohort

import (
	"fmt"
	"math"

	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/money"
	"github.com/shopspring/decimal"
)

// places is the number of decimal places money keeps: see
// internal/money.
const places = money.Places

// ratio returns num/den as a float64; den must not be zero.
func ratio(num, den decimal.Decimal) float64 {
	// The quotient lies in (10^(e−1), 10^(e+1)): it is rounded at the
	// places that keep 19 digits, 16 at least. At 16 places alone a
	// quotient below 10⁻³ kept fewer than 13 digits, and one below 10⁻¹⁶
	// none (LTVToCAC of 1 against 3·10²⁰ was 0).
	e := int64(num.NumDigits()) + int64(num.Exponent()) - int64(den.NumDigits()) - int64(den.Exponent())
	return num.DivRound(den, int32(max(16, 19-e))).InexactFloat64()
}

// scale returns d·f rounded to the package's money places; f must be
// finite.
func scale(d decimal.Decimal, f float64) decimal.Decimal {
	return d.Mul(decimal.NewFromFloat(f)).Round(places)
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// bounded checks that a result, what = d, lies within the library's bound
// on money (internal/money.Check), which the package's JSON and CSV
// writers hold it to; the error wraps kpi.ErrInvalid and names the
// argument arg = value that took it there. d is rounded to the package's
// places, so only its size can break the bound.
func bounded(fn, arg string, value any, what string, d decimal.Decimal) error {
	if money.Check(d) != "" {
		return errs.Invalid(fn, arg, value, fmt.Sprintf("%s %s has more than %d digits before the point, beyond the library's bound on money",
			what, money.Text(d), money.MaxDigits))
	}
	return nil
}
