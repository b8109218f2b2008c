package funnel_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
	"github.com/kpiflow/kpi/internal/jsontest"
)

// quarterSeries is the quarter's monthly series (see TestCounter_Series).
func quarterSeries(t testing.TB) *funnel.Series {
	s, err := quarterCounter(t, funnel.Unique).Series(funnel.Periods{Grain: funnel.Month, Location: berlin}, quarterAsOf)
	require.NoError(t, err)
	return s
}

func TestGrain_MarshalText(t *testing.T) {
	tests := []struct {
		name string
		g    funnel.Grain
		want string
	}{
		{"day", funnel.Day, "day"},
		{"week", funnel.Week, "week"},
		{"month", funnel.Month, "month"},
		{"quarter", funnel.Quarter, "quarter"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.g.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(b))
			var back funnel.Grain
			require.NoError(t, back.UnmarshalText(b))
			assert.Equal(t, tc.g, back)
		})
	}
}

func TestGrain_TextErrors(t *testing.T) {
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"marshal none", func() error { _, err := funnel.Grain(0).MarshalText(); return err }, "funnel.Grain.MarshalText: grain 0: unknown grain"},
		{"marshal unknown", func() error { _, err := funnel.Grain(5).MarshalText(); return err }, "funnel.Grain.MarshalText: grain 5: unknown grain"},
		{"unmarshal empty", func() error { var g funnel.Grain; return g.UnmarshalText(nil) }, `funnel.Grain.UnmarshalText: grain "": unknown grain`},
		{"unmarshal capitalised", func() error { var g funnel.Grain; return g.UnmarshalText([]byte("Month")) }, `grain "Month": unknown grain`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestGrain_UnmarshalText(t *testing.T) {
	tests := []struct {
		name string
		text string
		want funnel.Grain
	}{
		{"week", "week", funnel.Week},
		{"quarter", "quarter", funnel.Quarter},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var g funnel.Grain
			require.NoError(t, g.UnmarshalText([]byte(tc.text)))
			assert.Equal(t, tc.want, g)
		})
	}
}

func TestPeriods_MarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		p    funnel.Periods
		want string
	}{
		{"berlin months", funnel.Periods{Grain: funnel.Month, Location: berlin}, `{"grain":"month","every":0,"location":"Europe/Berlin"}`},
		{"fortnights in UTC", funnel.Periods{Grain: funnel.Week, Every: 2, Location: time.UTC}, `{"grain":"week","every":2,"location":"UTC"}`},
		{"zero", funnel.Periods{}, `{"grain":0,"every":0,"location":null}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.p.MarshalJSON()
			require.NoError(t, err)
			assert.JSONEq(t, tc.want, string(b))
		})
	}
}

func TestPeriods_UnmarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want funnel.Periods
	}{
		{"berlin months", `{"grain":"month","every":0,"location":"Europe/Berlin"}`, funnel.Periods{Grain: funnel.Month, Location: berlin}},
		{"every left out", `{"grain":"day","location":"UTC"}`, funnel.Periods{Grain: funnel.Day, Location: time.UTC}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p funnel.Periods
			require.NoError(t, p.UnmarshalJSON([]byte(tc.in)))
			assert.Equal(t, tc.want.Grain, p.Grain)
			assert.Equal(t, tc.want.Every, p.Every)
			assert.Equal(t, tc.want.Location.String(), p.Location.String())
		})
	}
}

func TestPeriods_UnmarshalJSONErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"unknown key", `{"grain":"day","location":"UTC","tz":1}`, "unknown"},
		{"no location", `{"grain":"day"}`, "periods location nil: no time zone"},
		{"unknown location", `{"grain":"day","location":"Mars/Olympus"}`, `location "Mars/Olympus": not an IANA time zone`},
		{"local", `{"grain":"day","location":"Local"}`, `location "Local": not an IANA time zone`},
		{"unknown grain", `{"grain":"year","location":"UTC"}`, `grain "year": unknown grain`},
		{"negative every", `{"grain":"week","every":-1,"location":"UTC"}`, "periods every -1: a period of negative length"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p funnel.Periods
			err := p.UnmarshalJSON([]byte(tc.in))
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, funnel.Periods{}, p)
		})
	}
}

func TestPeriodStep_MarshalJSON(t *testing.T) {
	s := quarterSeries(t)
	tests := []struct {
		name string
		step funnel.PeriodStep
		want string
	}{
		{"march's sql, immature", s.Periods[2].Steps[1],
			`"mature":false,"open":{"successes":1,"trials":3,"value":0.3333333333333333},"estimate":0.5,"estimateInterval":{"lo":`},
		{"february's sql, no trials", s.Periods[1].Steps[1],
			`"mature":true,"open":{"successes":0,"trials":0,"value":null},"estimate":null,"estimateInterval":null,"entered":0}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.step.MarshalJSON()
			require.NoError(t, err)
			assert.Contains(t, string(b), tc.want)
			assert.True(t, strings.HasPrefix(string(b), `{"step":"sql","reached":`), string(b))
		})
	}
}

func TestSeries_WriteCSV(t *testing.T) {
	tests := []struct {
		name  string
		s     *funnel.Series
		lines int
		row   string
		also  string // a second line's text, when one is checked
	}{
		{"quarter", quarterSeries(t), 9,
			"2026-03,2026-03-01T00:00:00+01:00,2026-04-01T00:00:00+02:00,sql,1,0.3333333333333333,", ""},
		{"empty", &funnel.Series{}, 1, "label,start,end,step,reached,rate,lo,hi,method,level,cumulative,mature,open,estimate,estimateLo,estimateHi,estimateMethod,estimateLevel,entered,n,median,p90,mean", ""},
		// Built by hand, the first period without quantiles: the columns
		// came from the first period alone and the second's p75 was lost.
		{"quantiles after the first period", &funnel.Series{Periods: []funnel.Period{
			{Label: "a", Steps: []funnel.PeriodStep{{StepResult: funnel.StepResult{Step: "s"}}}},
			{Label: "b", Steps: []funnel.PeriodStep{{StepResult: funnel.StepResult{Step: "s", Time: funnel.Durations{
				N: 1, Median: time.Second, P90: time.Second, Mean: time.Second, Quantiles: []funnel.Quantile{{P: 0.75, Time: 7 * time.Second}}}}}}},
		}}, 3, ",entered,n,median,p90,mean,q0.75\n", ",0,1,1,1,1,7\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, tc.s.WriteCSV(&b))
			assert.Equal(t, tc.lines, strings.Count(b.String(), "\n"))
			assert.Contains(t, b.String(), tc.row)
			assert.Contains(t, b.String(), tc.also)
		})
	}
}

func TestSeries_WriteCSVErrors(t *testing.T) {
	tests := []struct {
		name string
		w    *failWriter
		want string
	}{
		{"nil writer", nil, "funnel.Series.WriteCSV: w <nil>: nil writer"},
		{"full disk", &failWriter{}, "disk full"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.w == nil {
				err = quarterSeries(t).WriteCSV(nil)
			} else {
				err = quarterSeries(t).WriteCSV(tc.w)
			}
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// TestSeriesGolden pins the JSON and CSV forms of the quarter's series.
func TestSeriesGolden(t *testing.T) {
	s := quarterSeries(t)
	js, err := json.MarshalIndent(s, "", "\t")
	require.NoError(t, err)
	var csv bytes.Buffer
	require.NoError(t, s.WriteCSV(&csv))
	trends, err := fivePeriods().Trends(0.95, funnel.TrendOptions{})
	require.NoError(t, err)
	tj, err := json.MarshalIndent(trends, "", "\t")
	require.NoError(t, err)
	tests := []struct {
		name string
		got  []byte
	}{
		{"series.json", append(js, '\n')},
		{"series.csv", csv.Bytes()},
		{"trends.json", append(tj, '\n')},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.True(t, jsontest.Golden(t, tc.name, tc.got))
		})
	}
}

func FuzzPeriodsUnmarshalJSON(f *testing.F) {
	f.Add([]byte(`{"grain":"month","every":1,"location":"Europe/Berlin"}`))
	f.Add([]byte(`{"grain":"quarter","every":400,"location":"UTC"}`))
	f.Add([]byte(`{"grain":"day","every":-1,"location":"../../etc/passwd"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p funnel.Periods
		if err := p.UnmarshalJSON(data); err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			return
		}
		out, err := p.MarshalJSON()
		require.NoError(t, err)
		var back funnel.Periods
		require.NoError(t, back.UnmarshalJSON(out), "%s", out)
		assert.Equal(t, p.Grain, back.Grain)
		assert.Equal(t, p.Every, back.Every)
		assert.Equal(t, p.Location.String(), back.Location.String())
	})
}
