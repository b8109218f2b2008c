package funnel_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dayEv is an event of entity at t0 + days.
func dayEv(entity, name string, days float64) funnel.Event {
	return funnel.Event{Entity: entity, Name: name, Time: t0.Add(time.Duration(days * float64(24*time.Hour)))}
}

// youngMonth is six leads of a two-step funnel with a 10-day window,
// looked at on day 20: three converted (after 2, 5 and 1 days), one is
// mature without converting, and two entered on days 17 and 18 and are
// still inside their window.
func youngMonth() []funnel.Event {
	return []funnel.Event{
		dayEv("e1", "lead", 0), dayEv("e1", "sql", 2),
		dayEv("e2", "lead", 0),
		dayEv("e6", "lead", 0), dayEv("e6", "sql", 5),
		dayEv("e3", "lead", 15), dayEv("e3", "sql", 16),
		dayEv("e4", "lead", 17),
		dayEv("e5", "lead", 18),
	}
}

func leadSQL(window, within time.Duration) funnel.Definition {
	return funnel.Definition{Steps: []funnel.Match{{Event: "lead"}, {Event: "sql", Within: within}}, Window: window}
}

// TestCurves checks the young month by hand and against R 4.2.2,
// survival 3.5-3:
//
//	survfit(Surv(c(2, 1, 5, 10, 3, 2), c(1, 1, 1, 0, 0, 0)) ~ 1, conf.type = "log-log")
//
// Converted after 1, 2, 5 days; e2 is mature and censored at the 10-day
// horizon; e4 and e5 are censored at their ages 3 and 2. By hand:
// S(1) = 5/6, S(2) = 4/6 (the censoring at 2 leaves after the event),
// S(5) = 4/6 · 1/2 = 1/3, so the share by day 10 is 2/3, where the plain
// count gives 3/6. The curve first falls below one half at day 5.
func TestCurves(t *testing.T) {
	tests := []struct {
		name     string
		def      funnel.Definition
		asOf     time.Time
		horizon  float64
		immature int64
		share    float64
		lo, hi   float64
		median   float64
	}{
		{"young month", leadSQL(10*24*time.Hour, 0), t0.Add(20 * 24 * time.Hour), 10, 2, 2.0 / 3,
			0.245155955370031542, 0.98631512249277842, 5},
		// Mature, the curve stays at exactly one half from day 5 to the
		// last time, 10: R's midpoint rule gives the median 7.5.
		{"all mature", leadSQL(10*24*time.Hour, 0), t0.Add(40 * 24 * time.Hour), 10, 0, 0.5,
			0, 0, 7.5},
		{"within shortens the horizon", leadSQL(10*24*time.Hour, 3*24*time.Hour), t0.Add(40 * 24 * time.Hour), 3, 0, 2.0 / 6,
			0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := funnel.NewCounter(tc.def)
			require.NoError(t, err)
			require.NoError(t, c.AddAll(slices.Values(youngMonth())))
			curves, err := c.Curves(tc.asOf, 0.95)
			require.NoError(t, err)
			require.Len(t, curves, 1)
			sc := curves[0]
			assert.Equal(t, "sql", sc.Step)
			assert.InDelta(t, tc.horizon, sc.Horizon, 1e-12)
			assert.Equal(t, tc.immature, sc.Immature)
			assert.InEpsilon(t, tc.share, sc.Share, 1e-12)
			if tc.lo > 0 {
				assert.InDelta(t, tc.lo, sc.Interval.Lo, 1e-12)
				assert.InDelta(t, tc.hi, sc.Interval.Hi, 1e-12)
			}
			if tc.median > 0 {
				require.NotNil(t, sc.Median)
				assert.Equal(t, tc.median, *sc.Median)
			} else {
				assert.Nil(t, sc.Median)
			}
		})
	}
}

// TestCurvesMatureEqualsRate: once every chain has had its window, the
// curve's value at the horizon is the step rate, bit for bit, for random
// funnels of three steps with a Within on the last.
func TestCurvesMatureEqualsRate(t *testing.T) {
	tests := []struct {
		name     string
		counting funnel.Counting
		seed     uint64
	}{
		{"unique", funnel.Unique, 1},
		{"totals", funnel.Totals, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(tc.seed, 9))
			d := funnel.Definition{Steps: []funnel.Match{{Event: "a"}, {Event: "b"}, {Event: "c", Within: 4 * 24 * time.Hour}},
				Window: 7 * 24 * time.Hour, Counting: tc.counting}
			c, err := funnel.NewCounter(d)
			require.NoError(t, err)
			names := []string{"a", "b", "c"}
			for i := range 3000 {
				for range 1 + rng.IntN(4) {
					e := dayEv(fmt.Sprint("u", i), names[rng.IntN(3)], rng.Float64()*60)
					require.NoError(t, c.Add(e))
				}
			}
			res, err := c.Result()
			require.NoError(t, err)
			curves, err := c.Curves(t0.Add(100*24*time.Hour), 0.9)
			require.NoError(t, err)
			for k, sc := range curves {
				want, err := res.Steps[k+1].Rate.Value()
				require.NoError(t, err)
				assert.Equal(t, want, sc.Share, sc.Step)
				assert.Zero(t, sc.Immature)
				assert.Equal(t, res.Steps[k].Reached, sc.Curve.Entities)
			}
		})
	}
}

// TestCurvesMergeAndEncode: the curves of merged counters, and of a
// counter sent through its binary form, are those of one counter.
func TestCurvesMergeAndEncode(t *testing.T) {
	evs := youngMonth()
	asOf := t0.Add(20 * 24 * time.Hour)
	one, err := funnel.NewCounter(leadSQL(10*24*time.Hour, 0))
	require.NoError(t, err)
	require.NoError(t, one.AddAll(slices.Values(evs)))
	want, err := one.Curves(asOf, 0.95)
	require.NoError(t, err)
	tests := []struct {
		name  string
		build func() (*funnel.Counter, error)
	}{
		{"merged", func() (*funnel.Counter, error) {
			a, _ := funnel.NewCounter(leadSQL(10*24*time.Hour, 0))
			b, _ := funnel.NewCounter(leadSQL(10*24*time.Hour, 0))
			_ = a.AddAll(slices.Values(evs[:5]))
			_ = b.AddAll(slices.Values(evs[5:]))
			return a, a.Merge(b)
		}},
		{"encoded", func() (*funnel.Counter, error) {
			data, err := one.MarshalBinary()
			if err != nil {
				return nil, err
			}
			var c funnel.Counter
			return &c, c.UnmarshalBinary(data)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.build()
			require.NoError(t, err)
			got, err := c.Curves(asOf, 0.95)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

// TestCurvesNobodyBefore: a step that no chain reached the step before
// has no curve.
func TestCurvesNobodyBefore(t *testing.T) {
	tests := []struct {
		name string
		evs  []funnel.Event
	}{
		{"only entries", []funnel.Event{ev("x", "A", 0), ev("y", "A", 1)}},
		{"no events", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := funnel.NewCounter(abc())
			require.NoError(t, err)
			require.NoError(t, c.AddAll(slices.Values(tc.evs)))
			curves, err := c.Curves(t0.Add(time.Hour), 0.95)
			require.NoError(t, err)
			require.Len(t, curves, 2)
			assert.Nil(t, curves[1].Curve)
			assert.Zero(t, curves[1].Share)
		})
	}
}

func TestCurvesErrors(t *testing.T) {
	c, err := funnel.NewCounter(leadSQL(10*24*time.Hour, 0))
	require.NoError(t, err)
	require.NoError(t, c.AddAll(slices.Values(youngMonth())))
	tests := []struct {
		name  string
		c     *funnel.Counter
		asOf  time.Time
		level float64
		want  string
	}{
		{"zero counter", new(funnel.Counter), t0, 0.95, "use funnel.NewCounter"},
		{"level", c, t0.Add(40 * 24 * time.Hour), 1.5, "level 1.5"},
		{"asOf before a chain", c, t0.Add(17*24*time.Hour + time.Hour), 0.95, `before step "lead" of a chain at 2026-03-20T09:00:00Z`},
		{"asOf out of range", c, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), 0.95, "asOf 3000-01-01"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.c.Curves(tc.asOf, tc.level)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), "funnel.Counter.Curves")
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// The youngest leads have not had their ten days: the plain count reads
// 3 of 6, the curve, which counts them for the days they have had, 2/3.
func ExampleCounter_Curves() {
	d := funnel.Definition{Steps: []funnel.Match{{Event: "lead"}, {Event: "sql"}}, Window: 10 * 24 * time.Hour}
	c, _ := funnel.NewCounter(d)
	_ = c.AddAll(slices.Values(youngMonth()))
	res, _ := c.Result()
	curves, _ := c.Curves(t0.Add(20*24*time.Hour), 0.95)
	sc := curves[0]
	fmt.Println("plain:", res.Steps[1].Rate)
	fmt.Printf("curve: %.4f %v, %d still inside their window, median %.0f days\n", sc.Share, sc.Interval, sc.Immature, *sc.Median)
	// Output:
	// plain: 3/6 (50.00%)
	// curve: 0.6667 [0.2452, 0.9863] 95% greenwood-log-log, 2 still inside their window, median 5 days
}
