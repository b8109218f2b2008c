package cohort

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kpiflow/kpi/internal/errs"
)

// TestNamed checks the translation of the search's errors, each in the
// form internal/mle writes it, to the sBG's parameter names.
func TestNamed(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"alpha", errs.Class("cohort.FitSBG", "parameter 0", 4e7, "runs off", ErrNotConverged), "cohort.FitSBG: alpha 4e+07: runs off"},
		{"beta", errs.Class("cohort.FitSBG", "parameter 1", 1e-6, "runs off", ErrNotConverged), "cohort.FitSBG: beta 1e-06: runs off"},
		{"estimate", errs.Class("cohort.FitSBG", "estimate", []float64{1, 2}, "flat", ErrNotConverged), "cohort.FitSBG: estimate (alpha, beta) [1 2]: flat"},
		{"start", errs.Class("cohort.FitSBG", "start", []float64{1, 2}, "not finite", ErrNotConverged), "cohort.FitSBG: start (alpha, beta) [1 2]: not finite"},
		{"no third parameter", errs.Class("f", "parameter 2", 1.0, "x", ErrNotConverged), "f: parameter 2 1: x"},
		{"other argument", errs.Class("f", "observed information", 1.0, "x", ErrNotConverged), "f: observed information 1: x"},
		{"other error", errors.New("plain"), "plain"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := named(tc.err)
			assert.EqualError(t, got, tc.want)
			assert.Equal(t, errors.Is(tc.err, ErrNotConverged), errors.Is(got, ErrNotConverged))
		})
	}
}
