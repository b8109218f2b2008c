// Package money holds what the packages share about money: the bound on
// every amount the library accepts (Check, Text), and the fixed-point
// conversions of cohort and cohort/clv. It is not API.
package money

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

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

// The bound on every amount of money the library accepts: at most
// MaxDigits digits before the decimal point and at most MaxPlaces after it
// (trailing zeros after the point do not count). 10³⁰ is far beyond any
// budget or revenue, and 10⁻¹⁸ beyond any currency's subdivision; within
// the bound, the library's products, quotients and roundings cost a few
// machine words, where a decimal.Decimal with an exponent near ±2³¹ makes
// them allocate gigabytes or take minutes.
const (
	MaxDigits = 30
	MaxPlaces = 18
)

// MaxText is the longest money text the library parses, 64 bytes: enough
// for MaxDigits digits, MaxPlaces places, a sign, a point and an exponent,
// with room for zeros. Parsing comes after the check, because decimal's
// parser takes time quadratic in the digits (10⁷ of them took 151 s).
const MaxText = 64

// maxCoefBits bounds the coefficients Check measures exactly: 256 bits is
// 77 digits, more than MaxDigits + MaxPlaces.
const maxCoefBits = 256

// maxCoefDigits is the number of digits in maxCoefBits bits.
const maxCoefDigits = 77

// Check returns why d lies outside the bound, or "" when it does not. Its
// cost is bounded whatever d's exponent, and linear in the size of d's
// coefficient.
func Check(d decimal.Decimal) string {
	e := int64(d.Exponent())
	if e >= -MaxPlaces && e <= MaxDigits {
		// At these exponents the places hold and the value is money
		// exactly when −10³⁰ < d < 10³⁰; comparing with the bounds at
		// d's own exponent neither rescales nor allocates.
		if b := bounds[e+MaxPlaces]; d.Cmp(b[1]) < 0 && d.Cmp(b[0]) > 0 {
			return ""
		}
	}
	if d.IsZero() {
		// 0 is money, but with an exponent near ±2³¹ arithmetic on it
		// still costs minutes: 0e-2147483589 hung a rounding.
		switch {
		case e > MaxDigits:
			return tooLarge
		case e < -2*maxCoefDigits:
			return tooPrecise
		}
		return ""
	}
	if e > MaxDigits {
		return tooLarge // the coefficient is at least 1
	}
	if d.Coefficient().BitLen() > maxCoefBits {
		return "more than 48 significant digits"
	}
	n := int64(d.NumDigits())
	if n+e > MaxDigits {
		return tooLarge
	}
	if e < -MaxPlaces {
		// Beyond the places only zeros may follow; there are -e - MaxPlaces
		// of those digits, so with as many or more the value would be 0.
		if -e-MaxPlaces >= n || !d.Truncate(MaxPlaces).Equal(d) {
			return tooPrecise
		}
	}
	return ""
}

// bounds holds −10³⁰ and 10³⁰ at each exponent e from −MaxPlaces to
// MaxDigits, as coefficient ±10^(MaxDigits−e) and exponent e.
var bounds = func() (b [MaxPlaces + MaxDigits + 1][2]decimal.Decimal) {
	for i := range b {
		e := int32(i - MaxPlaces)
		c := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(MaxDigits-e)), nil)
		b[i][1] = decimal.NewFromBigInt(c, e)
		b[i][0] = decimal.NewFromBigInt(new(big.Int).Neg(c), e)
	}
	return b
}()

var (
	tooLarge   = "more than " + strconv.Itoa(MaxDigits) + " digits before the point"
	tooPrecise = "more than " + strconv.Itoa(MaxPlaces) + " decimal places"
)

// Text returns d as an error message quotes it: d.String() when that is
// short, coefficient "e" exponent (such as 1e2147483647) when d's exponent
// would make String write billions of digits, and, for a coefficient of
// more than 256 bits (77 digits, beyond any amount Check accepts), "≈"
// and four significant digits in that form (such as ≈-1.235e1000007),
// read from the coefficient's leading 64 bits, so that neither the
// length of the text nor its cost grows with the digits past linear.
func Text(d decimal.Decimal) string {
	c := d.Coefficient()
	if c.BitLen() > maxCoefBits {
		return approx(c, int64(d.Exponent()))
	}
	if e := d.Exponent(); e >= -64 && e <= 64 {
		return d.String()
	}
	return c.String() + "e" + strconv.Itoa(int(d.Exponent()))
}

// approx writes c·10^e, for c of more than 64 bits, as ≈m.mmme±k:
//
//	log10|c| ≈ log10(t) + s·log10(2), t = |c| >> s, s = bitlen(c) − 64
//
// whose error in float64, for a coefficient of up to 2³¹ bits, is far
// below the four digits written.
func approx(c *big.Int, e int64) string {
	s := c.BitLen() - 64
	t := new(big.Int).Rsh(new(big.Int).Abs(c), uint(s))
	l := math.Log10(float64(t.Uint64())) + float64(s)*math.Log10(2)
	k := math.Floor(l)
	m := math.Round(math.Pow(10, l-k)*1000) / 1000
	if m >= 10 {
		m, k = m/10, k+1
	}
	out := "≈"
	if c.Sign() < 0 {
		out += "-"
	}
	return out + strconv.FormatFloat(m, 'f', 3, 64) + "e" + strconv.FormatInt(int64(k)+e, 10)
}

// Format returns d for display: d.String() within the bound (Check), and
// Text(d) beyond it, so that a hand-built amount such as 1e1073741824 is
// written in a few bytes rather than a billion digits.
func Format(d decimal.Decimal) string {
	if Check(d) == "" {
		return d.String()
	}
	return Text(d)
}

// ParseJSON reads data as decimal.Decimal's UnmarshalJSON does, a decimal
// string or number (null is 0), within the bound, and refuses the rest
// before any cost that grows with the amount: a text of more than MaxText
// bytes before parsing it, and an exponent beyond the bound, such as
// 1e1000000000, without building its digits whatever
// decimal.MaxDecodeExponent is. When it refuses, it returns the text
// quoted, cut to MaxText bytes, and the reason; otherwise why is "".
func ParseJSON(data []byte) (d decimal.Decimal, text, why string) {
	if string(data) == "null" {
		return decimal.Decimal{}, "", ""
	}
	s := data
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	if len(s) > MaxText {
		return decimal.Decimal{}, strconv.Quote(string(s[:MaxText])) + "…",
			fmt.Sprintf("a value of %d bytes: more than %d", len(s), MaxText)
	}
	d, ok := parse(string(s))
	if !ok {
		return decimal.Decimal{}, strconv.Quote(string(s)), "not a number"
	}
	if why := Check(d); why != "" {
		return decimal.Decimal{}, strconv.Quote(string(s)), why
	}
	return d, "", ""
}

// parse reads s as decimal.NewFromString does, but reads the exponent
// after an e itself, with the value's exponent held to the range of
// int32, so that 1e1000000000 is the amount 10¹⁰⁰⁰⁰⁰⁰⁰⁰⁰, which Check
// refuses at once, rather than decimal's error.
func parse(s string) (decimal.Decimal, bool) {
	s = strings.ReplaceAll(s, "\u2212", "-") // decimal reads U+2212 as a minus sign
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		d, err := decimal.NewFromString(s)
		return d, err == nil
	}
	d, err := decimal.NewFromString(s[:i])
	x, xerr := strconv.ParseInt(s[i+1:], 10, 64)
	if err != nil || xerr != nil {
		return decimal.Decimal{}, false
	}
	x = min(max(x, -1<<40), 1<<40) // so that adding d's exponent, from −64 to 0, cannot wrap
	e := min(max(int64(d.Exponent())+x, math.MinInt32), math.MaxInt32)
	return decimal.NewFromBigInt(d.Coefficient(), int32(e)), true
}
