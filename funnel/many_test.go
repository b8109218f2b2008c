package funnel_test

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// TestManyStages holds the probes of funnels and segment lists of 2·10⁵
// entries: each name was checked against every name before it (and each
// target's stage, and each bottleneck's later steps, looked up by a scan),
// so that Plan of 10⁶ stages ran for more than 8 minutes and CompareSegments
// of 2·10⁵ segments took 70 s. Now each takes milliseconds. It checks
// results; their cost is for benchmarks, not a timed test (at the old costs
// this test ran for minutes).
//
// The expected values are by hand: a top stage of 2 above n − 1 stages of
// 1 has its first step at 1/2 and every other step at 1, so with a target
// of 1 on every step the only bottleneck is the first, gaining
// (1 − 1/2)·2·1ⁿ = 1 deal; a plan of rates 1 for a goal of one deal of 1
// needs 1 at every stage, a forecast of 7 at the top keeps 7 everywhere;
// identical segments have a chi-square of 0 and P 1.
func TestManyStages(t *testing.T) {
	const n = 200_000
	stages := make([]funnel.Stage, n)
	names := make([]string, n)
	rates := make([]float64, n-1)
	targets := funnel.Targets{}
	for i := range stages {
		names[i] = fmt.Sprint("s", i)
		stages[i] = funnel.Stage{Name: names[i], Count: 1}
		if i > 0 {
			rates[i-1] = 1
			targets[names[i]] = 1
		}
	}
	stages[0].Count = 2
	m := funnel.Model{Stages: names, Rates: rates, DealSize: decimal.NewFromInt(1), Costs: map[string]decimal.Decimal{names[n-1]: decimal.NewFromInt(3)}}
	small, err := funnel.New(funnel.Stage{Name: "a", Count: 10}, funnel.Stage{Name: "b", Count: 4})
	require.NoError(t, err)
	segments := make([]funnel.Segment, n)
	for i := range segments {
		segments[i] = funnel.Segment{Name: names[i], Funnel: small}
	}
	for _, tc := range []struct {
		name  string
		check func(t *testing.T)
	}{
		{"New", func(t *testing.T) {
			f, err := funnel.New(stages...)
			require.NoError(t, err)
			assert.Len(t, f.Steps(), n-1)
		}},
		{"New repeated last name", func(t *testing.T) {
			again := append(append([]funnel.Stage(nil), stages...), funnel.Stage{Name: "s7", Count: 0})
			_, err := funnel.New(again...)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, `funnel.New: stage name "s7": used twice`)
		}},
		{"Check and Bottlenecks", func(t *testing.T) {
			f, err := funnel.New(stages...)
			require.NoError(t, err)
			checks, err := f.Check(targets, 0.95)
			require.NoError(t, err)
			assert.Len(t, checks, n-1)
			bs, err := f.Bottlenecks(targets, 0.95)
			require.NoError(t, err)
			require.Len(t, bs, 1)
			assert.Equal(t, "s1", bs[0].Step.To)
			assert.True(t, bs[0].Estimated)
			assert.InDelta(t, 1, bs[0].Gain, 1e-12)
		}},
		{"Plan", func(t *testing.T) {
			p, err := funnel.Plan(m, decimal.NewFromInt(1))
			require.NoError(t, err)
			require.Len(t, p.Volumes, n)
			assert.Equal(t, 1.0, p.Volumes[0].Count)
			assert.True(t, p.Budget.Equal(decimal.NewFromInt(3)), p.Budget.String())
		}},
		{"Forecast", func(t *testing.T) {
			p, err := funnel.Forecast(m, 7)
			require.NoError(t, err)
			assert.Equal(t, 7.0, p.Volumes[n-1].Count)
		}},
		{"CompareSegments", func(t *testing.T) {
			sp, err := funnel.CompareSegments(segments, kpi.Wilson, 0.95)
			require.NoError(t, err)
			require.Len(t, sp, 1)
			assert.Equal(t, n-1, sp[0].DF)
			assert.Equal(t, 0.0, sp[0].ChiSquare)
			assert.Equal(t, 1.0, sp[0].P)
		}},
	} {
		t.Run(tc.name, tc.check)
	}
}
