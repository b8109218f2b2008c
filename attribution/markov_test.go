package attribution_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
)

// chainData is a two-channel chain solved on paper:
//
//	a > b   1 conversion (10.00), 1 null
//	a       1 conversion (5.00)
//	b       2 nulls
//
// Order 1. Transitions: start→a 3, start→b 2, a→b 2, a→conv 1, b→conv 1,
// b→null 3. With x the probability of converting from a state,
//
//	x_b = 1/4
//	x_a = 2/3·x_b + 1/3 = 1/2
//	P   = 3/5·x_a + 2/5·x_b = 2/5   (= 2 conversions / 5 journeys)
//
// Without a: P = 2/5·1/4 = 1/10, RE_a = 1 − (1/10)/(2/5) = 3/4.
// Without b: x_a = 1/3, P = 3/5·1/3 = 1/5, RE_b = 1/2.
// Credits ∝ 3/4 : 1/2 = 3 : 2: a 1.2, b 0.8 conversions; 9.00 and 6.00.
//
// Order 2. States (a), (b), (a b): start→(a) 3, start→(b) 2, (a)→(a b) 2,
// (a)→conv 1, (a b)→conv 1, (a b)→null 1, (b)→null 2.
//
//	x_(a b) = 1/2, x_(a) = 2/3·1/2 + 1/3 = 2/3, x_(b) = 0, P = 3/5·2/3 = 2/5
//
// Without a, (a) and (a b) are dead ends: P = 0, RE_a = 1. Without b,
// (b) and (a b) are: x_(a) = 1/3, P = 1/5, RE_b = 1/2. Credits ∝ 2 : 1:
// a 4/3, b 2/3; 10.00 and 5.00.
const chainData = `path;total_conversions;total_conversion_value;total_null
a > b;1;10.00;1
a;1;5.00;0
b;0;0;2
`

func TestMarkov(t *testing.T) {
	cases := []struct {
		name    string
		data    string
		order   int
		removal map[string]float64
		want    map[string]credit
	}{
		{"order 1", chainData, 1, map[string]float64{"a": 0.75, "b": 0.5}, map[string]credit{"a": {1.2, "9.00"}, "b": {0.8, "6.00"}}},
		{"zero order is 1", chainData, 0, map[string]float64{"a": 0.75, "b": 0.5}, map[string]credit{"a": {1.2, "9.00"}, "b": {0.8, "6.00"}}},
		// Repeats in a row merge: a > a > b is a > b.
		{"repeats merged", strings.Replace(chainData, "a > b;", "a > a > b > b;", 1), 1, map[string]float64{"a": 0.75, "b": 0.5}, map[string]credit{"a": {1.2, "9.00"}, "b": {0.8, "6.00"}}},
		{"order 2", chainData, 2, map[string]float64{"a": 1, "b": 0.5}, map[string]credit{"a": {4.0 / 3, "10.00"}, "b": {2.0 / 3, "5.00"}}},
		// A single channel carries everything.
		{"one channel", "path;total_conversions;total_null\nx;3;7\n", 1, map[string]float64{"x": 1}, map[string]credit{"x": {3, "0"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			js := read(t, c.data)
			r, err := attribution.Markov{Order: c.order}.Attribute(js)
			require.NoError(t, err)
			checkInvariants(t, js, r)
			assertCredits(t, r, c.want)
			assert.InDelta(t, float64(js.Conversions())/float64(js.Conversions()+js.Nulls()), r.Conversion, 1e-15)
			for _, cr := range r.Credits {
				assert.InDelta(t, c.removal[cr.Channel], cr.Removal, 1e-12, cr.Channel)
			}
		})
	}
}

// loops makes journeys whose chain has more states than the LU limit, so
// that the sweeps run: paths over 12 channels, order 2.
func loops(t testing.TB, n int) *attribution.Journeys {
	var js attribution.Journeys
	for i := range n {
		var touches []string
		for k := range 2 + i%7 {
			touches = append(touches, string(rune('a'+(i*(k+3)+k*k)%12)))
		}
		j := journey(touches...)
		j.Conversions = int64(i % 3)
		if j.Conversions == 0 {
			j.Value = j.Value.Sub(j.Value)
		}
		j.Nulls = int64(1 + i%5)
		require.NoError(t, js.Add(j))
	}
	return &js
}

// TestMarkovLarge checks the iterative solver against the identity that
// the chain's conversion probability is the share of journeys converting
// (flow conservation: every journey enters at start and leaves once), and
// against the LU solver on a chain both can solve.
func TestMarkovLarge(t *testing.T) {
	js := loops(t, 600)
	cases := []struct {
		name  string
		order int
	}{{"order 2", 2}, {"order 3", 3}, {"order 5", 5}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := attribution.Markov{Order: c.order}.Attribute(js)
			require.NoError(t, err)
			checkInvariants(t, js, r)
			assert.InDelta(t, float64(js.Conversions())/float64(js.Conversions()+js.Nulls()), r.Conversion, 1e-12)
		})
	}
}

func TestNewChain(t *testing.T) {
	cases := []struct {
		name  string
		order int
		err   bool
	}{{"one", 1, false}, {"four", 4, false}, {"zero", 0, true}, {"negative", -2, true}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ch, err := attribution.NewChain(c.order)
			if c.err {
				assert.ErrorIs(t, err, kpi.ErrInvalid)
				assert.Nil(t, ch)
				return
			}
			require.NoError(t, err)
			assert.Empty(t, ch.Transitions())
		})
	}
}

// TestChainMerge checks that counting partitions and merging them gives
// the same chain as counting everything at once.
func TestChainMerge(t *testing.T) {
	all := read(t, sample)
	lines := strings.Split(strings.TrimSpace(sample), "\n")
	header := lines[0] + "\n"
	cases := []struct {
		name  string
		split int
		order int
	}{{"first line", 1, 1}, {"halves", 3, 1}, {"halves order 2", 3, 2}, {"empty first", 0, 2}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := attribution.Markov{Order: c.order}
			whole, err := m.Chain(all)
			require.NoError(t, err)
			a, err := m.Chain(read(t, header+strings.Join(lines[1:1+c.split], "\n")))
			require.NoError(t, err)
			b, err := m.Chain(read(t, header+strings.Join(lines[1+c.split:], "\n")))
			require.NoError(t, err)
			require.NoError(t, a.Merge(b))
			assert.Equal(t, whole.Transitions(), a.Transitions())
			rw, err := whole.Result()
			require.NoError(t, err)
			ra, err := a.Result()
			require.NoError(t, err)
			for k := range rw.Credits {
				assert.InDelta(t, rw.Credits[k].Conversions, ra.Credits[k].Conversions, 1e-12)
				assert.True(t, rw.Credits[k].Value.Equal(ra.Credits[k].Value))
			}
		})
	}
}

func TestChainErrors(t *testing.T) {
	one, _ := attribution.NewChain(1)
	two, _ := attribution.NewChain(2)
	empty, _ := attribution.NewChain(1)
	big := read(t, "path;total_conversions;total_null\na > b > a > b;4611686018427387903;4611686018427387903\n")
	cases := []struct {
		name string
		run  func() error
		want string
	}{
		{"merge orders", func() error { return one.Merge(two) }, "attribution.Chain.Merge: o order 2: differs from 1"},
		{"merge self", func() error { return one.Merge(one) }, "merging a Chain with itself"},
		{"merge nil", func() error { return one.Merge(nil) }, "attribution.Chain.Merge: o <nil>: nil Chain"},
		{"merge zero", func() error { return one.Merge(&attribution.Chain{}) }, "attribution.Chain.Merge: o Chain zero value: use attribution.NewChain"},
		{"zero add", func() error { return new(attribution.Chain).Add(attribution.Journey{}) }, "attribution.Chain.Add: Chain zero value: use attribution.NewChain"},
		{"result empty", func() error { _, err := empty.Result(); return err }, "attribution.Chain.Result: conversions 0: no conversions"},
		{"add overflow", func() error { _, err := attribution.Markov{}.Chain(big); return err }, "attribution.Markov.Chain: journey 0 conversions + nulls 9223372036854775806: a transition count overflows int64"},
		{"attribute order", func() error { _, err := attribution.Markov{Order: -1}.Attribute(big); return err }, "attribution.Markov.Attribute: Order -1: must be ≥ 0"},
		{"merge overflow", func() error {
			c := read(t, "path;total_conversions;total_null\na > b;1;4611686018427387903\n")
			a, _ := attribution.Markov{}.Chain(c)
			b, _ := attribution.Markov{}.Chain(c)
			return a.Merge(b)
		}, "attribution.Chain.Merge: o transition (start) → a 4611686018427387904: with count 4611686018427387904 overflows int64"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.run()
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

// TestChainTransitions checks the counts of chainData worked out in its
// comment.
func TestChainTransitions(t *testing.T) {
	cases := []struct {
		name  string
		order int
		want  []attribution.Transition
	}{
		{"order 1", 1, []attribution.Transition{
			{"(start)", "a", 3, 0.6}, {"(start)", "b", 2, 0.4},
			{"a", "(conversion)", 1, 1.0 / 3}, {"a", "b", 2, 2.0 / 3},
			{"b", "(conversion)", 1, 0.25}, {"b", "(null)", 3, 0.75},
		}},
		{"order 2", 2, []attribution.Transition{
			{"(start)", "a", 3, 0.6}, {"(start)", "b", 2, 0.4},
			{"a", "(conversion)", 1, 1.0 / 3}, {"a", "a > b", 2, 2.0 / 3},
			{"a > b", "(conversion)", 1, 0.5}, {"a > b", "(null)", 1, 0.5},
			{"b", "(null)", 2, 1},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ch, err := attribution.Markov{Order: c.order}.Chain(read(t, chainData))
			require.NoError(t, err)
			got := ch.Transitions()
			require.Len(t, got, len(c.want))
			for k := range got {
				assert.Equal(t, c.want[k].From, got[k].From)
				assert.Equal(t, c.want[k].To, got[k].To)
				assert.Equal(t, c.want[k].Count, got[k].Count)
				assert.InDelta(t, c.want[k].Probability, got[k].Probability, 1e-15)
			}
		})
	}
}
