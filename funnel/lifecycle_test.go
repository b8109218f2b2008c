package funnel_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

var crmBase = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func onDay(d int) time.Time { return crmBase.AddDate(0, 0, d) }

func mustLifecycle(t testing.TB, stages ...string) *funnel.Lifecycle {
	t.Helper()
	l, err := funnel.NewLifecycle(stages...)
	require.NoError(t, err)
	return l
}

// scenario is a history worked out by hand in TestHistoryReach.
func scenario() []funnel.Entry {
	return []funnel.Entry{
		{"a", "Lead", onDay(1)}, {"a", "MQL", onDay(3)}, {"a", "SQL", onDay(6)},
		{"b", "Lead", onDay(2)}, {"b", "sql", onDay(5)},
		{"c", "Won", onDay(4)}, {"c", "lead", onDay(10)},
		{"d", "Lead", onDay(1)}, {"d", "LEAD", onDay(1)}, {"d", "Lead", onDay(0)},
	}
}

func TestNewLifecycle(t *testing.T) {
	tests := []struct {
		name   string
		stages []string
		index  map[string]int
	}{
		{"plain", []string{"Lead", "MQL", "SQL"}, map[string]int{"lead": 0, "M.Q.L.": 1, " sql ": 2}},
		{"HubSpot labels and values", funnel.HubSpotLifecycle().Stages(), map[string]int{"marketingqualifiedlead": 2, "Sales Qualified Lead": 3, "customer": 5}},
		{"Salesforce", funnel.SalesforceLifecycle().Stages(), map[string]int{"Prospecting": 0, "Proposal/Price Quote": 6, "closed won": 8}},
		{"unicode", []string{"Interessent", "Qualifiziert", "Gewonnen"}, map[string]int{"QUALIFIZIERT": 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := mustLifecycle(t, tc.stages...)
			assert.Equal(t, tc.stages, l.Stages())
			for name, want := range tc.index {
				got, ok := l.Index(name)
				assert.True(t, ok, name)
				assert.Equal(t, want, got, name)
			}
			_, ok := l.Index("Other")
			assert.False(t, ok)
		})
	}
}

func TestNewLifecycleErrors(t *testing.T) {
	tests := []struct {
		name   string
		stages []string
		want   string
	}{
		{"one", []string{"Lead"}, "funnel.NewLifecycle: stages 1: a lifecycle needs at least two stages"},
		{"seventeen", slices.Repeat([]string{"x"}, 17), "funnel.NewLifecycle: stages 17: more than 16 stages"},
		{"empty", []string{"Lead", " - "}, `funnel.NewLifecycle: stages[1] " - ": empty stage name`},
		// Its Reach.Funnel and Definition would be refused by New and
		// NewCounter, which hold names to UTF-8 for their JSON forms.
		{"not UTF-8", []string{"Lead", "SQL\xff"}, `funnel.NewLifecycle: stages[1] "SQL\xff": not valid UTF-8`},
		{"same", []string{"Lead", "MQL", "m-q-l"}, `funnel.NewLifecycle: stages[2] "m-q-l": same stage as stages[1] "MQL"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := funnel.NewLifecycle(tc.stages...)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.want)
		})
	}
}

func TestPresetLifecycles(t *testing.T) {
	tests := []struct {
		name string
		n    int
		last string
	}{{"HubSpot", 7, "Evangelist"}, {"Salesforce", 9, "Closed Won"}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := map[string]*funnel.Lifecycle{"HubSpot": funnel.HubSpotLifecycle(), "Salesforce": funnel.SalesforceLifecycle()}[tc.name]
			s := l.Stages()
			assert.Len(t, s, tc.n)
			assert.Equal(t, tc.last, s[len(s)-1])
		})
	}
}

func TestHistoryReach(t *testing.T) {
	l := mustLifecycle(t, "Lead", "MQL", "SQL", "Won")
	h, err := funnel.NewHistory(l)
	require.NoError(t, err)
	for _, e := range scenario() {
		require.NoError(t, h.Add(e))
	}
	r, err := h.Reach()
	require.NoError(t, err)
	// By hand: a climbs Lead d1 → MQL d3 → SQL d6; b Lead d2 → SQL d5,
	// passing MQL at d5; c is Won at d4 (passing Lead, MQL, SQL then)
	// and set back to lead at d10; d is a Lead from d0, with a duplicate
	// (d1 twice) and an out-of-order row (d0 after d1).
	d := 24 * time.Hour
	tests := []struct {
		name                      string
		reached, entered, skipped int64
		n                         int64
		median                    time.Duration
	}{
		{"Lead", 4, 4, 0, 0, 0},
		{"MQL", 3, 1, 2, 3, 2 * d}, // times 2d, 3d, 0
		{"SQL", 3, 2, 1, 3, 0},     // times 3d, 0, 0
		{"Won", 1, 1, 0, 1, 0},
	}
	for k, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := r.Stages[k]
			assert.Equal(t, tc.name, s.Stage)
			assert.Equal(t, tc.reached, s.Reached)
			assert.Equal(t, tc.entered, s.Entered)
			assert.Equal(t, tc.skipped, s.Skipped)
			assert.Equal(t, tc.n, s.Time.N)
			assert.Equal(t, tc.median, s.Time.Median)
		})
	}
	assert.Equal(t, funnel.Reach{Stages: r.Stages, Entities: 4, Skipped: 2, Backward: 1, Duplicates: 1, OutOfOrder: 1}, *r)
}

func TestHistoryAddErrors(t *testing.T) {
	l := mustLifecycle(t, "Lead", "MQL")
	tests := []struct {
		name string
		e    funnel.Entry
		want string
	}{
		{"empty entity", funnel.Entry{Stage: "Lead", Time: onDay(1)}, `funnel.History.Add: entry entity "": empty entity`},
		{"unknown stage", funnel.Entry{Entity: "a", Stage: "Other", Time: onDay(1)}, `funnel.History.Add: entry stage "Other": not in the lifecycle`},
		{"zero time", funnel.Entry{Entity: "a", Stage: "Lead"}, "funnel.History.Add: entry time 0001-01-01 00:00:00 +0000 UTC: zero time"},
		{"year 9999", funnel.Entry{Entity: "a", Stage: "Lead", Time: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}, "funnel.History.Add: entry time 9999-01-01T00:00:00Z: outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := funnel.NewHistory(l)
			require.NoError(t, err)
			err = h.Add(tc.e)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.want)
			r, _ := h.Reach()
			assert.Zero(t, r.Entities, "a failed entry leaves the History as it was")
		})
	}
}

func TestHistoryAddAll(t *testing.T) {
	l := mustLifecycle(t, "Lead", "MQL", "SQL", "Won")
	tests := []struct {
		name     string
		entries  []funnel.Entry
		entities int64
		err      string
	}{
		{"all", scenario(), 4, ""},
		{"nil", nil, 0, ""},
		{"stops at the bad one", []funnel.Entry{{"a", "Lead", onDay(1)}, {"b", "Churned", onDay(2)}, {"c", "Lead", onDay(3)}}, 1,
			`funnel.History.AddAll: entries[1] stage "Churned": not in the lifecycle`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := funnel.NewHistory(l)
			require.NoError(t, err)
			var seq func(func(funnel.Entry) bool)
			if tc.entries != nil {
				seq = slices.Values(tc.entries)
			}
			err = h.AddAll(seq)
			if tc.err != "" {
				assert.EqualError(t, err, tc.err)
			} else {
				assert.NoError(t, err)
			}
			r, _ := h.Reach()
			assert.Equal(t, tc.entities, r.Entities)
		})
	}
}

func TestHistoryMerge(t *testing.T) {
	l := mustLifecycle(t, "Lead", "MQL", "SQL", "Won")
	all, err := funnel.NewHistory(l)
	require.NoError(t, err)
	require.NoError(t, all.AddAll(slices.Values(scenario())))
	want, _ := all.Reach()
	tests := []struct {
		name  string
		split func(i int, e funnel.Entry) bool // true: first part
	}{
		{"by entity", func(_ int, e funnel.Entry) bool { return e.Entity < "c" }},
		{"by row", func(i int, _ funnel.Entry) bool { return i%2 == 0 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, _ := funnel.NewHistory(l)
			b, _ := funnel.NewHistory(mustLifecycle(t, "Lead", "MQL", "SQL", "Won"))
			for i, e := range scenario() {
				if tc.split(i, e) {
					require.NoError(t, a.Add(e))
				} else {
					require.NoError(t, b.Add(e))
				}
			}
			before, _ := b.Reach()
			require.NoError(t, a.Merge(b))
			got, _ := a.Reach()
			assert.Equal(t, want.Stages, got.Stages)
			assert.Equal(t, want.Entities, got.Entities)
			assert.Equal(t, want.Skipped, got.Skipped)
			assert.Equal(t, want.Backward, got.Backward)
			after, _ := b.Reach()
			assert.Equal(t, before, after, "Merge leaves o unchanged")
		})
	}
}

func TestHistoryMergeErrors(t *testing.T) {
	h, _ := funnel.NewHistory(mustLifecycle(t, "Lead", "MQL"))
	other, _ := funnel.NewHistory(mustLifecycle(t, "Lead", "SQL"))
	tests := []struct {
		name string
		h, o *funnel.History
		want string
	}{
		{"zero", &funnel.History{}, h, "funnel.History.Merge: History zero value: use funnel.NewHistory"},
		{"nil", h, nil, "funnel.History.Merge: o zero History: use funnel.NewHistory"},
		{"self", h, h, "merging a History with itself"},
		{"other lifecycle", h, other, `funnel.History.Merge: o ["Lead" "SQL"]: another lifecycle than ["Lead" "MQL"]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.h.Merge(tc.o)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestNewHistoryErrors(t *testing.T) {
	tests := []struct {
		name string
		l    *funnel.Lifecycle
	}{{"nil", nil}, {"zero", &funnel.Lifecycle{}}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := funnel.NewHistory(tc.l)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, "funnel.NewHistory: l no stages: use funnel.NewLifecycle")
		})
	}
}

func TestReachFunnel(t *testing.T) {
	l := mustLifecycle(t, "Lead", "MQL", "SQL", "Won")
	h, _ := funnel.NewHistory(l)
	require.NoError(t, h.AddAll(slices.Values(scenario())))
	r, _ := h.Reach()
	tests := []struct {
		name string
		r    *funnel.Reach
		want []funnel.Stage
		err  string
	}{
		{"scenario", r, []funnel.Stage{{Name: "Lead", Count: 4}, {Name: "MQL", Count: 3}, {Name: "SQL", Count: 3}, {Name: "Won", Count: 1}}, ""},
		{"zero", &funnel.Reach{}, nil, "funnel.Reach.Funnel: stages 0: a funnel needs at least two stages"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := tc.r.Funnel()
			if tc.err != "" {
				assert.EqualError(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, f.Stages())
		})
	}
}

func TestHistoryEvents(t *testing.T) {
	l := mustLifecycle(t, "Lead", "MQL", "SQL", "Won")
	h, _ := funnel.NewHistory(l)
	require.NoError(t, h.AddAll(slices.Values(scenario())))
	var got []funnel.Event
	for e := range h.Events() {
		got = append(got, e)
	}
	require.Len(t, got, 11) // 3 + 3 + 4 + 1 stages reached
	r, _ := h.Reach()
	tests := []struct {
		name   string
		window time.Duration
		counts []int64
	}{
		{"a long window gives Reach's counts", 365 * 24 * time.Hour, []int64{r.Stages[0].Reached, r.Stages[1].Reached, r.Stages[2].Reached, r.Stages[3].Reached}},
		{"four days", 4 * 24 * time.Hour, []int64{4, 3, 2, 1}}, // a's SQL comes 5 days after its lead
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := funnel.NewCounter(l.Definition(tc.window))
			require.NoError(t, err)
			require.NoError(t, c.AddAll(h.Events()))
			res, err := c.Result()
			require.NoError(t, err)
			for k, s := range res.Steps {
				assert.Equal(t, tc.counts[k], s.Reached, s.Step)
			}
		})
	}
	n := 0
	for range h.Events() {
		n++
		break
	}
	assert.Equal(t, 1, n, "the sequence stops when asked")
	assert.Equal(t, funnel.Event{Entity: "b", Name: "MQL", Time: onDay(5)}, got[4], "b passed MQL when it became an SQL")
}

func TestLifecycleDefinition(t *testing.T) {
	tests := []struct {
		name  string
		l     *funnel.Lifecycle
		steps int
	}{{"two", mustLifecycle(t, "a", "b"), 2}, {"HubSpot", funnel.HubSpotLifecycle(), 7}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.l.Definition(time.Hour)
			assert.Len(t, d.Steps, tc.steps)
			assert.Equal(t, time.Hour, d.Window)
			assert.Equal(t, tc.l.Stages()[0], d.Steps[0].Event)
		})
	}
}

func TestLifecycleStagesCopy(t *testing.T) {
	l := mustLifecycle(t, "a", "b")
	tests := []struct{ name string }{{"first"}, {"second"}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := l.Stages()
			s[0] = "changed"
			assert.Equal(t, []string{"a", "b"}, l.Stages())
		})
	}
}

func TestHistoryZero(t *testing.T) {
	var h funnel.History
	tests := []struct {
		name string
		err  error
	}{
		{"Add", h.Add(funnel.Entry{})},
		{"AddAll", h.AddAll(nil)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.ErrorIs(t, tc.err, kpi.ErrInvalid)
			assert.ErrorContains(t, tc.err, "History zero value: use funnel.NewHistory")
		})
	}
	_, err := h.Reach()
	assert.ErrorIs(t, err, kpi.ErrInvalid)
	assert.Empty(t, slices.Collect(h.Events()))
	_ = strings.TrimSpace
}
