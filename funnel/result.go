package funnel

import (
	"math"
	"slices"
	"time"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
)

// Result is, in this package, the read-out of a Counter, an event funnel's
// outcome (not a lead's score, as in package scoring, nor an attribution's
// credits, as in package attribution): per step, how many reached it, the
// conversions and the times to convert; and, with a breakdown property, the
// same per value of it.
type Result struct {
	// Keys are the breakdown properties, as Definition.Breakdown lists
	// them, on the whole funnel's result; nil without a breakdown and in
	// the groups.
	Keys []string `json:"keys"`
	// Values are the group's values of the breakdown properties, in the
	// order of Keys; nil for the whole funnel.
	Values    []string     `json:"values"`
	Steps     []StepResult `json:"steps"`     // in the order of Definition.Steps
	Breakdown []Result     `json:"breakdown"` // one per combination of values seen, sorted by Values; nil without a breakdown
}

// StepResult is one step of an event funnel. With nk the count reaching
// step k (entities or attempts, by the Definition's Counting; a count
// includes everything that went further) and j the required step nearest
// before k (k − 1 unless optional steps lie between):
//
//	Rate       = nk / nj     the step conversion; the first step's is n0/n0
//	Cumulative = nk / n0     the conversion from the first step
//
// Their values are undefined (kpi.ErrUndefined) when the divisor is 0.
// An optional step counts only the chains that passed it, so its count
// may be below the next step's.
//
// Time is the time to convert to this step over the chains counted (with
// Unique, each entity's best attempt: the first chain to reach its
// furthest step): from the event of the step before it in the chain to
// this step's event, the step before being, past skipped optional steps,
// the last step the chain passed. The first step's is empty. Time.N is
// Reached, but at an optional step, whose count also takes entities whose
// step was in another chain than the one counted.
type StepResult struct {
	Step       string // the step's name: its Match.Step, by default its Event
	Optional   bool   // the step's Match.Optional
	Reached    int64
	Rate       kpi.Rate
	Cumulative kpi.Rate
	Time       Durations
}

// Durations summarises times to convert. With N = 0 the statistics are
// zero and mean nothing, and the bins count nothing.
//
// Median and P90 are empirical quantiles — the smallest time t with at
// least that share of the times ≤ t, the inverse of the empirical
// distribution function (R's quantile type 1) — and so are actual times:
// of the n times sorted, t₍ᵢ₎ for i = max(⌈p·n⌉, 1). Quantiles holds the
// quantiles the Definition asks for (Definition.Quantiles), computed the
// same way, in its order; nil when it asks for none, and for the first
// step. Mean is the arithmetic mean rounded to the nanosecond. Bins is a
// histogram: Bins[i] counts the times in (Bins[i−1].Upper,
// Bins[i].Upper], the first from 0; the last bin's Upper is the largest
// Duration and holds the times above the last edge.
type Durations struct {
	N         int64
	Median    time.Duration
	P90       time.Duration
	Quantiles []Quantile
	Mean      time.Duration
	Bins      []Bin
}

// Quantile is one empirical quantile of a Durations: the time Time such
// that a share P of the times are ≤ it, the smallest such time (R's
// quantile type 1); Time is 0 and means nothing when Durations.N is 0.
type Quantile struct {
	P    float64
	Time time.Duration
}

// Bin is one bin of a Durations histogram.
type Bin struct {
	Upper time.Duration
	Count int64
}

// Result returns the funnel of the events added so far, after counting
// the events Add buffered. More entities may be added after it, and
// Result called again; an entity whose events were counted must not get
// more events afterwards, or it counts again as a new one.
//
// The only error is that of the zero Counter, wrapping kpi.ErrInvalid: a
// Counter needs its Definition from NewCounter.
func (c *Counter) Result() (*Result, error) {
	if c.p == nil {
		return nil, errs.Zero("funnel.Counter.Result", "Counter", "funnel.NewCounter")
	}
	c.flush()
	r := c.p.result(c.tl.all)
	if c.tl.groups != nil {
		r.Keys = slices.Clone(c.p.def.Breakdown)
		r.Breakdown = []Result{}
		for i, g := range c.tl.groups {
			if g == nil {
				continue
			}
			b := c.p.result(g)
			b.Values = slices.Clone(c.tl.values[i])
			r.Breakdown = append(r.Breakdown, *b)
		}
		slices.SortFunc(r.Breakdown, func(a, b Result) int { return slices.Compare(a.Values, b.Values) })
	}
	return r, nil
}

func (p *compiled) result(t *tally) *Result {
	r := &Result{Steps: make([]StepResult, p.n)}
	n0 := t.reached[0]
	for k := range p.n {
		nk := t.reached[k]
		prev := n0
		if k > 0 {
			prev = t.reached[p.prev[k]]
		}
		// A count is no more than that of the required step before, so
		// the rates cannot fail.
		rate, _ := kpi.NewRate(nk, prev)
		cum, _ := kpi.NewRate(nk, n0)
		r.Steps[k] = StepResult{Step: p.labels[k], Optional: p.opt&(1<<k) != 0, Reached: nk, Rate: rate, Cumulative: cum}
		if k > 0 {
			r.Steps[k].Time = summarise(t.times[k], p.bins, p.def.Quantiles)
		}
	}
	return r
}

// summarise computes the statistics of the times ns (in nanoseconds),
// with the quantiles of the probabilities qs, leaving ns as it was: a
// Counter's times keep the order of its chains.
func summarise(ns []int64, edges []time.Duration, qs []float64) Durations {
	return summariseOwned(slices.Clone(ns), edges, qs)
}

// summariseOwned is summarise for times the caller no longer needs in
// their order: it sorts ns in place (see sortTimes).
//
// The statistics are those of gonum's stat.Quantile (Empirical) and
// stat.Mean over the times as float64s, sorted, bit for bit, but without
// a float64 copy: the quantile p is the sorted time at index
// ⌈p·n⌉ − 1 (at least 0), which is where Quantile's running count of
// weights first reaches p·n, converted to float64 and back as Quantile's
// result was; and the mean sums the sorted times in the order gonum's
// floats.Sum does on this platform (sumTimes).
func summariseOwned(ns []int64, edges []time.Duration, qs []float64) Durations {
	d := Durations{N: int64(len(ns)), Bins: make([]Bin, len(edges)+1)}
	for i, e := range edges {
		d.Bins[i].Upper = e
	}
	d.Bins[len(edges)].Upper = math.MaxInt64
	if qs != nil {
		d.Quantiles = make([]Quantile, len(qs))
		for i, q := range qs {
			d.Quantiles[i].P = q
		}
	}
	if len(ns) == 0 {
		return d
	}
	sortTimes(ns)
	// Bin i holds the times in (edges[i−1], edges[i]]: the number of
	// times ≤ edges[i] less those ≤ edges[i−1]. The edges ascend.
	below := 0
	for i, e := range edges {
		le := atMost(ns, int64(e))
		d.Bins[i].Count = int64(le - below)
		below = le
	}
	d.Bins[len(edges)].Count = int64(len(ns) - below)
	d.Median = time.Duration(float64(ns[empirical(0.5, len(ns))]))
	d.P90 = time.Duration(float64(ns[empirical(0.9, len(ns))]))
	for i := range d.Quantiles {
		d.Quantiles[i].Time = time.Duration(float64(ns[empirical(d.Quantiles[i].P, len(ns))]))
	}
	d.Mean = time.Duration(math.Round(sumTimes(ns) / float64(len(ns))))
	return d
}

// atMost returns the number of the sorted times ns that are ≤ e.
func atMost(ns []int64, e int64) int {
	lo, hi := 0, len(ns)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ns[m] <= e {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// empirical returns the index of the type-1 empirical p-quantile among n
// sorted values: the smallest i with i+1 ≥ p·n, p·n computed in float64
// as stat.Quantile computes it.
func empirical(p float64, n int) int {
	return max(int(math.Ceil(p*float64(n)))-1, 0)
}

// Funnel returns the result as an aggregate Funnel, one stage per
// required step with the count that reached it, so that the aggregate
// tools (Check, Bottlenecks, Compare, Plan) apply; optional steps are left
// out, since their counts need not fall from step to step. The errors are
// New's, naming funnel.Result.Funnel; a Result from a Counter always
// converts.
func (r *Result) Funnel() (*Funnel, error) {
	stages := make([]Stage, 0, len(r.Steps))
	for _, s := range r.Steps {
		if !s.Optional {
			stages = append(stages, Stage{Name: s.Step, Count: s.Reached})
		}
	}
	return build("funnel.Result.Funnel", stages)
}
