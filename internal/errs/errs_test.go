package errs

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

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

// TestTime checks the library's time range at both ends, to the
// nanosecond, in UTC and another zone.
func TestTime(t *testing.T) {
	utc := func(y int, mo time.Month, d, ns int) time.Time { return time.Date(y, mo, d, 0, 0, 0, ns, time.UTC) }
	tests := []struct {
		name string
		t    time.Time
		ok   bool
		msg  string
	}{
		{"first instant", utc(1900, 1, 1, 0), true, ""},
		{"last instant", utc(2150, 1, 1, -1), true, ""},
		{"a usual day", utc(2024, 5, 17, 0), true, ""},
		{"first instant, east of UTC", utc(1900, 1, 1, 0).In(time.FixedZone("E", 3600)), true, ""},
		{"zero time", time.Time{}, false, "f: at 0001-01-01T00:00:00Z: outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)"},
		{"a nanosecond early", utc(1900, 1, 1, -1), false, "f: at 1899-12-31T23:59:59.999999999Z: outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)"},
		{"2150", utc(2150, 1, 1, 0), false, "f: at 2150-01-01T00:00:00Z: outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)"},
		{"year 3000 in a zone", utc(3000, 1, 1, 0).In(time.FixedZone("W", -7200)), false, "f: at 3000-01-01T00:00:00Z: outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.ok, InRange(tc.t))
			err := Time("f", "at", tc.t)
			if tc.ok {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.msg)
		})
	}
}

// TestMoney checks the money bound's error: the argument, the value quoted
// without writing out a huge exponent, and the reason.
func TestMoney(t *testing.T) {
	tests := []struct {
		name string
		d    decimal.Decimal
		msg  string
	}{
		{"a usual amount", decimal.New(125, -2), ""},
		{"exponent 2^31 - 1", decimal.New(1, math.MaxInt32), "f: cash 1e2147483647: more than 30 digits before the point"},
		{"19 places", decimal.New(1, -19), "f: cash 0.0000000000000000001: more than 18 decimal places"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Money("f", "cash", tc.d)
			if tc.msg == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.msg)
		})
	}
}
