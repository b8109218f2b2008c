package scoring

import (
	"math"
	"testing"
)

// TestExp2neg checks the fast 2^(−x) against math.Exp2 (the reference)
// to 4e-16 relative, from 0 through the subnormal range to underflow.
func TestExp2neg(t *testing.T) {
	rows := []struct {
		name   string
		lo, hi float64
	}{
		{"first half-lives", 0, 8},
		{"fractions of a step", 0, 1.0 / 512},
		{"long ages", 8, 1000},
		{"subnormal results", 1000, 1080},
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			const n = 20000
			for i := range n + 1 {
				x := tc.lo + (tc.hi-tc.lo)*float64(i)/n
				got, want := exp2neg(x), math.Exp2(-x)
				switch {
				case want >= 0x1p-1022:
					if math.Abs(got-want) > 4e-16*want {
						t.Fatalf("exp2neg(%v) = %v, want %v", x, got, want)
					}
				case math.Abs(got-want) > 0x1p-1070:
					t.Fatalf("exp2neg(%v) = %v, want %v (subnormal)", x, got, want)
				}
			}
		})
	}
	for _, x := range []float64{1075, 1e300, math.Inf(1), math.NaN()} {
		if got := exp2neg(x); got != 0 {
			t.Errorf("exp2neg(%v) = %v, want 0", x, got)
		}
	}
}
