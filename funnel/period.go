package funnel

import (
	"fmt"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/mathext"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/km"
)

// Grain is the unit of the periods of a Series: a calendar day, an ISO
// week (Monday to Sunday), a calendar month or a calendar quarter
// (January–March, April–June, …), each starting at midnight in the
// Periods' Location. The zero Grain is none, a period of no length: an
// error wherever a Grain is needed.
type Grain uint8

// The grains.
const (
	Day Grain = iota + 1
	Week
	Month
	Quarter
)

// grainNames are the grains' names, as String and JSON write them.
var grainNames = [...]string{Day: "day", Week: "week", Month: "month", Quarter: "quarter"}

// String returns "day", "week", "month" or "quarter", or "Grain(n)" for
// any other value.
func (g Grain) String() string {
	if g.valid() {
		return grainNames[g]
	}
	return fmt.Sprintf("Grain(%d)", uint8(g))
}

func (g Grain) valid() bool { return g >= Day && g <= Quarter }

// maxPeriods bounds the periods of a Series.
const maxPeriods = 1 << 16

// maxEvery bounds Periods.Every per grain, to periods of at most 100
// years.
var maxEvery = [...]int{Day: 36525, Week: 5218, Month: 1200, Quarter: 400}

// Periods says how a Series cuts time: into periods of Every grains (one
// when Every is 0) in the time zone Location, the first holding the
// earliest entry counted and the last holding the as-of time. A period of
// several grains starts where the first period's first grain does:
// Periods{Grain: Week, Every: 2} are fortnights from the Monday of the
// earliest entry's ISO week.
type Periods struct {
	Grain    Grain
	Every    int
	Location *time.Location
}

// check validates the periods, naming the field in the error.
func (p Periods) check(fn string) error {
	switch {
	case p.Grain == 0:
		return errs.Invalid(fn, "periods grain", 0, "no grain, a period of no length: give Day, Week, Month or Quarter")
	case !p.Grain.valid():
		return errs.Invalid(fn, "periods grain", int(p.Grain), "unknown grain")
	case p.Every < 0:
		return errs.Invalid(fn, "periods every", p.Every, "a period of negative length")
	case p.Every > maxEvery[p.Grain]:
		return errs.Invalid(fn, "periods every", p.Every, fmt.Sprintf("%s periods longer than 100 years", p.Grain))
	case p.Location == nil:
		return errs.Invalid(fn, "periods location", "nil", "no time zone: give time.UTC or a *time.Location")
	}
	return nil
}

// floor returns the start of the grain holding t, in the location.
func (p Periods) floor(t time.Time) time.Time {
	t = t.In(p.Location)
	y, m, d := t.Date()
	switch p.Grain {
	case Week:
		d -= (int(t.Weekday()) + 6) % 7 // back to Monday
	case Month:
		d = 1
	case Quarter:
		m, d = (m-1)/3*3+1, 1
	}
	return time.Date(y, m, d, 0, 0, 0, 0, p.Location)
}

// next returns the start of the period after the one starting at s.
func (p Periods) next(s time.Time) time.Time {
	n := max(p.Every, 1)
	y, m, d := s.Date()
	switch p.Grain {
	case Day:
		d += n
	case Week:
		d += 7 * n
	case Month:
		m += time.Month(n)
	case Quarter:
		m += time.Month(3 * n)
	}
	return time.Date(y, m, d, 0, 0, 0, 0, p.Location)
}

// label names the period starting at s: "2026-03-02" (a day), "2026-W10"
// (an ISO week), "2026-03" (a month) or "2026-Q1" (a quarter). A period of
// several grains is named by its first.
func (p Periods) label(s time.Time) string {
	switch p.Grain {
	case Week:
		y, w := s.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case Month:
		return s.Format("2006-01")
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", s.Year(), (int(s.Month())+2)/3)
	}
	return s.Format(time.DateOnly)
}

// grid returns the starts of the periods from the one holding first to
// the one holding asOf, with the end of the last appended.
func (p Periods) grid(fn string, first, asOf time.Time) ([]time.Time, error) {
	var starts []time.Time
	for s := p.floor(first); ; s = p.next(s) {
		starts = append(starts, s)
		if s.After(asOf) {
			return starts, nil
		}
		if len(starts) > maxPeriods {
			return nil, errs.Invalid(fn, "periods", fmt.Sprintf("%d %s from %s to %s", max(p.Every, 1), p.Grain,
				first.In(p.Location).Format(time.RFC3339), asOf.In(p.Location).Format(time.RFC3339)), "more than 65536 (2^16) periods")
		}
	}
}

// Series is the event funnel per period: a Counter's funnel cut by
// Periods as of a time (see Counter.Series).
type Series struct {
	Spec    Periods   `json:"spec"`
	AsOf    time.Time `json:"asOf"`    // in Spec.Location
	Periods []Period  `json:"periods"` // in time order, every period from the first entry's to AsOf's
}

// Period is one period of a Series: its label ("2026-03"), its start and
// end, [Start, End), in the Series' location, and its funnel.
type Period struct {
	Label string       `json:"label"`
	Start time.Time    `json:"start"`
	End   time.Time    `json:"end"`
	Steps []PeriodStep `json:"steps"` // in the order of Definition.Steps
}

// PeriodStep is one step of a Period's funnel. Its StepResult is the
// cohort funnel: the chains (entities or attempts, by the Definition's
// Counting) that entered in the period, followed through their window
// wherever it ends, so that Reached counts those that reached the step by
// the as-of time and Rate is the step conversion of the period's cohort.
//
// Mature reports whether every entry the period can hold has had its whole
// window for this step by the as-of time: the period has ended, and its
// last instant plus the longest the step can take after the entry (the
// Window, or less when the steps' Within add up to less) is no later than
// the as-of time. An immature step's counts may still grow. With optional
// steps the counts and rates are Result's (see StepResult), and the
// curves measure each step from the required step before it (see
// Counter.Curves). Mature is about the chain counted, so with Unique
// counting a mature period can still gain counts at an optional step:
// an entity counts at an optional step when any of its attempts found
// the step's event, and a later attempt, entering after the period and
// its window, may find one.
//
// Open is the share of the step's trials (the chains that reached the
// required step before, as Rate's) still inside their window for this
// step without having reached it: censored, their outcome unknown; Open's
// value is undefined when the step has no trials, and 0 on the first
// step. Estimate and EstimateInterval are the Kaplan–Meier estimate of
// the step's rate once every chain has had its window, the conversion
// curve's value at the step's horizon with its 95 % Greenwood interval on
// the log-log scale (Method "greenwood-log-log"; see Counter.Curves and
// kpi.KaplanMeier), over the period's cohort, as R's survfit with
// conf.type = "log-log". When no chain is open the curve's value at the
// horizon is Rate's value d/n exactly, and the interval is that of
// Greenwood's variance d/(n(n − d)) of log S: not Rate's Wilson interval,
// which the JSON and CSV forms write beside it. When every trial
// converted (S = 0, where survfit has no interval) the interval reaches 1
// from the lower end at the time before the last conversions, as
// kpi.KaplanMeier's. They are 0 and the zero Interval when the step has
// no trials; on the first step they are 1 and [1, 1] (Method "exact").
//
// Entered is the flow funnel: how many chains, of any period's cohort,
// reached this step with an event inside this period.
type PeriodStep struct {
	StepResult
	Mature           bool
	Open             kpi.Rate
	Estimate         float64
	EstimateInterval kpi.Interval
	Entered          int64
}

// estimateConfidence is the level of PeriodStep.EstimateInterval.
const estimateConfidence = 0.95

// Series returns the funnel of the events added so far per period, as of
// the time asOf (there is no clock inside): for each period from the one
// holding the earliest entry counted (or the earliest event counted at an
// optional step, which may come from another attempt of the entity than
// the one counted) to the one holding asOf, the cohort
// funnel of the chains that entered in it, with each step's maturity and
// censoring, and the flow funnel of the step events that fell in it (see
// PeriodStep). Periods with no entries are there with zero counts. With
// Unique counting an entity belongs to the period of its best attempt's
// entry, as with Breakdown; Series covers the whole funnel, not the
// breakdown groups. With no chain counted the Series has no periods.
//
// Like Result, Series counts the events Add buffered and leaves the
// Counter as it was: more events may be added after it.
//
// Errors, wrapping kpi.ErrInvalid and naming the argument: the zero
// Counter; a Periods with no grain, an unknown one, a negative Every, an
// Every longer than 100 years or a nil Location; an asOf outside the years
// kpi.MinYear to kpi.MaxYear, or before the latest event counted (which
// includes an asOf before every event); more than 2¹⁶ periods; a
// Counter decoded from version 5 of the binary form with optional steps,
// which did not keep the chains.
func (c *Counter) Series(p Periods, asOf time.Time) (*Series, error) {
	const fn = "funnel.Counter.Series"
	if c.p == nil {
		return nil, errs.Zero(fn, "Counter", "funnel.NewCounter")
	}
	if err := p.check(fn); err != nil {
		return nil, err
	}
	if err := errs.Time(fn, "asOf", asOf); err != nil {
		return nil, err
	}
	c.flush()
	all := c.tl.all
	if all.chains == nil {
		return nil, errNoChains(fn)
	}
	s := &Series{Spec: p, AsOf: asOf.In(p.Location), Periods: []Period{}}
	if len(all.chains.entries) == 0 {
		return s, nil
	}
	first, last := all.chains.entries[0], all.chains.entries[0]
	all.each(c.tl.prev, func(level int, mask, _ uint16, chain, _ *[maxSteps]int64) {
		for k := range level {
			if mask&(1<<k) != 0 { // an optional step's event may come before the entry counted
				first, last = min(first, chain[k]), max(last, chain[k])
			}
		}
	})
	now := asOf.UnixNano()
	if now < last {
		return nil, errs.Invalid(fn, "asOf", asOf.Format(time.RFC3339Nano),
			fmt.Sprintf("before the latest event counted, at %s", time.Unix(0, last).In(p.Location).Format(time.RFC3339Nano)))
	}
	grid, err := p.grid(fn, time.Unix(0, first), asOf)
	if err != nil {
		return nil, err
	}
	bounds := make([]int64, len(grid))
	for i, g := range grid {
		bounds[i] = g.UnixNano()
	}
	n := len(grid) - 1
	cohorts, entered := c.p.split(all, bounds, c.tl.prev)
	s.Periods = make([]Period, n)
	by := c.p.reachBy()
	empty := curveTally(c.p.n, c.p.opt != 0)
	scratch := kmPool.Get().(*kmScratch)
	defer kmPool.Put(scratch)
	for j := range s.Periods {
		t := cohorts[j]
		if t == nil {
			t = empty
		}
		pd := Period{Label: p.label(grid[j]), Start: grid[j], End: grid[j+1], Steps: make([]PeriodStep, c.p.n)}
		r := c.p.result(t)
		for k := range pd.Steps {
			ps := &pd.Steps[k]
			ps.StepResult = r.Steps[k]
			ps.Mature = now >= satAdd(bounds[j+1]-1, by[k])
			ps.Entered = entered[j*c.p.n+k]
			c.p.estimate(ps, scratch, t, k, now)
		}
		s.Periods[j] = pd
	}
	return s, nil
}

// split groups the chains of the whole funnel's tally all into a tally
// per period of their entry (nil for a period without entries), the
// periods' starts and the last one's end in bounds, and counts per
// period and step the chains whose event of that step fell in the period
// (entered[j·n + k]). prev is the tallies' (nil without optional steps).
func (p *compiled) split(all *tally, bounds []int64, prev []int) (cohorts []*tally, entered []int64) {
	n := len(bounds) - 1
	cohorts = make([]*tally, n)
	entered = make([]int64, n*p.n)
	at := func(t int64) int { // the period holding t
		i, found := slices.BinarySearch(bounds, t)
		if !found {
			i--
		}
		return i
	}
	// Count each period's times and open chains, so that its tally is
	// made to size, then fill the tallies.
	sizes := make([]int32, n*p.n)
	all.each(prev, func(level int, mask, _ uint16, chain, _ *[maxSteps]int64) {
		j := at(chain[0])
		for k := range level {
			if mask&(1<<k) != 0 {
				sizes[j*p.n+k]++
				entered[at(chain[k])*p.n+k]++
			}
		}
	})
	for j := range cohorts {
		sz := sizes[j*p.n : (j+1)*p.n]
		if sz[0] == 0 {
			continue
		}
		t := curveTally(p.n, prev != nil)
		if prev == nil {
			for k := 1; k < p.n; k++ {
				t.times[k] = make([]int64, 0, sz[k])
				t.open[k] = make([]int64, 0, 2*(sz[k-1]-sz[k]))
			}
		}
		cohorts[j] = t
	}
	all.each(prev, func(level int, mask, path uint16, chain, dur *[maxSteps]int64) {
		cohorts[at(chain[0])].add(level, mask, path, chain, dur, prev)
	})
	return cohorts, entered
}

// estimate fills step k's Open, Estimate and EstimateInterval from the
// tally t of a period's cohort as of now, which is no earlier than any
// event counted, using the scratch space sc.
func (p *compiled) estimate(ps *PeriodStep, sc *kmScratch, t *tally, k int, now int64) {
	trials := ps.Rate.Trials()
	if k == 0 {
		ps.Open, _ = kpi.NewRate(0, trials)
		if trials > 0 {
			ps.Estimate = 1
			ps.EstimateInterval = kpi.Interval{Lo: 1, Hi: 1, Level: estimateConfidence, Method: "exact"}
		}
		return
	}
	open := int64(0)
	op := t.open[k]
	for i := 0; i < len(op); i += 2 {
		if now < p.deadline(k, op[i], op[i+1]) {
			open++
		}
	}
	ps.Open, _ = kpi.NewRate(open, trials) // open chains are some of the trials
	if trials == 0 {
		return
	}
	if open == 0 {
		ps.Estimate, ps.EstimateInterval = matureEstimate(ps.Rate, t.converted(k))
		return
	}
	sc.keys, _, _, _ = p.observe(sc.keys[:0], t, k, now)
	sc.tmp = km.Sort(sc.keys, sc.tmp)
	// The curve's value at the horizon, as kpi.Curve.At: the last point
	// at or before it (every time is, so the curve is not built).
	horizon := math.Float64bits(float64(p.horizon(k)) / day)
	ps.EstimateInterval = kpi.Interval{Level: estimateConfidence, Method: "greenwood-" + kpi.LogLogScale.String()}
	km.Walk(sc.keys, estimateZ, km.LogLog, func(pt km.Point) {
		if pt.Time <= horizon {
			ps.Estimate, ps.EstimateInterval.Lo, ps.EstimateInterval.Hi = pt.Share, pt.Lo, pt.Hi
		}
	})
}

// matureEstimate returns the Kaplan–Meier estimate and its 95 % Greenwood
// log-log interval at the horizon of a step with no chain open, whose
// trials and conversions are those of r, conv its times to convert: every
// chain that has not converted is censored at the horizon, after every
// conversion, so that, d of n converted,
//
//	S = (n − d)/n,  σ² = Σ dᵢ/(nᵢ(nᵢ − dᵢ)) = d/(n(n − d)),
//	S^exp(±z σ / log S)
//
// whenever the conversions came, as kpi.KaplanMeier's curve gives it
// (without building the curve, which takes a copy of the n
// observations). With d = 0 the interval is [0, 0]; with d = n (S = 0) it
// reaches 1 from the lower end at the time before the latest conversions
// in conv, m of them: S = m/n there, σ² = (n − m)/(n m).
func matureEstimate(r kpi.Rate, conv []int64) (float64, kpi.Interval) {
	n, d := r.Trials(), r.Successes()
	iv := kpi.Interval{Level: estimateConfidence, Method: "greenwood-" + kpi.LogLogScale.String()}
	share := float64(d) / float64(n) // the rate, exactly
	if d == 0 {
		return share, iv
	}
	if d < n {
		iv.Lo, iv.Hi = logLog(float64(n-d)/float64(n), float64(d)/(float64(n)*float64(n-d)))
		return share, iv
	}
	latest, m := slices.Max(conv), int64(0)
	for _, c := range conv {
		if c == latest {
			m++
		}
	}
	if m < n {
		iv.Lo, _ = logLog(float64(m)/float64(n), float64(n-m)/(float64(n)*float64(m)))
	}
	iv.Hi = 1
	return share, iv
}

// estimateZ is the critical value of estimateConfidence.
var estimateZ = -mathext.NormalQuantile((1 - estimateConfidence) / 2)

// logLog returns the 95 % log-log interval of the share 1 − s converted,
// for a survival s in (0, 1) with Greenwood's sum g, as km.Bounds.
func logLog(s, g float64) (lo, hi float64) {
	return km.Bounds(s, g, estimateZ, km.LogLog)
}
