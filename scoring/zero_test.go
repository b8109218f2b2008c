package scoring_test

import (
	"iter"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"

	"github.com/kpiflow/kpi/internal/zerotest"
	"github.com/kpiflow/kpi/scoring"
)

// TestZeroValues calls every exported method on the zero value of every
// exported type with zero arguments: none may panic or return NaN.
func TestZeroValues(t *testing.T) {
	zerotest.Run(t, ".", new(scoring.Scorer), new(scoring.Model), new(scoring.Result),
		new(scoring.Evaluation), new(scoring.Cut), new(scoring.Fit), new(scoring.Report), new(scoring.ScoreBand),
		new(scoring.Gains), new(scoring.ScoreBands), new(scoring.Calibrations))
}

// TestZeroEvaluation checks the documented measures of the zero
// Evaluation, which has no leads: those of a model no better than chance.
func TestZeroEvaluation(t *testing.T) {
	tests := []struct {
		name string
		got  func(e *scoring.Evaluation) float64
		want float64
	}{
		{"AUC", (*scoring.Evaluation).AUC, 0.5},
		{"Gini", (*scoring.Evaluation).Gini, 0}, // 2·0.5 − 1
		{"AveragePrecision", (*scoring.Evaluation).AveragePrecision, 0},
		{"KS", func(e *scoring.Evaluation) float64 { s, _ := e.KS(); return s }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.got(&scoring.Evaluation{}))
		})
	}
}

// TestZeroFit checks that the zero Fit's Holdout says to use Learn.
func TestZeroFit(t *testing.T) {
	tests := []struct {
		name string
		test iter.Seq[scoring.Outcome]
	}{
		{"nil leads", nil},
		{"one lead", slices.Values([]scoring.Outcome{{Converted: true}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := (&scoring.Fit{}).Holdout(tt.test)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, "scoring.Fit.Holdout: f zero value: use Learn")
		})
	}
}

// TestNilInputs checks the documented nil cases: a nil Result to ScoreTo
// is left alone, a nil sequence of leads is a dry run over none, and the
// zero Scorer scores every lead 0 (it has no rules).
func TestNilInputs(t *testing.T) {
	s := demoScorer()
	tests := []struct {
		name string
		s    *scoring.Scorer
	}{
		{"demo scorer", s},
		{"zero scorer", &scoring.Scorer{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.NotPanics(t, func() { tt.s.ScoreTo(nil, ana, at) })
			rep, err := scoring.DryRun(tt.s, tt.s, nil, at, 3)
			require.NoError(t, err)
			assert.Equal(t, &scoring.Report{}, rep)
		})
	}
	r := (&scoring.Scorer{}).Score(ana, at)
	assert.Equal(t, 0.0, r.Total)
	assert.Empty(t, r.Groups)
}
