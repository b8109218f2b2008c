package clv

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFitted checks the guard every fit passes its estimate through. The
// search (internal/mle) reports a parameter running off long before
// MaxParameter — the runaway fits of the package's tests stop near 10⁷
// to 10¹¹ — so data cannot reach the guard today; it is tested here, from
// inside the package, so that a search that someday lets an estimate run
// further still never returns a model NewBGNBD or NewGammaGamma refuses.
func TestFitted(t *testing.T) {
	names, shape := bgNames, []bool{true, false, true, true}
	tests := []struct {
		name string
		p    []float64
		want string // "" for no error
	}{
		{"CDNOW", []float64{0.243, 4.414, 0.793, 2.426}, ""},
		{"shapes at MaxParameter", []float64{MaxParameter, 1, MaxParameter, MaxParameter}, ""},
		{"a scale above MaxParameter", []float64{1, 1e300, 1, 1}, ""},
		{"a shape above MaxParameter", []float64{1, 1, math.Nextafter(MaxParameter, math.Inf(1)), 1},
			"clv.FitBGNBD: a 1.0000000000000002e+100: the estimate runs off beyond MaxParameter (1e100)"},
		{"infinite scale", []float64{1, math.Inf(1), 1, 1}, "clv.FitBGNBD: alpha +Inf: the estimate runs off"},
		{"NaN", []float64{1, 1, 1, math.NaN()}, "clv.FitBGNBD: b NaN: the estimate runs off"},
		{"zero", []float64{0, 1, 1, 1}, "clv.FitBGNBD: r 0: the estimate runs off"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := fitted("clv.FitBGNBD", names, shape, tc.p)
			if tc.want == "" {
				require.NoError(t, err)
				// A parameter the guard passes is one the constructor takes.
				_, err := NewBGNBD(tc.p[0], tc.p[1], tc.p[2], tc.p[3])
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, ErrNotConverged)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}
