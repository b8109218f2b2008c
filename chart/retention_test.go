package chart_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/chart"
	"github.com/kpiflow/kpi/cohort"
)

// grid builds a table by hand: rows cohorts of size customers, monthly
// from January 2020, cohort i reaching min(ages, rows−i) ages, losing a
// customer in ten each age.
func grid(rows, ages int, size int64) *cohort.Table {
	t := &cohort.Table{Grain: cohort.Month, Through: time.Date(2020, time.Month(rows), 1, 0, 0, 0, 0, time.UTC)}
	for i := range rows {
		c := cohort.Cohort{Start: time.Date(2020, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC), Size: size}
		active := size
		for range min(ages, rows-i) {
			c.Cells = append(c.Cells, cohort.Cell{Active: active, Survivors: active, Revenue: decimal.NewFromInt(active)})
			active -= active / 10
		}
		t.Cohorts = append(t.Cohorts, c)
	}
	return t
}

// TestRetention draws cohort grids and reads them back: a coloured cell
// per reached age, a blank outline — never 0 % — per unreached one.
func TestRetention(t *testing.T) {
	immature := &cohort.Table{Grain: cohort.Month, Cohorts: []cohort.Cohort{
		{Start: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC), Size: 10},
		{Start: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), Size: 4},
	}}
	lost := grid(2, 2, 10)
	lost.Cohorts[0].Cells[1].Active = 0
	tests := []struct {
		name   string
		table  *cohort.Table
		cells  int
		blanks int
		texts  []string
		golden string
	}{
		{"quickstart", cohorts(t, 4, cohort.Month), 10, 6, []string{"Jan 2024 · 10", "100%", "60%", "months since acquisition"}, "retention"},
		{"quarters", cohorts(t, 3, cohort.Quarter), 6, 3, []string{"2024 Q1 · 10", "quarters"}, ""},
		{"weeks", cohorts(t, 3, cohort.Week), 6, 3, []string{"2024-01-01 · 10", "weeks"}, ""},
		{"one cohort", cohorts(t, 1, cohort.Month), 1, 0, []string{"100%"}, ""},
		{"only immature cells", immature, 0, 2, []string{"Apr 2024 · 10"}, "retention-immature"},
		{"a cell at 0 %", lost, 3, 1, []string{"0%"}, ""},
		{"100 × 24, cells too small for numbers", grid(100, 24, 1e12), 2124, 276, []string{"1.0T"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, chart.Retention(&b, tc.table, chart.Options{}))
			pic := mustParse(t, b.Bytes())
			assert.Equal(t, tc.cells, pic.cells(), "a coloured cell per reached age")
			assert.Equal(t, tc.blanks, pic.blanks(), "a blank cell per unreached age")
			for _, s := range tc.texts {
				assert.True(t, pic.has(s), "text %q", s)
			}
			golden(t, tc.golden, b.Bytes())
		})
	}
}

// TestRetentionErrors: a table with nothing to draw is an error.
func TestRetentionErrors(t *testing.T) {
	tests := []struct {
		name  string
		table *cohort.Table
		opts  chart.Options
		want  string
	}{
		{"nil table", nil, chart.Options{}, "chart.Retention: table"},
		{"no cohorts", &cohort.Table{}, chart.Options{}, "with no cohorts"},
		{"zero width", cohorts(t, 2, cohort.Month), chart.Options{Width: 50}, "Options.Width 50"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := chart.Retention(&bytes.Buffer{}, tc.table, tc.opts)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
