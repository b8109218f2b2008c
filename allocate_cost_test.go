package kpi_test

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/benchmem"
)

// TestAllocateAllocsLinear holds issue 13's probe of Allocate (10⁶
// weights took 5.5 s): splitting a budget over 10n weights allocates at
// most benchmem.LinearBound times what n weights do, in count and in bytes. The
// weights are random, with all 17 digits, and in the second row one weight
// of 10⁻³⁰⁰ makes every whole-number weight about 300 digits long (a
// spread of exponents lengthens each weight, not the count of them).
//
// The sort of the remainders costs n·log n comparisons and allocates
// nothing, so this test cannot see it; BenchmarkAllocateLarge shows it.
func TestAllocateAllocsLinear(t *testing.T) {
	const n = 300
	for _, tc := range []struct {
		name string
		tiny bool
	}{
		{"random weights", false},
		{"with 1e-300", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			total := decimal.RequireFromString("1000000000.00")
			benchmem.AssertLinear(t, 2, func(scale int) func() {
				r := rand.New(rand.NewPCG(1, 2))
				weights := make([]float64, scale*n)
				for i := range weights {
					weights[i] = r.Float64()
				}
				if tc.tiny {
					weights[0] = 1e-300
				}
				return func() {
					parts, err := kpi.Allocate(total, weights, 2)
					if err != nil || len(parts) != len(weights) {
						t.Fatal(err)
					}
				}
			})
		})
	}
}
