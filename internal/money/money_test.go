package money

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

func TestToUnits(t *testing.T) {
	tests := []struct {
		in     string
		units  int64
		reason string
	}{
		{"0", 0, ""},
		{"12.5", 12_500_000, ""}, // 12.5 · 10⁶
		{"-0.000001", -1, ""},
		{"1e12", 1_000_000_000_000_000_000, ""},
		{"1e13", 0, "too large"},
		{"0.0000001", 0, "has more than 6 decimal places"},
		{"1234567890123456789", 0, "too large or too precise"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, reason := ToUnits(decimal.RequireFromString(tt.in))
			assert.Equal(t, tt.units, u)
			assert.Equal(t, tt.reason, reason)
			if reason == "" {
				assert.True(t, FromUnits(u).Equal(decimal.RequireFromString(tt.in)))
			}
		})
	}
}

// TestCheck checks the bound at its edges and the hostile exponents of
// issue 13's probes, which must be answered at once.
func TestCheck(t *testing.T) {
	tests := []struct {
		name   string
		d      decimal.Decimal
		reason string
	}{
		{"zero", decimal.Zero, ""},
		{"zero with a hostile exponent", decimal.New(0, math.MaxInt32), "more than 30 digits before the point"},
		// The fuzzer's find: 0e-2147483589 hung ARPA's rounding.
		{"zero with a hostile negative exponent", decimal.New(0, -2147483589), "more than 18 decimal places"},
		{"zero with 154 places", decimal.New(0, -154), ""},
		{"a usual amount", decimal.RequireFromString("-1234.56"), ""},
		{"30 digits", decimal.RequireFromString("999999999999999999999999999999"), ""},
		{"31 digits", decimal.RequireFromString("1000000000000000000000000000000"), "more than 30 digits before the point"},
		{"1e30", decimal.New(1, 30), "more than 30 digits before the point"},
		{"18 places", decimal.RequireFromString("0.000000000000000001"), ""},
		{"19 places", decimal.RequireFromString("0.0000000000000000001"), "more than 18 decimal places"},
		{"trailing zeros do not count", decimal.RequireFromString("1.50000000000000000000000"), ""},
		{"30 digits and 18 places", decimal.RequireFromString("999999999999999999999999999999.999999999999999999"), ""},
		{"exponent 2^31 - 1", decimal.New(1, math.MaxInt32), "more than 30 digits before the point"},
		{"exponent -2^31", decimal.New(7, math.MinInt32), "more than 18 decimal places"},
		{"exponent -2^31, many digits", decimal.NewFromBigInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(40), nil), math.MinInt32), "more than 18 decimal places"},
		{"a 100-digit coefficient", decimal.NewFromBigInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(100), nil), -90), "more than 48 significant digits"},
		// The edges of the comparisons at the value's own exponent.
		{"-(1e30 - 1e-18) at exponent -18", decimal.RequireFromString("-999999999999999999999999999999.999999999999999999"), ""},
		{"-1e30 at exponent -18", decimal.NewFromBigInt(new(big.Int).Neg(new(big.Int).Exp(big.NewInt(10), big.NewInt(48), nil)), -18), "more than 30 digits before the point"},
		{"1e30 at exponent 0", decimal.NewFromBigInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil), 0), "more than 30 digits before the point"},
		{"9e29 at exponent 29", decimal.New(9, 29), ""},
		{"10e29 at exponent 29", decimal.New(10, 29), "more than 30 digits before the point"},
		{"1 at exponent 30", decimal.New(1, 30), "more than 30 digits before the point"},
		{"0 at exponent 30", decimal.New(0, 30), ""},
		{"1e-18 at exponent -18", decimal.New(1, -18), ""},
		{"1e-19 at exponent -19", decimal.New(1, -19), "more than 18 decimal places"},
		{"10e-19 at exponent -19", decimal.New(10, -19), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.reason, Check(tc.d))
		})
	}
}

// TestCheckAllocs holds that Check of an amount within the bound does not
// allocate (it used to copy the coefficient to measure it: one
// allocation per amount in cohort's Table.MarshalJSON and WriteCSV).
func TestCheckAllocs(t *testing.T) {
	d := decimal.RequireFromString("-1234.56")
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = Check(d) }))
}

func TestText(t *testing.T) {
	tests := []struct {
		name string
		d    decimal.Decimal
		want string
	}{
		{"usual", decimal.RequireFromString("12.50"), "12.5"},
		{"exponent 64", decimal.New(3, 64), "3" + strings.Repeat("0", 64)},
		{"exponent 2^31 - 1", decimal.New(1, math.MaxInt32), "1e2147483647"},
		{"exponent -2^31", decimal.New(-7, math.MinInt32), "-7e-2147483648"},
		{"77 digits", decimal.NewFromBigInt(pow10Big(76), 0), "1" + strings.Repeat("0", 76)},
		// Beyond 256 bits, four digits of the value: 2¹⁰⁰⁰ = 1.0715…·10³⁰¹
		// (by hand: 1000·log10(2) = 301.02999566, 10^0.02999566 = 1.07151).
		{"2^1000", decimal.NewFromBigInt(new(big.Int).Lsh(big.NewInt(1), 1000), 0), "≈1.072e301"},
		{"-2^1000 e-5", decimal.NewFromBigInt(new(big.Int).Lsh(big.NewInt(-1), 1000), -5), "≈-1.072e296"},
		// 10¹⁰⁰ exactly: the float logarithm may fall just below 100, and
		// the mantissa 9.9999… rounds to 1.000 with the exponent 100.
		{"10^100", decimal.NewFromBigInt(pow10Big(100), 0), "≈1.000e100"},
		{"7·10^999999 digits at 2^31 - 1", decimal.NewFromBigInt(new(big.Int).Mul(big.NewInt(7), pow10Big(999999)), math.MaxInt32),
			"≈7.000e" + strconv.Itoa(999999+math.MaxInt32)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Text(tc.d))
		})
	}
}

func pow10Big(n int64) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(n), nil) }

func TestFormat(t *testing.T) {
	tests := []struct {
		name string
		d    decimal.Decimal
		want string
	}{
		{"usual", decimal.RequireFromString("12.50"), "12.5"},
		{"zero", decimal.Decimal{}, "0"},
		{"at the bound", decimal.RequireFromString("-0.000000000000000001"), "-0.000000000000000001"},
		{"30 digits", decimal.RequireFromString(strings.Repeat("9", 30)), strings.Repeat("9", 30)},
		{"31 digits", decimal.New(1, 30), "1" + strings.Repeat("0", 30)},
		{"1e1073741824", decimal.New(1, 1<<30), "1e1073741824"},
		{"1e-1073741824", decimal.New(1, -1<<30), "1e-1073741824"},
		{"10^6 digits", decimal.NewFromBigInt(pow10Big(999999), 0), "≈1.000e999999"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Format(tc.d))
		})
	}
}

func TestParseJSON(t *testing.T) {
	long := strings.Repeat("9", 1_000_000)
	tests := []struct {
		name      string
		data      string
		want      string // the amount, when why is ""
		text, why string
	}{
		{"string", `"12.50"`, "12.5", "", ""},
		{"number", `-3e2`, "-300", "", ""},
		{"null", `null`, "0", "", ""},
		{"U+2212", `"−1.5"`, "-1.5", "", ""},
		{"10^6 digits", `"` + long + `"`, "", strconv.Quote(long[:MaxText]) + "…", "a value of 1000000 bytes: more than 64"},
		{"1e1000000000", `"1e1000000000"`, "", `"1e1000000000"`, tooLarge},
		{"-2.5e-1000000000", `-2.5e-1000000000`, "", `"-2.5e-1000000000"`, tooPrecise},
		{"ten", `"ten"`, "", `"ten"`, "not a number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, text, why := ParseJSON([]byte(tc.data))
			assert.Equal(t, tc.why, why)
			assert.Equal(t, tc.text, text)
			if tc.why == "" {
				assert.Equal(t, tc.want, d.String())
			}
		})
	}
}
