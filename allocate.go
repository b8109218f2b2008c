package kpi

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"

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
// taken at the exact value of their shortest decimal form (that of
// decimal.NewFromFloat: 0.1, 0.2 and 0.3 weigh as 1, 2 and 3), so the
// split does not depend on float rounding. The cost is linear in the
// number of weights: about 0.5 µs a weight (BenchmarkAllocateLarge). A part with weight 0 gets 0. A
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
	ws, err := scaledWeights(fn, weights)
	if err != nil {
		return nil, err
	}
	units := total.Abs().Shift(places).BigInt() // a whole number: the checks above
	parts := largestRemainder(units, ws)
	neg := total.Sign() < 0
	out := make([]decimal.Decimal, len(parts))
	for i, q := range parts {
		if neg {
			q.Neg(q)
		}
		out[i] = decimal.NewFromBigInt(q, -places)
	}
	return out, nil
}

// scaledWeights returns the weights as whole numbers in the same ratios as
// their shortest decimal forms (those of decimal.NewFromFloat and
// strconv's 'g'): weight i is dᵢ·10^kᵢ with dᵢ its digits, and the result
// dᵢ·10^(kᵢ − min k). The cost is linear in the number of weights, times
// the digits of the spread of their exponents.
func scaledWeights(fn string, weights []float64) ([]big.Int, error) {
	digits := make([]uint64, len(weights))
	exps := make([]int, len(weights))
	minExp, any := 0, false
	var buf [32]byte
	for i, v := range weights {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return nil, invalid(fn, fmt.Sprintf("weights[%d]", i), v, "must be a finite number ≥ 0")
		}
		if v == 0 {
			continue
		}
		digits[i], exps[i] = shortestDecimal(buf[:0], v)
		if !any || exps[i] < minExp {
			minExp, any = exps[i], true
		}
	}
	if !any {
		return nil, invalid(fn, "weights", weights, "all weights are zero")
	}
	ws := make([]big.Int, len(weights))
	var pows []*big.Int // pows[k] = 10^k, made as needed
	for i, d := range digits {
		if d == 0 {
			continue
		}
		ws[i].SetUint64(d)
		if k := exps[i] - minExp; k > 0 {
			for len(pows) <= k {
				pows = append(pows, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(pows))), nil))
			}
			ws[i].Mul(&ws[i], pows[k])
		}
	}
	return ws, nil
}

// shortestDecimal returns v > 0 as d·10^k with d the digits of its shortest
// decimal form, at most 17 of them.
func shortestDecimal(buf []byte, v float64) (d uint64, k int) {
	b := strconv.AppendFloat(buf, v, 'e', -1, 64) // such as 1.2345e-07
	e := bytes.IndexByte(b, 'e')
	exp, _ := strconv.Atoi(string(b[e+1:])) // does not allocate: the conversion is only read
	n := 0
	for _, c := range b[:e] {
		if c != '.' {
			d = d*10 + uint64(c-'0')
			n++
		}
	}
	return d, exp - (n - 1)
}

// largestRemainder splits units by the whole-number weights ws: part i is
// ⌊units·wᵢ/W⌋ and the units left over go one each to the largest
// remainders units·wᵢ mod W, ties to the lower index.
func largestRemainder(units *big.Int, ws []big.Int) []*big.Int {
	var sum big.Int
	for i := range ws {
		sum.Add(&sum, &ws[i])
	}
	parts := make([]*big.Int, len(ws))
	rems := make([]big.Int, len(ws))
	var given, prod big.Int
	for i := range ws {
		q := new(big.Int)
		prod.Mul(units, &ws[i])
		q.QuoRem(&prod, &sum, &rems[i])
		parts[i] = q
		given.Add(&given, q)
	}
	left := given.Sub(units, &given).Int64() // < len(ws): the remainders sum to left·W
	if left > 0 {
		order := make([]int, len(ws))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int {
			if c := rems[b].Cmp(&rems[a]); c != 0 {
				return c
			}
			return a - b
		})
		one := big.NewInt(1)
		for _, i := range order[:left] {
			parts[i].Add(parts[i], one)
		}
	}
	return parts
}
