package cohort_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
	"github.com/kpiflow/kpi/internal/jsontest"
)

// benchProjection is a cohort projected to six ages, four observed.
func benchProjection() cohort.Projection {
	return cohort.Projection{Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Observed: 4,
		Survivors: []float64{1000, 640, 492, 397, 335.2, 287.9}, Retention: []float64{1, 0.64, 0.492, 0.397, 0.3352, 0.2879},
		LTV: decimal.RequireFromString("512.254321")}
}

// benchBand is benchProjection's band.
func benchBand() cohort.Band {
	p := benchProjection()
	b := cohort.Band{Projection: p, LTV: kpi.MoneyInterval{Lo: decimal.RequireFromString("488.1"), Hi: decimal.RequireFromString("530.77"),
		Level: 0.95, Method: "delta-log"}}
	for a, s := range p.Survivors {
		m := "observed"
		if a >= p.Observed {
			m = "delta-logit"
		}
		b.Survivors = append(b.Survivors, kpi.Interval{Lo: s, Hi: s, Level: 0.95, Method: m})
		b.Retention = append(b.Retention, kpi.Interval{Lo: p.Retention[a], Hi: p.Retention[a], Level: 0.95, Method: m})
	}
	return b
}

func BenchmarkProjectionUnmarshalJSON(b *testing.B) {
	data, err := json.Marshal(benchProjection())
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		var p cohort.Projection
		if err := json.Unmarshal(data, &p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBandUnmarshalJSON(b *testing.B) {
	data, err := json.Marshal(benchBand())
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		var v cohort.Band
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
	}
}

func TestProjectionUnmarshalJSON(t *testing.T) {
	good := []struct {
		name string
		p    cohort.Projection
	}{
		{"projected", benchProjection()},
		{"zero", cohort.Projection{}},
		{"no retention", cohort.Projection{Survivors: []float64{0, 0}, LTV: decimal.RequireFromString("-" + strings.Repeat("9", 30))}},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.p)
			require.NoError(t, err)
			var got cohort.Projection
			require.NoError(t, json.Unmarshal(b, &got))
			b2, err := json.Marshal(got)
			require.NoError(t, err)
			assert.Equal(t, string(b), string(b2))
			assert.True(t, tc.p.LTV.Equal(got.LTV))
		})
	}
	long := strings.Repeat("7", 1_000_000)
	bad := []struct {
		name, data string
		want       []string
	}{
		{"10^6 digits", `{"ltv":"` + long + `"}`, []string{"ltv", "a value of 1000000 bytes: more than 64"}},
		{"1e1000000000", `{"ltv":1e1000000000}`, []string{"ltv", `"1e1000000000"`, "more than 30 digits before the point"}},
		{"unknown key", `{"size":3}`, []string{"size"}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			var got cohort.Projection
			jsontest.Refused(t, &got, tc.data, tc.want...)
		})
	}
}

func TestBandUnmarshalJSON(t *testing.T) {
	good := []struct {
		name string
		b    cohort.Band
	}{
		{"projected", benchBand()},
		{"zero", cohort.Band{}},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.b)
			require.NoError(t, err)
			var got cohort.Band
			require.NoError(t, json.Unmarshal(b, &got))
			b2, err := json.Marshal(got)
			require.NoError(t, err)
			assert.Equal(t, string(b), string(b2))
		})
	}
	long := strings.Repeat("7", 1_000_000)
	bad := []struct {
		name, data string
		want       []string
	}{
		{"10^6 digits in the projection", `{"projection":{"ltv":"` + long + `"}}`, []string{"projection.ltv", "a value of 1000000 bytes: more than 64"}},
		{"10^6 digits in the interval", `{"ltv":{"lo":0,"hi":` + long + `}}`, []string{"ltv.hi", "a value of 1000000 bytes"}},
		{"1e1000000000", `{"ltv":{"lo":"1e1000000000"}}`, []string{"ltv.lo", `"1e1000000000"`, "more than 30 digits before the point"}},
		{"unknown key", `{"band":[]}`, []string{"band"}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			var got cohort.Band
			jsontest.Refused(t, &got, tc.data, tc.want...)
		})
	}
}

// A stored projection reads back; an LTV beyond the bound on money is
// refused before decimal parses it.
func ExampleProjection_UnmarshalJSON() {
	var p cohort.Projection
	err := json.Unmarshal([]byte(`{"start":"2024-01-01T00:00:00Z","observed":2,"survivors":[1000,640,492],"retention":[1,0.64,0.492],"ltv":"512.25"}`), &p)
	fmt.Println(p.Observed, p.Survivors, p.LTV, err)
	fmt.Println(json.Unmarshal([]byte(`{"ltv":"1e1000000000"}`), &p))
	// Output:
	// 2 [1000 640 492] 512.25 <nil>
	// cohort.Projection.UnmarshalJSON: ltv "1e1000000000": more than 30 digits before the point
}

// A stored band reads back, its amounts bounded in the projection and in
// the LTV's interval.
func ExampleBand_UnmarshalJSON() {
	var b cohort.Band
	err := json.Unmarshal([]byte(`{"projection":{"observed":1,"survivors":[1000],"ltv":"512.25"},`+
		`"survivors":[{"lo":1000,"hi":1000,"level":0.95,"method":"observed"}],"ltv":{"lo":"488.1","hi":"530.77","level":0.95,"method":"delta-log"}}`), &b)
	fmt.Println(b.Projection.LTV, b.LTV, err)
	fmt.Println(json.Unmarshal([]byte(`{"ltv":{"hi":"1e1000000000"}}`), &b))
	// Output:
	// 512.25 [488.1, 530.77] 95% delta-log <nil>
	// cohort.Band.UnmarshalJSON: ltv.hi "1e1000000000": more than 30 digits before the point
}
