package kpi_test

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// Expected parts worked out by hand with largest remainders: U is the
// total in units of the last place, each part first gets ⌊U·w/W⌋ units,
// and the units left go to the largest remainders U·w mod W, lower index
// first on ties.
func TestAllocate(t *testing.T) {
	cases := []struct {
		name    string
		total   string
		weights []float64
		places  int32
		want    []string
	}{
		// U = 10000; 3333 r 1 each; 1 unit left → part 0.
		{"thirds", "100.00", []float64{1, 1, 1}, 2, []string{"33.34", "33.33", "33.33"}},
		// U = 10: 5, 3, 2 exactly.
		{"whole units", "10", []float64{0.5, 0.3, 0.2}, 0, []string{"5", "3", "2"}},
		// U = 100, W = 3: 33 r 1 and 66 r 2; 1 unit left → part 1.
		{"largest remainder wins", "1.00", []float64{1, 2}, 2, []string{"0.33", "0.67"}},
		// Weights at their decimal value: W = 0.3; 100·0.1 = 33·0.3 + 0.1 and
		// 100·0.2 = 66·0.3 + 0.2; 1 unit left → part 1.
		{"decimal weights", "1.00", []float64{0.1, 0.2}, 2, []string{"0.33", "0.67"}},
		{"zero weight gets nothing", "10.00", []float64{0, 1, 1}, 2, []string{"0", "5", "5"}},
		{"negative total", "-100.00", []float64{1, 1, 1}, 2, []string{"-33.34", "-33.33", "-33.33"}},
		{"zero total", "0", []float64{2, 3}, 2, []string{"0", "0"}},
		// U = 12345678901234567890 = 6 · 2057613150205761315 exactly.
		{"beyond float precision", "123456789012345678.90", []float64{1, 2, 3}, 2,
			[]string{"20576131502057613.15", "41152263004115226.30", "61728394506172839.45"}},
		// U = 10: 2 r 2 each; 2 units left → parts 0 and 1.
		{"ties to lower index", "0.10", []float64{1, 1, 1, 1}, 2, []string{"0.03", "0.03", "0.02", "0.02"}},
		// U = 99999, W = 100: 39999 r 60, 19999 r 80, 39999 r 60; 2 left →
		// part 1 (r 80), then part 0 (r 60, before part 2).
		{"percent weights", "999.99", []float64{40, 20, 40}, 2, []string{"400.00", "200.00", "399.99"}},
		{"one part", "12.34", []float64{0.7}, 2, []string{"12.34"}},
		{"total with fewer places", "5", []float64{1, 1, 1}, 2, []string{"1.67", "1.67", "1.66"}},
		// 0.1 : 0.2 : 0.3 = 1 : 2 : 3, W = 6; U = 100: 16 r 4, 33 r 2, 50 r 0;
		// 1 unit left → part 0.
		{"shortest decimals", "1.00", []float64{0.1, 0.2, 0.3}, 2, []string{"0.17", "0.33", "0.50"}},
		// Exponents 600 apart: W = 10^600 + 1; U = 100 gives part 0
		// ⌊100·10^600/W⌋ = 99 r 10^600 − 99 and part 1 0 r 100; 1 unit left → part 0.
		{"exponents far apart", "1.00", []float64{1e300, 1e-300}, 2, []string{"1.00", "0.00"}},
		// The smallest subnormal, 5e-324, against 5e-324: halves.
		{"subnormal weights", "0.02", []float64{5e-324, 5e-324}, 2, []string{"0.01", "0.01"}},
		// The largest float against itself: halves, ties to the lower index.
		{"largest weights", "0.03", []float64{math.MaxFloat64, math.MaxFloat64}, 2, []string{"0.02", "0.01"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			total := dec(c.total)
			got, err := kpi.Allocate(total, c.weights, c.places)
			require.NoError(t, err)
			require.Len(t, got, len(c.want))
			sum := decimal.Zero
			for i, w := range c.want {
				assert.True(t, dec(w).Equal(got[i]), "part %d: want %s, got %s", i, w, got[i])
				sum = sum.Add(got[i])
			}
			assert.True(t, sum.Equal(total), "sum %s, total %s", sum, total)
		})
	}
}

func TestAllocateErrors(t *testing.T) {
	cases := []struct {
		name    string
		total   string
		weights []float64
		places  int32
		msg     string
	}{
		{"no weights", "1", nil, 2, "kpi.Allocate: weights []: no weights to allocate by"},
		{"negative weight", "1", []float64{1, -0.5}, 2, "kpi.Allocate: weights[1] -0.5: must be a finite number ≥ 0"},
		{"NaN weight", "1", []float64{math.NaN()}, 2, "kpi.Allocate: weights[0] NaN: must be a finite number ≥ 0"},
		{"infinite weight", "1", []float64{1, math.Inf(1)}, 2, "kpi.Allocate: weights[1] +Inf: must be a finite number ≥ 0"},
		{"all zero", "1", []float64{0, 0}, 2, "kpi.Allocate: weights [0 0]: all weights are zero"},
		{"negative places", "1", []float64{1}, -1, "kpi.Allocate: places -1: must lie in [0, 30]"},
		{"too many places", "1", []float64{1}, 31, "kpi.Allocate: places 31: must lie in [0, 30]"},
		{"total finer than places", "10.005", []float64{1, 1}, 2, "kpi.Allocate: total 10.005: has more than 2 decimal places"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := kpi.Allocate(dec(c.total), c.weights, c.places)
			assert.Nil(t, got)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, c.msg)
		})
	}
}

func TestAllocateLimits(t *testing.T) {
	cases := []struct {
		name  string
		total decimal.Decimal
		msg   string
	}{
		{"huge exponent", decimal.New(1, 999999999), "kpi.Allocate: total 1e999999999: has more than 40 digits before the point"},
		{"41 digits", decimal.New(1, 40), "kpi.Allocate: total 1e40: has more than 40 digits before the point"},
		{"tiny exponent", decimal.New(7, -999999999), "kpi.Allocate: total 7e-999999999: has more than 2 decimal places"},
		{"three places", dec("0.001"), "kpi.Allocate: total 0.001: has more than 2 decimal places"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := kpi.Allocate(c.total, []float64{1, 2}, 2)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, c.msg)
		})
	}
	// Trailing zeros beyond places are not extra places: 1.2300 at 2.
	parts, err := kpi.Allocate(dec("1.2300"), []float64{1, 2}, 2)
	require.NoError(t, err)
	assert.True(t, parts[0].Add(parts[1]).Equal(dec("1.23")))
}
