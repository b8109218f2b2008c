package chart_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
	"github.com/kpiflow/kpi/chart"
	"github.com/kpiflow/kpi/cohort"
	"github.com/kpiflow/kpi/funnel"
	"github.com/kpiflow/kpi/scoring"
)

// The quickstart's month of a B2B funnel and its agreed targets
// (examples/quickstart/funnel.go).
var (
	quickStages  = []string{"Visit", "Lead", "MQL", "SQL", "Opportunity", "Won"}
	quickCounts  = []int64{12000, 240, 96, 40, 25, 6}
	quickTargets = funnel.Targets{"Lead": 0.025, "MQL": 0.4, "SQL": 0.5, "Opportunity": 0.6, "Won": 0.25}
)

// newFunnel builds a funnel of the quickstart's stage names (or names of
// its own when there are more counts).
func newFunnel(t testing.TB, counts ...int64) *funnel.Funnel {
	t.Helper()
	ss := make([]funnel.Stage, len(counts))
	for i, c := range counts {
		name := fmt.Sprintf("Stage %d", i+1)
		if i < len(quickStages) {
			name = quickStages[i]
		}
		ss[i] = funnel.Stage{Name: name, Count: c}
	}
	f, err := funnel.New(ss...)
	require.NoError(t, err)
	return f
}

// weeks returns n weekly MQL→SQL periods around 40 %, the last two
// immature, from a fixed seed.
func weeks(t testing.TB, n int) []chart.Period {
	t.Helper()
	rng := rand.New(rand.NewPCG(19, 12))
	ps := make([]chart.Period, n)
	for i := range ps {
		trials := int64(80 + rng.IntN(40))
		succ := int64(float64(trials) * (0.34 + 0.12*rng.Float64()))
		if i >= n-2 {
			succ = succ * 2 / 3
		}
		r, err := kpi.NewRate(succ, trials)
		require.NoError(t, err)
		ps[i] = chart.Period{Label: fmt.Sprintf("W%d", 10+i), Rate: r, Immature: i >= n-2}
	}
	return ps
}

// cohorts builds the quickstart's table: four monthly cohorts of ten
// customers through April 2024, with its immature corner
// (examples/quickstart/cohort.go).
func cohorts(t testing.TB, n int, g cohort.Grain) *cohort.Table {
	t.Helper()
	b, err := cohort.NewBuilder(g)
	require.NoError(t, err)
	stay := []int{1, 1, 2, 3, 0, 0, 0, 0, 0, 0}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	step := func(tm time.Time, k int) time.Time {
		switch g {
		case cohort.Quarter:
			return tm.AddDate(0, 3*k, 0)
		case cohort.Week:
			return tm.AddDate(0, 0, 7*k)
		}
		return tm.AddDate(0, k, 0)
	}
	for c := range n {
		for i, m := range stay {
			id := fmt.Sprintf("c%d-%d", c, i)
			require.NoError(t, b.Add(cohort.Customer{ID: id, Acquired: step(start, c)}))
			if m == 0 {
				m = n - c
			}
			for k := range m {
				require.NoError(t, b.Add(cohort.Revenue{CustomerID: id, At: step(start, c+k), Amount: decimal.NewFromInt(100)}))
			}
		}
	}
	tab, err := b.Table(step(start, n-1))
	require.NoError(t, err)
	return tab
}

// evaluation scores n leads from a fixed seed; a lead converts with a
// chance that rises with its score.
func evaluation(t testing.TB, n int) *scoring.Evaluation {
	t.Helper()
	rng := rand.New(rand.NewPCG(2026, 19))
	scores, won := make([]float64, n), make([]bool, n)
	for i := range scores {
		scores[i] = math.Round(rng.Float64() * 100)
		won[i] = rng.Float64() < 1/(1+math.Exp(-(scores[i]-70)/10))
	}
	won[0], won[1] = true, false
	e, err := scoring.Evaluate(scores, won)
	require.NoError(t, err)
	return e
}

// quickJourneys are the quickstart's quarter of journeys
// (examples/quickstart/attribution.go).
const quickJourneys = `path;total_conversions;total_conversion_value;total_null
search > webinar > email;3;72000.00;17
search;1;18000.00;52
events > email > direct;2;66000.00;9
social > webinar;1;15000.00;40
email > direct;1;24000.00;14
`

// attributionTable shares journeys out by first touch, linear and
// Markov, and returns the table and the Markov credit against spend.
func attributionTable(t testing.TB, journeys string) (*attribution.Table, []attribution.ROI) {
	t.Helper()
	js, err := attribution.Read(strings.NewReader(journeys), attribution.Format{})
	require.NoError(t, err)
	var rs []*attribution.Result
	for _, m := range []attribution.Model{attribution.First{}, attribution.Linear{}, attribution.Markov{Order: 1}} {
		r, err := m.Attribute(js)
		require.NoError(t, err)
		rs = append(rs, r)
	}
	tab, err := attribution.NewTable(rs...)
	require.NoError(t, err)
	spend := map[string]decimal.Decimal{}
	for i, ch := range js.Channels() {
		spend[ch] = decimal.NewFromInt(int64(3000 * (i + 1)))
	}
	roi, err := rs[2].ROI(spend)
	require.NoError(t, err)
	return tab, roi
}

// plan works the quickstart's funnel back from 240,000 of revenue at
// 24,000 a deal and 45.00 a lead.
func plan(t testing.TB, f *funnel.Funnel) funnel.Projection {
	t.Helper()
	m, err := f.Model(decimal.NewFromInt(24000))
	require.NoError(t, err)
	m.Costs = map[string]decimal.Decimal{"Lead": decimal.RequireFromString("45.00")}
	p, err := funnel.Plan(m, decimal.NewFromInt(240000))
	require.NoError(t, err)
	return p
}
