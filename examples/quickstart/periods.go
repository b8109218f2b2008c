package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

func init() { register(26, "Funnels over time: a young month, censored", periodsSection) }

// quarterAsOf is when the quarter is read: the evening of its last day.
var quarterAsOf = time.Date(2026, 3, 31, 18, 0, 0, 0, time.UTC)

// sqlQuarter simulates the SQLs of January to March 2026, 400 a month,
// each on a day and hour drawn uniformly over its month. Every month
// alike, each SQL becomes an opportunity with probability 0.3, between
// half a day and 30 days later (uniformly). It returns the events known
// on quarterAsOf and, per month, the SQLs that will ever convert: the
// truth that only time tells.
func sqlQuarter() (known []funnel.Event, truth [3]int64) {
	rng := rand.New(rand.NewPCG(16, 2026))
	for m := range 3 {
		start := time.Date(2026, time.Month(m+1), 1, 0, 0, 0, 0, time.UTC)
		span := start.AddDate(0, 1, 0).Sub(start)
		for i := range 400 {
			id := fmt.Sprintf("sql-%d-%03d", m+1, i)
			at := start.Add(time.Duration(rng.Int64N(int64(span))))
			if at.After(quarterAsOf) {
				continue // not an SQL yet
			}
			known = append(known, funnel.Event{Entity: id, Name: "sql", Time: at})
			if rng.Float64() >= 0.3 {
				continue
			}
			truth[m]++
			won := at.Add(12*time.Hour + time.Duration(rng.Int64N(int64(29*24*time.Hour+12*time.Hour))))
			if !won.After(quarterAsOf) {
				known = append(known, funnel.Event{Entity: id, Name: "opportunity", Time: won})
			}
		}
	}
	return known, truth
}

// periodsSection reads the quarter's SQL → opportunity step per month of
// entry: the naive rates, in which March looks significantly worse only
// because its SQLs have not had their 30 days; the trend over the mature
// months, which leaves March out and says so; and the Kaplan–Meier
// estimate, which counts March's young SQLs for the days they have had,
// against the truth of the simulation.
func periodsSection(w io.Writer) error {
	known, truth := sqlQuarter()
	d := funnel.Definition{Steps: []funnel.Match{{Step: "SQL", Event: "sql"}, {Step: "Opportunity", Event: "opportunity"}}, Window: 30 * 24 * time.Hour}
	c, err := funnel.NewCounter(d)
	if err != nil {
		return err
	}
	if err := c.AddAll(slices.Values(known)); err != nil {
		return err
	}
	s, err := c.Series(funnel.Periods{Grain: funnel.Month, Location: time.UTC}, quarterAsOf)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "SQL→Opportunity by month of the SQL, 30-day window, as of %s:\n", quarterAsOf.Format(time.DateOnly))
	for j, p := range s.Periods {
		st := p.Steps[1]
		fmt.Fprintf(w, "  %s  naive %-16v mature %-5v open %5.1f%%  Kaplan–Meier %4.1f%% [%4.1f%%, %4.1f%%]  truth %4.1f%%\n",
			p.Label, st.Rate, st.Mature, 100*value(st.Open), 100*st.Estimate, 100*st.EstimateInterval.Lo, 100*st.EstimateInterval.Hi,
			100*float64(truth[j])/float64(p.Steps[0].Reached))
	}
	naive, err := s.Trends(0.95, funnel.TrendOptions{Immature: true})
	if err != nil {
		return err
	}
	last := naive[0].Changes[len(naive[0].Changes)-1]
	fmt.Fprintf(w, "naive, every month: Mar against Feb %+.1f points, Holm-adjusted p = %.2g of %d: significant %v (an artefact)\n",
		100*last.Diff, last.AdjustedP, last.Family, last.Significant)
	mature, err := s.Trends(0.95, funnel.TrendOptions{})
	if err != nil {
		return err
	}
	m := mature[0]
	fmt.Fprintf(w, "mature months only (left out: %v): Feb against Jan %+.1f points, p = %.2f: significant %v\n",
		m.Immature, 100*m.Changes[0].Diff, m.Changes[0].AdjustedP, m.Changes[0].Significant)
	return marchCurve(w, known)
}

// marchCurve reads the conversion curve of March's SQLs alone with
// Counter.Curves: the share converted by each day, censored SQLs counted
// for the days they have had.
func marchCurve(w io.Writer, known []funnel.Event) error {
	d := funnel.Definition{Steps: []funnel.Match{{Step: "SQL", Event: "sql"}, {Step: "Opportunity", Event: "opportunity"}}, Window: 30 * 24 * time.Hour}
	c, err := funnel.NewCounter(d)
	if err != nil {
		return err
	}
	for _, e := range known {
		if e.Entity[4] == '3' { // March's SQLs: sql-3-…
			if err := c.Add(e); err != nil {
				return err
			}
		}
	}
	curves, err := c.Curves(quarterAsOf, 0.95)
	if err != nil {
		return err
	}
	sc := curves[0]
	share10, at10 := sc.Curve.At(10)
	fmt.Fprintf(w, "March's curve (Counter.Curves): %.1f%% [%.1f%%, %.1f%%] by day 10, %.1f%% by day 30; %d SQLs still inside their window\n",
		100*share10, 100*at10.Lo, 100*at10.Hi, 100*sc.Share, sc.Immature)
	return nil
}

// value is a rate's value, 0 when it has no trials.
func value(r kpi.Rate) float64 {
	v, err := r.Value()
	if err != nil {
		return 0
	}
	return v
}
