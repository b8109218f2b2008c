package funnel

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/km"
)

// day is the time unit of conversion curves.
const day = float64(24 * time.Hour)

// StepCurve is the conversion curve of one step of an event funnel: of
// the chains (entities or attempts, by the Definition's Counting) that
// reached the required step before, the share that reached this step by
// each day after, estimated by Kaplan–Meier so that young chains count for the time
// they have had (see Counter.Curves). Times are in days.
type StepCurve struct {
	Step string `json:"step"` // the step's name, as StepResult.Step
	// Curve is the Kaplan–Meier curve over days since the required step
	// before; nil when no chain reached that step.
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
// A step's curve follows the chains that reached the required step j
// before it (the step before, k − 1, unless optional steps lie between),
// the chains its Rate divides by. A chain that reached step j at tⱼ and
// counts at step k converted at tₖ − tⱼ, tₖ its event of step k. One
// that does not count at k is either mature — its deadline, the earlier
// of entry + Window and tⱼ + the Withins of steps j+1 … k added up (none
// when one is unset), has passed by asOf — and then a non-converter,
// censored at the horizon, or immature, still inside its window, and
// censored at its age asOf − tⱼ, not counted as a failure. So a period
// whose youngest entities have not had their whole window reads its rate
// from the curve instead of from the plain count, which understates it.
//
// Around optional steps (see Match), both the curve of an optional step
// and that of the required step after it are measured from step j, the
// required step before them, and not, as StepResult.Time, from the step
// before in the chain: an optional step's curve is the share of the
// chains at step j counted at it by each day after their step-j event,
// and the next required step's the share that reached it, whether the
// optional step was passed or not. A chain counted at an optional step
// that its chain counted does not pass (the step's event came in another
// chain of the attempt, or, with Unique, of another attempt) converted at
// the time from step j to step k of the first chain found to reach step
// k. The horizon is the longest any chain may take from step j to k.
// With every chain mature the curve's value at the horizon is the step
// Rate's value exactly.
//
// The steps' curves are computed side by side on up to GOMAXPROCS
// goroutines, each step's the same bit for bit as on one; Curves returns
// when all are done.
//
// Errors, wrapping kpi.ErrInvalid: the zero Counter; a level outside
// (0, 1); an asOf before the required step's time of a chain that has
// not converted (asOf must not come before the events added); a Counter
// decoded from version 5 of the binary form with optional steps, which
// did not keep the chains.
func (c *Counter) Curves(asOf time.Time, level float64) ([]StepCurve, error) {
	const fn = "funnel.Counter.Curves"
	if c.p == nil {
		return nil, errs.Zero(fn, "Counter", "funnel.NewCounter")
	}
	if err := errs.Level(fn, "level", level); err != nil {
		return nil, err
	}
	if err := errs.Time(fn, "asOf", asOf); err != nil {
		return nil, err
	}
	c.flush()
	t := c.tl.all
	if t.chains == nil {
		return nil, errNoChains(fn)
	}
	now := asOf.UnixNano()
	z := km.Z(level)
	out := make([]StepCurve, c.p.n-1)
	fails := make([]error, c.p.n-1)
	curve := func(k int, sc *kmScratch) {
		step := StepCurve{Step: c.p.labels[k], Horizon: float64(c.p.horizon(k)) / day}
		var late int64
		var ok bool
		sc.keys, step.Immature, late, ok = c.p.observe(sc.keys[:0], t, k, now)
		if !ok {
			fails[k-1] = errs.Invalid(fn, "asOf", asOf.Format(time.RFC3339Nano),
				fmt.Sprintf("before step %q of a chain at %s", c.p.labels[c.p.prev[k]], time.Unix(0, late).UTC().Format(time.RFC3339Nano)))
			return
		}
		if len(sc.keys) > 0 {
			var curve *kpi.Curve
			curve, sc.tmp = kmCurve(sc.keys, sc.tmp, level, z)
			step.Curve = curve
			step.Share, step.Interval = curve.At(step.Horizon)
			if m, ok := curve.Median(); ok {
				step.Median = &m
			}
		}
		out[k-1] = step
	}
	// The steps' curves are independent: up to GOMAXPROCS workers take
	// them in turn, each with its own scratch space, and every curve is
	// the one a single worker gives, bit for bit.
	var next atomic.Int64
	work := func() {
		sc := kmPool.Get().(*kmScratch)
		defer kmPool.Put(sc)
		for k := int(next.Add(1)); k < c.p.n; k = int(next.Add(1)) {
			curve(k, sc)
		}
	}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), c.p.n-1) - 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	work()
	wg.Wait()
	for _, err := range fails {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// kmScratch is the scratch space of the Kaplan–Meier estimates, reused
// from step to step: the keys of a step's observations and the sort's.
type kmScratch struct{ keys, tmp []uint64 }

// kmPool keeps the scratch space between calls of Counter.Curves and
// Counter.Series: 16 bytes an observation, 16 MB for a step a million
// chains reached, which would otherwise be new memory at every call.
var kmPool = sync.Pool{New: func() any { return new(kmScratch) }}

// kmCurve returns the Kaplan–Meier curve, on kpi.LogLogScale at the level
// whose critical value is z, of the observations packed in keys by
// observe, as kpi.KaplanMeier gives it for the same observations. It
// sorts keys in place and returns the sort's scratch space tmp for reuse.
func kmCurve(keys, tmp []uint64, level, z float64) (*kpi.Curve, []uint64) {
	tmp = km.Sort(keys, tmp)
	c := &kpi.Curve{Entities: int64(len(keys)), Level: level, Scale: kpi.LogLogScale}
	c.Points = make([]kpi.CurvePoint, 0, km.Distinct(keys))
	method := "greenwood-" + kpi.LogLogScale.String()
	km.Walk(keys, z, km.LogLog, func(p km.Point) {
		c.Points = append(c.Points, kpi.CurvePoint{
			Time:      math.Float64frombits(p.Time),
			AtRisk:    p.AtRisk,
			Converted: p.Events,
			Censored:  p.Censored,
			Share:     p.Share,
			Interval:  kpi.Interval{Lo: p.Lo, Hi: p.Hi, Level: level, Method: method},
		})
	})
	return c, tmp
}

// observe appends to keys the observations of step k of the tally t as
// of now, in nanoseconds (see Counter.Curves), each packed by km.Key with
// the bits of its time in days (as a float64 ≥ 0, whose bits sort as its
// value, so that times equal in days are one time, as for
// kpi.KaplanMeier), and returns them with the number of chains censored
// at their age. ok is false, with the time of its step k−1, for a chain
// that has not converted and reached step k−1 after now.
func (p *compiled) observe(keys []uint64, t *tally, k int, now int64) (_ []uint64, immature, late int64, ok bool) {
	horizon := km.Key(math.Float64bits(float64(p.horizon(k))/day), false)
	conv, op := t.converted(k), t.open[k]
	keys = slices.Grow(keys, len(conv)+len(op)/2)
	for _, d := range conv {
		keys = append(keys, km.Key(math.Float64bits(float64(d)/day), true))
	}
	for i := 0; i < len(op); i += 2 {
		at, entry := op[i], op[i+1]
		switch {
		case now >= p.deadline(k, at, entry):
			keys = append(keys, horizon)
		case now < at:
			return keys, immature, at, false
		default:
			keys = append(keys, km.Key(math.Float64bits(float64(now-at)/day), false))
			immature++
		}
	}
	return keys, immature, 0, true
}
