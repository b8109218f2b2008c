package scoring_test

import (
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/benchmem"
	"github.com/kpiflow/kpi/scoring"
)

// TestModelJSONAllocsLinear holds issue 13's probe of the strict model
// decoder (20 rules nested 9 990 nots deep took 4.2 s and 620 MB, the
// path of every level written out as a string): decoding a model 10 times
// larger allocates at most benchmem.LinearBound times as much, in count and in
// bytes, whether it has more rules or deeper nots (one rule 300 and 3 000
// nots deep; BenchmarkModelJSONSize runs 9 990, near the 10 000 levels
// encoding/json decodes, too slow for this test under the race detector).
// With the path written out at every level again, the deep row's bytes
// grow ×55.
func TestModelJSONAllocsLinear(t *testing.T) {
	for _, tc := range []struct {
		name         string
		rules, depth int // at n; rules or depth is 10 times larger at 10n
		deep         bool
	}{
		{"rules", 200, 1, false},
		{"nots", 1, 300, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			benchmem.AssertLinear(t, 1, func(scale int) func() {
				rules, depth := tc.rules*scale, tc.depth
				if tc.deep {
					rules, depth = tc.rules, tc.depth*scale
				}
				data := modelJSON(rules, depth)
				return func() {
					var m scoring.Model
					if err := json.Unmarshal(data, &m); err != nil || len(m.Groups[0].Rules) != rules {
						t.Fatal(err)
					}
				}
			})
		})
	}
}

// TestLearnAllocsLinear holds the size of Learn's input: 10 times the
// leads, on 20 rules, allocate at most benchmem.LinearBound times as much, in count
// and in bytes. The leads are made before the measure, so that only
// Learn's own cost counts.
func TestLearnAllocsLinear(t *testing.T) {
	const rules = 20
	s := ruleScorer(t, rules)
	benchmem.AssertLinear(t, 1, func(scale int) func() {
		leads := ruleLeads(rules, 500*scale, -1)
		return func() {
			f, err := scoring.Learn(s, func(yield func(scoring.Outcome) bool) {
				for _, o := range leads {
					if !yield(o) {
						return
					}
				}
			}, 1e-3)
			if err != nil || f.Leads != int64(len(leads)) {
				t.Fatal(err)
			}
		}
	})
}

// TestLearnDuplicateCheckAllocsLinear holds issue 13's probe of Learn's
// check for duplicated rules (it compared bit columns rule by rule, rules
// × fired entries): with 10 times the rules, over the same 200 leads, the
// check allocates at most benchmem.LinearBound times as much, in count and in
// bytes. The last rule fires exactly when the first does, so Learn stops
// at the check, with its error, before the fit, whose Gram matrix and
// eigendecomposition cost the square and the cube of the rules.
//
// The old check was quadratic in time but not in allocation (it reused
// one bit column), so this test would not have caught it; it holds the
// allocations of the new one, which transposes the fired entries once.
func TestLearnDuplicateCheckAllocsLinear(t *testing.T) {
	const leads = 200
	benchmem.AssertLinear(t, 1, func(scale int) func() {
		rules := 20 * scale
		s := ruleScorer(t, rules)
		outcomes := ruleLeads(rules, leads, 0)
		want := "rule r" + strconv.Itoa(rules-1)
		return func() {
			_, err := scoring.Learn(s, func(yield func(scoring.Outcome) bool) {
				for _, o := range outcomes {
					if !yield(o) {
						return
					}
				}
			}, 1e-3)
			if !assert.ErrorIs(t, err, kpi.ErrInvalid) || !assert.ErrorContains(t, err, want) {
				t.FailNow()
			}
		}
	})
}

// ruleScorer compiles a model of rules rules: rule rj adds 1 point when
// attribute rj is true.
func ruleScorer(t *testing.T, rules int) *scoring.Scorer {
	t.Helper()
	rs := make([]scoring.Rule, rules)
	for j := range rs {
		name := "r" + strconv.Itoa(j)
		rs[j] = scoring.Rule{ID: name, Points: 1, When: &scoring.Condition{Attr: name, Op: scoring.Eq, Value: true}}
	}
	s, err := scoring.Compile(scoring.Model{Version: scoring.Version, Groups: []scoring.Group{{Name: "g", Rules: rs}}})
	require.NoError(t, err)
	return s
}

// ruleLeads returns n leads at benchAt whose attributes r0 … r(rules−1)
// are true at random with probability 0.3, and which convert with
// probability 0.2. When copy ≥ 0, the last rule's attribute is that of
// rule copy.
func ruleLeads(rules, n, copy int) []scoring.Outcome {
	rng := rand.New(rand.NewPCG(3, 5))
	out := make([]scoring.Outcome, n)
	for i := range out {
		attrs := make(map[string]any, rules)
		for j := range rules {
			attrs["r"+strconv.Itoa(j)] = rng.Float64() < 0.3
		}
		if copy >= 0 {
			attrs["r"+strconv.Itoa(rules-1)] = attrs["r"+strconv.Itoa(copy)]
		}
		out[i] = scoring.Outcome{Lead: scoring.Lead{Attrs: attrs}, At: benchAt, Converted: rng.Float64() < 0.2}
	}
	return out
}
