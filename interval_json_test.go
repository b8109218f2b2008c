package kpi_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/jsontest"
)

// TestIntervalUnmarshalJSON reads intervals back as encoding/json writes
// them and refuses, as MoneyInterval does, what no function returns.
func TestIntervalUnmarshalJSON(t *testing.T) {
	good := []struct {
		name string
		iv   kpi.Interval
	}{
		{"Wilson", kpi.Interval{Lo: 0.3401, Hi: 0.4633, Level: 0.95, Method: "Wilson"}},
		{"exact, one point", kpi.Interval{Lo: 1, Hi: 1, Level: 0.95, Method: "exact"}},
		{"negative ends", kpi.Interval{Lo: -0.25, Hi: -1e-300, Level: 0.999999, Method: "Newcombe"}},
		{"zero", kpi.Interval{}},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.iv)
			require.NoError(t, err)
			var got kpi.Interval
			require.NoError(t, got.UnmarshalJSON(b))
			assert.Equal(t, tc.iv, got)
		})
	}
	bad := []struct {
		name, data string
		want       []string
	}{
		{"level 1", `{"lo":0.1,"hi":0.2,"level":1}`, []string{"kpi.Interval.UnmarshalJSON: level 1: outside [0, 1)"}},
		{"level in percent", `{"lo":0.1,"hi":0.2,"level":95,"method":"Wilson"}`, []string{"level 95: outside [0, 1)"}},
		{"level below 0", `{"level":-0.5}`, []string{"level -0.5: outside [0, 1)"}},
		{"ends out of order", `{"lo":0.46,"hi":0.34,"level":0.95}`, []string{"kpi.Interval.UnmarshalJSON: lo 0.46: above hi 0.34"}},
		{"lo above a missing hi", `{"lo":1e-9}`, []string{"lo 1e-09: above hi 0"}},
		{"out of float64's range", `{"hi":1e400}`, []string{"kpi.Interval.UnmarshalJSON: hi", "cannot be decoded into float64"}},
		{"unknown key", `{"lo":0,"hi":1,"upper":1}`, []string{"kpi.Interval.UnmarshalJSON", `unknown field "upper"`}},
		{"level a string", `{"level":"0.95"}`, []string{"level"}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			var got kpi.Interval
			jsontest.Refused(t, &got, tc.data, tc.want...)
			assert.Equal(t, kpi.Interval{}, got)
		})
	}
}

// FuzzIntervalUnmarshalJSON holds that an interval read is one a function
// could return, and reads back as itself.
func FuzzIntervalUnmarshalJSON(f *testing.F) {
	for _, s := range []string{
		`{"lo":0.3401,"hi":0.4633,"level":0.95,"method":"Wilson"}`,
		`{"lo":-1e308,"hi":1e308,"level":0.5}`,
		`{"lo":2,"hi":1}`,
		`{"level":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if v := jsontest.Reread[kpi.Interval](t, data); v != nil {
			require.True(t, v.Level >= 0 && v.Level < 1, "level %v", v.Level)
			require.LessOrEqual(t, v.Lo, v.Hi)
		}
	})
}

// A stored interval reads back; one with its level in percent is refused.
func ExampleInterval_UnmarshalJSON() {
	var iv kpi.Interval
	err := json.Unmarshal([]byte(`{"lo":0.3401,"hi":0.4633,"level":0.95,"method":"Wilson"}`), &iv)
	fmt.Println(iv, err)
	fmt.Println(json.Unmarshal([]byte(`{"lo":0.3401,"hi":0.4633,"level":95,"method":"Wilson"}`), &iv))
	// Output:
	// [0.3401, 0.4633] 95% Wilson <nil>
	// kpi.Interval.UnmarshalJSON: level 95: outside [0, 1)
}
