package kpi

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestOrderByP checks the radix sort of orderByP against the standard
// library's stable sort of the indices by value, on vectors with ties,
// zeros of both signs, ones and subnormals, on both sides of the size
// where the radix sort takes over.
func TestOrderByP(t *testing.T) {
	tests := []struct {
		name string
		n    int
		gen  func(r *rand.Rand) float64
	}{
		{"few, rounded", 100, func(r *rand.Rand) float64 { return math.Round(r.Float64()*20) / 20 }},
		{"radix, rounded", 10000, func(r *rand.Rand) float64 { return math.Round(r.Float64()*1e4) / 1e4 }},
		{"radix, edges", 3000, func(r *rand.Rand) float64 {
			return []float64{0, math.Copysign(0, -1), 1, 5e-324, 1e-300, 0.5, r.Float64()}[r.IntN(7)]
		}},
		{"radix, all equal", 500, func(*rand.Rand) float64 { return 0.25 }},
		{"radix, tiny and large", 1000, func(r *rand.Rand) float64 { return math.Pow(r.Float64(), 40) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(7, 8))
			p := make([]float64, tc.n)
			for i := range p {
				p[i] = tc.gen(r)
			}
			want := make([]int32, tc.n)
			for i := range want {
				want[i] = int32(i)
			}
			slices.SortStableFunc(want, func(a, b int32) int {
				switch {
				case p[a] < p[b]:
					return -1
				case p[a] > p[b]:
					return 1
				}
				return 0
			})
			assert.Equal(t, want, orderByP(p))
		})
	}
}
