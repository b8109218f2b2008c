package chart_test

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/chart"
)

// km is kpi.KaplanMeier at 95 % on its default scale, for tests.
func km(t testing.TB, obs ...kpi.Observation) *kpi.Curve {
	t.Helper()
	c, err := kpi.KaplanMeier(slices.Values(obs), 0.95, kpi.LogLogScale)
	require.NoError(t, err)
	return c
}

// followUps returns n follow-ups: every third converted after i days,
// the others censored at 30 days or, for the youngest, at their age.
func followUps(n int) []kpi.Observation {
	obs := make([]kpi.Observation, n)
	for i := range obs {
		switch {
		case i%3 == 0:
			obs[i] = kpi.Observation{Time: float64(1 + i%20), Converted: true}
		case i > n-n/5:
			obs[i] = kpi.Observation{Time: float64(n - i)}
		default:
			obs[i] = kpi.Observation{Time: 30}
		}
	}
	return obs
}

// TestCurves draws conversion curves and reads back a band and a line per
// curve, and a legend entry per name.
func TestCurves(t *testing.T) {
	sql, won := km(t, followUps(120)...), km(t, followUps(40)...)
	all := km(t, kpi.Observation{Time: 2, Converted: true}, kpi.Observation{Time: 5, Converted: true})
	none := km(t, kpi.Observation{Time: 3}, kpi.Observation{Time: 9})
	tests := []struct {
		name   string
		names  []string
		curves []*kpi.Curve
		bands  int
		texts  []string
		golden string
	}{
		{"two steps", []string{"MQL → SQL", "SQL → Won"}, []*kpi.Curve{sql, won}, 2, []string{"MQL → SQL", "share converted"}, "curves"},
		{"everyone converts", []string{"all"}, []*kpi.Curve{all}, 1, []string{"100%"}, ""},
		{"nobody converts", []string{"none"}, []*kpi.Curve{none}, 1, []string{"none"}, ""},
		{"markup in a name", []string{`<&">` + strings.Repeat("y", 300)}, []*kpi.Curve{sql}, 1, []string{`<&">y`, "…"}, ""},
		{"no points", []string{"empty"}, []*kpi.Curve{{}}, 0, []string{"empty"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, chart.Curves(&b, tc.names, tc.curves, chart.Options{}))
			pic := mustParse(t, b.Bytes())
			bands := 0
			for _, p := range pic.paths {
				if strings.Contains(p.style, "fill-opacity") && p.fill() != "" && !strings.Contains(p.style, "fill-opacity:0;") {
					bands++
				}
			}
			assert.Equal(t, tc.bands, bands, "a band per curve with points")
			for _, s := range tc.texts {
				assert.True(t, pic.has(s), "text %q", s)
			}
			golden(t, tc.golden, b.Bytes())
		})
	}
}

// TestCurvesErrors: no curves, a nil one, mismatched names, a point that
// is not a number.
func TestCurvesErrors(t *testing.T) {
	bad := &kpi.Curve{Points: []kpi.CurvePoint{{Time: math.NaN(), Share: 0.5}}}
	over := &kpi.Curve{Points: []kpi.CurvePoint{{Time: 1, Share: 1.5}}}
	good := km(t, followUps(30)...)
	// 1000 curves named "curve 0" … "curve 999": about eight a legend
	// row across 560 points, 14 points a row, some 1700 points of legend
	// on a sheet of 340.
	manyNames, many := make([]string, 1000), make([]*kpi.Curve, 1000)
	for i := range many {
		manyNames[i], many[i] = fmt.Sprint("curve ", i), good
	}
	tests := []struct {
		name   string
		names  []string
		curves []*kpi.Curve
		opts   chart.Options
		want   string
	}{
		{"no curves", nil, nil, chart.Options{}, "chart.Curves: curves []"},
		{"names short", nil, []*kpi.Curve{good}, chart.Options{}, "names 0 names"},
		{"nil curve", []string{"a"}, []*kpi.Curve{nil}, chart.Options{}, "curves[0] nil"},
		{"NaN time", []string{"a"}, []*kpi.Curve{bad}, chart.Options{}, "curves[0].Points[0] time NaN"},
		{"share above 1", []string{"a", "b"}, []*kpi.Curve{good, over}, chart.Options{}, "curves[1].Points[0] time 1 share 1.5"},
		{"bad size", []string{"a"}, []*kpi.Curve{good}, chart.Options{Width: -2}, "Options.Width -2"},
		// probe: the plot under such a legend had a negative height and
		// its axis label was written at x="NaN" y="NaN".
		{"probe: a legend of 1000 curves", manyNames, many, chart.Options{}, "chart.Curves: names 1000 names: more than the legend has room for"},
		{"probe: a legend of 40 curves at 120 points", manyNames[:40], many[:40], chart.Options{Width: 120, Height: 120}, "names 40 names"},
		// probe: a negative time or an interval reaching below 0 was drawn
		// with "-Inf" in the path's coordinates (tx(-MaxFloat64) and
		// ty(-Inf)); kpi.KaplanMeier never gives either.
		{"probe: time -MaxFloat64", []string{"a"}, []*kpi.Curve{{Points: []kpi.CurvePoint{{Time: -math.MaxFloat64, Share: 0.5}}}}, chart.Options{}, "curves[0].Points[0] time -1.7976931348623157e+308 share 0.5"},
		{"probe: time -1", []string{"a"}, []*kpi.Curve{{Points: []kpi.CurvePoint{{Time: -1, Share: 0.5}}}}, chart.Options{}, "curves[0].Points[0] time -1"},
		{"probe: interval from -Inf", []string{"a"}, []*kpi.Curve{{Points: []kpi.CurvePoint{{Time: 1, Share: 0.5, Interval: kpi.Interval{Lo: math.Inf(-1), Hi: 0.6, Level: 0.95}}}}}, chart.Options{}, "curves[0].Points[0].Interval [-Inf, 0.6] around share 0.5"},
		{"probe: interval from NaN", []string{"a"}, []*kpi.Curve{{Points: []kpi.CurvePoint{{Time: 1, Share: 0.5, Interval: kpi.Interval{Lo: math.NaN(), Hi: 0.6, Level: 0.95}}}}}, chart.Options{}, "Interval [NaN, 0.6]"},
		{"probe: interval from -1e308 at a NaN level", []string{"a"}, []*kpi.Curve{{Points: []kpi.CurvePoint{{Time: 1, Share: 0.5, Interval: kpi.Interval{Lo: -1e308, Hi: 0.6, Level: math.NaN()}}}}}, chart.Options{}, "Interval [-1e+308, 0.6]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := chart.Curves(&bytes.Buffer{}, tc.names, tc.curves, tc.opts)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
