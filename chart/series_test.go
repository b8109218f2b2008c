package chart_test

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/chart"
	"github.com/kpiflow/kpi/funnel"
)

// leadWeeks is twelve ISO weeks of a lead → sql funnel with a 14-day
// window, from Monday 5 January 2026 (2026-W02), looked at on Sunday 29
// March 12:00 UTC (seriesAsOf). In week w, 30 leads come in, lead i on
// day i mod 5 of the week at 10:00, and the first s_w = 10 + (5w mod 7)
// of them reach sql 1 + 2·(i mod 6) days after their lead, unless that is
// after the as-of time. By hand:
//
//	week  s_w  sql by 29 Mar          mature: week's end + 14 days ≤ 29 Mar 12:00
//	0     10   10  (10/30)            yes
//	8     15   15                     yes: ends 9 Mar, 23 Mar
//	9     13   13  (13/30)            no: ends 16 Mar, 30 Mar
//	10    11   11: the last on 27 Mar no
//	11    16   6: leads 0, 1, 6, 7, 12, 13 (day i mod 5 + 1 + 2·(i mod 6) ≤ 6)   no
func leadWeeks() []funnel.Event {
	start := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	var evs []funnel.Event
	for w := range 12 {
		for i := range 30 {
			id := string(rune('A'+w)) + string(rune('a'+i))
			lead := start.AddDate(0, 0, 7*w+i%5)
			evs = append(evs, funnel.Event{Entity: id, Name: "lead", Time: lead})
			if sql := lead.AddDate(0, 0, 1+2*(i%6)); i < 10+(5*w)%7 && sql.Before(seriesAsOf) {
				evs = append(evs, funnel.Event{Entity: id, Name: "sql", Time: sql})
			}
		}
	}
	return evs
}

var seriesAsOf = time.Date(2026, 3, 29, 12, 0, 0, 0, time.UTC)

// leadSeries is leadWeeks' weekly series.
func leadSeries(t testing.TB) *funnel.Series {
	t.Helper()
	c, err := funnel.NewCounter(funnel.Definition{Steps: []funnel.Match{{Event: "lead"}, {Event: "sql"}}, Window: 14 * 24 * time.Hour})
	require.NoError(t, err)
	require.NoError(t, c.AddAll(slices.Values(leadWeeks())))
	s, err := c.Series(funnel.Periods{Grain: funnel.Week, Location: time.UTC}, seriesAsOf)
	require.NoError(t, err)
	return s
}

// TestStepPeriods reads the sql step of the twelve weeks (and of a
// month-by-month cut of them) against the hand calculation at
// leadWeeks, and draws it: the immature weeks hollow.
func TestStepPeriods(t *testing.T) {
	weekly := leadSeries(t)
	tests := []struct {
		name     string
		series   *funnel.Series
		labels   map[int]string
		rates    map[int][2]int64 // period: successes, trials
		immature []int
		golden   string
	}{
		{"weeks", weekly, map[int]string{0: "2026-W02", 11: "2026-W13"},
			map[int][2]int64{0: {10, 30}, 9: {13, 30}, 10: {11, 30}, 11: {6, 30}}, []int{9, 10, 11}, "trend-series"},
		{"one period", &funnel.Series{Periods: weekly.Periods[:1]}, map[int]string{0: "2026-W02"},
			map[int][2]int64{0: {10, 30}}, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps, err := chart.StepPeriods(tc.series, "sql")
			require.NoError(t, err)
			require.Len(t, ps, len(tc.series.Periods))
			for i, label := range tc.labels {
				assert.Equal(t, label, ps[i].Label)
			}
			for i, sn := range tc.rates {
				assert.Equal(t, sn[0], ps[i].Rate.Successes(), "period %d", i)
				assert.Equal(t, sn[1], ps[i].Rate.Trials(), "period %d", i)
			}
			var immature []int
			for i, p := range ps {
				if p.Immature {
					immature = append(immature, i)
				}
			}
			assert.Equal(t, tc.immature, immature)

			var b bytes.Buffer
			require.NoError(t, chart.Trend(&b, ps, chart.Options{Title: "Lead → SQL by week of entry"}))
			pic := mustParse(t, b.Bytes())
			filled, hollow := pic.dots()
			assert.Equal(t, len(tc.immature), hollow, "a hollow point per immature week")
			assert.Equal(t, len(ps)-len(tc.immature), filled)
			golden(t, tc.golden, b.Bytes())
		})
	}
}

// TestStepPeriodsErrors: nothing to read, a step the series lacks, the
// first step and a period short of steps are errors naming what.
func TestStepPeriodsErrors(t *testing.T) {
	weekly := leadSeries(t)
	short := &funnel.Series{Periods: slices.Clone(weekly.Periods[:2])}
	short.Periods[1].Steps = short.Periods[1].Steps[:1]
	tests := []struct {
		name   string
		series *funnel.Series
		step   string
		want   string
	}{
		{"nil series", nil, "sql", "chart.StepPeriods: series"},
		{"no periods", &funnel.Series{}, "sql", "with no periods"},
		{"unknown step", weekly, "won", "step won: not a step"},
		{"first step", weekly, "lead", "the first step"},
		{"a period short of steps", short, "sql", "series.Periods[1].Steps"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := chart.StepPeriods(tc.series, tc.step)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
