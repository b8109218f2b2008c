package chart_test

import (
	"bytes"
	"image/color"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/chart"
	"github.com/kpiflow/kpi/funnel"
)

// TestFunnel draws funnels from the quickstart's month to the extremes and
// reads the picture back: a bar per stage that anyone reached, a whisker
// per step with trials, the bottleneck named only against targets.
func TestFunnel(t *testing.T) {
	odd := `Paid <search> & "social"`
	long := strings.Repeat("Opportunity ", 42)[:500]
	named := func(names ...string) *funnel.Funnel {
		ss := make([]funnel.Stage, len(names))
		for i, n := range names {
			ss[i] = funnel.Stage{Name: n, Count: int64(100 - 10*i)}
		}
		f, err := funnel.New(ss...)
		require.NoError(t, err)
		return f
	}
	tests := []struct {
		name       string
		f          *funnel.Funnel
		targets    funnel.Targets
		opts       chart.Options
		bars       int
		whiskers   int
		bottleneck bool
		texts      []string
		golden     string
	}{
		{"quickstart", newFunnel(t, quickCounts...), quickTargets, chart.Options{}, 6, 5, true, []string{"12,000", "Opportunity", "2.0% bottleneck", "40%"}, "funnel"},
		{"no targets", newFunnel(t, quickCounts...), nil, chart.Options{}, 6, 5, false, []string{"24%"}, ""},
		{"targets all met", newFunnel(t, 100, 50, 25), funnel.Targets{"Lead": 0.1, "MQL": 0.2}, chart.Options{}, 3, 2, false, []string{"50%"}, ""},
		{"two stages, the fewest", newFunnel(t, 500, 20), nil, chart.Options{}, 2, 1, false, []string{"500", "4.0%"}, "funnel-two-stages"},
		{"all-zero rates", newFunnel(t, 100, 0, 0), funnel.Targets{"Lead": 0.5, "MQL": 0.5}, chart.Options{}, 1, 1, false, []string{"0%", "no one entered this step"}, "funnel-zero"},
		{"empty funnel top", newFunnel(t, 0, 0), nil, chart.Options{}, 0, 0, false, []string{"no one entered this step"}, ""},
		{"rates of 1", newFunnel(t, 50, 50, 50), funnel.Targets{"Lead": 1}, chart.Options{}, 3, 2, false, []string{"100%"}, ""},
		{"a trillion", newFunnel(t, 1e12, 5e11, 1), nil, chart.Options{}, 3, 2, false, []string{"1.0T", "500.0B"}, ""},
		{"markup in a name", named("Visit", odd, "Won"), nil, chart.Options{}, 3, 2, false, []string{`Paid <search`}, ""},
		{"500-character name", named(long, "Won"), nil, chart.Options{}, 2, 1, false, []string{"Opportunity", "…"}, ""},
		{"own size, title and colours", newFunnel(t, quickCounts...), quickTargets,
			chart.Options{Width: 400, Height: 240, Title: "March", Colors: []color.Color{color.RGBA{0, 128, 0, 255}}, Accent: color.Black}, 0, 5, true, []string{"March"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, chart.Funnel(&b, tc.f, tc.targets, tc.opts))
			pic := mustParse(t, b.Bytes())
			if tc.opts.Colors == nil {
				assert.Equal(t, tc.bars, pic.bars(blue), "a bar per stage reached")
			}
			assert.Equal(t, tc.whiskers, pic.whiskers(), "a whisker per step with trials")
			assert.Equal(t, tc.bottleneck, pic.has("bottleneck"))
			for _, s := range tc.texts {
				assert.True(t, pic.has(s), "text %q", s)
			}
			golden(t, tc.golden, b.Bytes())
		})
	}
}

// TestFunnelErrors: what cannot be drawn is an error naming the field,
// never a panic or a broken picture.
func TestFunnelErrors(t *testing.T) {
	f := newFunnel(t, quickCounts...)
	tests := []struct {
		name    string
		f       *funnel.Funnel
		targets funnel.Targets
		opts    chart.Options
		want    string
	}{
		{"nil funnel", nil, nil, chart.Options{}, "chart.Funnel: funnel"},
		{"zero funnel", &funnel.Funnel{}, nil, chart.Options{}, "chart.Funnel: funnel"},
		{"negative width", f, nil, chart.Options{Width: -1}, "Options.Width -1"},
		{"tiny height", f, nil, chart.Options{Height: 10}, "Options.Height 10"},
		{"huge width", f, nil, chart.Options{Width: 1e9}, "Options.Width"},
		{"NaN height", f, nil, chart.Options{Height: math.NaN()}, "Options.Height NaN"},
		{"target above 1", f, funnel.Targets{"MQL": 1.5}, chart.Options{}, "1.5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			err := chart.Funnel(&b, tc.f, tc.targets, tc.opts)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
			assert.Zero(t, b.Len(), "nothing written on error")
		})
	}
}
