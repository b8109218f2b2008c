package attribution_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi/attribution"
)

// randomJourneys returns n journeys over a few channels, with repeats,
// values at two decimal places and some without conversions.
func randomJourneys(rng *rand.Rand, n int) []attribution.Journey {
	names := []string{"search", "email", "social", "direct", "webinar"}
	out := make([]attribution.Journey, n)
	for i := range out {
		touches := make([]attribution.Touch, 1+rng.IntN(5))
		for k := range touches {
			touches[k] = attribution.Touch{Channel: names[rng.IntN(len(names))]}
		}
		j := attribution.Journey{Touches: touches, Nulls: rng.Int64N(4)}
		if rng.IntN(3) > 0 {
			j.Conversions = 1 + rng.Int64N(3)
			j.Value = decimal.New(rng.Int64N(100000), -2)
		}
		out[i] = j
	}
	return out
}

// split cuts js into k random parts, some of them empty, each shuffled.
func split(rng *rand.Rand, js []attribution.Journey, k int) [][]attribution.Journey {
	parts := make([][]attribution.Journey, k)
	for _, j := range js {
		p := rng.IntN(k)
		parts[p] = append(parts[p], j)
	}
	for _, p := range parts {
		rng.Shuffle(len(p), func(a, b int) { p[a], p[b] = p[b], p[a] })
	}
	return parts
}

// TestJourneysSplitMerge checks the accumulator contract of Journeys: any
// split of the journeys, added in any order and merged in any order, gives
// the same totals, channels and chain as adding them all to one.
func TestJourneysSplitMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 1))
	for trial := range 40 {
		all := randomJourneys(rng, 1+rng.IntN(60))
		var whole attribution.Journeys
		require.NoError(t, whole.AddAll(slices.Values(all)))
		parts := split(rng, all, 1+rng.IntN(5))
		accs := make([]*attribution.Journeys, len(parts))
		for i, p := range parts {
			accs[i] = &attribution.Journeys{}
			require.NoError(t, accs[i].AddAll(slices.Values(p)))
		}
		rng.Shuffle(len(accs), func(a, b int) { accs[a], accs[b] = accs[b], accs[a] })
		got := accs[0]
		for _, o := range accs[1:] {
			n := o.Len()
			require.NoError(t, got.Merge(o))
			assert.Equal(t, n, o.Len(), "Merge leaves o unchanged")
		}
		assert.Equal(t, whole.Len(), got.Len(), "trial %d", trial)
		assert.Equal(t, whole.Channels(), got.Channels())
		assert.Equal(t, whole.Conversions(), got.Conversions())
		assert.Equal(t, whole.Nulls(), got.Nulls())
		assert.True(t, whole.Value().Equal(got.Value()))
		cw, err := attribution.Markov{Order: 2}.Chain(&whole)
		require.NoError(t, err)
		cg, err := attribution.Markov{Order: 2}.Chain(got)
		require.NoError(t, err)
		assert.Equal(t, cw.Transitions(), cg.Transitions())
	}
}

// TestChainSplitMerge checks the accumulator contract of Chain the same
// way: the transition counts are integers, so they must agree exactly.
func TestChainSplitMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 2))
	for trial := range 40 {
		order := 1 + rng.IntN(3)
		all := randomJourneys(rng, 1+rng.IntN(60))
		whole, err := attribution.NewChain(order)
		require.NoError(t, err)
		require.NoError(t, whole.AddAll(slices.Values(all)))
		parts := split(rng, all, 1+rng.IntN(5))
		accs := make([]*attribution.Chain, len(parts))
		for i, p := range parts {
			accs[i], _ = attribution.NewChain(order)
			for _, j := range p {
				require.NoError(t, accs[i].Add(j))
			}
		}
		rng.Shuffle(len(accs), func(a, b int) { accs[a], accs[b] = accs[b], accs[a] })
		got := accs[0]
		for _, o := range accs[1:] {
			before := o.Transitions()
			require.NoError(t, got.Merge(o))
			assert.Equal(t, before, o.Transitions(), "Merge leaves o unchanged")
		}
		assert.Equal(t, whole.Transitions(), got.Transitions(), "trial %d", trial)
		rw, errW := whole.Result()
		rg, errG := got.Result()
		if errW != nil {
			assert.Equal(t, errW.Error(), errG.Error())
			continue
		}
		require.NoError(t, errG)
		assert.Equal(t, rw.Conversions, rg.Conversions)
		assert.True(t, rw.Value.Equal(rg.Value))
		require.Len(t, rg.Credits, len(rw.Credits))
		for k := range rw.Credits {
			assert.Equal(t, rw.Credits[k].Channel, rg.Credits[k].Channel)
			assert.InDelta(t, rw.Credits[k].Conversions, rg.Credits[k].Conversions, 1e-9)
		}
	}
}

// TestChainAdd counts single journeys; the expected counts are read off
// the paths by hand: search > search > email merges to search > email.
func TestChainAdd(t *testing.T) {
	tests := []struct {
		name string
		j    attribution.Journey
		want []attribution.Transition
	}{
		{"repeats merge", attribution.Journey{Touches: touches("search", "search", "email"), Conversions: 1, Nulls: 1}, []attribution.Transition{
			{"(start)", "search", 2, 1}, {"email", "(conversion)", 1, 0.5}, {"email", "(null)", 1, 0.5}, {"search", "email", 2, 1},
		}},
		{"single touch", attribution.Journey{Touches: touches("email"), Nulls: 3}, []attribution.Transition{
			{"(start)", "email", 3, 1}, {"email", "(null)", 3, 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := attribution.NewChain(1)
			require.NoError(t, err)
			require.NoError(t, c.Add(tt.j))
			assert.Equal(t, tt.want, c.Transitions())
		})
	}
}

// TestChainAddAll counts streams; a bad journey stops the stream and is
// not counted, those before it are.
func TestChainAddAll(t *testing.T) {
	tests := []struct {
		name string
		js   []attribution.Journey
		want []attribution.Transition
		err  string
	}{
		{"two journeys", []attribution.Journey{
			{Touches: touches("a", "b"), Conversions: 1},
			{Touches: touches("a"), Nulls: 1},
		}, []attribution.Transition{
			// out of a: 1 to b, 1 to null; out of b: 1 to conversion.
			{"(start)", "a", 2, 1}, {"a", "(null)", 1, 0.5}, {"a", "b", 1, 0.5}, {"b", "(conversion)", 1, 1},
		}, ""},
		{"stops at a bad one", []attribution.Journey{
			{Touches: touches("a"), Conversions: 1},
			{Touches: touches("b"), Conversions: -1},
		}, []attribution.Transition{{"(start)", "a", 1, 1}, {"a", "(conversion)", 1, 1}},
			"attribution.Chain.Add: journey 1 conversions -1: negative count"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := attribution.NewChain(1)
			require.NoError(t, err)
			err = c.AddAll(slices.Values(tt.js))
			if tt.err != "" {
				assert.EqualError(t, err, tt.err)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tt.want, c.Transitions())
		})
	}
}

// TestChainResult reads out chains twice: reading does not change them.
// Order 1, a > b converting once and b alone failing once: P(start → a) =
// 1/2, a → b → conversion with probability 1/2 from b, so P = 1/2·1/2 +
// 1/2·1/2 = 1/2; removing a leaves 1/4 (RE 1/2), removing b leaves 0 (RE 1).
func TestChainResult(t *testing.T) {
	tests := []struct {
		name    string
		order   int
		p       float64
		removal map[string]float64
	}{
		{"order 1", 1, 0.5, map[string]float64{"a": 0.5, "b": 1}},
		// Order 2: states a, a > b, b; removing a kills a and a > b,
		// leaving b's 0 conversions: RE 1; removing b: RE 1.
		{"order 2", 2, 0.5, map[string]float64{"a": 1, "b": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := attribution.NewChain(tt.order)
			require.NoError(t, err)
			require.NoError(t, c.Add(attribution.Journey{Touches: touches("a", "b"), Conversions: 1}))
			require.NoError(t, c.Add(attribution.Journey{Touches: touches("b"), Nulls: 1}))
			for range 2 {
				r, err := c.Result()
				require.NoError(t, err)
				assert.InDelta(t, tt.p, r.Conversion, 1e-12)
				for _, cr := range r.Credits {
					assert.InDelta(t, tt.removal[cr.Channel], cr.Removal, 1e-12, cr.Channel)
				}
			}
		})
	}
}

// TestMarkovChain builds the chains of chainData; their transitions are
// worked out in TestChainTransitions, here only their number and errors.
func TestMarkovChain(t *testing.T) {
	tests := []struct {
		name string
		m    attribution.Markov
		n    int
		err  string
	}{
		{"zero order is 1", attribution.Markov{}, 6, ""},
		{"order 2", attribution.Markov{Order: 2}, 7, ""},
		{"negative", attribution.Markov{Order: -1}, 0, "attribution.Markov.Chain: Order -1: must be ≥ 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tt.m.Chain(read(t, chainData))
			if tt.err != "" {
				assert.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Len(t, c.Transitions(), tt.n)
		})
	}
}

func touches(names ...string) []attribution.Touch {
	out := make([]attribution.Touch, len(names))
	for i, n := range names {
		out[i] = attribution.Touch{Channel: n}
	}
	return out
}
