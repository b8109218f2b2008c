package funnel_test

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// t0 is the time the test events count from.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// ev is an event of entity at t0 + sec seconds, with properties given as
// key, value pairs.
func ev(entity, name string, sec int, props ...string) funnel.Event {
	e := funnel.Event{Entity: entity, Name: name, Time: t0.Add(time.Duration(sec) * time.Second)}
	if len(props) > 0 {
		e.Props = map[string]string{}
		for i := 0; i+1 < len(props); i += 2 {
			e.Props[props[i]] = props[i+1]
		}
	}
	return e
}

// abc is a three-step funnel A → B → C with a 10-second window.
func abc() funnel.Definition {
	return funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Event: "B"}, {Event: "C"}}, Window: 10 * time.Second}
}

// reached runs the events through a Counter (Add, in the order given) and
// returns the counts that reached each step.
func reached(t *testing.T, d funnel.Definition, evs ...funnel.Event) []int64 {
	t.Helper()
	c, err := funnel.NewCounter(d)
	require.NoError(t, err)
	require.NoError(t, c.AddAll(slices.Values(evs)))
	var out []int64
	for _, s := range result(t, c).Steps {
		out = append(out, s.Reached)
	}
	return out
}

// TestWindowFunnel checks the cases of the issue, which are ClickHouse's
// documented windowFunnel behaviour, and one case per mode worked out by
// hand from the mode's rule (window 10 s, steps A → B → C unless said).
func TestWindowFunnel(t *testing.T) {
	pricing := funnel.Definition{Steps: []funnel.Match{{Event: "visit"}, {Step: "pricing", Event: "visit", Where: map[string]string{"page": "pricing"}}, {Event: "demo"}}, Window: time.Hour}
	four := funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Event: "B"}, {Event: "C"}, {Event: "D"}}, Window: time.Minute}
	with := func(d funnel.Definition, f func(*funnel.Definition)) funnel.Definition { f(&d); return d }
	tests := []struct {
		name string
		def  funnel.Definition
		evs  []funnel.Event
		want []int64
	}{
		// ClickHouse: the window is inclusive at its end.
		{"0 5 10 reaches 3", abc(), []funnel.Event{ev("u", "A", 0), ev("u", "B", 5), ev("u", "C", 10)}, []int64{1, 1, 1}},
		{"0 5 11 reaches 2", abc(), []funnel.Event{ev("u", "A", 0), ev("u", "B", 5), ev("u", "C", 11)}, []int64{1, 1, 0}},
		// The latest entry before the next step restarts the window.
		{"A0 A20 B25 C29 reaches 3", abc(), []funnel.Event{ev("u", "A", 0), ev("u", "A", 20), ev("u", "B", 25), ev("u", "C", 29)}, []int64{1, 1, 1}},
		// Events matching no step are ignored.
		{"A D B C reaches 3", abc(), []funnel.Event{ev("u", "A", 0), ev("u", "D", 1), ev("u", "B", 2), ev("u", "C", 3)}, []int64{1, 1, 1}},
		// strict_order: ClickHouse's A->B->D->C stops at D with level 2.
		{"strict order A B D C", with(abc(), func(d *funnel.Definition) { d.Mode = funnel.StrictOrder }),
			[]funnel.Event{ev("u", "A", 0), ev("u", "B", 1), ev("u", "D", 2), ev("u", "C", 3)}, []int64{1, 1, 0}},
		{"strict order A C B", with(abc(), func(d *funnel.Definition) { d.Mode = funnel.StrictOrder }),
			[]funnel.Event{ev("u", "A", 0), ev("u", "C", 1), ev("u", "B", 2)}, []int64{1, 0, 0}},
		{"strict order D before entry", with(abc(), func(d *funnel.Definition) { d.Mode = funnel.StrictOrder }),
			[]funnel.Event{ev("u", "D", 0), ev("u", "A", 1), ev("u", "B", 2), ev("u", "C", 3)}, []int64{1, 1, 1}},
		// strict_deduplication: the documented A-B-C-B-D reaches 3.
		{"dedup A B C B D", with(four, func(d *funnel.Definition) { d.Mode = funnel.StrictDedup }),
			[]funnel.Event{ev("u", "A", 0), ev("u", "B", 1), ev("u", "C", 2), ev("u", "B", 3), ev("u", "D", 4)}, []int64{1, 1, 1, 0}},
		{"default A B C B D", four,
			[]funnel.Event{ev("u", "A", 0), ev("u", "B", 1), ev("u", "C", 2), ev("u", "B", 3), ev("u", "D", 4)}, []int64{1, 1, 1, 1}},
		// strict_increase: B at A's time cannot follow it.
		{"increase A0 B0 C1", with(abc(), func(d *funnel.Definition) { d.Mode = funnel.StrictIncrease }),
			[]funnel.Event{ev("u", "A", 0), ev("u", "B", 0), ev("u", "C", 1)}, []int64{1, 0, 0}},
		{"default A0 B0 C1", abc(), []funnel.Event{ev("u", "A", 0), ev("u", "B", 0), ev("u", "C", 1)}, []int64{1, 1, 1}},
		// Ties are taken in step order whatever the input order.
		{"ties in step order", abc(), []funnel.Event{ev("u", "C", 0), ev("u", "B", 0), ev("u", "A", 0)}, []int64{1, 1, 1}},
		// strict_once: a pricing visit is both a visit and a pricing visit.
		{"default pricing demo", pricing, []funnel.Event{ev("u", "visit", 0, "page", "pricing"), ev("u", "demo", 60)}, []int64{1, 1, 1}},
		{"once pricing demo", with(pricing, func(d *funnel.Definition) { d.Mode = funnel.StrictOnce }),
			[]funnel.Event{ev("u", "visit", 0, "page", "pricing"), ev("u", "demo", 60)}, []int64{1, 0, 0}},
		{"once two visits", with(pricing, func(d *funnel.Definition) { d.Mode = funnel.StrictOnce }),
			[]funnel.Event{ev("u", "visit", 0, "page", "home"), ev("u", "visit", 5, "page", "pricing"), ev("u", "demo", 60)}, []int64{1, 1, 1}},
		// Exclusions: X between A and B stops the attempt at A; after B it does not.
		{"excluded between", with(abc(), func(d *funnel.Definition) {
			d.Exclusions = []funnel.Exclusion{{Match: funnel.Match{Event: "X"}, From: 0, To: 1}}
		}), []funnel.Event{ev("u", "A", 0), ev("u", "X", 1), ev("u", "B", 2), ev("u", "C", 3)}, []int64{1, 0, 0}},
		{"excluded after", with(abc(), func(d *funnel.Definition) {
			d.Exclusions = []funnel.Exclusion{{Match: funnel.Match{Event: "X"}, From: 0, To: 1}}
		}), []funnel.Event{ev("u", "A", 0), ev("u", "B", 2), ev("u", "X", 3), ev("u", "C", 4)}, []int64{1, 1, 1}},
		{"excluded then re-entered", with(abc(), func(d *funnel.Definition) {
			d.Exclusions = []funnel.Exclusion{{Match: funnel.Match{Event: "X"}, From: 0, To: 2}}
		}), []funnel.Event{ev("u", "A", 0), ev("u", "X", 1), ev("u", "A", 2), ev("u", "B", 3), ev("u", "C", 4)}, []int64{1, 1, 1}},
		// B fills step B and then, as an exclusion from A to C, stops the
		// attempt there: A → B → C would have it between A and C.
		{"step and exclusion at once", with(abc(), func(d *funnel.Definition) {
			d.Exclusions = []funnel.Exclusion{{Match: funnel.Match{Event: "B"}, From: 0, To: 2}}
		}), []funnel.Event{ev("u", "A", 0), ev("u", "B", 1), ev("u", "C", 2)}, []int64{1, 1, 0}},
		// Twenty events in reverse: sorted per entity all the same.
		{"twenty reversed", abc(), func() (out []funnel.Event) {
			for i := 19; i >= 0; i-- {
				out = append(out, ev("u", []string{"A", "B"}[i/10], i))
			}
			return out
		}(), []int64{1, 1, 0}},
		// Hold: deal d2 goes A → B, deal d1 only A → C.
		{"without hold", abc(), []funnel.Event{ev("u", "A", 0, "deal", "d1"), ev("u", "A", 1, "deal", "d2"), ev("u", "B", 2, "deal", "d2"), ev("u", "C", 3, "deal", "d1")}, []int64{1, 1, 1}},
		{"with hold", with(abc(), func(d *funnel.Definition) { d.Hold = "deal" }),
			[]funnel.Event{ev("u", "A", 0, "deal", "d1"), ev("u", "A", 1, "deal", "d2"), ev("u", "B", 2, "deal", "d2"), ev("u", "C", 3, "deal", "d1"), ev("u", "C", 4)}, []int64{1, 1, 0}},
		// A step's own window: C within 3 s of B.
		{"within missed", with(abc(), func(d *funnel.Definition) { d.Steps[2].Within = 3 * time.Second }),
			[]funnel.Event{ev("u", "A", 0), ev("u", "B", 5), ev("u", "C", 9)}, []int64{1, 1, 0}},
		{"within met by a later B", with(abc(), func(d *funnel.Definition) { d.Steps[2].Within = 3 * time.Second }),
			[]funnel.Event{ev("u", "A", 0), ev("u", "B", 5), ev("u", "B", 7), ev("u", "C", 9)}, []int64{1, 1, 1}},
		// Totals: both entries reach C; unique counts the entity once.
		{"totals", with(abc(), func(d *funnel.Definition) { d.Counting = funnel.Totals }),
			[]funnel.Event{ev("u", "A", 0), ev("u", "A", 3), ev("u", "B", 5), ev("u", "C", 8)}, []int64{2, 2, 2}},
		{"totals, second entry too late", with(abc(), func(d *funnel.Definition) { d.Counting = funnel.Totals }),
			[]funnel.Event{ev("u", "A", 0), ev("u", "B", 5), ev("u", "C", 8), ev("u", "A", 9)}, []int64{2, 1, 1}},
		{"unique", abc(), []funnel.Event{ev("u", "A", 0), ev("u", "A", 3), ev("u", "B", 5), ev("u", "C", 8)}, []int64{1, 1, 1}},
		// Several entities, in any order.
		{"entities", abc(), []funnel.Event{ev("u", "B", 1), ev("v", "A", 0), ev("u", "A", 0), ev("w", "B", 0), ev("v", "B", 30)}, []int64{2, 1, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, reached(t, tc.def, tc.evs...))
		})
	}
}

func TestMode_String(t *testing.T) {
	tests := []struct {
		name string
		mode funnel.Mode
		want string
	}{
		{"default", funnel.Default, "default"},
		{"one", funnel.StrictOrder, "strict_order"},
		{"all", funnel.StrictOrder | funnel.StrictDedup | funnel.StrictIncrease | funnel.StrictOnce, "strict_order|strict_deduplication|strict_increase|strict_once"},
		{"unknown", funnel.Mode(32), "Mode(32)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.mode.String())
		})
	}
}

func TestNewCounter(t *testing.T) {
	tests := []struct {
		name   string
		def    funnel.Definition
		labels []string
	}{
		{"labels default to events", abc(), []string{"A", "B", "C"}},
		{"labels", funnel.Definition{Steps: []funnel.Match{{Step: "Visit", Event: "page_view"}, {Step: "Lead", Event: "form_fill"}}, Window: time.Hour}, []string{"Visit", "Lead"}},
		{"same event, other conditions", funnel.Definition{Steps: []funnel.Match{{Event: "visit"}, {Step: "pricing", Event: "visit", Where: map[string]string{"page": "pricing"}}}, Window: time.Hour}, []string{"visit", "pricing"}},
		{"all options", funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Event: "B", Within: time.Minute}}, Window: time.Hour,
			Mode: funnel.StrictOrder | funnel.StrictOnce, Counting: funnel.Totals, Hold: "deal", Breakdown: []string{"channel"},
			Exclusions: []funnel.Exclusion{{Match: funnel.Match{Event: "X"}, From: 0, To: 1}}, Bins: []time.Duration{time.Minute}}, []string{"A", "B"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := funnel.NewCounter(tc.def)
			require.NoError(t, err)
			var got []string
			for _, s := range result(t, c).Steps {
				got = append(got, s.Step)
				assert.Zero(t, s.Reached)
			}
			assert.Equal(t, tc.labels, got)
		})
	}
}

func TestNewCounterErrors(t *testing.T) {
	steps := func(names ...string) []funnel.Match {
		var ms []funnel.Match
		for _, n := range names {
			ms = append(ms, funnel.Match{Event: n})
		}
		return ms
	}
	hour := time.Hour
	tests := []struct {
		name string
		def  funnel.Definition
		want string
	}{
		{"no steps", funnel.Definition{Window: hour}, "funnel.NewCounter: steps 0: a funnel needs at least two steps"},
		{"one step", funnel.Definition{Steps: steps("A"), Window: hour}, "funnel.NewCounter: steps 1: a funnel needs at least two steps"},
		{"too many steps", funnel.Definition{Steps: steps("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q"), Window: hour}, "funnel.NewCounter: steps 17: more than 16 steps"},
		{"too many exclusions", funnel.Definition{Steps: steps("A", "B"), Window: hour, Exclusions: make([]funnel.Exclusion, 17)}, "funnel.NewCounter: exclusions 17: more than 16 exclusions"},
		{"zero window", funnel.Definition{Steps: steps("A", "B")}, "funnel.NewCounter: window 0s: must be > 0"},
		{"negative window", funnel.Definition{Steps: steps("A", "B"), Window: -hour}, "funnel.NewCounter: window -1h0m0s: must be > 0"},
		{"unknown mode", funnel.Definition{Steps: steps("A", "B"), Window: hour, Mode: 64}, "funnel.NewCounter: mode Mode(64): unknown mode"},
		{"unknown counting", funnel.Definition{Steps: steps("A", "B"), Window: hour, Counting: 7}, "funnel.NewCounter: counting 7: unknown counting"},
		{"empty step", funnel.Definition{Steps: steps("A", ""), Window: hour}, `funnel.NewCounter: steps[1] event "": empty event name`},
		{"event not UTF-8", funnel.Definition{Steps: steps("A", "B\xff"), Window: hour}, `funnel.NewCounter: steps[1] event "B\xff": not valid UTF-8`},
		{"step not UTF-8", funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Step: "\xc3", Event: "B"}}, Window: hour}, `funnel.NewCounter: steps[1] step "\xc3": not valid UTF-8`},
		{"duplicate step", funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Step: "again", Event: "A"}}, Window: hour}, `funnel.NewCounter: steps[1] "A": same event and conditions as steps[0]`},
		{"duplicate label", funnel.Definition{Steps: []funnel.Match{{Step: "Lead", Event: "A"}, {Step: "Lead", Event: "B"}}, Window: hour}, `funnel.NewCounter: steps[1] step "Lead": used twice`},
		{"negative within", funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Event: "B", Within: -1}}, Window: hour}, "funnel.NewCounter: steps[1] within -1ns: negative window"},
		{"exclusion without event", funnel.Definition{Steps: steps("A", "B"), Window: hour, Exclusions: []funnel.Exclusion{{From: 0, To: 1}}}, `funnel.NewCounter: exclusions[0] event "": empty event name`},
		{"exclusion backwards", funnel.Definition{Steps: steps("A", "B"), Window: hour, Exclusions: []funnel.Exclusion{{Match: funnel.Match{Event: "X"}, From: 1, To: 0}}}, "funnel.NewCounter: exclusions[0] steps 1→0: need 0 ≤ From < To < 2"},
		{"exclusion past the end", funnel.Definition{Steps: steps("A", "B"), Window: hour, Exclusions: []funnel.Exclusion{{Match: funnel.Match{Event: "X"}, From: 0, To: 2}}}, "funnel.NewCounter: exclusions[0] steps 0→2: need 0 ≤ From < To < 2"},
		{"bins not ascending", funnel.Definition{Steps: steps("A", "B"), Window: hour, Bins: []time.Duration{hour, time.Minute}}, "funnel.NewCounter: bins[1] 1m0s: bins must be > 0 and ascending"},
		{"bin zero", funnel.Definition{Steps: steps("A", "B"), Window: hour, Bins: []time.Duration{0}}, "funnel.NewCounter: bins[0] 0s: bins must be > 0 and ascending"},
		// Probes: 10⁵ bins over 2 000 breakdown groups took 3 GB and 2
		// minutes, and 10⁵ alternatives over 10⁵ events 3 minutes; 65 is
		// the least refused.
		{"too many bins", funnel.Definition{Steps: steps("A", "B"), Window: hour, Bins: ascending(65)}, "funnel.NewCounter: bins 65: more than 64 bins"},
		{"too many alternatives", funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Event: "B", Any: steps(names(65)...)}}, Window: hour},
			"funnel.NewCounter: steps[1] any 65: more than 64 alternatives"},
		{"too many exclusion alternatives", funnel.Definition{Steps: steps("A", "B"), Window: hour,
			Exclusions: []funnel.Exclusion{{Match: funnel.Match{Event: "X", Any: steps(names(65)...)}, From: 0, To: 1}}},
			"funnel.NewCounter: exclusions[0] any 65: more than 64 alternatives"},
	}
	// At the bounds: 64 bins and 64 alternatives are taken.
	_, err := funnel.NewCounter(funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Event: "B", Any: steps(names(64)...)}}, Window: hour, Bins: ascending(64)})
	require.NoError(t, err)
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

// ascending returns n bin edges, 1 s to n s.
func ascending(n int) []time.Duration {
	bins := make([]time.Duration, n)
	for i := range bins {
		bins[i] = time.Duration(i+1) * time.Second
	}
	return bins
}

// names returns n event names, e0 … e(n−1).
func names(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint("e", i)
	}
	return out
}

// journeys are the events of four contacts: u converts fully, v stops at
// B, w at A, x never enters. Their times to B are 30 s, 90 s and 45 s
// (u, v, y), to C 60 s (u) and 20 s (y).
var journeys = []funnel.Event{
	ev("u", "A", 0, "channel", "ads"), ev("u", "B", 30), ev("u", "C", 90),
	ev("v", "A", 0, "channel", "seo"), ev("v", "B", 90),
	ev("w", "A", 10, "channel", "ads"),
	ev("x", "B", 10),
	ev("y", "A", 0, "channel", "seo"), ev("y", "B", 45), ev("y", "C", 65),
}

func journeyDef() funnel.Definition {
	return funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Event: "B"}, {Event: "C"}}, Window: 10 * time.Minute, Breakdown: []string{"channel"}}
}

// TestCounter_Result checks a Result against a hand count of journeys:
// A 4 (u v w y), B 3, C 2; B/A = 3/4, C/B = 2/3, C/A = 2/4. The times to
// B are 30, 90, 45 s: R's quantile(c(30, 90, 45), c(.5, .9), type = 1)
// gives 45 and 90, the mean is 55. Per channel: ads has u and w (A 2, B 1,
// C 1), seo has v and y (A 2, B 2, C 1).
// TestCounter_ResultAgain checks that Result does not change the
// Counter: a second Result, and one after more entities, count by hand.
func TestCounter_ResultAgain(t *testing.T) {
	c, err := funnel.NewCounter(abc())
	require.NoError(t, err)
	tests := []struct {
		name string
		add  []funnel.Event
		want []int64
	}{
		{"first", []funnel.Event{ev("u", "A", 0), ev("u", "B", 1)}, []int64{1, 1, 0}},
		{"again, nothing added", nil, []int64{1, 1, 0}},
		{"another entity", []funnel.Event{ev("v", "A", 0), ev("v", "B", 1), ev("v", "C", 2)}, []int64{2, 2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, c.AddAll(slices.Values(tt.add)))
			r, err := c.Result()
			require.NoError(t, err)
			assert.Equal(t, tt.want, counts3(r))
		})
	}
}

func TestCounter_Result(t *testing.T) {
	c, err := funnel.NewCounter(journeyDef())
	require.NoError(t, err)
	require.NoError(t, c.AddAll(slices.Values(journeys)))
	r := result(t, c)
	tests := []struct {
		name             string
		got              funnel.StepResult
		label            string
		reached          int64
		rate, cumulative string
		n                int64
		median, p90, avg time.Duration
	}{
		{"A", r.Steps[0], "A", 4, "4/4 (100.00%)", "4/4 (100.00%)", 0, 0, 0, 0},
		{"B", r.Steps[1], "B", 3, "3/4 (75.00%)", "3/4 (75.00%)", 3, 45 * time.Second, 90 * time.Second, 55 * time.Second},
		{"C", r.Steps[2], "C", 2, "2/3 (66.67%)", "2/4 (50.00%)", 2, 20 * time.Second, 60 * time.Second, 40 * time.Second},
		{"ads B", r.Breakdown[0].Steps[1], "B", 1, "1/2 (50.00%)", "1/2 (50.00%)", 1, 30 * time.Second, 30 * time.Second, 30 * time.Second},
		{"seo C", r.Breakdown[1].Steps[2], "C", 1, "1/2 (50.00%)", "1/2 (50.00%)", 1, 20 * time.Second, 20 * time.Second, 20 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.got
			assert.Equal(t, tc.label, s.Step)
			assert.Equal(t, tc.reached, s.Reached)
			assert.Equal(t, tc.rate, s.Rate.String())
			assert.Equal(t, tc.cumulative, s.Cumulative.String())
			assert.Equal(t, tc.n, s.Time.N)
			assert.Equal(t, tc.median, s.Time.Median)
			assert.Equal(t, tc.p90, s.Time.P90)
			assert.Equal(t, tc.avg, s.Time.Mean)
			var binned int64
			for _, b := range s.Time.Bins {
				binned += b.Count
			}
			assert.Equal(t, tc.n, binned)
		})
	}
	require.Len(t, r.Breakdown, 2)
	assert.Equal(t, []string{"ads"}, r.Breakdown[0].Values)
	assert.Equal(t, []string{"seo"}, r.Breakdown[1].Values)
}

// TestDurations checks the histogram and the statistics: the times 1, 2,
// 3, 4 and 10 minutes give, by R's quantile(c(1, 2, 3, 4, 10), c(.5, .9),
// type = 1), a median of 3 and a 90th percentile of 10 minutes, a mean of
// 20/5 = 4; with edges at 2 and 5 minutes the bins hold 2 (1, 2), 2 (3,
// 4) and 1 (10).
func TestDurations(t *testing.T) {
	d := abc()
	d.Window = time.Hour
	d.Bins = []time.Duration{2 * time.Minute, 5 * time.Minute}
	var evs []funnel.Event
	for i, m := range []int{1, 2, 3, 4, 10} {
		u := fmt.Sprint("u", i)
		evs = append(evs, ev(u, "A", 0), ev(u, "B", 60*m))
	}
	c, err := funnel.NewCounter(d)
	require.NoError(t, err)
	require.NoError(t, c.AddAll(slices.Values(evs)))
	got := result(t, c).Steps[1].Time
	tests := []struct {
		name      string
		got, want any
	}{
		{"n", got.N, int64(5)},
		{"median", got.Median, 3 * time.Minute},
		{"p90", got.P90, 10 * time.Minute},
		{"mean", got.Mean, 4 * time.Minute},
		{"bins", got.Bins, []funnel.Bin{{2 * time.Minute, 2}, {5 * time.Minute, 2}, {math.MaxInt64, 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.got)
		})
	}
}

func TestCounter_AddAllCalls(t *testing.T) {
	// Reversed, shuffled by entity, or split over calls: the same counts.
	rev := slices.Clone(journeys)
	slices.Reverse(rev)
	tests := []struct {
		name  string
		calls [][]funnel.Event
	}{
		{"in order", [][]funnel.Event{journeys}},
		{"reversed", [][]funnel.Event{rev}},
		{"two calls", [][]funnel.Event{journeys[:4], journeys[4:]}},
		{"one at a time", func() (out [][]funnel.Event) {
			for _, e := range rev {
				out = append(out, []funnel.Event{e})
			}
			return out
		}()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := funnel.NewCounter(journeyDef())
			require.NoError(t, err)
			for _, evs := range tc.calls {
				require.NoError(t, c.AddAll(slices.Values(evs)))
			}
			assert.Equal(t, []int64{4, 3, 2}, counts3(result(t, c)))
		})
	}
}

func counts3(r *funnel.Result) []int64 {
	var out []int64
	for _, s := range r.Steps {
		out = append(out, s.Reached)
	}
	return out
}

// badEvents are events Add and AddSorted refuse.
var badEvents = []struct {
	name string
	ev   funnel.Event
	want string
}{
	{"no entity", funnel.Event{Name: "A", Time: t0}, `event entity "": event "A" at 2026-03-02 09:00:00 +0000 UTC has no entity`},
	{"zero time", funnel.Event{Entity: "u", Name: "A"}, `entity "u" event "A" time 0001-01-01 00:00:00 +0000 UTC: zero time`},
	{"year 2300", funnel.Event{Entity: "u", Name: "A", Time: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)}, `entity "u" event "A" time 2300-01-01T00:00:00Z: outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)`},
	{"year 1600", funnel.Event{Entity: "u", Name: "A", Time: time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)}, `entity "u" event "A" time 1600-01-01T00:00:00Z: outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)`},
	{"one nanosecond before 1900", funnel.Event{Entity: "u", Name: "A", Time: time.Date(1900, 1, 1, 0, 0, 0, -1, time.UTC)}, `entity "u" event "A" time 1899-12-31T23:59:59.999999999Z: outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)`},
	{"2150 in another zone", funnel.Event{Entity: "u", Name: "A", Time: time.Date(2150, 1, 1, 0, 0, 0, 0, time.UTC).In(time.FixedZone("X", 3600))}, `entity "u" event "A" time 2150-01-01T00:00:00Z: outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)`},
}

func TestCounter_Add(t *testing.T) {
	// abc's steps A → B → C within an hour; counted by hand.
	tests := []struct {
		name string
		evs  []funnel.Event
		want []int64
	}{
		{"one entity through", []funnel.Event{ev("u", "C", 2), ev("u", "A", 0), ev("u", "B", 1)}, []int64{1, 1, 1}},
		{"two entities", []funnel.Event{ev("u", "A", 0), ev("v", "B", 1), ev("v", "A", 0)}, []int64{2, 1, 0}},
		{"no entry", []funnel.Event{ev("u", "B", 0), ev("u", "C", 1)}, []int64{0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := funnel.NewCounter(abc())
			require.NoError(t, err)
			for _, e := range tt.evs {
				require.NoError(t, c.Add(e))
			}
			assert.Equal(t, tt.want, counts3(result(t, c)))
		})
	}
}

func TestCounter_AddErrors(t *testing.T) {
	for _, tc := range badEvents {
		t.Run(tc.name, func(t *testing.T) {
			c, err := funnel.NewCounter(abc())
			require.NoError(t, err)
			require.NoError(t, c.Add(ev("v", "A", 0)))
			err = c.Add(tc.ev)
			assert.EqualError(t, err, "funnel.Counter.Add: "+tc.want)
			assert.True(t, errors.Is(err, kpi.ErrInvalid))
			assert.Equal(t, []int64{1, 0, 0}, counts3(result(t, c)), "the bad event is not added")
		})
	}
}

func TestCounter_AddAll(t *testing.T) {
	tests := []struct {
		name string
		seq  iter.Seq[funnel.Event]
		want []int64
	}{
		{"nil", nil, []int64{0, 0, 0}},
		{"journeys", slices.Values(journeys), []int64{4, 3, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := funnel.NewCounter(journeyDef())
			require.NoError(t, err)
			require.NoError(t, c.AddAll(tt.seq))
			assert.Equal(t, tt.want, counts3(result(t, c)))
		})
	}
}

func TestCounter_AddAllErrors(t *testing.T) {
	for _, tc := range badEvents {
		t.Run(tc.name, func(t *testing.T) {
			c, err := funnel.NewCounter(abc())
			require.NoError(t, err)
			err = c.AddAll(slices.Values([]funnel.Event{ev("v", "A", 0), tc.ev, ev("w", "A", 0)}))
			assert.EqualError(t, err, "funnel.Counter.AddAll: events[1] "+tc.want)
			assert.True(t, errors.Is(err, kpi.ErrInvalid))
			assert.Equal(t, []int64{1, 0, 0}, counts3(result(t, c)), "the events before the bad one are kept")
		})
	}
}

func TestCounter_AddSorted(t *testing.T) {
	sorted := slices.Clone(journeys)
	slices.SortStableFunc(sorted, func(a, b funnel.Event) int {
		switch {
		case a.Entity < b.Entity:
			return -1
		case a.Entity > b.Entity:
			return 1
		}
		return 0
	})
	// Within an entity the time order may be off: the events are sorted.
	shuffled := slices.Clone(sorted)
	shuffled[0], shuffled[2] = shuffled[2], shuffled[0]
	tests := []struct {
		name  string
		calls [][]funnel.Event
	}{
		{"one call", [][]funnel.Event{sorted}},
		{"times out of order", [][]funnel.Event{shuffled}},
		{"calls at entity bounds", [][]funnel.Event{sorted[:3], sorted[3:5], sorted[5:]}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := funnel.NewCounter(journeyDef())
			require.NoError(t, err)
			for _, evs := range tc.calls {
				require.NoError(t, c.AddSorted(slices.Values(evs)))
			}
			assert.Equal(t, []int64{4, 3, 2}, counts3(result(t, c)))
		})
	}
}

func TestCounter_AddSortedErrors(t *testing.T) {
	tests := []struct {
		name string
		evs  []funnel.Event
		want string
		kept []int64
	}{
		{"entities out of order", []funnel.Event{ev("b", "A", 0), ev("a", "A", 0)}, `events[1] entity "a": comes after "b": input not sorted by entity`, []int64{1, 0, 0}},
		{"entity comes back", []funnel.Event{ev("a", "A", 0), ev("b", "A", 0), ev("a", "B", 1)}, `events[2] entity "a": comes after "b": input not sorted by entity`, []int64{2, 0, 0}},
	}
	for _, tc := range badEvents {
		tests = append(tests, struct {
			name string
			evs  []funnel.Event
			want string
			kept []int64
		}{tc.name, []funnel.Event{ev("0", "A", 0), tc.ev}, "events[1] " + tc.want, []int64{1, 0, 0}})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := funnel.NewCounter(abc())
			require.NoError(t, err)
			err = c.AddSorted(slices.Values(tc.evs))
			assert.EqualError(t, err, "funnel.Counter.AddSorted: "+tc.want)
			assert.True(t, errors.Is(err, kpi.ErrInvalid))
			assert.Equal(t, tc.kept, counts3(result(t, c)))
		})
	}
}

func TestCounter_Merge(t *testing.T) {
	// Partitions of the journeys' entities, each counted on its own and
	// merged, give the counts of the whole: A 4, B 3, C 2; ads 2 1 1.
	tests := []struct {
		name  string
		parts [][]string // entities of each partition
	}{
		{"two", [][]string{{"u", "v"}, {"w", "x", "y"}}},
		{"one empty", [][]string{{"u", "v", "w", "x", "y"}, {}}},
		{"each alone", [][]string{{"u"}, {"v"}, {"w"}, {"x"}, {"y"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var cs []*funnel.Counter
			for _, part := range tc.parts {
				c, err := funnel.NewCounter(journeyDef())
				require.NoError(t, err)
				var evs []funnel.Event
				for _, e := range journeys {
					if slices.Contains(part, e.Entity) {
						evs = append(evs, e)
					}
				}
				require.NoError(t, c.AddAll(slices.Values(evs)))
				cs = append(cs, c)
			}
			for _, c := range cs[1:] {
				require.NoError(t, cs[0].Merge(c))
			}
			r := result(t, cs[0])
			assert.Equal(t, []int64{4, 3, 2}, counts3(r))
			assert.Equal(t, []int64{2, 1, 1}, counts3(&r.Breakdown[0]))
			assert.Equal(t, int64(3), r.Steps[1].Time.N)
			assert.Equal(t, 45*time.Second, r.Steps[1].Time.Median)
		})
	}
}

func TestCounter_MergeErrors(t *testing.T) {
	c, err := funnel.NewCounter(abc())
	require.NoError(t, err)
	other := abc()
	other.Window = time.Minute
	o, err := funnel.NewCounter(other)
	require.NoError(t, err)
	tests := []struct {
		name string
		o    *funnel.Counter
		want string
	}{
		{"nil", nil, `^funnel\.Counter\.Merge: o <nil>: nil counter$`},
		{"itself", c, `^funnel\.Counter\.Merge: o 0x[0-9a-f]+: the receiver itself: add the events again to count them twice$`},
		{"zero", &funnel.Counter{}, `^funnel\.Counter\.Merge: o zero value: use funnel\.NewCounter$`},
		{"other definition", o, `^funnel\.Counter\.Merge: o 3 steps: of a different definition$`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := c.Merge(tc.o)
			require.Error(t, err)
			assert.Regexp(t, tc.want, err.Error())
			assert.True(t, errors.Is(err, kpi.ErrInvalid))
		})
	}
}

func TestParallel(t *testing.T) {
	// Partitions by the parity of the entity's first byte.
	tests := []struct {
		name   string
		n      int
		sorted bool
	}{
		{"one", 1, false},
		{"two", 2, false},
		{"three sorted", 3, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := funnel.Parallel(journeyDef(), tc.n, func(part int, c *funnel.Counter) error {
				var evs []funnel.Event
				for _, e := range journeys {
					if int(e.Entity[0])%tc.n == part {
						evs = append(evs, e)
					}
				}
				if tc.sorted {
					return c.AddSorted(slices.Values(evs))
				}
				return c.AddAll(slices.Values(evs))
			})
			require.NoError(t, err)
			assert.Equal(t, []int64{4, 3, 2}, counts3(result(t, c)))
		})
	}
}

func TestParallelErrors(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name string
		def  funnel.Definition
		n    int
		fill func(int, *funnel.Counter) error
		want string
	}{
		{"no partitions", abc(), 0, nil, "funnel.Parallel: n 0: need at least one partition"},
		{"bad definition", funnel.Definition{}, 2, func(int, *funnel.Counter) error { return nil }, "funnel.NewCounter: steps 0: a funnel needs at least two steps"},
		// Probes: 2·10⁵ parts took 1.9 GB and 18 s, math.MaxInt panicked
		// in make, and a nil fill crashed the program in its goroutine.
		{"too many partitions", abc(), 4097, func(int, *funnel.Counter) error { return nil }, "funnel.Parallel: n 4097: more than 4096 partitions"},
		{"math.MaxInt partitions", abc(), math.MaxInt, func(int, *funnel.Counter) error { return nil }, "funnel.Parallel: n 9223372036854775807: more than 4096 partitions"},
		{"nil fill", abc(), 2, nil, "funnel.Parallel: fill nil: no function to fill the partitions"},
		{"fill fails", abc(), 2, func(part int, c *funnel.Counter) error {
			if part == 1 {
				return boom
			}
			return nil
		}, "boom"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := funnel.Parallel(tc.def, tc.n, tc.fill)
			assert.Nil(t, c)
			assert.EqualError(t, err, tc.want)
		})
	}
}

func TestResult_Funnel(t *testing.T) {
	c, err := funnel.NewCounter(journeyDef())
	require.NoError(t, err)
	require.NoError(t, c.AddAll(slices.Values(journeys)))
	r := result(t, c)
	tests := []struct {
		name    string
		r       *funnel.Result
		overall string
	}{
		{"whole", r, "2/4 (50.00%)"},
		{"ads", &r.Breakdown[0], "1/2 (50.00%)"},
		{"seo", &r.Breakdown[1], "1/2 (50.00%)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := tc.r.Funnel()
			require.NoError(t, err)
			assert.Equal(t, tc.overall, f.Overall().String())
			step, ok := f.Step("B")
			require.True(t, ok)
			assert.Equal(t, tc.r.Steps[1].Rate, step.Rate)
		})
	}
}

func TestResult_FunnelErrors(t *testing.T) {
	tests := []struct {
		name string
		r    funnel.Result
		want string
	}{
		{"zero result", funnel.Result{}, "funnel.Result.Funnel: stages 0: a funnel needs at least two stages"},
		{"rising counts", funnel.Result{Steps: []funnel.StepResult{{Step: "A", Reached: 1}, {Step: "B", Reached: 2}}}, `funnel.Result.Funnel: stage "B" count 2: exceeds "A" count 1`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.r.Funnel()
			assert.EqualError(t, err, tc.want)
		})
	}
}

// fuzzCounterEvents caps the events FuzzCounter decodes. The fuzzer
// minimises every new interesting input, and Go's minimiser tries a number
// of candidates quadratic in the input's length (it removes every run of
// bytes) without reporting them as execs: uncapped, inputs of hundreds of
// bytes kept one worker minimising for 20 s at a time at "0 execs/s".
// 48 events over four entities and 255 seconds still reach every window,
// order, hold and exclusion case of the three-step funnel.
const fuzzCounterEvents = 48

// fuzzEntities and fuzzProps are FuzzCounter's entities and properties,
// built once instead of per event.
var (
	fuzzEntities = [4]string{"a", "b", "c", "d"}
	fuzzProps    = [2]map[string]string{{"deal": "0"}, {"deal": "1"}}
)

// FuzzCounter feeds events decoded from bytes to Add and AddSorted and
// checks that nothing panics, that both paths agree, and that the counts
// fall from step to step.
func FuzzCounter(f *testing.F) {
	f.Add([]byte("\x00\x00\x00\x01\x01\x05\x02\x02\x09"), uint8(0))
	f.Add([]byte("\x00\x00\x00\x00\x00\x00\x01\x01\x01\x01\x03\x02"), uint8(0x1f))
	f.Add([]byte("\x05\x04\x03\x02\x01\x00\xff\xfe"), uint8(0x2a))
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		d := abc()
		d.Mode = funnel.Mode(mode & 0x1f) // 0x10 is an unknown flag
		d.Counting = funnel.Counting(mode >> 5 & 1)
		if mode&0x40 != 0 {
			d.Hold = "deal"
			d.Exclusions = []funnel.Exclusion{{Match: funnel.Match{Event: "X"}, From: 0, To: 2}}
		}
		names := []string{"A", "B", "C", "X", "D", ""}
		data = data[:min(len(data), 3*fuzzCounterEvents)]
		evs := make([]funnel.Event, 0, len(data)/3)
		for i := 0; i+2 < len(data); i += 3 {
			e := funnel.Event{Entity: fuzzEntities[data[i]%4], Name: names[int(data[i+1])%len(names)], Props: fuzzProps[data[i+1]%2]}
			if data[i+2] != 0xff {
				e.Time = t0.Add(time.Duration(data[i+2]) * time.Second)
			}
			evs = append(evs, e)
		}
		a, errA := funnel.NewCounter(d)
		s, errS := funnel.NewCounter(d)
		if errA != nil || errS != nil {
			require.True(t, errors.Is(errA, kpi.ErrInvalid))
			return
		}
		err := a.AddAll(slices.Values(evs))
		slices.SortStableFunc(evs, func(x, y funnel.Event) int { return strings.Compare(x.Entity, y.Entity) })
		if err2 := s.AddSorted(slices.Values(evs)); err != nil || err2 != nil {
			require.True(t, errors.Is(err, kpi.ErrInvalid) || errors.Is(err2, kpi.ErrInvalid))
			return
		}
		ra, rs := result(t, a), result(t, s)
		assert.Equal(t, counts3(ra), counts3(rs))
		for k := 1; k < len(ra.Steps); k++ {
			assert.LessOrEqual(t, ra.Steps[k].Reached, ra.Steps[k-1].Reached)
			assert.Equal(t, ra.Steps[k].Reached, ra.Steps[k].Time.N)
		}
		_, err = ra.Funnel()
		assert.NoError(t, err)
	})
}

// TestLargeEntity runs one contact with 100 000 events, A and B in turn a
// second apart, through both paths: the work and memory grow with the
// entity's own events. Every A is followed by a B within the window, so
// unique counting reaches B once and totals reach it 50 000 times; C never.
func TestLargeEntity(t *testing.T) {
	const n = 100_000
	evs := func(yield func(funnel.Event) bool) {
		for i := range n {
			name := "A"
			if i%2 == 1 {
				name = "B"
			}
			if !yield(funnel.Event{Entity: "big", Name: name, Time: t0.Add(time.Duration(i) * time.Second)}) {
				return
			}
		}
	}
	totals := abc()
	totals.Counting = funnel.Totals
	tests := []struct {
		name   string
		def    funnel.Definition
		sorted bool
		want   []int64
	}{
		{"unique", abc(), false, []int64{1, 1, 0}},
		{"unique sorted", abc(), true, []int64{1, 1, 0}},
		{"totals", totals, false, []int64{n / 2, n / 2, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := funnel.NewCounter(tc.def)
			require.NoError(t, err)
			if tc.sorted {
				require.NoError(t, c.AddSorted(evs))
			} else {
				require.NoError(t, c.AddAll(evs))
			}
			assert.Equal(t, tc.want, counts3(result(t, c)))
		})
	}
}

// result returns c's Result, failing the test on an error.
func result(t testing.TB, c *funnel.Counter) *funnel.Result {
	t.Helper()
	r, err := c.Result()
	require.NoError(t, err)
	return r
}
