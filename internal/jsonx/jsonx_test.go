package jsonx

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
)

type wire struct {
	Name  string `json:"name"`
	Count int64  `json:"count"`
	Rate  kpi.Rate
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"unknown key", `{"name":"a","extra":1}`, `f: JSON document: json: unknown field "extra"`},
		{"wrong type", `{"count":"7"}`, `f: count string: cannot be decoded into int64`},
		{"beyond int64", `{"count":1e30}`, `f: count number 1e30: cannot be decoded into int64`},
		{"syntax", `{"name":`, `f: JSON document: unexpected EOF`},
		{"bad character", `{"name":x}`, `f: JSON offset 9: invalid character 'x' looking for beginning of value`},
		{"trailing", `{"name":"a"} {}`, `f: JSON trailing data: one value expected`},
		{"not an object", `[1]`, `f: JSON array: cannot be decoded into jsonx.wire`},
		{"nested error", `{"Rate":{"successes":3,"trials":2}}`, `kpi.Rate.UnmarshalJSON: successes 3: exceeds trials 2`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w wire
			err := Decode("f", []byte(tt.in), &w)
			require.Error(t, err)
			assert.True(t, errors.Is(err, kpi.ErrInvalid))
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name, in string
		want     wire
	}{
		{"all keys", `{"name":"a","count":7}`, wire{Name: "a", Count: 7}},
		{"some keys", `{"count":2}`, wire{Count: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w wire
			require.NoError(t, Decode("f", []byte(tt.in), &w))
			assert.Equal(t, tt.want, w)
		})
	}
}

func TestRateInterval(t *testing.T) {
	r, err := kpi.NewRate(96, 240)
	require.NoError(t, err)
	tests := []struct {
		name   string
		r      kpi.Rate
		method kpi.Method
		level  float64
		want   *kpi.Interval
	}{
		// R: prop.test(96, 240, correct = FALSE)$conf.int = 0.340065859026 0.463084924962
		{"Wilson", r, kpi.Wilson, 0.95, &kpi.Interval{Lo: 0.340065859026, Hi: 0.463084924962, Method: "Wilson", Level: 0.95}},
		{"no trials", kpi.Rate{}, kpi.Wilson, 0.95, nil},
		{"bad level", r, kpi.Wilson, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RateInterval(tt.r, tt.method, tt.level)
			if tt.want == nil {
				assert.Nil(t, got)
				return
			}
			require.NotNil(t, got)
			assert.InDelta(t, tt.want.Lo, got.Lo, 1e-11)
			assert.InDelta(t, tt.want.Hi, got.Hi, 1e-11)
			assert.Equal(t, tt.want.Method, got.Method)
		})
	}
}

func TestFloat(t *testing.T) {
	tests := []struct {
		name string
		v    float64
		nil  bool
	}{
		{"finite", 1.5, false},
		{"NaN", math.NaN(), true},
		{"Inf", math.Inf(-1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Float(tt.v)
			if tt.nil {
				assert.Nil(t, got)
			} else {
				assert.Equal(t, tt.v, *got)
			}
		})
	}
}
