package funnel_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi/funnel"
	"github.com/kpiflow/kpi/internal/jsontest"
)

// benchProjection is a plan of five stages, as Plan returns it.
func benchProjection() funnel.Projection {
	d := decimal.RequireFromString
	return funnel.Projection{Volumes: []funnel.Volume{
		{Stage: "Visit", Count: 120000, Cost: d("0")}, {Stage: "Lead", Count: 2400, Cost: d("109200.00")},
		{Stage: "MQL", Count: 960, Cost: d("0")}, {Stage: "SQL", Count: 400, Cost: d("12000")}, {Stage: "Won", Count: 40, Cost: d("0")}},
		Revenue: d("960000"), Budget: d("121200.00")}
}

func BenchmarkProjectionUnmarshalJSON(b *testing.B) {
	data, err := json.Marshal(benchProjection())
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		var p funnel.Projection
		if err := json.Unmarshal(data, &p); err != nil {
			b.Fatal(err)
		}
	}
}

func TestProjectionUnmarshalJSON(t *testing.T) {
	d := decimal.RequireFromString
	good := []struct {
		name string
		p    funnel.Projection
	}{
		{"plan", benchProjection()},
		{"zero", funnel.Projection{}},
		{"empty volumes", funnel.Projection{Volumes: []funnel.Volume{}, Revenue: d("1"), Budget: d("0")}},
		{"at the bound", funnel.Projection{Volumes: []funnel.Volume{{Stage: "Won", Count: 1, Cost: d(strings.Repeat("9", 30))}},
			Revenue: d("0.000000000000000001"), Budget: d("-1")}},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.p)
			require.NoError(t, err)
			var got funnel.Projection
			require.NoError(t, json.Unmarshal(b, &got))
			b2, err := json.Marshal(got)
			require.NoError(t, err)
			assert.Equal(t, string(b), string(b2))
			assert.True(t, tc.p.Revenue.Equal(got.Revenue))
		})
	}
	long := strings.Repeat("7", 1_000_000)
	bad := []struct {
		name, data string
		want       []string
	}{
		{"10^6 digits", `{"volumes":[],"revenue":"` + long + `"}`, []string{"revenue", "a value of 1000000 bytes: more than 64"}},
		{"10^6 digits cost", `{"volumes":[{"stage":"a"},{"stage":"b","cost":` + long + `}]}`, []string{"volumes[1].cost", "a value of 1000000 bytes"}},
		{"1e1000000000", `{"budget":"1e1000000000"}`, []string{"budget", `"1e1000000000"`, "more than 30 digits before the point"}},
		{"unknown key", `{"goal":"1"}`, []string{"goal"}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			var got funnel.Projection
			jsontest.Refused(t, &got, tc.data, tc.want...)
		})
	}
}

// A stored plan reads back; an amount beyond the bound on money is refused
// before decimal parses it.
func ExampleProjection_UnmarshalJSON() {
	var p funnel.Projection
	err := json.Unmarshal([]byte(`{"volumes":[{"stage":"Lead","count":2400,"cost":"109200"},{"stage":"Won","count":40,"cost":"0"}],`+
		`"revenue":"960000","budget":"109200"}`), &p)
	fmt.Println(p.Volumes[0].Count, p.Revenue, p.Budget, err)
	fmt.Println(json.Unmarshal([]byte(`{"volumes":[{"stage":"Lead","cost":"1e1000000000"}]}`), &p))
	// Output:
	// 2400 960000 109200 <nil>
	// funnel.Projection.UnmarshalJSON: volumes[0].cost "1e1000000000": more than 30 digits before the point
}

// TestVolumeUnmarshalJSON reads volumes alone, as a Projection's volumes
// hold them: back to the same bytes, and refused beyond the bound on money.
func TestVolumeUnmarshalJSON(t *testing.T) {
	d := decimal.RequireFromString
	good := []struct {
		name string
		v    funnel.Volume
	}{
		{"plan stage", funnel.Volume{Stage: "Lead", Count: 2400, Cost: d("109200.00")}},
		{"fractional count", funnel.Volume{Stage: "Won", Count: 39.5, Cost: d("0")}},
		{"at the bound", funnel.Volume{Stage: "SQL", Count: 1, Cost: d("-" + strings.Repeat("9", 30) + "." + strings.Repeat("9", 18))}},
		{"zero", funnel.Volume{}},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.v)
			require.NoError(t, err)
			var got funnel.Volume
			require.NoError(t, got.UnmarshalJSON(b))
			assert.Equal(t, tc.v.Stage, got.Stage)
			assert.Equal(t, tc.v.Count, got.Count)
			assert.True(t, tc.v.Cost.Equal(got.Cost), "%v vs %v", tc.v.Cost, got.Cost)
		})
	}
	bad := []struct {
		name, data string
		want       []string
	}{
		{"10^6 digits", `{"stage":"a","cost":"` + strings.Repeat("7", 1_000_000) + `"}`,
			[]string{`funnel.Volume.UnmarshalJSON: cost "7777`, "a value of 1000000 bytes: more than 64"}},
		{"1e1000000000", `{"cost":1e1000000000}`, []string{`funnel.Volume.UnmarshalJSON: cost "1e1000000000": more than 30 digits before the point`}},
		{"19 places", `{"cost":"0.0000000000000000001"}`, []string{"cost", "more than 18 decimal places"}},
		{"unknown key", `{"stage":"a","unitCost":"1"}`, []string{"funnel.Volume.UnmarshalJSON", `unknown field "unitCost"`}},
		{"count a string", `{"count":"12"}`, []string{"funnel.Volume.UnmarshalJSON: count", "cannot be decoded into float64"}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			var got funnel.Volume
			jsontest.Refused(t, &got, tc.data, tc.want...)
		})
	}
}

// A volume is read as a Projection's volumes hold it.
func ExampleVolume_UnmarshalJSON() {
	var v funnel.Volume
	err := json.Unmarshal([]byte(`{"stage":"Lead","count":2400,"cost":"109200.00"}`), &v)
	fmt.Println(v.Stage, v.Count, v.Cost, err)
	fmt.Println(json.Unmarshal([]byte(`{"stage":"Lead","cost":"1e40"}`), &v))
	// Output:
	// Lead 2400 109200 <nil>
	// funnel.Volume.UnmarshalJSON: cost "1e40": more than 30 digits before the point
}

// FuzzProjectionUnmarshalJSON reads the same bytes as a Projection and as
// a Volume: each is refused with an error wrapping kpi.ErrInvalid (under
// 1 KiB of text), or what was read writes JSON that reads back to the
// same bytes.
func FuzzProjectionUnmarshalJSON(f *testing.F) {
	b, err := json.Marshal(benchProjection())
	require.NoError(f, err)
	f.Add(b)
	f.Add([]byte(`{"volumes":[{"stage":"Lead","count":1e308,"cost":"-999999999999999999999999999999.999999999999999999"}],"revenue":0.5,"budget":null}`))
	f.Add([]byte(`{"stage":"Won","count":-0,"cost":"1e1000000000"}`))
	f.Add([]byte(`{"volumes":null,"revenue":"1e-18"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		jsontest.Reread[funnel.Projection](t, data)
		jsontest.Reread[funnel.Volume](t, data)
	})
}
