package kpi_test

import (
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"github.com/kpiflow/kpi"
)

// linearBound is the most that a cost measured at 10n may be of the same
// cost at n for the cost to count as linear. A cost a + b·n gives at most
// 10; the rest is room for the growth of slices and maps: a slice that
// append grows to N elements has allocated about 2N elements while it
// doubled (below 256) and tends to 5N beyond, where it grows by a
// quarter, so a slice as long as the input lifts the ratio of bytes above
// 10 (the nots of TestModelJSONAllocsLinear reach 11.4 at 999 and 9 990 deep on Go 1.26). A
// cost of n² gives 100, and even one of n·log n about 13 at n ≈ 10³.
const linearBound = 12

// allocCost returns the allocations (testing.AllocsPerRun) and the bytes
// allocated (the rise of runtime.MemStats.TotalAlloc) per call of f,
// averaged over runs calls after a warm-up call. Counts and bytes do not
// depend on the speed or the load of the machine, as a time would.
func allocCost(runs int, f func()) (allocs, bytes float64) {
	allocs = testing.AllocsPerRun(runs, f) // calls f once more to warm up
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&m1)
	return allocs, float64(m1.TotalAlloc-m0.TotalAlloc) / float64(runs)
}

// assertLinear measures cost(n) and cost(10n) with allocCost and checks
// that both ratios stay within linearBound; it logs them.
func assertLinear(t *testing.T, runs int, at func(scale int) func()) {
	t.Helper()
	a1, b1 := allocCost(runs, at(1))
	a10, b10 := allocCost(runs, at(10))
	t.Logf("allocs %.0f → %.0f (×%.2f), bytes %.0f → %.0f (×%.2f)", a1, a10, a10/a1, b1, b10, b10/b1)
	assert.LessOrEqual(t, a10, linearBound*a1, "allocations at 10n against n")
	assert.LessOrEqual(t, b10, linearBound*b1, "bytes allocated at 10n against n")
}

// TestAllocateAllocsLinear holds issue 13's probe of Allocate (10⁶
// weights took 5.5 s): splitting a budget over 10n weights allocates at
// most linearBound times what n weights do, in count and in bytes. The
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
			assertLinear(t, 2, func(scale int) func() {
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
