package kpi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/jsontest"
)

func BenchmarkMoneyIntervalUnmarshalJSON(b *testing.B) {
	data, err := json.Marshal(kpi.MoneyInterval{Lo: decimal.RequireFromString("101.25"), Hi: decimal.RequireFromString("188.40"),
		Level: 0.95, Method: "delta-log"})
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		var v kpi.MoneyInterval
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
	}
}

func TestMoneyIntervalUnmarshalJSON(t *testing.T) {
	d := decimal.RequireFromString
	// Round trips: MarshalJSON's form reads back as the same interval.
	good := []struct {
		name string
		iv   kpi.MoneyInterval
	}{
		{"delta-log", kpi.MoneyInterval{Lo: d("101.25"), Hi: d("188.40"), Level: 0.95, Method: "delta-log"}},
		{"zero", kpi.MoneyInterval{}},
		{"at the bound", kpi.MoneyInterval{Lo: d("-" + strings.Repeat("9", 30)), Hi: d("0.000000000000000001"), Level: 0.9, Method: "m"}},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.iv)
			require.NoError(t, err)
			var got kpi.MoneyInterval
			require.NoError(t, json.Unmarshal(b, &got))
			assert.True(t, tc.iv.Lo.Equal(got.Lo), "lo %s", got.Lo)
			assert.True(t, tc.iv.Hi.Equal(got.Hi), "hi %s", got.Hi)
			assert.Equal(t, tc.iv.Level, got.Level)
			assert.Equal(t, tc.iv.Method, got.Method)
		})
	}
	t.Run("numbers and null", func(t *testing.T) {
		var got kpi.MoneyInterval
		require.NoError(t, json.Unmarshal([]byte(`{"lo":-1.5e2,"hi":null,"level":0.95,"method":"m"}`), &got))
		assert.Equal(t, "[-150, 0] 95% m", got.String())
	})
	long := strings.Repeat("7", 1_000_000)
	bad := []struct {
		name, data string
		want       []string // in the message
	}{
		{"10^6 digits", `{"lo":"` + long + `","hi":"1"}`, []string{"lo", "a value of 1000000 bytes: more than 64"}},
		{"10^6 digits number", `{"lo":"1","hi":` + long + `}`, []string{"hi", "a value of 1000000 bytes"}},
		{"1e1000000000", `{"lo":"0","hi":"1e1000000000"}`, []string{"hi", `"1e1000000000"`, "more than 30 digits before the point"}},
		{"-2.5e-1000000000", `{"lo":-2.5e-1000000000}`, []string{"lo", "more than 18 decimal places"}},
		{"not a number", `{"lo":"ten"}`, []string{"lo", `"ten"`, "not a number"}},
		{"a boolean", `{"hi":true}`, []string{"hi", "not a number"}},
		{"unknown key", `{"low":"1"}`, []string{"low"}},
		{"level a string", `{"level":"0.95"}`, []string{"level"}},
		// An interval no function returns: a level of 1 or more, or below
		// 0, and ends out of order.
		{"level 1", `{"lo":"1","hi":"2","level":1}`, []string{"kpi.MoneyInterval.UnmarshalJSON: level 1: outside [0, 1)"}},
		{"level in percent", `{"lo":"1","hi":"2","level":95}`, []string{"level 95: outside [0, 1)"}},
		{"level below 0", `{"level":-0.05}`, []string{"level -0.05: outside [0, 1)"}},
		{"ends out of order", `{"lo":"188.4","hi":"101.25","level":0.95}`, []string{"kpi.MoneyInterval.UnmarshalJSON: lo 188.4: above hi 101.25"}},
		{"lo above a null hi", `{"lo":"0.01","hi":null}`, []string{"lo 0.01: above hi 0"}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			var got kpi.MoneyInterval
			jsontest.Refused(t, &got, tc.data, tc.want...)
			assert.Equal(t, kpi.MoneyInterval{}, got)
		})
	}
}

func FuzzMoneyIntervalUnmarshalJSON(f *testing.F) {
	for _, s := range []string{
		`{"lo":"101.25","hi":"188.4","level":0.95,"method":"delta-log"}`,
		`{"lo":null,"hi":-1.5e2}`,
		`{"lo":"1","hi":"1","level":0.999999}`,
		`{"lo":"1e1000000000"}`,
		`{"hi":"` + strings.Repeat("9", 100) + `"}`,
		`{"lo":"−2","hi":"0.000000000000000001"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if v := jsontest.Reread[kpi.MoneyInterval](t, data); v != nil {
			require.True(t, v.Level >= 0 && v.Level < 1, "level %v", v.Level)
			require.True(t, v.Lo.LessThanOrEqual(v.Hi), "%v", v)
		}
	})
}
