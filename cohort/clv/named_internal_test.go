package clv

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
)

// TestNamed checks the translation of the search's errors, each as
// internal/mle writes them (mle.go, cov.go, optimize.go), to the
// parameters' names.
func TestNamed(t *testing.T) {
	other := errors.New("not a kpi.Error")
	tests := []struct {
		name  string
		err   error
		names []string
		want  string
	}{
		{"first", errs.Class("clv.FitBGNBD", "parameter 0", 5e7, "runs off", ErrNotConverged), bgNames,
			"clv.FitBGNBD: r 5e+07: runs off"},
		{"last", errs.Class("clv.FitGammaGamma", "parameter 2", 1e9, "runs off", ErrNotConverged), ggNames,
			"clv.FitGammaGamma: gamma 1e+09: runs off"},
		{"estimate", errs.Class("clv.FitGammaGamma", "estimate", []float64{1, 2, 3}, "flat", ErrNotConverged), ggNames,
			"clv.FitGammaGamma: estimate (p, q, gamma) [1 2 3]: flat"},
		{"start", errs.Class("clv.FitBGNBD", "start", []float64{1, 2, 3, 4}, "not finite", ErrNotConverged), bgNames,
			"clv.FitBGNBD: start (r, alpha, a, b) [1 2 3 4]: not finite"},
		{"constructor's check", errs.Invalid("clv.EstimateBGNBD", "parameter 3", -1.0, "must be > 0"), bgNames,
			"clv.EstimateBGNBD: b -1: must be > 0"},
		{"index beyond the names", errs.Class("f", "parameter 4", 1.0, "x", ErrNotConverged), bgNames,
			"f: parameter 4 1: x"},
		{"not an index", errs.Class("f", "parameter r", 1.0, "x", ErrNotConverged), bgNames,
			"f: parameter r 1: x"},
		{"other argument", errs.Class("f", "observed information", 1.0, "x", ErrNotConverged), bgNames,
			"f: observed information 1: x"},
		{"other error", other, bgNames, "not a kpi.Error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := named(tc.err, tc.names)
			require.Error(t, got)
			assert.EqualError(t, got, tc.want)
			// The class is kept, and the original is left as it was.
			assert.True(t, errors.Is(got, ErrNotConverged) == errors.Is(tc.err, ErrNotConverged))
			assert.True(t, errors.Is(got, kpi.ErrInvalid) == errors.Is(tc.err, kpi.ErrInvalid))
		})
	}
	orig := errs.Class("f", "parameter 1", 1.0, "x", ErrNotConverged)
	_ = named(orig, bgNames)
	assert.EqualError(t, orig, "f: parameter 1 1: x", "named copies the error, it does not change it")
}
