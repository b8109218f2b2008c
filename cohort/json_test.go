package cohort_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
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

func TestGrainText(t *testing.T) {
	tests := []struct {
		name string
		g    cohort.Grain
	}{
		{"month", cohort.Month},
		{"quarter", cohort.Quarter},
		{"week", cohort.Week},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.g.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.name, string(b))
			var back cohort.Grain
			require.NoError(t, back.UnmarshalText(b))
			assert.Equal(t, tt.g, back)
		})
	}
}

func TestGrainTextErrors(t *testing.T) {
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"unknown grain", func() error { _, err := cohort.Grain(9).MarshalText(); return err }, "cohort.Grain.MarshalText: grain 9: unknown grain"},
		{"capitalised", func() error { var g cohort.Grain; return g.UnmarshalText([]byte("Month")) }, `cohort.Grain.UnmarshalText: grain "Month": unknown grain`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.Error(t, err)
			assert.True(t, errors.Is(err, kpi.ErrInvalid))
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func TestSBGJSON(t *testing.T) {
	tests := []struct {
		name        string
		alpha, beta float64
		want        string
	}{
		// Fader and Hardie's (2007) regular-customer estimates, α 0.704 and β 1.182.
		{"regular", 0.704, 1.182, `{"alpha":0.704,"beta":1.182}`},
		{"a third", 1.0 / 3, 3, `{"alpha":0.3333333333333333,"beta":3}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := cohort.NewSBG(tt.alpha, tt.beta)
			require.NoError(t, err)
			b, err := m.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
			var back cohort.SBG
			require.NoError(t, back.UnmarshalJSON(b))
			assert.Equal(t, m, back)
		})
	}
}

func TestSBGUnmarshalJSONErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"negative", `{"alpha":-1,"beta":2}`, "cohort.NewSBG: alpha -1"},
		{"missing beta", `{"alpha":1}`, "cohort.SBG.UnmarshalJSON: alpha, beta missing: both are required"},
		{"NaN as a string", `{"alpha":"NaN","beta":2}`, "cohort.SBG.UnmarshalJSON: alpha string: cannot be decoded into float64"},
		{"unknown key", `{"alpha":1,"beta":2,"gamma":3}`, `cohort.SBG.UnmarshalJSON: JSON document: json: unknown field "gamma"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m cohort.SBG
			err := m.UnmarshalJSON([]byte(tt.in))
			require.Error(t, err)
			assert.True(t, errors.Is(err, kpi.ErrInvalid))
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestGoldenJSON pins the JSON forms of the package's results; go test
// -update rewrites testdata/*.json.
func TestGoldenJSON(t *testing.T) {
	tab := demoTable(t)
	tests := []struct {
		name string
		v    any
	}{
		{"table.json", tab},
		{"periods.json", tab.Periods()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.MarshalIndent(tt.v, "", "\t")
			require.NoError(t, err)
			jsontest.Golden(t, tt.name, append(b, '\n'))
		})
	}
}

// TestEveryTypeMarshals checks that no exported result type of the
// package marshals to {} or loses a field.
func TestEveryTypeMarshals(t *testing.T) {
	tab := demoTable(t)
	m, err := cohort.NewSBG(0.704, 1.182)
	require.NoError(t, err)
	proj := cohort.Projection{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Observed: 2, Survivors: []float64{10, 8, 7.1},
		Retention: []float64{1, 0.8, 0.71}, LTV: decimal.RequireFromString("812.40")}
	iv := kpi.Interval{Lo: 7, Hi: 7.4, Level: 0.95, Method: "delta-log"}
	jsontest.Check(t, ".", map[string]string{
		"Builder":     "an accumulator: its read-out, Table, has the JSON form",
		"SBGEstimate": "an estimate: its read-outs (Parameters, Survival, ...) have the JSON forms",
		"Columns":     "reader options, not a value to send",
	}, tab, tab.Cohorts[0], tab.Cohorts[0].Cells[1], tab.Cohorts[0].Cells[1].Movement, tab.Periods()[1], tab.Periods(), cohort.Week, m, proj, cohort.Projections{proj},
		cohort.Parameter{Name: "alpha", Value: 0.7, SE: 0.1, Interval: iv},
		cohort.Band{Projection: proj, Survivors: []kpi.Interval{iv}, Retention: []kpi.Interval{iv},
			LTV: kpi.MoneyInterval{Lo: decimal.New(700, 0), Hi: decimal.New(900, 0), Level: 0.95, Method: "delta-log"}},
		cohort.Bands{{Projection: proj, Survivors: []kpi.Interval{iv}, Retention: []kpi.Interval{iv},
			LTV: kpi.MoneyInterval{Lo: decimal.New(700, 0), Hi: decimal.New(900, 0), Level: 0.95, Method: "delta-log"}}},
		cohort.Cost{Channel: "ads", Line: "2026-01", Amount: decimal.New(5, 0)},
		cohort.Acquisition{Channel: "ads", Spend: decimal.New(5000, 0), Customers: 10},
		cohort.Customer{ID: "a", Acquired: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Segment: "ads"},
		cohort.Revenue{CustomerID: "a", At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Amount: decimal.New(100, 0)},
		cohort.Subscription{CustomerID: "a", Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Amount: decimal.New(100, 0)})
}

func FuzzSBGUnmarshalJSON(f *testing.F) {
	f.Add([]byte(`{"alpha":0.704,"beta":1.182}`))
	f.Add([]byte(`{"alpha":1e-320,"beta":1e308}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m cohort.SBG
		if err := m.UnmarshalJSON(data); err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			return
		}
		b, err := m.MarshalJSON()
		require.NoError(t, err)
		var back cohort.SBG
		require.NoError(t, back.UnmarshalJSON(b), "%s", b)
		assert.Equal(t, m, back)
	})
}

// A grain reads in JSON as its name.
func ExampleGrain_MarshalText() {
	b, _ := json.Marshal([]cohort.Grain{cohort.Month, cohort.Week})
	fmt.Println(string(b))
	// Output:
	// ["month","week"]
}

// A grain is read back from its name.
func ExampleGrain_UnmarshalText() {
	var g cohort.Grain
	fmt.Println(g.UnmarshalText([]byte("quarter")), g)
	// Output:
	// <nil> quarter
}

// A fitted sBG model is stored as its two parameters.
func ExampleSBG_MarshalJSON() {
	m, _ := cohort.NewSBG(0.704, 1.182)
	b, _ := json.Marshal(m)
	fmt.Println(string(b))
	// Output:
	// {"alpha":0.704,"beta":1.182}
}

// A stored sBG model is loaded without refitting, checked as NewSBG checks it.
func ExampleSBG_UnmarshalJSON() {
	var m cohort.SBG
	fmt.Println(json.Unmarshal([]byte(`{"alpha":0.704,"beta":1.182}`), &m), m.Alpha(), m.Beta())
	fmt.Println(json.Unmarshal([]byte(`{"alpha":0,"beta":1}`), &m))
	// Output:
	// <nil> 0.704 1.182
	// cohort.NewSBG: alpha 0: must be a finite number > 0
}

// errWriter fails every write.
type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestTableWriteCSV(t *testing.T) {
	tests := []struct {
		name  string
		tab   *cohort.Table
		lines int
		first string
	}{
		{"demo", demoTable(t), 1 + cellCount(demoTable(t)), "start,size,age,active,survivors,revenue,opening,new,expansion,reactivation,contraction,churn,openingAccounts,newAccounts,reactivated,churned"},
		{"empty", &cohort.Table{}, 1, "start,size,age,active,survivors,revenue,opening,new,expansion,reactivation,contraction,churn,openingAccounts,newAccounts,reactivated,churned"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, tt.tab.WriteCSV(&b))
			lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			assert.Len(t, lines, tt.lines)
			assert.Equal(t, tt.first, lines[0])
			if tt.lines > 1 { // the first cohort at age 0: every account is new
				c := tt.tab.Cohorts[0]
				assert.True(t, strings.HasPrefix(lines[1], c.Start.Format("2006-01-02")+","+strconv.FormatInt(c.Size, 10)+",0,"))
			}
		})
	}
}

func cellCount(t *cohort.Table) int {
	n := 0
	for _, c := range t.Cohorts {
		n += len(c.Cells)
	}
	return n
}

func TestTableWriteCSVErrors(t *testing.T) {
	tests := []struct {
		name string
		w    io.Writer
		want string
	}{
		{"nil writer", nil, "cohort.Table.WriteCSV: w <nil>: nil writer"},
		{"full disk", errWriter{}, "disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := demoTable(t).WriteCSV(tt.w)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

// The cohort table as CSV, one row per cohort and age reached.
func ExampleTable_WriteCSV() {
	tab, _ := exampleBuilder().Table(date(2024, 2, 1))
	_ = tab.WriteCSV(os.Stdout)
	// Output:
	// start,size,age,active,survivors,revenue,opening,new,expansion,reactivation,contraction,churn,openingAccounts,newAccounts,reactivated,churned
	// 2024-01-01,2,0,2,2,150,0,150,0,0,0,0,0,2,0,0
	// 2024-01-01,2,1,1,1,120,150,0,20,0,0,50,2,0,0,1
	// 2024-02-01,1,0,1,1,80,0,80,0,0,0,0,0,1,0,0
}
