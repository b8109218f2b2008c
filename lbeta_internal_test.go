package kpi

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Expected values from R 4.2.2: lbeta(a, b), which uses the same Stirling
// split for large arguments (R's own algorithm, not this code).
func TestLbeta(t *testing.T) {
	cases := []struct {
		name string
		a, b float64
		want float64
	}{
		{"halves", 0.5, 0.5, 1.1447298858494004},
		{"ones", 1, 1, 0},
		{"small", 3, 7, -5.5294290875114234},
		{"one large", 2.5, 40, -8.9836273392981525},
		{"both at 10", 10, 10, -13.736229227036555},
		{"a million", 100000, 900001, -325087.86359506275},
		{"one and a million", 1, 1e6, -13.815510557964274},
		{"halves of a million", 5e5, 5e5 + 1, -693153.16937644104},
		{"small and large", 12.5, 3e5, -138.9101139886817},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.InDelta(t, c.want, lbeta(c.a, c.b), 1e-12*math.Max(1, math.Abs(c.want)))
			assert.InDelta(t, c.want, lbeta(c.b, c.a), 1e-12*math.Max(1, math.Abs(c.want)), "symmetric")
		})
	}
}
