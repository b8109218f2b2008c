package funnel_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// crossEvents are five contacts whose entries carry a month and a source.
// By hand, with A → B → C in 10 minutes: u (04, ads) reaches C; x (04,
// ads) stops at A; v (04, seo) at B; w (05, ads) at A; z has no source
// (05, ""), and y enters twice, at 0 s as (04, ads) and at 100 s as (05,
// seo), then B at 110 s: its best attempt is the later entry, the one that
// reaches B first, so y counts under (05, seo) in Unique and under both in
// Totals (the first attempt reaches B too: 110 s is within its window).
var crossEvents = []funnel.Event{
	ev("u", "A", 0, "month", "04", "source", "ads"), ev("u", "B", 10), ev("u", "C", 20),
	ev("x", "A", 5, "month", "04", "source", "ads"),
	ev("v", "A", 0, "month", "04", "source", "seo"), ev("v", "B", 30),
	ev("w", "A", 0, "month", "05", "source", "ads"),
	ev("z", "A", 0, "month", "05"),
	ev("y", "A", 0, "month", "04", "source", "ads"), ev("y", "A", 100, "month", "05", "source", "seo"), ev("y", "B", 110),
}

func TestCounter_ResultCross(t *testing.T) {
	unique := funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Event: "B"}, {Event: "C"}}, Window: 10 * time.Minute, Breakdown: []string{"month", "source"}}
	totals := unique
	totals.Counting = funnel.Totals
	held := unique
	held.Breakdown = []string{"source", "month"}
	tests := []struct {
		name   string
		def    funnel.Definition
		values [][]string
		counts [][]int64
	}{
		{"unique", unique,
			[][]string{{"04", "ads"}, {"04", "seo"}, {"05", ""}, {"05", "ads"}, {"05", "seo"}},
			[][]int64{{2, 1, 1}, {1, 1, 0}, {1, 0, 0}, {1, 0, 0}, {1, 1, 0}}},
		{"totals", totals,
			[][]string{{"04", "ads"}, {"04", "seo"}, {"05", ""}, {"05", "ads"}, {"05", "seo"}},
			[][]int64{{3, 2, 1}, {1, 1, 0}, {1, 0, 0}, {1, 0, 0}, {1, 1, 0}}},
		{"the other order", held,
			[][]string{{"", "05"}, {"ads", "04"}, {"ads", "05"}, {"seo", "04"}, {"seo", "05"}},
			[][]int64{{1, 0, 0}, {2, 1, 1}, {1, 0, 0}, {1, 1, 0}, {1, 1, 0}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := funnel.NewCounter(tc.def)
			require.NoError(t, err)
			require.NoError(t, c.AddAll(slices.Values(crossEvents)))
			r := result(t, c)
			assert.Equal(t, tc.def.Breakdown, r.Keys)
			assert.Nil(t, r.Values)
			var values [][]string
			var counts [][]int64
			sums := make([]int64, 3)
			for _, g := range r.Breakdown {
				values = append(values, g.Values)
				counts = append(counts, counts3(&g))
				for k, n := range counts3(&g) {
					sums[k] += n
				}
			}
			assert.Equal(t, tc.values, values)
			assert.Equal(t, tc.counts, counts)
			assert.Equal(t, counts3(r), sums, "the groups add up to the whole")
		})
	}
}

// TestCounter_MergeCross checks that counters of a cross breakdown merge
// and travel as bytes: split by entity, merged, or encoded and decoded,
// they give the one Counter's result.
func TestCounter_MergeCross(t *testing.T) {
	d := funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Event: "B"}, {Event: "C"}}, Window: 10 * time.Minute, Breakdown: []string{"month", "source"}}
	whole := must(funnel.NewCounter(d))
	require.NoError(t, whole.AddAll(slices.Values(crossEvents)))
	want := result(t, whole)
	tests := []struct {
		name string
		via  func(a, b *funnel.Counter) *funnel.Counter
	}{
		{"merge", func(a, b *funnel.Counter) *funnel.Counter { require.NoError(t, a.Merge(b)); return a }},
		{"merge counted", func(a, b *funnel.Counter) *funnel.Counter {
			result(t, b)
			require.NoError(t, a.Merge(b))
			return a
		}},
		{"binary", func(a, b *funnel.Counter) *funnel.Counter {
			data, err := b.MarshalBinary()
			require.NoError(t, err)
			var o funnel.Counter
			require.NoError(t, o.UnmarshalBinary(data))
			require.NoError(t, a.Merge(&o))
			return a
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := must(funnel.NewCounter(d)), must(funnel.NewCounter(d))
			for _, e := range crossEvents {
				if e.Entity < "w" {
					require.NoError(t, a.Add(e))
				} else {
					require.NoError(t, b.Add(e))
				}
			}
			assert.Equal(t, want, result(t, tc.via(a, b)))
		})
	}
}

func TestNewCounterBreakdownErrors(t *testing.T) {
	steps := []funnel.Match{{Event: "A"}, {Event: "B"}}
	tests := []struct {
		name      string
		breakdown []string
		want      string
	}{
		{"empty", []string{""}, `funnel.NewCounter: breakdown[0] "": empty property name`},
		{"empty second", []string{"month", ""}, `funnel.NewCounter: breakdown[1] "": empty property name`},
		{"duplicate", []string{"month", "source", "month"}, `funnel.NewCounter: breakdown[2] "month": same property as breakdown[0]`},
		{"too many", []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q"}, "funnel.NewCounter: breakdown 17: more than 16 properties"},
		// A probe: the search for repeats ran before the count was
		// checked, quadratic in the properties (10⁵ of them: seconds).
		{"too many with a repeat", []string{"a", "a", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q"}, "funnel.NewCounter: breakdown 17: more than 16 properties"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := funnel.NewCounter(funnel.Definition{Steps: steps, Window: time.Hour, Breakdown: tc.breakdown})
			require.Error(t, err)
			assert.Nil(t, c)
			assert.EqualError(t, err, tc.want)
			assert.True(t, errors.Is(err, kpi.ErrInvalid))
		})
	}
}

// TestDefinitionJSONBreakdown checks the breakdown's JSON form: a list
// that round-trips, an empty list read as none, and the constructor's
// errors on decoding.
func TestDefinitionJSONBreakdown(t *testing.T) {
	tests := []struct {
		name string
		json string
		want []string
		err  string
	}{
		{"cross", `{"steps":[{"event":"A"},{"event":"B"}],"window":60,"mode":"default","counting":"unique","breakdown":["month","source"],"bins":null}`, []string{"month", "source"}, ""},
		{"empty list", `{"steps":[{"event":"A"},{"event":"B"}],"window":60,"mode":"default","counting":"unique","breakdown":[],"bins":null}`, nil, ""},
		{"duplicate", `{"steps":[{"event":"A"},{"event":"B"}],"window":60,"mode":"default","counting":"unique","breakdown":["month","month"],"bins":null}`, nil, `breakdown[1] "month": same property as breakdown[0]`},
		{"a string", `{"steps":[{"event":"A"},{"event":"B"}],"window":60,"mode":"default","counting":"unique","breakdown":"month","bins":null}`, nil, "funnel.Definition.UnmarshalJSON"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var d funnel.Definition
			err := d.UnmarshalJSON([]byte(tc.json))
			if tc.err != "" {
				require.Error(t, err)
				assert.ErrorIs(t, err, kpi.ErrInvalid)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, d.Breakdown)
			again, err := d.MarshalJSON()
			require.NoError(t, err)
			if tc.want != nil {
				assert.JSONEq(t, tc.json, string(again))
			}
			var buf bytes.Buffer
			buf.Write(again)
			var back funnel.Definition
			require.NoError(t, back.UnmarshalJSON(buf.Bytes()))
			assert.Equal(t, d, back)
		})
	}
}
