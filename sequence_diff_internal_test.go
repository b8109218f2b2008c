package kpi

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDiffSequenceSurelyInside checks the shortcut of Excludes against
// the full calculation: whenever surelyInside says d is inside, the
// profile log-likelihood exceeds the bound, on random counts and
// differences at both levels.
func TestDiffSequenceSurelyInside(t *testing.T) {
	tests := []struct {
		name  string
		alpha float64
		maxN  int64
	}{
		{"small samples, alpha 0.05", 0.05, 50},
		{"large samples, alpha 0.2", 0.2, 100000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(5, 6))
			inside := 0
			for range 20000 {
				na, nb := 1+rng.Int64N(tc.maxN), 1+rng.Int64N(tc.maxN)
				s := DiffSequence{Alpha: tc.alpha, A: Rate{rng.Int64N(na + 1), na}, B: Rate{rng.Int64N(nb + 1), nb}}
				d := s.estimate() + (rng.Float64()-0.5)*4/math.Sqrt(float64(min(na, nb)))
				if d < -1 || d > 1 || !s.surelyInside(d) {
					continue
				}
				inside++
				if !assert.Greater(t, s.profile(d), s.logBound(), "%+v at d = %v", s, d) {
					return
				}
			}
			assert.Greater(t, inside, 1000, "the shortcut is taken")
		})
	}
}
