package kpi

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCritLow checks the galloping search of critLow against a plain
// binary search over [−1, n] with the same predicate, at small and large
// n, extreme rates and levels.
func TestCritLow(t *testing.T) {
	tests := []struct {
		name string
		maxN int64
	}{
		{"small n", 60},
		{"large n", 200000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(9, 10))
			for range 400 {
				n := 1 + rng.Int64N(tc.maxN)
				p0 := []float64{1e-6, 0.001, 0.5, 0.999, rng.Float64()}[rng.IntN(5)]
				alpha := []float64{1e-9, 0.025, 0.05, 0.4, rng.Float64() / 2}[rng.IntN(5)]
				lo, hi := int64(-1), n
				for lo < hi {
					mid := lo + (hi-lo+1)/2
					if binomCDF(mid, n, p0) <= alpha {
						lo = mid
					} else {
						hi = mid - 1
					}
				}
				if !assert.Equal(t, lo, critLow(n, p0, alpha), "n %d, p0 %v, alpha %v", n, p0, alpha) {
					return
				}
			}
		})
	}
}
