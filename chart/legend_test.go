package chart_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kpiflow/kpi/chart"
	"github.com/kpiflow/kpi/scoring"
)

// TestFixedLegends draws each chart whose legend has two fixed names at
// the smallest size, 120 × 120 points, with and without a title that
// fills its line: the legend always has room, so the charts draw, with
// no NaN or Inf in the SVG.
func TestFixedLegends(t *testing.T) {
	e := evaluation(t, 400)
	_, roi := attributionTable(t, quickJourneys)
	bins := []scoring.Calibration{{Predicted: 0.5}}
	for _, o := range []chart.Options{{Width: 120, Height: 120}, {Width: 120, Height: 120, Title: strings.Repeat("x", 300)}} {
		for name, f := range map[string]func(*bytes.Buffer) error{
			"ROC": func(b *bytes.Buffer) error { return chart.ROC(b, e, o) }, "Gains": func(b *bytes.Buffer) error { return chart.Gains(b, e, o) },
			"Rel": func(b *bytes.Buffer) error { return chart.Reliability(b, bins, o) }, "Scores": func(b *bytes.Buffer) error { return chart.Scores(b, e, o) },
			"Share": func(b *bytes.Buffer) error { return chart.Share(b, roi, o) },
		} {
			var b bytes.Buffer
			if err := f(&b); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			if bytes.Contains(b.Bytes(), []byte("NaN")) || bytes.Contains(b.Bytes(), []byte("Inf")) {
				t.Errorf("%s NaN", name)
			}
		}
	}
}
