package attribution_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi/attribution"
)

// messyJourneys returns journeys with values at several decimal places,
// times and marks, and channels whose first appearance changes when they
// are shuffled.
func messyJourneys(n int) []attribution.Journey {
	rng := rand.New(rand.NewPCG(99, 5))
	names := []string{"search", "email", "social", "direct", "webinar", "events", "ads"}
	start := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	out := make([]attribution.Journey, n)
	for i := range out {
		touches := make([]attribution.Touch, 1+rng.IntN(6))
		at := start.Add(time.Duration(rng.IntN(1000)) * time.Hour)
		for k := range touches {
			at = at.Add(time.Duration(rng.IntN(200)) * time.Hour)
			touches[k] = attribution.Touch{Channel: names[rng.IntN(len(names))], Time: at}
			if rng.IntN(4) == 0 {
				touches[k].Marks = attribution.Mark(1 << rng.IntN(3))
			}
		}
		j := attribution.Journey{Touches: touches, Nulls: rng.Int64N(7)}
		if rng.IntN(3) > 0 {
			j.Conversions = 1 + rng.Int64N(4)
			j.Value = decimal.New(rng.Int64N(10_000_000), -int32(rng.IntN(4)))
		}
		out[i] = j
	}
	return out
}

// TestShuffledInput checks that every model gives the same result, bit for
// bit, whatever order the same journeys are added in (issue 13): models
// that add floats go through the journeys in a canonical order, and Markov
// chains number their states by name.
func TestShuffledInput(t *testing.T) {
	all := messyJourneys(400)
	tests := []struct {
		name  string
		model attribution.Model
	}{
		{"first", attribution.First{}},
		{"last non-direct", attribution.LastNonDirect{}},
		{"linear", attribution.Linear{}},
		{"linear distinct", attribution.Linear{Distinct: true}},
		{"U-shaped", attribution.Position{}},
		{"W-shaped", attribution.WShaped{}},
		{"full path", attribution.FullPath{}},
		{"time decay", attribution.TimeDecay{}},
		{"custom", attribution.Custom{Weights: []float64{0.5, 0.2, 0.3}}},
		{"shapley", attribution.Shapley{}},
		{"shapley ordered", attribution.Shapley{Method: attribution.Ordered}},
		{"shapley exact", attribution.Shapley{Method: attribution.Exact}},
		{"markov 1", attribution.Markov{}},
		{"markov 2", attribution.Markov{Order: 2}},
		{"markov 3 ChannelAttribution", attribution.Markov{Order: 3, Rules: attribution.ChannelAttribution}},
		{"markov 4 value removal", attribution.Markov{Order: 4, Rules: attribution.ValueRemoval}},
	}
	build := func(seed uint64) *attribution.Journeys {
		js := append([]attribution.Journey(nil), all...)
		if seed > 0 {
			rng := rand.New(rand.NewPCG(seed, 1))
			rng.Shuffle(len(js), func(a, b int) { js[a], js[b] = js[b], js[a] })
		}
		var acc attribution.Journeys
		for _, j := range js {
			require.NoError(t, acc.Add(j))
		}
		return &acc
	}
	base := build(0)
	shuffled := []*attribution.Journeys{build(1), build(2), build(3)}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := tc.model.Attribute(base)
			require.NoError(t, err)
			for _, js := range shuffled {
				got, err := tc.model.Attribute(js)
				require.NoError(t, err)
				assert.Equal(t, want.Conversion, got.Conversion)
				require.Len(t, got.Credits, len(want.Credits))
				for k, c := range got.Credits {
					w := want.Credits[k]
					assert.Equal(t, w.Channel, c.Channel)
					assert.Equal(t, w.Conversions, c.Conversions, c.Channel)
					assert.Equal(t, w.Removal, c.Removal, c.Channel)
					assert.Equal(t, w.ValueRemoval, c.ValueRemoval, c.Channel)
					assert.Equal(t, w.Positions, c.Positions, c.Channel)
					assert.True(t, w.Value.Equal(c.Value), "%s value %s, want %s", c.Channel, c.Value, w.Value)
				}
			}
		})
	}
}
