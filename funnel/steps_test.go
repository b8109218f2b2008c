package funnel_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// leadDemoSQL is lead → demo (optional, filled by a demo request or a
// trial start) → sql, in 10 minutes.
func leadDemoSQL() funnel.Definition {
	return funnel.Definition{Steps: []funnel.Match{
		{Step: "lead", Event: "A"},
		{Step: "demo", Event: "demo_request", Optional: true, Any: []funnel.Match{{Event: "trial_start"}}},
		{Step: "sql", Event: "sql"},
	}, Window: 10 * time.Minute}
}

// TestCounter_ResultOptional checks the step kinds on one entity at a
// time, each count worked out by hand from Match's rules.
func TestCounter_ResultOptional(t *testing.T) {
	def := leadDemoSQL()
	with := func(f func(*funnel.Definition)) funnel.Definition { d := leadDemoSQL(); f(&d); return d }
	four := func(mode funnel.Mode) funnel.Definition {
		return funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Event: "demo", Optional: true}, {Event: "sql"}, {Event: "won"}}, Window: time.Minute, Mode: mode}
	}
	tests := []struct {
		name string
		def  funnel.Definition
		evs  []funnel.Event
		want []int64
	}{
		{"passed", def, []funnel.Event{ev("u", "A", 0), ev("u", "demo_request", 10), ev("u", "sql", 30)}, []int64{1, 1, 1}},
		{"skipped: sql still counts", def, []funnel.Event{ev("u", "A", 0), ev("u", "sql", 30)}, []int64{1, 0, 1}},
		{"any of: a trial start", def, []funnel.Event{ev("u", "A", 0), ev("u", "trial_start", 5), ev("u", "sql", 9)}, []int64{1, 1, 1}},
		// A demo after the sql still follows the lead: the chain lead →
		// demo counts it, though it goes no further.
		{"after the sql", def, []funnel.Event{ev("u", "A", 0), ev("u", "sql", 5), ev("u", "demo_request", 9)}, []int64{1, 1, 1}},
		{"after the window", def, []funnel.Event{ev("u", "A", 0), ev("u", "sql", 5), ev("u", "demo_request", 601)}, []int64{1, 0, 1}},
		// A chain through demo, even one that goes no further, counts it.
		{"demo in another attempt", def, []funnel.Event{ev("u", "A", 0), ev("u", "demo_request", 5), ev("u", "A", 700), ev("u", "sql", 710)}, []int64{1, 1, 1}},
		{"only the optional step", def, []funnel.Event{ev("u", "A", 0), ev("u", "trial_start", 5)}, []int64{1, 1, 0}},
		// sql's Within of 15 s counts from the step before in the chain:
		// demo at 10 s when passed (20 − 10 ≤ 15), else the lead (20 > 15).
		{"within from the demo", with(func(d *funnel.Definition) { d.Steps[2].Within = 15 * time.Second }),
			[]funnel.Event{ev("u", "A", 0), ev("u", "demo_request", 10), ev("u", "sql", 20)}, []int64{1, 1, 1}},
		{"within from the lead", with(func(d *funnel.Definition) { d.Steps[2].Within = 15 * time.Second }),
			[]funnel.Event{ev("u", "A", 0), ev("u", "sql", 20)}, []int64{1, 0, 0}},
		// Later: the demo is also filled by a later step's event, this
		// stage or any later one; the sql event fills both.
		{"later", with(func(d *funnel.Definition) { d.Steps[1].Optional, d.Steps[1].Later = false, true }),
			[]funnel.Event{ev("u", "A", 0), ev("u", "sql", 30)}, []int64{1, 1, 1}},
		{"later, strict once", with(func(d *funnel.Definition) {
			d.Steps[1].Optional, d.Steps[1].Later, d.Mode = false, true, funnel.StrictOnce
		}), []funnel.Event{ev("u", "A", 0), ev("u", "sql", 30)}, []int64{1, 1, 0}},
		// StrictOrder: an event after an optional step not reached does not
		// end the search; after a required one it does.
		{"strict order, demo skipped", four(funnel.StrictOrder), []funnel.Event{ev("u", "A", 0), ev("u", "sql", 1), ev("u", "won", 2)}, []int64{1, 0, 1, 1}},
		{"strict order, sql skipped", four(funnel.StrictOrder), []funnel.Event{ev("u", "A", 0), ev("u", "won", 1), ev("u", "sql", 2)}, []int64{1, 0, 0, 0}},
		// StrictDedup: a second demo repeats a step reached and ends the
		// search; a demo after a skip may still come.
		{"dedup, demo twice", four(funnel.StrictDedup), []funnel.Event{ev("u", "A", 0), ev("u", "demo", 1), ev("u", "demo", 2), ev("u", "sql", 3)}, []int64{1, 1, 0, 0}},
		{"dedup, no demo", four(funnel.StrictDedup), []funnel.Event{ev("u", "A", 0), ev("u", "sql", 1), ev("u", "won", 2)}, []int64{1, 0, 1, 1}},
		// StrictIncrease: the sql at the demo's time cannot follow it, but
		// follows the lead.
		{"strict increase", four(funnel.StrictIncrease), []funnel.Event{ev("u", "A", 0), ev("u", "demo", 1), ev("u", "sql", 1)}, []int64{1, 1, 1, 0}},
		{"totals", with(func(d *funnel.Definition) { d.Counting = funnel.Totals }),
			[]funnel.Event{ev("u", "A", 0), ev("u", "demo_request", 10), ev("u", "A", 20), ev("u", "sql", 30)}, []int64{2, 1, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, reached(t, tc.def, tc.evs...))
		})
	}
}

// TestStepResult_Optional checks the rates and times of three contacts by
// hand: u passes the demo (lead 0 s, demo 10 s, sql 30 s), v skips it
// (lead 0 s, sql 30 s), w stops at the lead. Lead 3, demo 1, sql 2; the
// demo's rate is 1/3 and sql's 2/3, both over the leads (the required
// step before); sql's times run from the step before in each chain, 20 s
// (u, from the demo) and 30 s (v, from the lead): R's quantile(c(20, 30),
// c(.5, .9), type = 1) gives 20 and 30, the mean is 25.
func TestStepResult_Optional(t *testing.T) {
	c := must(funnel.NewCounter(leadDemoSQL()))
	require.NoError(t, c.AddAll(slices.Values([]funnel.Event{
		ev("u", "A", 0), ev("u", "demo_request", 10), ev("u", "sql", 30),
		ev("v", "A", 0), ev("v", "sql", 30),
		ev("w", "A", 0),
	})))
	r := result(t, c)
	tests := []struct {
		name             string
		got              funnel.StepResult
		optional         bool
		reached          int64
		rate, cumulative string
		n                int64
		median, p90, avg time.Duration
	}{
		{"lead", r.Steps[0], false, 3, "3/3 (100.00%)", "3/3 (100.00%)", 0, 0, 0, 0},
		{"demo", r.Steps[1], true, 1, "1/3 (33.33%)", "1/3 (33.33%)", 1, 10 * time.Second, 10 * time.Second, 10 * time.Second},
		{"sql", r.Steps[2], false, 2, "2/3 (66.67%)", "2/3 (66.67%)", 2, 20 * time.Second, 30 * time.Second, 25 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.got
			assert.Equal(t, tc.optional, s.Optional)
			assert.Equal(t, tc.reached, s.Reached)
			assert.Equal(t, tc.rate, s.Rate.String())
			assert.Equal(t, tc.cumulative, s.Cumulative.String())
			assert.Equal(t, tc.n, s.Time.N)
			assert.Equal(t, tc.median, s.Time.Median)
			assert.Equal(t, tc.p90, s.Time.P90)
			assert.Equal(t, tc.avg, s.Time.Mean)
		})
	}
	f, err := r.Funnel()
	require.NoError(t, err)
	assert.Equal(t, []funnel.Stage{{Name: "lead", Count: 3}, {Name: "sql", Count: 2}}, f.Stages(), "the optional step left out")
}

// TestCounter_OptionalTravels checks that a definition with step kinds
// merges and round-trips through its binary form.
func TestCounter_OptionalTravels(t *testing.T) {
	evs := []funnel.Event{
		ev("u", "A", 0), ev("u", "demo_request", 10), ev("u", "sql", 30),
		ev("v", "A", 0), ev("v", "sql", 30), ev("w", "A", 0), ev("x", "A", 0), ev("x", "trial_start", 3),
	}
	whole := must(funnel.NewCounter(leadDemoSQL()))
	require.NoError(t, whole.AddAll(slices.Values(evs)))
	want := result(t, whole)
	tests := []struct {
		name string
		via  func(c *funnel.Counter) *funnel.Counter
	}{
		{"binary", func(c *funnel.Counter) *funnel.Counter {
			data, err := c.MarshalBinary()
			require.NoError(t, err)
			var o funnel.Counter
			require.NoError(t, o.UnmarshalBinary(data))
			return &o
		}},
		{"merged", func(c *funnel.Counter) *funnel.Counter {
			o := must(funnel.NewCounter(leadDemoSQL()))
			require.NoError(t, o.Merge(c))
			return o
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := must(funnel.NewCounter(leadDemoSQL()))
			require.NoError(t, c.AddAll(slices.Values(evs)))
			assert.Equal(t, want, result(t, tc.via(c)))
		})
	}
}

func TestNewCounterStepErrors(t *testing.T) {
	hour := time.Hour
	tests := []struct {
		name string
		def  funnel.Definition
		want string
	}{
		{"optional first step", funnel.Definition{Steps: []funnel.Match{{Event: "A", Optional: true}, {Event: "B"}}, Window: hour},
			"funnel.NewCounter: steps[0] optional true: the first step enters the funnel: it cannot be optional"},
		{"every later step optional", funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Event: "B", Optional: true}, {Event: "C", Optional: true}}, Window: hour},
			"funnel.NewCounter: steps 3: every step after the first is optional: a funnel needs two required steps"},
		{"exclusion from an optional step", funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Event: "B", Optional: true}, {Event: "C"}}, Window: hour,
			Exclusions: []funnel.Exclusion{{Match: funnel.Match{Event: "X"}, From: 1, To: 2}}},
			"funnel.NewCounter: exclusions[0] from 1: an optional step: an exclusion starts at a required step"},
		{"alternative without event", funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Event: "B", Any: []funnel.Match{{}}}}, Window: hour},
			`funnel.NewCounter: steps[1] any[0] event "": empty event name`},
		{"alternative with a step name", funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Event: "B", Any: []funnel.Match{{Step: "b", Event: "C"}}}}, Window: hour},
			`funnel.NewCounter: steps[1] any[0] "C": an alternative has only an event and conditions`},
		{"alternative as the match", funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Event: "B", Any: []funnel.Match{{Event: "B"}}}}, Window: hour},
			`funnel.NewCounter: steps[1] any[0] "B": same event and conditions as the match itself`},
		{"alternative twice", funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Event: "B", Any: []funnel.Match{{Event: "C"}, {Event: "C"}}}}, Window: hour},
			`funnel.NewCounter: steps[1] any[1] "C": same event and conditions as any[0]`},
		{"exclusion's alternative without event", funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Event: "B"}}, Window: hour,
			Exclusions: []funnel.Exclusion{{Match: funnel.Match{Event: "X", Any: []funnel.Match{{}}}, From: 0, To: 1}}},
			`funnel.NewCounter: exclusions[0] any[0] event "": empty event name`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := funnel.NewCounter(tc.def)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.EqualError(t, err, tc.want)
			assert.True(t, errors.Is(err, kpi.ErrInvalid))
		})
	}
}

// leadDemoSQLDays is lead → demo (optional) → sql in 10 days, and
// optionalMonth six leads of it looked at on day 20:
//
//	e1  lead 0, demo 1, sql 3   passes every step
//	e2  lead 0, sql 2           skips the demo
//	e3  lead 0, sql 1, demo 4   the demo after the sql: counted at demo,
//	                            off the chain counted (lead → sql)
//	e4  lead 0                  mature, neither
//	e5  lead 15, demo 16        sql still open, at age 5 from the lead
//	e6  lead 17                 both open, at age 3
//
// Counts: lead 6, demo 3 (e1, e3, e5), sql 3 (e1, e2, e3); both rates
// over the 6 leads, the required step before.
func leadDemoSQLDays(demoWithin, sqlWithin time.Duration) funnel.Definition {
	return funnel.Definition{Steps: []funnel.Match{
		{Step: "lead", Event: "lead"},
		{Step: "demo", Event: "demo", Optional: true, Within: demoWithin},
		{Step: "sql", Event: "sql", Within: sqlWithin},
	}, Window: 10 * 24 * time.Hour}
}

func optionalMonth() []funnel.Event {
	return []funnel.Event{
		dayEv("e1", "lead", 0), dayEv("e1", "demo", 1), dayEv("e1", "sql", 3),
		dayEv("e2", "lead", 0), dayEv("e2", "sql", 2),
		dayEv("e3", "lead", 0), dayEv("e3", "sql", 1), dayEv("e3", "demo", 4),
		dayEv("e4", "lead", 0),
		dayEv("e5", "lead", 15), dayEv("e5", "demo", 16),
		dayEv("e6", "lead", 17),
	}
}

// TestCurves_Optional checks the curves of optional month by hand and
// against R 4.2.2, survival 3.5-3, both measured from the lead:
//
//	demo: survfit(Surv(c(1, 1, 4, 10, 10, 3), c(1, 1, 1, 0, 0, 0)) ~ 1, conf.type = "log-log")
//	sql:  survfit(Surv(c(3, 2, 1, 10, 5, 3), c(1, 1, 1, 0, 0, 0)) ~ 1, conf.type = "log-log")
//
// demo: e1 and e5 convert after 1 day, e3 after 4 (its first chain to the
// demo, lead 0 → demo 4), e2 and e4 are mature (censored at the 10-day
// horizon), e6 is censored at its age 3. By hand S(1) = 4/6, then 3 at
// risk at day 4: S(4) = 4/6 · 2/3 = 4/9, so the share by day 10 is 5/9
// where the count gives 3/6; the median is 4. sql: 1, 2, 3 days from the
// lead (not from the demo, as Result's Time measures e1's 2 days), e4
// censored at 10, e5 at 5, e6 at 3: S(3) = 3/6 before any censoring, so
// the share is 1/2 and, the curve staying at one half to day 10, R's
// median is (3 + 10)/2 = 6.5. By day 40 every chain is mature and the
// shares are the rates 3/6, exactly. The Withins of the optional step and
// of the step after it add up to the latter's horizon from the lead.
func TestCurves_Optional(t *testing.T) {
	tests := []struct {
		name               string
		asOf               float64
		immature           [2]int64
		share, lo, hi      [2]float64
		median             [2]float64
		demoWithin, within time.Duration
		horizon            [2]float64
	}{
		{"day 20", 20, [2]int64{1, 2}, [2]float64{5.0 / 9, 0.5},
			[2]float64{0.215091632852041581, 0.196290763149943315}, [2]float64{0.93381324685358746, 0.88905173964856199},
			[2]float64{4, 6.5}, 0, 0, [2]float64{10, 10}},
		// Mature, each curve stays at exactly one half from its last
		// conversion (demo 4, sql 3) to the horizon: R's midpoint rule.
		{"day 40, mature", 40, [2]int64{0, 0}, [2]float64{0.5, 0.5}, [2]float64{}, [2]float64{}, [2]float64{7, 6.5}, 0, 0, [2]float64{10, 10}},
		// A Within on sql counts from the demo when it was passed, else
		// from the lead: sql's horizon from the lead adds the two up
		// (2 + 3 days), and is the window when the demo has none.
		{"withins add up", 40, [2]int64{0, 0}, [2]float64{0.5, 0.5}, [2]float64{}, [2]float64{}, [2]float64{4.5, 5.5},
			5 * 24 * time.Hour, 3 * 24 * time.Hour, [2]float64{5, 8}},
		{"within after a demo without one", 40, [2]int64{0, 0}, [2]float64{0.5, 0.5}, [2]float64{}, [2]float64{}, [2]float64{7, 6.5},
			0, 3 * 24 * time.Hour, [2]float64{10, 10}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := must(funnel.NewCounter(leadDemoSQLDays(tc.demoWithin, tc.within)))
			require.NoError(t, c.AddAll(slices.Values(optionalMonth())))
			curves, err := c.Curves(t0.Add(time.Duration(tc.asOf*24)*time.Hour), 0.95)
			require.NoError(t, err)
			require.Len(t, curves, 2)
			for i, sc := range curves {
				assert.Equal(t, []string{"demo", "sql"}[i], sc.Step)
				assert.Equal(t, int64(6), sc.Curve.Entities)
				assert.InDelta(t, tc.horizon[i], sc.Horizon, 1e-12)
				assert.Equal(t, tc.immature[i], sc.Immature)
				assert.InEpsilon(t, tc.share[i], sc.Share, 1e-12)
				if tc.lo[i] > 0 {
					assert.InDelta(t, tc.lo[i], sc.Interval.Lo, 1e-12)
					assert.InDelta(t, tc.hi[i], sc.Interval.Hi, 1e-12)
				}
				require.NotNil(t, sc.Median)
				assert.Equal(t, tc.median[i], *sc.Median)
			}
		})
	}
}

// TestSeries_Optional: the month of optional month, on day 20 and on day
// 40 (see TestCurves_Optional): demo and sql are reached 3 times each out
// of 6 leads; on day 20 one lead is open at the demo (e6) and two at the
// sql (e5, e6), and the estimates are the curves' 5/9 and 1/2; by day 40
// the month is mature and the estimates are the rates, 1/2. The flow
// counts each step's events in March.
func TestSeries_Optional(t *testing.T) {
	tests := []struct {
		name     string
		asOf     float64
		mature   bool
		open     [3]int64
		estimate [3]float64
	}{
		{"day 20", 20, false, [3]int64{0, 1, 2}, [3]float64{1, 5.0 / 9, 0.5}},
		{"day 40", 40, true, [3]int64{0, 0, 0}, [3]float64{1, 0.5, 0.5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := must(funnel.NewCounter(leadDemoSQLDays(0, 0)))
			require.NoError(t, c.AddAll(slices.Values(optionalMonth())))
			s, err := c.Series(funnel.Periods{Grain: funnel.Month, Location: time.UTC}, t0.Add(time.Duration(tc.asOf*24)*time.Hour))
			require.NoError(t, err)
			require.Len(t, s.Periods, 1+int(tc.asOf)/30)
			pd := s.Periods[0]
			assert.Equal(t, "2026-03", pd.Label)
			for k, ps := range pd.Steps {
				assert.Equal(t, []int64{6, 3, 3}[k], ps.Reached)
				assert.Equal(t, []int64{6, 3, 3}[k], ps.Entered)
				assert.Equal(t, k == 1, ps.Optional)
				assert.Equal(t, int64(6), ps.Rate.Trials())
				assert.Equal(t, tc.open[k], ps.Open.Successes())
				assert.InEpsilon(t, tc.estimate[k], ps.Estimate, 1e-12)
				if k > 0 {
					assert.Equal(t, tc.mature, ps.Mature)
				}
			}
		})
	}
}
