package funnel

import (
	"fmt"
	"time"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
)

// TrendOptions say how Series.Trends reads the periods. The zero value
// uses the mature periods only and adjusts by Holm's method.
type TrendOptions struct {
	// Immature uses the periods whose step is immature too; their rates
	// are biased low, since their youngest chains have not had their
	// window (read PeriodStep.Estimate instead).
	Immature bool
	// Adjustment adjusts the period-over-period p-values for their
	// number; the zero Adjustment is kpi.Holm.
	Adjustment kpi.Adjustment
}

// StepTrend is the trend of one step's conversion over the periods of a
// Series (see Series.Trends).
//
// Points are the periods used, in time order: those mature at the step
// (or all, with TrendOptions.Immature) with trials. Immature and Empty
// name, by their labels, the periods left out: immature at the step, or
// with no trials.
//
// Trend is the Cochran–Armitage test for a linear trend over the points
// (kpi.TestTrend), with each point scored by its period's position in the
// Series (1, 2, …), so that a period left out leaves its gap. PChart and
// Laney are the p-chart and Laney's p′-chart of the points
// (kpi.PChart, kpi.LaneyChart), with their limits and signals; the run
// rules read the points as consecutive. All three are nil with fewer
// than two points.
//
// Changes compare each point with the one before: Changes[i] is
// Points[i+1] against Points[i] (A is the earlier), with Fisher's exact
// p-value adjusted over the family of every period-over-period
// comparison of the call, all steps together (Change.Family says how
// many, Change.Adjustment how), and Significant when the adjusted p-value
// is below 1 − level.
type StepTrend struct {
	Step     string       `json:"step"`
	Points   []TrendPoint `json:"points"`
	Immature []string     `json:"immature"`
	Empty    []string     `json:"empty"`
	Trend    *kpi.Trend   `json:"trend"`
	PChart   *kpi.Chart   `json:"pChart"`
	Laney    *kpi.Chart   `json:"laney"`
	Changes  []Change     `json:"changes"`
}

// TrendPoint is one period of a StepTrend: the period's label and start,
// and the step's rate in its cohort with the rate's Wilson interval at
// the level Trends was given.
type TrendPoint struct {
	Label    string       `json:"label"`
	Start    time.Time    `json:"start"`
	Rate     kpi.Rate     `json:"rate"`
	Interval kpi.Interval `json:"interval"`
}

// Trends returns, for each step after the first, the trend of its
// conversion over the series' periods at the confidence level (such as
// 0.95): the rates with their intervals, the Cochran–Armitage test, the
// p- and p′-charts, and the period-over-period comparisons with adjusted
// p-values (see StepTrend). By default only the periods mature at the
// step take part, so that the young periods' censored rates do not read
// as a fall; each StepTrend names the periods it left out.
//
// Errors, wrapping kpi.ErrInvalid: a level outside (0, 1), an unknown
// Adjustment, periods with different numbers of steps (a Series built by
// hand; Counter.Series gives every period the funnel's steps); the errors of kpi.TestTrend, kpi.PChart, kpi.LaneyChart and
// kpi.Compare (more than kpi.MaxTrials trials) as they are.
func (s *Series) Trends(level float64, o TrendOptions) ([]StepTrend, error) {
	const fn = "funnel.Series.Trends"
	if err := errs.Level(fn, "level", level); err != nil {
		return nil, err
	}
	if _, err := kpi.Adjust(nil, o.Adjustment); err != nil {
		return nil, errs.Invalid(fn, "adjustment", int(o.Adjustment), "unknown adjustment")
	}
	steps := 0
	if len(s.Periods) > 0 {
		steps = len(s.Periods[0].Steps)
	}
	for j, p := range s.Periods {
		if len(p.Steps) != steps {
			return nil, errs.Invalid(fn, fmt.Sprintf("periods[%d] steps", j), len(p.Steps), fmt.Sprintf("periods[0] has %d steps: every period needs the same steps", steps))
		}
	}
	out := make([]StepTrend, 0, max(steps-1, 0))
	var ps []float64
	for k := 1; k < steps; k++ {
		st, err := s.trend(k, level, o)
		if err != nil {
			return nil, err
		}
		for _, c := range st.Changes {
			ps = append(ps, c.FisherP)
		}
		out = append(out, st)
	}
	adj, err := kpi.Adjust(ps, o.Adjustment)
	if err != nil {
		return nil, err // not reached: Fisher's p-values lie in [0, 1]
	}
	i := 0
	for j := range out {
		for c := range out[j].Changes {
			ch := &out[j].Changes[c]
			ch.AdjustedP, ch.Family, ch.Adjustment = adj[i], len(ps), o.Adjustment
			ch.Significant = adj[i] < 1-level
			i++
		}
	}
	return out, nil
}

// trend reads step k over the periods, without the adjustment of its
// changes' p-values.
func (s *Series) trend(k int, level float64, o TrendOptions) (StepTrend, error) {
	st := StepTrend{Step: s.Periods[0].Steps[k].Step, Points: []TrendPoint{}, Immature: []string{}, Empty: []string{}, Changes: []Change{}}
	var rates []kpi.Rate
	var scores []float64
	for j, p := range s.Periods {
		ps := p.Steps[k]
		switch {
		case !ps.Mature && !o.Immature:
			st.Immature = append(st.Immature, p.Label)
			continue
		case ps.Rate.Trials() == 0:
			st.Empty = append(st.Empty, p.Label)
			continue
		}
		lo, hi, err := ps.Rate.Interval(kpi.Wilson, level)
		if err != nil {
			return st, err // more than kpi.MaxTrials trials
		}
		st.Points = append(st.Points, TrendPoint{Label: p.Label, Start: p.Start, Rate: ps.Rate,
			Interval: kpi.Interval{Lo: lo, Hi: hi, Level: level, Method: kpi.Wilson.String()}})
		rates = append(rates, ps.Rate)
		scores = append(scores, float64(j+1))
	}
	if len(rates) < 2 {
		return st, nil
	}
	tr, err := kpi.TestTrend(rates, scores)
	if err != nil {
		return st, err
	}
	pc, err := kpi.PChart(rates)
	if err != nil {
		return st, err
	}
	lc, err := kpi.LaneyChart(rates)
	if err != nil {
		return st, err
	}
	st.Trend, st.PChart, st.Laney = &tr, &pc, &lc
	for i := 1; i < len(rates); i++ {
		c, err := kpi.Compare(rates[i-1], rates[i])
		if err != nil {
			return st, err
		}
		st.Changes = append(st.Changes, Change{Step: st.Step, Comparison: c, Tested: true})
	}
	return st, nil
}
