package chart_test

import (
	"bytes"
	"io"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/chart"
	"github.com/kpiflow/kpi/scoring"
)

// evaluate is scoring.Evaluate for tests.
func evaluate(t testing.TB, scores []float64, won ...bool) *scoring.Evaluation {
	t.Helper()
	e, err := scoring.Evaluate(scores, won)
	require.NoError(t, err)
	return e
}

// The evaluations every scoring chart is drawn from: the quickstart-like
// 4000 leads, three leads (fewer than ten groups), all scores tied, and
// scores at the ends of float64.
func evaluations(t testing.TB) []struct {
	name string
	e    *scoring.Evaluation
} {
	return []struct {
		name string
		e    *scoring.Evaluation
	}{
		{"4000 leads", evaluation(t, 4000)},
		{"three leads", evaluate(t, []float64{3, 2, 1}, true, false, true)},
		{"ties everywhere", evaluate(t, []float64{5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, true, false, false, true, false, false, true, false, false, true, false, false)},
		{"extreme scores", evaluate(t, []float64{-1e300, 1e300, 0, 1e-300}, true, false, true, false)},
	}
}

// TestScoringCharts draws every scoring chart from every evaluation; each
// must parse, and the curves must carry their numbers.
func TestScoringCharts(t *testing.T) {
	type draw func(io.Writer, *scoring.Evaluation, chart.Options) error
	for _, ev := range evaluations(t) {
		tests := []struct {
			name   string
			draw   draw
			text   string
			golden string
		}{
			{"ROC", chart.ROC, "AUC", "roc"},
			{"Gains", chart.Gains, "random", "gains"},
			{"Lift", chart.Lift, "×", "lift"},
			{"Scores", chart.Scores, "not converted", "scores"},
		}
		for _, tc := range tests {
			t.Run(ev.name+"/"+tc.name, func(t *testing.T) {
				var b bytes.Buffer
				require.NoError(t, tc.draw(&b, ev.e, chart.Options{}))
				pic := mustParse(t, b.Bytes())
				assert.True(t, pic.has(tc.text), "text %q", tc.text)
				if ev.name == "4000 leads" {
					golden(t, tc.golden, b.Bytes())
				}
			})
		}
	}
}

// TestROC checks the curve's legend against Evaluation.AUC.
func TestROC(t *testing.T) {
	tests := []struct {
		name string
		e    *scoring.Evaluation
		want string
	}{
		{"perfect", evaluate(t, []float64{4, 3, 2, 1}, true, true, false, false), "AUC 1.000"},
		{"tied", evaluate(t, []float64{1, 1}, true, false), "AUC 0.500"},
		{"reversed", evaluate(t, []float64{4, 3, 2, 1}, false, false, true, true), "AUC 0.000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, chart.ROC(&b, tc.e, chart.Options{}))
			assert.True(t, mustParse(t, b.Bytes()).has(tc.want))
		})
	}
}

// TestGains and TestLift read a point or bar per group back.
func TestGains(t *testing.T) {
	tests := []struct {
		name   string
		e      *scoring.Evaluation
		points int
		labels []string
	}{
		{"deciles", evaluation(t, 4000), 10, []string{"30%", "56%"}},
		{"three leads", evaluate(t, []float64{3, 2, 1}, true, false, true), 3, []string{"50%"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, chart.Gains(&b, tc.e, chart.Options{}))
			pic := mustParse(t, b.Bytes())
			filled, _ := pic.dots()
			assert.Equal(t, tc.points, filled, "a point per group")
			for _, s := range tc.labels {
				assert.True(t, pic.has(s), "label %q", s)
			}
		})
	}
}

func TestLift(t *testing.T) {
	tests := []struct {
		name   string
		e      *scoring.Evaluation
		bars   int
		labels []string
	}{
		{"deciles", evaluation(t, 4000), 10, []string{"3.0×", "0.05×", "0.02×", "0×"}},
		{"ties", evaluate(t, []float64{1, 1, 1, 1}, true, false, true, false), 4, []string{"1.0×"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, chart.Lift(&b, tc.e, chart.Options{}))
			pic := mustParse(t, b.Bytes())
			assert.LessOrEqual(t, pic.bars(blue), tc.bars, "a bar per group with lift")
			assert.GreaterOrEqual(t, pic.bars(blue), tc.bars-1)
			for _, s := range tc.labels {
				assert.True(t, pic.has(s), "label %q", s)
			}
		})
	}
}

// TestScores reads the two distributions back: each band of scores has a
// bar per group that has leads in it.
func TestScores(t *testing.T) {
	tests := []struct {
		name               string
		e                  *scoring.Evaluation
		converted, notConv int
	}{
		{"two scores", evaluate(t, []float64{0, 100}, true, false), 1, 1},
		{"one score", evaluate(t, []float64{7, 7, 7}, true, false, false), 1, 1},
		// probe: lo + 11·(hi − lo)/20 overflowed to +Inf for scores at
		// ±MaxFloat64, and Scores returned Bands' "cuts[10] +Inf" error.
		// The converted lead is alone in the first band, the other alone
		// in the last: a bar each.
		{"probe: scores at ±MaxFloat64", evaluate(t, []float64{-math.MaxFloat64, math.MaxFloat64}, true, false), 1, 1},
		{"scores at MaxFloat64 and the float below", evaluate(t, []float64{math.Nextafter(math.MaxFloat64, 0), math.MaxFloat64}, false, true), 1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, chart.Scores(&b, tc.e, chart.Options{}))
			pic := mustParse(t, b.Bytes())
			assert.Equal(t, tc.converted+1, pic.bars(blue), "bars and the legend's swatch")
			assert.Equal(t, tc.notConv+1, pic.bars(orange))
		})
	}
}

// TestScoringErrors: an evaluation without both outcomes cannot be drawn.
func TestScoringErrors(t *testing.T) {
	type draw func(io.Writer, *scoring.Evaluation, chart.Options) error
	tests := []struct {
		name string
		draw draw
		e    *scoring.Evaluation
		opts chart.Options
		want string
	}{
		{"ROC nil", chart.ROC, nil, chart.Options{}, "chart.ROC: evaluation nil"},
		{"Gains zero", chart.Gains, &scoring.Evaluation{}, chart.Options{}, "chart.Gains: evaluation 0 leads, 0 converted"},
		{"Lift zero", chart.Lift, &scoring.Evaluation{}, chart.Options{}, "chart.Lift: evaluation"},
		{"Scores nil", chart.Scores, nil, chart.Options{}, "chart.Scores: evaluation nil"},
		{"ROC bad size", chart.ROC, evaluation(t, 100), chart.Options{Width: -1}, "Options.Width -1"},
		{"Gains bad size", chart.Gains, evaluation(t, 100), chart.Options{Width: -1}, "Options.Width -1"},
		{"Lift bad size", chart.Lift, evaluation(t, 100), chart.Options{Height: 1e5}, "Options.Height"},
		{"Scores bad size", chart.Scores, evaluation(t, 100), chart.Options{Height: 1}, "Options.Height 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.draw(&bytes.Buffer{}, tc.e, tc.opts)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	for _, f := range []draw{chart.ROC, chart.Gains, chart.Lift, chart.Scores} {
		require.Error(t, f(io.Discard, nil, chart.Options{}))
	}
}

// TestReliability draws calibration bins: a whisker per bin with leads.
func TestReliability(t *testing.T) {
	probs := make([]float64, 400)
	conv := make([]bool, 400)
	for i := range probs {
		probs[i] = float64(i) / 400
		conv[i] = i%4 < i*4/400
	}
	bins, err := scoring.Reliability(probs, conv, 10)
	require.NoError(t, err)
	edges, err := scoring.Reliability([]float64{0, 0, 1, 1}, []bool{false, false, true, true}, 5)
	require.NoError(t, err)
	tests := []struct {
		name     string
		bins     []scoring.Calibration
		whiskers int
		golden   string
	}{
		{"ten bins", bins, 10, "reliability"},
		{"rates 0 and 1", edges, 2, ""},
		{"an empty bin", []scoring.Calibration{{Lo: 0, Hi: 1, Predicted: 0.5}}, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, chart.Reliability(&b, tc.bins, chart.Options{}))
			pic := mustParse(t, b.Bytes())
			assert.Equal(t, tc.whiskers, pic.whiskers(), "a whisker per interval")
			golden(t, tc.golden, b.Bytes())
		})
	}
}

// TestReliabilityErrors: no bins or a prediction outside [0, 1].
func TestReliabilityErrors(t *testing.T) {
	tests := []struct {
		name string
		bins []scoring.Calibration
		opts chart.Options
		want string
	}{
		{"no bins", nil, chart.Options{}, "chart.Reliability: bins []"},
		{"above 1", []scoring.Calibration{{Predicted: 1.5}}, chart.Options{}, "bins[0].Predicted 1.5"},
		{"bad size", []scoring.Calibration{{Predicted: 0.5}}, chart.Options{Width: 1}, "Options.Width 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := chart.Reliability(&bytes.Buffer{}, tc.bins, tc.opts)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
