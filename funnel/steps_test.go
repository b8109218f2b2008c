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

// TestCounter_OptionalReadOuts checks that the read-outs that follow every
// chain through every step refuse a definition with an optional step.
func TestCounter_OptionalReadOuts(t *testing.T) {
	c := must(funnel.NewCounter(leadDemoSQL()))
	require.NoError(t, c.Add(ev("u", "A", 0)))
	asOf := t0.Add(time.Hour)
	tests := []struct {
		name string
		call func() error
	}{
		{"curves", func() error { _, err := c.Curves(asOf, 0.95); return err }},
		{"series", func() error {
			_, err := c.Series(funnel.Periods{Grain: funnel.Month, Location: time.UTC}, asOf)
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), "steps[1] optional true")
		})
	}
}
