package errs

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/kpiflow/kpi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuilders(t *testing.T) {
	sentinel := errors.New("x")
	tests := []struct {
		name  string
		err   error
		class error
		msg   string
	}{
		{"invalid", Invalid("funnel.New", "count", int64(-1), "must be ≥ 0"), kpi.ErrInvalid, "funnel.New: count -1: must be ≥ 0"},
		{"undefined", Undefined("kpi.Rate.Value", "trials", 0, "no trials"), kpi.ErrUndefined, "kpi.Rate.Value: trials 0: no trials"},
		{"class", Class("cohort.LTV", "churn", 0.0, "never churns", sentinel), sentinel, "cohort.LTV: churn 0: never churns"},
		{"zero", Zero("funnel.Counter.Result", "Counter", "funnel.NewCounter"), kpi.ErrInvalid, "funnel.Counter.Result: Counter zero value: use funnel.NewCounter"},
		{"level", Level("f", "confidence", 1.5), kpi.ErrInvalid, "f: confidence 1.5: must lie in (0, 1)"},
		{"level NaN", Level("f", "confidence", math.NaN()), kpi.ErrInvalid, "f: confidence NaN: must lie in (0, 1)"},
		{"method", Method("f", "method", kpi.Method(9)), kpi.ErrInvalid, "f: method Method(9): unknown interval method"},
		{"finite", Finite("f", "x", math.Inf(1)), kpi.ErrInvalid, "f: x +Inf: must be finite"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Error(t, tt.err)
			assert.ErrorIs(t, tt.err, tt.class)
			assert.Equal(t, tt.msg, tt.err.Error())
		})
	}
}

func TestChecksPass(t *testing.T) {
	for m := kpi.Wilson; m <= kpi.Jeffreys; m++ {
		assert.NoError(t, Method("f", "method", m))
		assert.False(t, strings.HasPrefix(m.String(), "Method("), "every method up to Jeffreys is a constant")
	}
	assert.Error(t, Method("f", "method", kpi.Jeffreys+1), "Jeffreys is the last constant")
	assert.Error(t, Method("f", "method", -1))
	for _, v := range []float64{1e-300, 0.5, 0.999999} {
		assert.NoError(t, Level("f", "confidence", v))
		assert.NoError(t, Finite("f", "x", v))
	}
	assert.Error(t, Level("f", "confidence", 0))
	assert.Error(t, Level("f", "confidence", 1))
}
