package scoring_test

import (
	"fmt"
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/scoring"
)

// TestDryRun compares two one-rule models on leads with known points: the
// "before" model gives 10 to leads with attribute a, the "after" model
// gives 10·k to a lead whose attribute a is k; MQL at 20 in both.
func TestDryRun(t *testing.T) {
	model := func(when scoring.Condition, pts float64) *scoring.Scorer {
		s, err := scoring.Compile(scoring.Model{Version: 1, MQL: &scoring.MQL{MinTotal: fp(20)},
			Groups: []scoring.Group{{Name: "g", Rules: []scoring.Rule{{ID: "r", Points: pts, When: &when}}}}})
		require.NoError(t, err)
		return s
	}
	// before: 25 for a ≥ 2; after: 25 for a ≥ 3, so leads with a = 2 lose MQL.
	before := model(scoring.Condition{Attr: "a", Op: scoring.Gte, Value: 2}, 25)
	after := model(scoring.Condition{Attr: "a", Op: scoring.Gte, Value: 3}, 25)
	lead := func(id string, a int) scoring.Lead { return scoring.Lead{ID: id, Attrs: map[string]any{"a": a}} }
	leads := []scoring.Lead{lead("x", 1), lead("y", 2), lead("z", 3), lead("w", 2), {ID: "none"}}
	rows := []struct {
		name      string
		before    *scoring.Scorer
		after     *scoring.Scorer
		top       int
		mqlBefore int64
		mqlAfter  int64
		changed   int64
		gained    []string
		lost      []string
		largest   []string
	}{
		{"tightened", before, after, 5, 3, 1, 2, nil, []string{"y", "w"}, []string{"y", "w"}},
		{"loosened", after, before, 1, 1, 3, 2, []string{"y", "w"}, nil, []string{"y"}},
		{"same model", before, before, 3, 3, 3, 0, nil, nil, nil},
		{"no largest list", before, after, 0, 3, 1, 2, nil, []string{"y", "w"}, nil},
	}
	ids := func(cs []scoring.Change) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := scoring.DryRun(tc.before, tc.after, slices.Values(leads), at, tc.top)
			require.NoError(t, err)
			assert.Equal(t, int64(5), rep.Leads)
			assert.Equal(t, tc.mqlBefore, rep.MQLBefore)
			assert.Equal(t, tc.mqlAfter, rep.MQLAfter)
			assert.Equal(t, tc.changed, rep.Changed)
			assert.Equal(t, tc.gained, ids(rep.Gained))
			assert.Equal(t, tc.lost, ids(rep.Lost))
			assert.Equal(t, tc.largest, ids(rep.Largest))
		})
	}
}

// TestDryRunLargest checks the ranking of changes: by |Δ| descending, ties
// in input order, at most top. Lead i has a = i and the after model adds
// a·(−1)^a points, so |Δ| = a.
func TestDryRunLargest(t *testing.T) {
	before, err := scoring.Compile(scoring.Model{Version: 1, Groups: []scoring.Group{{Name: "g"}}})
	require.NoError(t, err)
	var rules []scoring.Rule
	for a := 1; a <= 6; a++ {
		pts := float64(a)
		if a%2 == 1 {
			pts = -pts
		}
		rules = append(rules, scoring.Rule{ID: fmt.Sprint(a), Points: pts, When: &scoring.Condition{Attr: "a", Op: scoring.Eq, Value: a}})
	}
	after, err := scoring.Compile(scoring.Model{Version: 1, Groups: []scoring.Group{{Name: "g", Rules: rules}}})
	require.NoError(t, err)
	rows := []struct {
		name   string
		values []int // a of each lead; nil for 3, 6, 1, 6, 0, 5, 2, 3
		top    int
		want   []int64 // indices
	}{
		{"top 3", nil, 3, []int64{1, 3, 5}},
		{"top 5: ties in input order", nil, 5, []int64{1, 3, 5, 0, 7}},
		{"all changed", nil, 10, []int64{1, 3, 5, 0, 7, 6, 2}},
		// probe-csc: changes that grow lead after lead were each inserted
		// at the front of a sorted slice, O(top) a lead: 40 000 of them
		// at top 40 000 took 4 s, ×90 for ×4 the leads. Now a heap.
		{"growing changes", []int{1, 2, 3, 4, 5, 6}, 6, []int64{5, 4, 3, 2, 1, 0}},
		{"growing changes, top 4", []int{1, 2, 3, 4, 5, 6}, 4, []int64{5, 4, 3, 2}},
		{"shrinking changes with ties, top 3", []int{6, 6, 5, 5, 4, 0, 6}, 3, []int64{0, 1, 6}},
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			values := tc.values
			if values == nil {
				values = []int{3, 6, 1, 6, 0, 5, 2, 3}
			}
			seq := func(yield func(scoring.Lead) bool) {
				for _, a := range values {
					if !yield(scoring.Lead{Attrs: map[string]any{"a": a}}) {
						return
					}
				}
			}
			rep, err := scoring.DryRun(before, after, iter.Seq[scoring.Lead](seq), at, tc.top)
			require.NoError(t, err)
			var got []int64
			for _, c := range rep.Largest {
				got = append(got, c.Index)
				assert.Equal(t, 0.0, c.Before)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestDryRunErrors checks the argument errors.
func TestDryRunErrors(t *testing.T) {
	s := demoScorer()
	rows := []struct {
		name          string
		before, after *scoring.Scorer
		top           int
		want          string
	}{
		{"nil before", nil, s, 1, "scoring.DryRun: before <nil>: no scorer"},
		{"nil after", s, nil, 1, "scoring.DryRun: after <nil>: no scorer"},
		{"negative top", s, s, -1, "scoring.DryRun: top -1: negative"},
		{"year 3000", s, s, 1, "scoring.DryRun: at 3000-01-01T00:00:00Z: outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)"},
		{"year 1", s, s, 1, "scoring.DryRun: at 0001-01-01T00:00:01Z: outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)"},
	}
	when := map[string]time.Time{"year 3000": time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), "year 1": time.Time{}.Add(time.Second)}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			w, ok := when[tc.name]
			if !ok {
				w = at
			}
			rep, err := scoring.DryRun(tc.before, tc.after, slices.Values([]scoring.Lead{ana}), w, tc.top)
			assert.Nil(t, rep)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.want)
		})
	}
}

// TestReportString checks the summary, including the cut after ten leads
// and leads without IDs.
func TestReportString(t *testing.T) {
	many := make([]scoring.Change, 12)
	for i := range many {
		many[i] = scoring.Change{Index: int64(i), Before: 10, After: 30, AfterMQL: true}
	}
	rows := []struct {
		name string
		rep  *scoring.Report
		want string
	}{
		{"empty", &scoring.Report{}, "0 leads, 0 scores changed; MQLs 0 → 0 (+0 gained, -0 lost)"},
		{"many gained", &scoring.Report{Leads: 12, Changed: 12, MQLAfter: 12, Gained: many, Largest: many[:1]},
			"12 leads, 12 scores changed; MQLs 0 → 12 (+12 gained, -0 lost)\n" +
				"gained: #0 (10 → 30), #1 (10 → 30), #2 (10 → 30), #3 (10 → 30), #4 (10 → 30), #5 (10 → 30), #6 (10 → 30), #7 (10 → 30), #8 (10 → 30), #9 (10 → 30) … and 2 more\n" +
				"largest changes: #0 +20 (10 → 30)"},
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.rep.String())
		})
	}
}
