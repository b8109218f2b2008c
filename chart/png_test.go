package chart_test

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/chart"
	"github.com/kpiflow/kpi/cohort"
	"github.com/kpiflow/kpi/scoring"
)

// drawer draws one chart from the package's test data with options.
type drawer func(io.Writer, chart.Options) error

// everyChart returns a drawer for each chart of the package.
func everyChart(t *testing.T) []struct {
	name string
	draw drawer
} {
	f := newFunnel(t, quickCounts...)
	ws := weeks(t, 12)
	tab := cohorts(t, 4, cohort.Month)
	e := evaluation(t, 400)
	at, roi := attributionTable(t, quickJourneys)
	pl := plan(t, f)
	curve := km(t, followUps(60)...)
	probs, conv := make([]float64, 200), make([]bool, 200)
	for i := range probs {
		probs[i], conv[i] = float64(i)/200, i%3 == 0
	}
	bins, err := scoring.Reliability(probs, conv, 10)
	require.NoError(t, err)
	return []struct {
		name string
		draw drawer
	}{
		{"Funnel", func(w io.Writer, o chart.Options) error { return chart.Funnel(w, f, quickTargets, o) }},
		{"Trend", func(w io.Writer, o chart.Options) error { return chart.Trend(w, ws, o) }},
		{"Retention", func(w io.Writer, o chart.Options) error { return chart.Retention(w, tab, o) }},
		{"ROC", func(w io.Writer, o chart.Options) error { return chart.ROC(w, e, o) }},
		{"Gains", func(w io.Writer, o chart.Options) error { return chart.Gains(w, e, o) }},
		{"Lift", func(w io.Writer, o chart.Options) error { return chart.Lift(w, e, o) }},
		{"Scores", func(w io.Writer, o chart.Options) error { return chart.Scores(w, e, o) }},
		{"Reliability", func(w io.Writer, o chart.Options) error { return chart.Reliability(w, bins, o) }},
		{"Attribution", func(w io.Writer, o chart.Options) error { return chart.Attribution(w, at, o) }},
		{"Share", func(w io.Writer, o chart.Options) error { return chart.Share(w, roi, o) }},
		{"Plan", func(w io.Writer, o chart.Options) error { return chart.Plan(w, pl, o) }},
		{"Curves", func(w io.Writer, o chart.Options) error {
			return chart.Curves(w, []string{"MQL→SQL"}, []*kpi.Curve{curve}, o)
		}},
	}
}

// TestPNG draws every chart as a PNG at several sizes and resolutions:
// it must decode with image/png and have the size asked, w × DPI / 72
// pixels wide (the hand calculation: 400 points at 144 DPI are 800
// pixels, 250 points at 36 DPI are 125).
func TestPNG(t *testing.T) {
	sizes := []struct {
		name         string
		opts         chart.Options
		wantW, wantH int
	}{
		{"default resolution", chart.Options{Format: chart.PNG, Width: 400, Height: 300}, 800, 600},
		{"72 DPI, a pixel a point", chart.Options{Format: chart.PNG, Width: 500, Height: 240, DPI: 72}, 500, 240},
		{"36 DPI, rounded", chart.Options{Format: chart.PNG, Width: 250, Height: 121, DPI: 36}, 125, 61},
	}
	for _, ch := range everyChart(t) {
		for _, tc := range sizes {
			t.Run(ch.name+"/"+tc.name, func(t *testing.T) {
				var b bytes.Buffer
				require.NoError(t, ch.draw(&b, tc.opts))
				img, err := png.Decode(&b)
				require.NoError(t, err, "the PNG must decode")
				assert.Equal(t, image.Rect(0, 0, tc.wantW, tc.wantH), img.Bounds())
				assert.True(t, inked(img), "the picture is not blank")
			})
		}
	}
}

// inked reports a pixel that is neither white nor transparent.
func inked(img image.Image) bool {
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if cr, cg, cb, _ := img.At(x, y).RGBA(); cr < 0xf000 || cg < 0xf000 || cb < 0xf000 {
				return true
			}
		}
	}
	return false
}

// TestPNGErrors: a format the package does not write, a resolution out
// of range, or a PNG of too many pixels is an error naming the option.
func TestPNGErrors(t *testing.T) {
	tests := []struct {
		name string
		opts chart.Options
		want string
	}{
		{"unknown format", chart.Options{Format: 7}, "Options.Format 7"},
		{"negative format", chart.Options{Format: -1}, "Options.Format -1"},
		{"DPI too low", chart.Options{Format: chart.PNG, DPI: 10}, "Options.DPI 10"},
		{"DPI too high", chart.Options{Format: chart.PNG, DPI: 1200}, "Options.DPI 1200"},
		{"too many pixels", chart.Options{Format: chart.PNG, Width: 7200, Height: 7200, DPI: 144}, "more than 40 million"},
	}
	for _, ch := range everyChart(t) {
		for _, tc := range tests {
			t.Run(ch.name+"/"+tc.name, func(t *testing.T) {
				err := ch.draw(io.Discard, tc.opts)
				require.ErrorIs(t, err, kpi.ErrInvalid)
				assert.Contains(t, err.Error(), tc.want)
			})
		}
	}
}

// TestSVGIgnoresDPI: an SVG has no resolution, so a DPI out of range
// does not matter to it, and the document is the same.
func TestSVGIgnoresDPI(t *testing.T) {
	tests := []struct {
		name string
		dpi  int
	}{
		{"default", 0},
		{"out of range", 5000},
	}
	f := newFunnel(t, quickCounts...)
	var want bytes.Buffer
	require.NoError(t, chart.Funnel(&want, f, nil, chart.Options{}))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, chart.Funnel(&b, f, nil, chart.Options{DPI: tc.dpi}))
			assert.Equal(t, want.String(), b.String())
		})
	}
}
