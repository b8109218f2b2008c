package chart_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/chart"
)

// rates makes periods of the given successes out of trials each.
func rates(t testing.TB, trials int64, successes ...int64) []chart.Period {
	t.Helper()
	ps := make([]chart.Period, len(successes))
	for i, s := range successes {
		r, err := kpi.NewRate(s, trials)
		require.NoError(t, err)
		ps[i] = chart.Period{Label: fmt.Sprint("P", i+1), Rate: r}
	}
	return ps
}

// TestTrend draws rates over periods and counts what must be there: a
// whisker and a point per period with trials, the immature ones hollow,
// and the average of the mature ones.
func TestTrend(t *testing.T) {
	many := weeks(t, 200)
	gap := rates(t, 50, 10, 20, 30)
	gap[1].Rate = kpi.Rate{}
	immature := rates(t, 40, 10, 12)
	for i := range immature {
		immature[i].Immature = true
	}
	odd := rates(t, 10, 3)
	odd[0].Label = "<&\">" + strings.Repeat("x", 500)
	tests := []struct {
		name           string
		periods        []chart.Period
		whiskers       int
		filled, hollow int
		texts          []string
		golden         string
	}{
		{"12 weeks", weeks(t, 12), 12, 10, 2, []string{"W10", "W21", "average 39%"}, "trend"},
		{"one period", rates(t, 96, 40), 1, 1, 0, []string{"P1", "average 42%"}, ""},
		{"all-zero rates", rates(t, 50, 0, 0, 0), 3, 3, 0, []string{"average 0%"}, "trend-zero"},
		{"rates of 1", rates(t, 50, 50, 50), 2, 2, 0, []string{"average 100%"}, ""},
		{"a period without trials", gap, 2, 2, 0, []string{"P2", "average 40%"}, ""},
		{"all immature", immature, 2, 0, 2, []string{"P1"}, ""},
		{"200 weeks", many, 200, 198, 2, []string{"W10"}, ""},
		{"markup in a label", odd, 1, 1, 0, []string{"<&\">x", "…"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, chart.Trend(&b, tc.periods, chart.Options{}))
			pic := mustParse(t, b.Bytes())
			assert.Equal(t, tc.whiskers, pic.whiskers(), "a whisker per interval")
			filled, hollow := pic.dots()
			assert.Equal(t, tc.filled, filled)
			assert.Equal(t, tc.hollow, hollow)
			for _, s := range tc.texts {
				assert.True(t, pic.has(s), "text %q", s)
			}
			golden(t, tc.golden, b.Bytes())
		})
	}
}

// TestTrendErrors: no periods or a bad size is an error.
func TestTrendErrors(t *testing.T) {
	tests := []struct {
		name    string
		periods []chart.Period
		opts    chart.Options
		want    string
	}{
		{"no periods", nil, chart.Options{}, "chart.Trend: periods []"},
		{"negative height", rates(t, 10, 1), chart.Options{Height: -5}, "Options.Height -5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := chart.Trend(&bytes.Buffer{}, tc.periods, tc.opts)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestTrendLimits: over two or more mature periods the chart carries
// Laney p′ limits and the always-valid band, and a period that breaks a rule is ringed and named in
// the key; a single period has no limits.
func TestTrendLimits(t *testing.T) {
	tests := []struct {
		name        string
		periods     []chart.Period
		has, hasNot []string
		golden      string
	}{
		{"steady", rates(t, 200, 80, 82, 78, 81, 79, 80), []string{"dotted: Laney p′ limits", "shaded: always-valid 95% band"}, []string{"ringed"}, ""},
		{"one week far off", rates(t, 2000, 800, 810, 790, 805, 795, 1400, 800, 802, 798, 801),
			[]string{"dotted: Laney p′ limits", "ringed: beyond"}, nil, "trend-signal"},
		{"one period", rates(t, 100, 40), nil, []string{"dotted", "ringed", "shaded"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, chart.Trend(&b, tc.periods, chart.Options{}))
			pic := mustParse(t, b.Bytes())
			for _, s := range tc.has {
				assert.True(t, pic.has(s), "text %q", s)
			}
			for _, s := range tc.hasNot {
				assert.False(t, strings.Contains(b.String(), s), "text %q", s)
			}
			golden(t, tc.golden, b.Bytes())
		})
	}
}

// TestTrendDense: the periods' dots shrink with the room between them, so
// that neighbours do not cover each other, and stay visible. At 12 weeks
// on the default 600-point sheet the periods are some 40 points apart and
// the dots have their full radius of 3.5; at 365 and 1000 periods they are
// 1.4 and 0.5 points apart, and a dot of radius 3.5 would cover five and
// fourteen neighbours.
func TestTrendDense(t *testing.T) {
	tests := []struct {
		name    string
		periods int
		width   float64
		full    bool // dots at full size
	}{
		{"12 weeks", 12, 0, true},
		{"60 weeks", 60, 0, false},
		{"a year of days", 365, 0, false},
		{"1000 days", 1000, 0, false},
		{"1000 days on the widest sheet", 1000, 7200, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, chart.Trend(&b, weeks(t, tc.periods), chart.Options{Width: tc.width}))
			pic := mustParse(t, b.Bytes())
			assert.Equal(t, tc.periods, pic.whiskers(), "a whisker per period, however close")
			var xs, rs []float64
			for _, p := range pic.paths {
				if !p.arc() || p.stroke() != "" || p.fill() == "#FFFFFF" {
					continue // filled dots only, not the white under a ring
				}
				var x, y, r float64
				_, err := fmt.Sscanf(p.d, "M%f,%fA%f", &x, &y, &r)
				require.NoError(t, err, p.d)
				xs, rs = append(xs, x-r), append(rs, r) // the centre
			}
			require.Equal(t, tc.periods-2, len(xs), "filled dots: the two immature periods are hollow")
			step := (xs[len(xs)-1] - xs[0]) / float64(len(xs)-1)
			lo, hi := slices.Min(rs), slices.Max(rs)
			assert.Equal(t, lo, hi, "one size of dot")
			if tc.full {
				assert.InDelta(t, 3.5, hi, 1e-9, "full size")
				return
			}
			assert.Less(t, hi, 3.5, "smaller than full size")
			assert.LessOrEqual(t, 2*hi, max(0.7*step, 1.2)+1e-3,
				"a dot takes at most 70 %% of the room between periods %.2f apart, or is at the least size", step)
			assert.GreaterOrEqual(t, lo, 0.6, "and stays visible")
		})
	}
}
