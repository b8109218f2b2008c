package attribution_test

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
)

// chainOutcome is what a chain gives: its transitions and its result, or
// the result's error.
func chainOutcome(t *testing.T, c *attribution.Chain) (ts []attribution.Transition, r *attribution.Result, err string) {
	t.Helper()
	res, e := c.Result()
	if e != nil {
		return c.Transitions(), nil, e.Error()
	}
	return c.Transitions(), res, ""
}

// TestChain_MarshalBinary checks the round trip for every order and
// rules: the decoded chain has the original's transitions and result, to
// the bit and the cent, encodes to the same bytes, and merges like the
// original.
func TestChain_MarshalBinary(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	plain, timed := randomJourneys(rng, 400), timedJourneys(rng, 400)
	tests := []struct {
		name     string
		model    attribution.Markov
		journeys []attribution.Journey
	}{
		{"empty", attribution.Markov{Order: 2}, nil},
		{"order 1", attribution.Markov{Order: 1}, plain},
		{"order 2, value removal", attribution.Markov{Order: 2, Rules: attribution.ValueRemoval}, plain},
		{"order 3, ChannelAttribution, large values", attribution.Markov{Order: 3, Rules: attribution.ChannelAttribution}, timed},
		{"values at the bound", attribution.Markov{Order: 1, Rules: attribution.ValueRemoval}, boundJourneys()}, // places 20 and 60 were refused on decoding
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			half := len(tc.journeys) / 2
			c, err := tc.model.Chain(&attribution.Journeys{})
			require.NoError(t, err)
			require.NoError(t, c.AddAll(slices.Values(tc.journeys[:half])))
			data, err := c.MarshalBinary()
			require.NoError(t, err)
			var got attribution.Chain
			require.NoError(t, got.UnmarshalBinary(data))
			wantTs, wantR, wantErr := chainOutcome(t, c)
			gotTs, gotR, gotErr := chainOutcome(t, &got)
			assert.Equal(t, wantTs, gotTs)
			assert.Equal(t, wantR, gotR)
			assert.Equal(t, wantErr, gotErr)
			again, err := got.MarshalBinary()
			require.NoError(t, err)
			assert.Equal(t, data, again)

			var js attribution.Journeys
			require.NoError(t, js.AddAll(slices.Values(tc.journeys[half:])))
			rest, err := tc.model.Chain(&js)
			require.NoError(t, err)
			require.NoError(t, c.Merge(rest))
			require.NoError(t, got.Merge(rest))
			wantTs, wantR, wantErr = chainOutcome(t, c)
			gotTs, gotR, gotErr = chainOutcome(t, &got)
			assert.Equal(t, wantTs, gotTs)
			assert.Equal(t, wantR, gotR)
			assert.Equal(t, wantErr, gotErr)
		})
	}
}

// TestChain_MarshalBinaryRefused checks that the states made for the
// channel of a refused journey, which count nothing, are not encoded,
// and that the decoded chain counts a new channel as the original does.
func TestChain_MarshalBinaryRefused(t *testing.T) {
	path := func(chs ...string) []attribution.Touch {
		ts := make([]attribution.Touch, len(chs))
		for i, ch := range chs {
			ts[i] = attribution.Touch{Channel: ch}
		}
		return ts
	}
	// The transition a → b is taken twice by 2⁶² − 1 journeys, 2⁶³ − 2
	// times; the refused journey, taken twice, makes the states of "new"
	// before it overflows there.
	full := attribution.Journey{Touches: path("a", "b", "a", "b"), Conversions: 1 << 61, Nulls: 1<<61 - 1}
	refused := attribution.Journey{Touches: path("new", "a", "b"), Nulls: 2}
	tests := []struct {
		name  string
		model attribution.Markov
	}{
		{"order 1", attribution.Markov{Order: 1}},
		{"order 1, value removal", attribution.Markov{Order: 1, Rules: attribution.ValueRemoval}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.model.Chain(&attribution.Journeys{})
			require.NoError(t, err)
			require.NoError(t, c.Add(full))
			require.ErrorContains(t, c.Add(refused), "a transition count overflows int64")
			data, err := c.MarshalBinary()
			require.NoError(t, err)
			var got attribution.Chain
			require.NoError(t, got.UnmarshalBinary(data))
			again, err := got.MarshalBinary()
			require.NoError(t, err)
			assert.Equal(t, data, again)
			next := attribution.Journey{Touches: path("c", "a"), Conversions: 1, Nulls: 2, Value: decimal.RequireFromString("2.50")}
			require.NoError(t, c.Add(next))
			require.NoError(t, got.Add(next))
			assert.Equal(t, c.Transitions(), got.Transitions())
			wantR, wantErr := c.Result()
			gotR, gotErr := got.Result()
			assert.Equal(t, wantR, gotR)
			assert.Equal(t, wantErr, gotErr)
		})
	}
}

// TestChain_UnmarshalBinaryErrors checks that foreign, truncated and
// inconsistent data are errors wrapping kpi.ErrInvalid that leave the
// chain as it was.
func TestChain_UnmarshalBinaryErrors(t *testing.T) {
	// Order 1, no rules, channel "a", 1 journey, 0 places, total 0.
	hdr := []byte("kpM\x01\x01\x00\x01\x01a\x01\x00\x00\x00")
	// One state (a) after the start; then the states' counts: start 0 0,
	// a converts once; then one transition start → a, counted once.
	good := slices.Concat(hdr, []byte{1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1})
	var ok attribution.Chain
	require.NoError(t, ok.UnmarshalBinary(good))
	r, err := ok.Result()
	require.NoError(t, err)
	require.InDelta(t, 1.0, r.Conversion, 0)
	c0, err := attribution.Markov{Order: 2, Rules: attribution.ValueRemoval}.Chain(demoJourneys())
	require.NoError(t, err)
	data, err := c0.MarshalBinary()
	require.NoError(t, err)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "too short for a header"},
		{"other kind", []byte("kpJ\x01"), "kind 'J': want 'M'"},
		{"truncated", data[:len(data)-1], "attribution.Chain.UnmarshalBinary: data"},
		{"left over", append(slices.Clone(good), 0), "1 bytes left over"},
		{"order 0", []byte("kpM\x01\x00\x00"), "order 0 or rules 0"},
		{"rules", []byte("kpM\x01\x01\x04"), "order 1 or rules 4"},
		{"blank channel", []byte("kpM\x01\x01\x00\x01\x01 "), `channel name " " empty or repeated`},
		{"channel not UTF-8", []byte("kpM\x01\x01\x00\x01\x02a\xff"), `channel name "a\xff" not valid UTF-8`},
		{"too many channels", []byte("kpM\x01\x01\x00\xe9\x07"), "channels 1001 exceeds 1000"},
		{"places", slices.Concat([]byte("kpM\x01\x01\x00\x00\x00\x13")), "places 19 exceeds 18"},
		// Found by the fuzz campaign (testdata/fuzz/FuzzChainBinary): a
		// chain of 0 places whose total, 15 units at scale 1, is 1.5 decoded
		// and then failed in Result, which splits the value at 0 places.
		{"total finer than places", slices.Concat([]byte("kpM\x01\x01\x00\x01\x01a\x01\x00\x01\x01\x0f\x00"), []byte{1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1}), "total value 1.5 has more than 0 decimal places"},
		{"state of no channel", slices.Concat(hdr, []byte{1, 0, 1}), "state 1: prefix 0 and channel 1"},
		{"state too deep", slices.Concat(hdr, []byte{2, 0, 0, 1, 0}), "state 2: prefix 1 and channel 0"},
		{"repeated state", slices.Concat([]byte("kpM\x01\x02\x00\x01\x01a\x01\x00\x00\x00"), []byte{2, 0, 0, 0, 0}), "state 2: repeated"},
		{"start converts", slices.Concat(hdr, []byte{1, 0, 0, 1, 0}), "the start state converts"},
		{"transition to nowhere", slices.Concat(hdr, []byte{0, 0, 0, 1, 0, 0, 1}), "transition 0: state 0 and channel 0"[:13]},
		{"repeated transition", slices.Concat(hdr, []byte{1, 0, 0, 0, 0, 1, 0, 2, 0, 0, 1, 0, 0, 0}), "transition 1: to a state not listed, repeated"},
		{"counted self-transition", slices.Concat(hdr, []byte{1, 0, 0, 0, 0, 1, 0, 2, 0, 0, 1, 1, 0, 1}), "counted to the same state"},
		{"unbalanced", slices.Concat(hdr, []byte{1, 0, 0, 0, 0, 2, 0, 1, 0, 0, 1}), "state a: 1 transitions in, 2 out"},
		{"no journeys", slices.Concat([]byte("kpM\x01\x01\x00\x01\x01a\x00\x00\x00\x00"), []byte{1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1}), "0 journeys, 1 transitions from the start"},
		{"value without conversions", []byte("kpM\x01\x01\x00\x00\x00\x00\x01\x02\x05\x00\x00\x00\x00\x00"), "a value without conversions"},
		{"units at a scale twice", []byte("kpM\x01\x01\x00\x00\x00\x00\x02\x02\x05\x02\x05"), "total: units 5 at scale 2"},
		{"spill not a number", []byte("kpM\x01\x01\x00\x00\x00\x00\x00\x01\x02-5\x00"), "total: spill -5e0 out of range"},
		{"spill too precise", []byte("kpM\x01\x01\x00\x00\x00\x00\x00\x01\x015\x27"), "total: spill 5e-20 out of range"},
		{"spill too large", []byte("kpM\x01\x01\x00\x00\x00\x00\x00\x01\x015\xa0\x01"), "total: spill 5e80 out of range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := attribution.Markov{Order: 2}.Chain(demoJourneys())
			require.NoError(t, err)
			before, err := c.MarshalBinary()
			require.NoError(t, err)
			err = c.UnmarshalBinary(tc.data)
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
			after, err := c.MarshalBinary()
			require.NoError(t, err)
			assert.Equal(t, before, after)
		})
	}
	var nilC *attribution.Chain
	assert.ErrorIs(t, nilC.UnmarshalBinary(data), kpi.ErrInvalid)
	_, err = new(attribution.Chain).MarshalBinary()
	assert.ErrorContains(t, err, "attribution.Chain.MarshalBinary: Chain zero value: use attribution.NewChain")
}

// FuzzChainBinary decodes arbitrary bytes: nothing panics, what decodes
// re-encodes to the same bytes, and the decoded chain merged with a
// second decoding of it has every count doubled and the same conversion
// probability.
func FuzzChainBinary(f *testing.F) {
	rng := rand.New(rand.NewPCG(9, 9))
	for _, m := range []attribution.Markov{{Order: 1}, {Order: 2, Rules: attribution.ChannelAttribution}} {
		for _, n := range []int{0, 3, 20} {
			var js attribution.Journeys
			if err := js.AddAll(slices.Values(timedJourneys(rng, n))); err != nil {
				f.Fatal(err)
			}
			c, err := m.Chain(&js)
			if err != nil {
				f.Fatal(err)
			}
			b, _ := c.MarshalBinary()
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c attribution.Chain
		if err := c.UnmarshalBinary(data); err != nil {
			require.True(t, errors.Is(err, kpi.ErrInvalid), err)
			return
		}
		b, err := c.MarshalBinary()
		require.NoError(t, err)
		require.Equal(t, data, b)
		ts := c.Transitions()
		if len(ts) > 40 || len(data) > 400 {
			return // the solves grow fast
		}
		var other attribution.Chain
		require.NoError(t, other.UnmarshalBinary(b))
		if err := other.Merge(&c); err != nil {
			require.True(t, errors.Is(err, kpi.ErrInvalid), err) // counts that overflow when doubled
			return
		}
		doubled := other.Transitions()
		require.Len(t, doubled, len(ts))
		for i := range ts {
			assert.Equal(t, 2*ts[i].Count, doubled[i].Count)
			assert.Equal(t, ts[i].Probability, doubled[i].Probability)
		}
		r1, err1 := c.Result()
		r2, err2 := other.Result()
		require.Equal(t, err1 == nil, err2 == nil, "%v / %v", err1, err2)
		if err1 == nil {
			assert.Equal(t, 2*r1.Conversions, r2.Conversions)
			assert.True(t, r2.Value.Equal(r1.Value.Mul(decimal.NewFromInt(2))))
		}
	})
}

// BenchmarkChainMarshalBinary encodes and decodes the order-2 chain of a
// million journeys of one to five touches of five channels;
// bytes/transition is the encoded size per transition.
func BenchmarkChainMarshalBinary(b *testing.B) {
	var js attribution.Journeys
	if err := js.AddAll(slices.Values(randomJourneys(rand.New(rand.NewPCG(1, 1)), 1_000_000))); err != nil {
		b.Fatal(err)
	}
	c, err := attribution.Markov{Order: 2}.Chain(&js)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var data []byte
	for b.Loop() {
		data, _ = c.MarshalBinary()
		var got attribution.Chain
		if err := got.UnmarshalBinary(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data))/float64(len(c.Transitions())), "bytes/transition")
}
