package kpi

import (
	"fmt"
	"math"
	"sort"

	"github.com/shopspring/decimal"
)

// maxPlaces bounds the decimal places Allocate accepts, and
// maxTotalDigits the digits before the decimal point of the total: money
// beyond 10⁴⁰ is not money, and rejecting it keeps a hostile input such as
// 1e999999999 from expanding into a billion-digit integer.
const (
	maxPlaces      = 30
	maxTotalDigits = 40
)

// Allocate splits total by weights into parts rounded to places decimal
// places that add up exactly to total: attribution credit in money, a
// budget over channels.
//
// With U = total·10^places whole units and W the sum of the weights, part
// i is first ⌊U·wᵢ/W⌋ units; the units left over go one each to the parts
// with the largest remainders (U·wᵢ mod W), ties going to the lower index
// (the method of largest remainders, Hamilton's method). The weights are
// taken at their exact decimal value (decimal.NewFromFloat), so the split
// does not depend on float rounding. A part with weight 0 gets 0. A
// negative total is split as its absolute value and every part negated.
//
// Errors, all wrapping ErrInvalid: an empty weights slice; a weight that is
// negative, NaN or infinite; weights that are all zero; places outside
// [0, 30]; a total with more decimal places than places (it could not be
// split exactly) or with more than 40 digits before the decimal point.
func Allocate(total decimal.Decimal, weights []float64, places int32) ([]decimal.Decimal, error) {
	const fn = "kpi.Allocate"
	if len(weights) == 0 {
		return nil, invalid(fn, "weights", "[]", "no weights to allocate by")
	}
	if places < 0 || places > maxPlaces {
		return nil, invalid(fn, "places", places, fmt.Sprintf("must lie in [0, %d]", maxPlaces))
	}
	if !total.IsZero() {
		digits, exp := int64(total.NumDigits()), int64(total.Exponent())
		if digits+exp > maxTotalDigits {
			// Printed in scientific form: the plain form could be huge.
			v := fmt.Sprintf("%se%d", total.Coefficient(), exp)
			return nil, invalid(fn, "total", v, fmt.Sprintf("has more than %d digits before the point", maxTotalDigits))
		}
		// More decimal places than places, unless the extra ones are zeros
		// (checked by rounding once the count of them is known to be small).
		if extra := -int64(places) - exp; extra > 0 && (extra >= digits || !total.Round(places).Equal(total)) {
			v := any(total)
			if extra > maxTotalDigits {
				v = fmt.Sprintf("%se%d", total.Coefficient(), exp)
			}
			return nil, invalid(fn, "total", v, fmt.Sprintf("has more than %d decimal places", places))
		}
	}
	w := make([]decimal.Decimal, len(weights))
	sum := decimal.Zero
	for i, v := range weights {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return nil, invalid(fn, fmt.Sprintf("weights[%d]", i), v, "must be a finite number ≥ 0")
		}
		w[i] = decimal.NewFromFloat(v)
		sum = sum.Add(w[i])
	}
	if sum.IsZero() {
		return nil, invalid(fn, "weights", weights, "all weights are zero")
	}

	units := total.Abs().Shift(places) // a whole number
	parts := make([]decimal.Decimal, len(weights))
	rems := make([]decimal.Decimal, len(weights))
	given := decimal.Zero
	for i := range w {
		q, r := units.Mul(w[i]).QuoRem(sum, 0)
		parts[i], rems[i] = q, r
		given = given.Add(q)
	}
	left := units.Sub(given).IntPart() // < len(weights)
	if left > 0 {
		order := make([]int, len(w))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return rems[order[a]].GreaterThan(rems[order[b]]) })
		for _, i := range order[:left] {
			parts[i] = parts[i].Add(decimal.NewFromInt(1))
		}
	}
	neg := total.Sign() < 0
	for i := range parts {
		parts[i] = parts[i].Shift(-places)
		if neg {
			parts[i] = parts[i].Neg()
		}
	}
	return parts, nil
}
