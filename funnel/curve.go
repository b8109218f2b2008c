package funnel

import (
	"fmt"
	"slices"
	"time"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
)

// day is the time unit of conversion curves.
const day = float64(24 * time.Hour)

// StepCurve is the conversion curve of one step of an event funnel: of
// the chains (entities or attempts, by the Definition's Counting) that
// reached the step before, the share that reached this step by each day
// after, estimated by Kaplan–Meier so that young chains count for the time
// they have had (see Counter.Curves). Times are in days.
type StepCurve struct {
	Step string `json:"step"` // the step's name, as StepResult.Step
	// Curve is the Kaplan–Meier curve over days since the previous step;
	// nil when no chain reached the previous step.
	Curve *kpi.Curve `json:"curve"`
	// Horizon is the longest the step can take, in days: its Within, when
	// set and shorter than the Window, else the Window.
	Horizon float64 `json:"horizon"`
	// Immature counts the chains still inside their window at the as-of
	// time that have not converted: censored at their age.
	Immature int64 `json:"immature"`
	// Share is the curve's value at the horizon, the estimated step rate
	// once every chain has had its whole window, with its interval. With
	// no immature chain it equals StepResult.Rate's value exactly.
	Share    float64      `json:"share"`
	Interval kpi.Interval `json:"interval"`
	// Median is the median time to convert in days, where the curve
	// reaches one half (kpi.Curve.Median); nil when it never does.
	Median *float64 `json:"median"`
}

// Curves returns, for each step after the first, its conversion curve as
// of the time asOf, with pointwise intervals at the confidence level (on
// kpi.LogLogScale, as kpi.KaplanMeier). Curves cover the whole funnel, not
// the breakdown groups.
//
// A chain that reached step k−1 at time tₖ₋₁ and step k at tₖ converted at
// tₖ − tₖ₋₁. One that did not is either mature — its deadline for step k,
// the earlier of entry + Window and tₖ₋₁ + Within, has passed by asOf —
// and then a non-converter, censored at the horizon, or immature, still
// inside its window, and censored at its age asOf − tₖ₋₁, not counted as
// a failure. So a period whose youngest entities have not had their whole
// window reads its rate from the curve instead of from the plain count,
// which understates it.
//
// Errors, wrapping kpi.ErrInvalid: the zero Counter; a definition with
// an optional step (see Match); a level outside
// (0, 1); an asOf before the step time of a chain that has not converted
// (asOf must not come before the events added).
func (c *Counter) Curves(asOf time.Time, level float64) ([]StepCurve, error) {
	const fn = "funnel.Counter.Curves"
	if c.p == nil {
		return nil, errs.Zero(fn, "Counter", "funnel.NewCounter")
	}
	if err := c.p.required(fn); err != nil {
		return nil, err
	}
	if err := errs.Level(fn, "level", level); err != nil {
		return nil, err
	}
	if err := errs.Time(fn, "asOf", asOf); err != nil {
		return nil, err
	}
	c.flush()
	t := c.tl.all
	now := asOf.UnixNano()
	out := make([]StepCurve, 0, c.p.n-1)
	var obs []kpi.Observation
	for k := 1; k < c.p.n; k++ {
		sc := StepCurve{Step: c.p.labels[k], Horizon: float64(c.p.horizon(k)) / day}
		var late int64
		var ok bool
		obs, sc.Immature, late, ok = c.p.observe(obs[:0], t, k, now)
		if !ok {
			return nil, errs.Invalid(fn, "asOf", asOf.Format(time.RFC3339Nano),
				fmt.Sprintf("before step %q of a chain at %s", c.p.labels[k-1], time.Unix(0, late).UTC().Format(time.RFC3339Nano)))
		}
		if len(obs) > 0 {
			curve, err := kpi.KaplanMeier(slices.Values(obs), level, kpi.LogLogScale)
			if err != nil {
				return nil, err // not reached: the times are finite and ≥ 0
			}
			sc.Curve = curve
			sc.Share, sc.Interval = curve.At(sc.Horizon)
			if m, ok := curve.Median(); ok {
				sc.Median = &m
			}
		}
		out = append(out, sc)
	}
	return out, nil
}

// observe appends to obs the observations of step k of the tally t as of
// now, in nanoseconds (see Counter.Curves), and returns them with the
// number of chains censored at their age. ok is false, with the time of
// its step k−1, for a chain that has not converted and reached step k−1
// after now.
func (p *compiled) observe(obs []kpi.Observation, t *tally, k int, now int64) (_ []kpi.Observation, immature, late int64, ok bool) {
	horizon := float64(p.horizon(k)) / day
	for _, d := range t.times[k] {
		obs = append(obs, kpi.Observation{Time: float64(d) / day, Converted: true})
	}
	op := t.open[k]
	for i := 0; i < len(op); i += 2 {
		at, entry := op[i], op[i+1]
		switch {
		case now >= p.deadline(k, at, entry):
			obs = append(obs, kpi.Observation{Time: horizon})
		case now < at:
			return obs, immature, at, false
		default:
			obs = append(obs, kpi.Observation{Time: float64(now-at) / day})
			immature++
		}
	}
	return obs, immature, 0, true
}
