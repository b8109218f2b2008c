package cohort_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
)

// TestPeriodsWriteCSV checks a period written by hand, and that the demo
// table's periods write under their JSON keys the values their JSON form
// has.
func TestPeriodsWriteCSV(t *testing.T) {
	d := decimal.RequireFromString
	hand := cohort.Periods{{Start: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), Movement: cohort.Movement{
		Opening: d("150"), New: d("200"), Expansion: d("20.50"), Churn: d("50"), OpeningAccounts: 2, NewAccounts: 1, Churned: 1}}}
	tests := []struct {
		name string
		ps   cohort.Periods
		want string
	}{
		{"by hand", hand, "start,opening,new,expansion,reactivation,contraction,churn,openingAccounts,newAccounts,reactivated,churned\n" +
			"2024-02-01,150,200,20.5,0,0,50,2,1,0,1\n"},
		{"none", nil, "start,opening,new,expansion,reactivation,contraction,churn,openingAccounts,newAccounts,reactivated,churned\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, tt.ps.WriteCSV(&b))
			assert.Equal(t, tt.want, b.String())
		})
	}
	t.Run("as the JSON form", func(t *testing.T) {
		ps := demoTable(t).Periods()
		var b strings.Builder
		require.NoError(t, ps.WriteCSV(&b))
		rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
		require.NoError(t, err)
		require.Len(t, rows, len(ps)+1)
		for i, p := range ps {
			js, err := json.Marshal(p)
			require.NoError(t, err)
			var obj map[string]any
			require.NoError(t, json.Unmarshal(js, &obj))
			for j, key := range rows[0] {
				want := fmt.Sprint(obj[key])
				if key == "start" {
					want = p.Start.Format(time.DateOnly)
				}
				assert.Equal(t, want, rows[i+1][j], "period %d %s", i, key)
			}
		}
	})
}

// handProjection is a cohort of 10 observed for two ages and projected
// for a third.
var handProjection = cohort.Projection{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Observed: 2,
	Survivors: []float64{10, 8, 7.1}, Retention: []float64{1, 0.8, 0.71}, LTV: decimal.RequireFromString("812.40")}

func TestProjectionsWriteCSV(t *testing.T) {
	never := handProjection
	never.Survivors, never.Retention = []float64{0, 0}, nil
	tests := []struct {
		name string
		ps   cohort.Projections
		want string
	}{
		{"three ages", cohort.Projections{handProjection}, "start,observed,ltv,age,survivors,retention\n" +
			"2026-01-01,2,812.4,0,10,1\n2026-01-01,2,812.4,1,8,0.8\n2026-01-01,2,812.4,2,7.1,0.71\n"},
		{"no customer ever paid", cohort.Projections{never}, "start,observed,ltv,age,survivors,retention\n" +
			"2026-01-01,2,812.4,0,0,\n2026-01-01,2,812.4,1,0,\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, tt.ps.WriteCSV(&b))
			assert.Equal(t, tt.want, b.String())
		})
	}
}

func TestBandsWriteCSV(t *testing.T) {
	obs := func(v float64) kpi.Interval { return kpi.Interval{Lo: v, Hi: v, Level: 0.95, Method: "observed"} }
	band := cohort.Band{Projection: handProjection,
		Survivors: []kpi.Interval{obs(10), obs(8), {Lo: 6.5, Hi: 7.5, Level: 0.95, Method: "delta-logit"}},
		Retention: []kpi.Interval{obs(1), obs(0.8), {Lo: 0.65, Hi: 0.75, Level: 0.95, Method: "delta-logit"}},
		LTV:       kpi.MoneyInterval{Lo: decimal.RequireFromString("700"), Hi: decimal.RequireFromString("900.5"), Level: 0.95, Method: "delta-log"}}
	short := cohort.Band{Projection: handProjection}
	const header = "start,observed,ltv,ltvLo,ltvHi,ltvMethod,age,survivors,survivorsLo,survivorsHi,retention,retentionLo,retentionHi,method,level\n"
	tests := []struct {
		name string
		bs   cohort.Bands
		want string
	}{
		{"three ages", cohort.Bands{band}, header +
			"2026-01-01,2,812.4,700,900.5,delta-log,0,10,10,10,1,1,1,observed,0.95\n" +
			"2026-01-01,2,812.4,700,900.5,delta-log,1,8,8,8,0.8,0.8,0.8,observed,0.95\n" +
			"2026-01-01,2,812.4,700,900.5,delta-log,2,7.1,6.5,7.5,0.71,0.65,0.75,delta-logit,0.95\n"},
		{"without intervals", cohort.Bands{short}, header +
			"2026-01-01,2,812.4,0,0,,0,10,,,1,,,,\n2026-01-01,2,812.4,0,0,,1,8,,,0.8,,,,\n2026-01-01,2,812.4,0,0,,2,7.1,,,0.71,,,,\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, tt.bs.WriteCSV(&b))
			assert.Equal(t, tt.want, b.String())
		})
	}
}

func TestResultsWriteCSVErrors(t *testing.T) {
	tables := map[string]interface{ WriteCSV(io.Writer) error }{
		"Periods": demoTable(t).Periods(), "Projections": cohort.Projections{handProjection}, "Bands": cohort.Bands{{Projection: handProjection}}}
	tests := []struct {
		name string
		w    io.Writer
		want string
	}{
		{"nil writer", nil, ".WriteCSV: w <nil>: nil writer"},
		{"writer fails", errWriter{}, "disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for name, tab := range tables {
				err := tab.WriteCSV(tt.w)
				require.Error(t, err, name)
				assert.ErrorContains(t, err, tt.want, name)
			}
		})
	}
}

// TestResultsWriteCSVMoneyErrors writes results built by hand that hold
// decimal.New(1, 1<<30), 1 and 2³⁰ zeros: each WriteCSV returns an error
// wrapping kpi.ErrInvalid that names the line (the header is line 1) and
// the column and quotes the amount short, and w holds the lines before it,
// not a billion digits.
func TestResultsWriteCSVMoneyErrors(t *testing.T) {
	huge := decimal.New(1, 1<<30)
	start := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	bad := handProjection
	bad.LTV = huge
	band := cohort.Band{Projection: handProjection}
	band.LTV.Lo, band.LTV.Hi = huge.Neg(), huge
	tests := []struct {
		name  string
		table interface{ WriteCSV(io.Writer) error }
		want  string
		lines int // lines written before the error
	}{
		{"periods' churn", cohort.Periods{{Start: start}, {Start: start, Movement: cohort.Movement{Churn: huge}}},
			"cohort.Periods.WriteCSV: line 3 churn 1e1073741824: more than 30 digits before the point", 2},
		{"periods' opening", cohort.Periods{{Start: start, Movement: cohort.Movement{Opening: decimal.New(1, -(1 << 30))}}},
			"cohort.Periods.WriteCSV: line 2 opening 1e-1073741824: more than 18 decimal places", 1},
		{"projection's LTV", cohort.Projections{handProjection, bad},
			"cohort.Projections.WriteCSV: line 5 ltv 1e1073741824: more than 30 digits before the point", 4},
		{"band's LTV interval", cohort.Bands{band},
			"cohort.Bands.WriteCSV: line 2 ltvLo -1e1073741824: more than 30 digits before the point", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			err := tt.table.WriteCSV(&b)
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Equal(t, tt.want, err.Error())
			assert.Less(t, len(err.Error()), 200)
			assert.Equal(t, tt.lines, strings.Count(b.String(), "\n"))
		})
	}
}

// The movement of the whole base's revenue per month, as CSV.
func ExamplePeriods_WriteCSV() {
	t, _ := exampleBuilder().Table(date(2024, 3, 1))
	_ = t.Periods().WriteCSV(os.Stdout)
	// Output:
	// start,opening,new,expansion,reactivation,contraction,churn,openingAccounts,newAccounts,reactivated,churned
	// 2024-01-01,0,150,0,0,0,0,0,2,0,0
	// 2024-02-01,150,80,20,0,0,50,2,1,0,1
	// 2024-03-01,200,0,0,0,0,0,2,0,0,0
}

// A cohort's survivors projected two periods past its data, as CSV.
func ExampleProjections_WriteCSV() {
	t := bandTable()
	m, _ := t.FitSBG()
	ps, _ := t.Project(m, 6, 0.8, 0.01)
	_ = ps.WriteCSV(os.Stdout)
	// Output:
	// start,observed,ltv,age,survivors,retention
	// 2024-01-01,4,69.535997,0,1000,1
	// 2024-01-01,4,69.535997,1,631,0.631
	// 2024-01-01,4,69.535997,2,468,0.468
	// 2024-01-01,4,69.535997,3,382,0.382
	// 2024-01-01,4,69.535997,4,323.48937798661865,0.32348937798661864
	// 2024-01-01,4,69.535997,5,282.04109175066526,0.2820410917506653
}

// The same projection with its 95 % band, as CSV.
func ExampleBands_WriteCSV() {
	t := bandTable()
	e, _ := t.EstimateSBG()
	bands, _ := t.ProjectBands(e, 6, 0.8, 0.01, 0.95)
	_ = bands.WriteCSV(os.Stdout)
	// Output:
	// start,observed,ltv,ltvLo,ltvHi,ltvMethod,age,survivors,survivorsLo,survivorsHi,retention,retentionLo,retentionHi,method,level
	// 2024-01-01,4,69.535997,54.22194,91.672673,delta-log,0,1000,1000,1000,1,1,1,observed,0.95
	// 2024-01-01,4,69.535997,54.22194,91.672673,delta-log,1,631,631,631,0.631,0.631,0.631,observed,0.95
	// 2024-01-01,4,69.535997,54.22194,91.672673,delta-log,2,468,468,468,0.468,0.468,0.468,observed,0.95
	// 2024-01-01,4,69.535997,54.22194,91.672673,delta-log,3,382,382,382,0.382,0.382,0.382,observed,0.95
	// 2024-01-01,4,69.535997,54.22194,91.672673,delta-log,4,323.48937798661865,312.83652343912934,332.75969508492994,0.32348937798661864,0.3128365234391293,0.3327596950849299,delta-logit,0.95
	// 2024-01-01,4,69.535997,54.22194,91.672673,delta-log,5,282.04109175066526,264.5552716338772,297.75257251077005,0.2820410917506653,0.2645552716338772,0.29775257251077003,delta-logit,0.95
}
