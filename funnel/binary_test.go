package funnel_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// binaryDefs are definitions that exercise every part of the encoding:
// conditions, per-step windows, exclusions, a held property, a breakdown,
// totals and explicit bins.
func binaryDefs() map[string]funnel.Definition {
	return map[string]funnel.Definition{
		"plain":     abc(),
		"breakdown": journeyDef(),
		"everything": {
			Steps:  []funnel.Match{{Event: "A", Where: map[string]string{"deal": "1", "channel": "ads"}}, {Step: "bee", Event: "B", Within: 5 * time.Minute}, {Event: "C"}},
			Window: 10 * time.Minute, Mode: funnel.StrictIncrease | funnel.StrictOnce, Counting: funnel.Totals,
			Exclusions: []funnel.Exclusion{{Match: funnel.Match{Event: "X", Where: map[string]string{}}, From: 0, To: 2}},
			Hold:       "deal", Breakdown: []string{"channel"}, Bins: []time.Duration{time.Minute, time.Hour},
		},
		"optional": {
			Steps:  []funnel.Match{{Event: "A"}, {Event: "B", Optional: true, Any: []funnel.Match{{Event: "X"}}}, {Event: "C", Within: time.Minute}},
			Window: 10 * time.Minute, Counting: funnel.Totals, Breakdown: []string{"channel"},
		},
		"optional, unique": {
			Steps:  []funnel.Match{{Event: "A"}, {Event: "B", Optional: true}, {Event: "C"}},
			Window: 3 * time.Minute, Hold: "deal",
		},
	}
}

// readOuts returns a counter's curves and series as of an hour after t0.
func readOuts(t *testing.T, c *funnel.Counter) ([]funnel.StepCurve, *funnel.Series) {
	asOf := t0.Add(time.Hour)
	curves, err := c.Curves(asOf, 0.95)
	require.NoError(t, err)
	s, err := c.Series(funnel.Periods{Grain: funnel.Day, Location: time.UTC}, asOf)
	require.NoError(t, err)
	return curves, s
}

// randomEvents returns n events of 15 entities over 300 seconds, with a
// channel and a deal.
func randomEvents(rng *rand.Rand, n int) []funnel.Event {
	names := []string{"A", "B", "C", "X"}
	evs := make([]funnel.Event, n)
	for i := range evs {
		evs[i] = ev(fmt.Sprintf("e%d", rng.IntN(15)), names[rng.IntN(len(names))], rng.IntN(300),
			"channel", []string{"ads", "seo", ""}[rng.IntN(3)], "deal", fmt.Sprint(rng.IntN(2)))
	}
	return evs
}

// TestCounter_MarshalBinary checks the round trip: a Counter decoded from
// a Counter's encoding gives the same Result, encodes to the same bytes,
// and merges like the original; decoding works on a zero Counter and on
// a Counter of another definition, which it replaces.
func TestCounter_MarshalBinary(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for name, d := range binaryDefs() {
		for _, n := range []int{0, 1, 40, 400} {
			tests := []struct {
				name string
				into *funnel.Counter
			}{
				{"zero", new(funnel.Counter)},
				{"other definition", must(funnel.NewCounter(funnel.Definition{Steps: []funnel.Match{{Event: "P"}, {Event: "Q"}}, Window: time.Second}))},
			}
			evs := randomEvents(rng, n)
			for _, tc := range tests {
				t.Run(fmt.Sprintf("%s/%d/%s", name, n, tc.name), func(t *testing.T) {
					c := must(funnel.NewCounter(d))
					require.NoError(t, c.AddAll(slices.Values(evs[:n/2])))
					b, err := c.MarshalBinary()
					require.NoError(t, err)
					require.NoError(t, tc.into.UnmarshalBinary(b))
					assert.Equal(t, result(t, c), result(t, tc.into))
					wantCurves, wantSeries := readOuts(t, c)
					gotCurves, gotSeries := readOuts(t, tc.into)
					assert.Equal(t, wantCurves, gotCurves)
					assert.Equal(t, wantSeries, gotSeries)
					again, err := tc.into.MarshalBinary()
					require.NoError(t, err)
					assert.Equal(t, b, again)

					// The decoded counter merges and takes events as the original.
					rest := must(funnel.NewCounter(d))
					require.NoError(t, rest.AddAll(slices.Values(evs[n/2:])))
					require.NoError(t, c.Merge(rest))
					require.NoError(t, tc.into.Merge(rest))
					assert.Equal(t, result(t, c), result(t, tc.into))
				})
			}
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestCounter_UnmarshalBinaryErrors checks that truncated, altered and
// foreign data are errors wrapping kpi.ErrInvalid that leave the Counter
// as it was.
func TestCounter_UnmarshalBinaryErrors(t *testing.T) {
	c := must(funnel.NewCounter(journeyDef()))
	require.NoError(t, c.AddAll(slices.Values(randomEvents(rand.New(rand.NewPCG(1, 1)), 200))))
	good, err := c.MarshalBinary()
	require.NoError(t, err)
	bad := func(i int, b byte) []byte { o := slices.Clone(good); o[i] = b; return o }
	bare := must(funnel.NewCounter(abc()))
	plain, err := bare.MarshalBinary()
	require.NoError(t, err)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "0 bytes: too short for a header"},
		{"foreign", []byte("{\"a\":1}"), "not a kpi encoding"},
		{"other kind", bad(2, 'J'), "kind 'J': want 'F'"},
		{"future version", bad(3, 9), "version 9: this build reads versions 1 to 7"},
		{"version 1", bad(3, 1), "version 1 has no open chains for Curves"},
		{"version 2", bad(3, 2), "version 2 has no chain entries for Series"},
		{"version 3", bad(3, 3), "version 3 has one breakdown property"},
		{"version 4", bad(3, 4), "version 4 has no step kinds"},
		{"truncated", good[:len(good)-1], "byte"},
		{"trailing byte", append(slices.Clone(good), 0), "1 bytes left over"},
		{"one step", append(slices.Clone(plain[:4]), 1, 0, 1, 'A', 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0), "funnel.Counter.UnmarshalBinary: steps 1: a funnel needs at least two steps"},
		{"17 steps", append(slices.Clone(plain[:4]), 17), "steps 17 exceeds 16"},
		// The tail of plain: the counts 0 0 0, the times' numbers 0 0 and
		// the open chains' numbers 0 0.
		{"count grows", slices.Concat(plain[:len(plain)-7], []byte{1, 2, 0, 0, 0, 0, 0}), "step 1 count 2 exceeds the count before it, 1"},
		{"times miscounted", slices.Concat(plain[:len(plain)-7], []byte{1, 1, 0, 2, 5, 5, 0, 0, 0}), "step 1: 2 times for a count of 1"},
		{"time missing", slices.Concat(plain[:len(plain)-7], []byte{1, 1, 0, 1}), "1 times exceed the 0 bytes left"},
		{"time beyond window", slices.Concat(plain[:len(plain)-7], []byte{1, 1, 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0}), "exceeds the window 10000000000"},
		{"open chains miscounted", slices.Concat(plain[:len(plain)-7], []byte{1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0}), "step 1: 2 open chains for 1 that stopped there"},
		{"open chain missing", slices.Concat(plain[:len(plain)-7], []byte{1, 0, 0, 0, 0, 1}), "step 1: 1 open chains exceed the 0 bytes left"},
		{"entry open after its entry", slices.Concat(plain[:len(plain)-7], []byte{1, 0, 0, 0, 0, 1, 0, 3}), "step 1 open chain 0: 3 after its entry"},
		{"chain missing", slices.Concat(plain[:len(plain)-7], []byte{1, 0, 0, 0, 0, 1, 0, 0, 0}), "1 chains exceed the 0 bytes left"},
		{"chain level", slices.Concat(plain[:len(plain)-7], []byte{1, 0, 0, 0, 0, 1, 0, 0, 0, 5, 0}), "chain 0: level 5 entry 0 out of range"},
		{"chain entry out of range", slices.Concat(plain[:len(plain)-7], []byte{1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}), "chain 0: level 1 entry"},
		{"chain beyond its counts", slices.Concat(plain[:len(plain)-7], []byte{1, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0}), "chains reaching each step [1 1 0] differ from the counts [1 0 0]"},
		{"chain not its open chain", slices.Concat(plain[:len(plain)-7], []byte{1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 2}), "chain 0: differs from its open chain"},
		{"chain beyond the window", slices.Concat(plain[:len(plain)-7], []byte{1, 1, 1, 1, 0x80, 0xc8, 0xaf, 0xa0, 0x25, 1, 0x80, 0xc8, 0xaf, 0xa0, 0x25, 0, 0, 3, 0}), "chain 0: step 2 outside the window"},
		{"open chain beyond window", slices.Concat(plain[:len(plain)-7], []byte{1, 1, 0, 1, 5, 0, 0, 1, 20, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}), "step 2 open chain 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			into := must(funnel.NewCounter(abc()))
			require.NoError(t, into.Add(ev("z", "A", 0)))
			before := result(t, into)
			err := into.UnmarshalBinary(tc.data)
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), "funnel.Counter.UnmarshalBinary")
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, before, result(t, into))
		})
	}
}

// FuzzCounterBinary decodes arbitrary bytes: nothing panics, what decodes
// re-encodes to the same bytes, and a decoded Counter merged with another
// gives the Result of the original merged with it.
func FuzzCounterBinary(f *testing.F) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, d := range binaryDefs() {
		c := must(funnel.NewCounter(d))
		if err := c.AddAll(slices.Values(randomEvents(rng, 30))); err != nil {
			f.Fatal(err)
		}
		b, err := c.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c funnel.Counter
		if err := c.UnmarshalBinary(data); err != nil {
			require.True(t, errors.Is(err, kpi.ErrInvalid), err)
			return
		}
		b, err := c.MarshalBinary()
		if data[3] < 6 {
			// An older version: re-encoded as the current one, or, with
			// optional steps and no chains kept, not at all.
			if err != nil {
				require.ErrorIs(t, err, kpi.ErrInvalid)
				return
			}
			data = b
			require.NoError(t, c.UnmarshalBinary(data))
			b, err = c.MarshalBinary()
		}
		require.NoError(t, err)
		require.Equal(t, data, b)
		var again funnel.Counter
		require.NoError(t, again.UnmarshalBinary(b))
		other := new(funnel.Counter)
		require.NoError(t, other.UnmarshalBinary(b))
		require.NoError(t, c.Merge(other))
		require.NoError(t, again.Merge(other))
		assert.Equal(t, result(t, &c), result(t, &again))
	})
}

// benchEncoded fills a Counter with the benchmark's million entities.
func benchEncoded(b *testing.B) *funnel.Counter {
	benchData()
	c := must(funnel.NewCounter(benchDef))
	if err := c.AddSorted(events(benchSorted)); err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkCounterMarshalBinary encodes a Counter of a million entities
// (10 million events, five steps); bytes/entity is the encoded size.
func BenchmarkCounterMarshalBinary(b *testing.B) {
	c := benchEncoded(b)
	b.ReportAllocs()
	var n int
	cpu0 := cpuTime()
	for b.Loop() {
		data, err := c.MarshalBinary()
		if err != nil {
			b.Fatal(err)
		}
		n = len(data)
	}
	reportCPU(b, cpu0)
	b.ReportMetric(float64(n)/benchEntities, "bytes/entity")
}

// BenchmarkCounterUnmarshalBinary decodes the same Counter.
func BenchmarkCounterUnmarshalBinary(b *testing.B) {
	data, err := benchEncoded(b).MarshalBinary()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		var c funnel.Counter
		if err := c.UnmarshalBinary(data); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu0)
}

// TestCounter_UnmarshalBinaryOptional checks the chains of a definition
// with optional steps: one entity, A at 0, C at 1 s and B at 2 s, encodes
// its chain (level 3, entry) with the steps it counts at, 0b111, and
// passed, 0b101, then B's time from the entry (2 s) and from A (2 s), ten
// bytes; altered, it is an error. Version 5 kept no chains: an empty
// counter's encoding reads as version 5, and that Counter gives Result
// but neither Curves, Series nor an encoding.
func TestCounter_UnmarshalBinaryOptional(t *testing.T) {
	def := funnel.Definition{Steps: []funnel.Match{{Event: "A"}, {Event: "B", Optional: true}, {Event: "C"}}, Window: 10 * time.Second}
	c := must(funnel.NewCounter(def))
	require.NoError(t, c.AddAll(slices.Values([]funnel.Event{ev("u", "A", 0), ev("u", "C", 1), ev("u", "B", 2)})))
	good, err := c.MarshalBinary()
	require.NoError(t, err)
	n := len(good)
	set := func(i int, b ...byte) []byte { return slices.Concat(good[:i], b, good[i+len(b):]) }
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"last step not passed", set(n-11, 0x01), "chain 0: level 3 entry"},
		{"passed, not counted", set(n-12, 0x01), "chain 0: level 3 entry"},
		{"counted, no time", set(n-12, 0x05), "the chains reach step 1 0 times"},
		{"time beyond the horizon", set(n-5, 0xff, 0xff, 0xff, 0xff, 0x7f), "step 1 at 2000000000 after the entry"},
		{"time missing", good[:n-5], "byte"},
		{"chain missing", good[:n-22], "1 chains exceed the 0 bytes left"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var into funnel.Counter
			err := into.UnmarshalBinary(tc.data)
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}

	empty, err := must(funnel.NewCounter(def)).MarshalBinary()
	require.NoError(t, err)
	empty = asVersion(t, def, empty, 5)
	var old funnel.Counter
	require.NoError(t, old.UnmarshalBinary(empty))
	res := result(t, &old)
	assert.Equal(t, int64(0), res.Steps[0].Reached)
	reads := []struct {
		name string
		call func() error
	}{
		{"curves", func() error { _, err := old.Curves(t0, 0.95); return err }},
		{"series", func() error {
			_, err := old.Series(funnel.Periods{Grain: funnel.Day, Location: time.UTC}, t0)
			return err
		}},
		{"encoding", func() error { _, err := old.MarshalBinary(); return err }},
	}
	for _, tc := range reads {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), "decoded from binary version 5 with optional steps")
		})
	}
}

// asVersion returns data, the encoding of a Counter of def (which asks
// for no quantiles), as version 5 or 6 wrote it: without the count of
// quantiles after the bins, found where an encoding asking for one
// differs.
func asVersion(t *testing.T, def funnel.Definition, data []byte, version byte) []byte {
	t.Helper()
	require.Nil(t, def.Quantiles)
	asked := def
	asked.Quantiles = []float64{0.5}
	a, err := must(funnel.NewCounter(def)).MarshalBinary()
	require.NoError(t, err)
	b, err := must(funnel.NewCounter(asked)).MarshalBinary()
	require.NoError(t, err)
	i := 0
	for a[i] == b[i] {
		i++
	}
	require.Equal(t, byte(0), data[i])
	out := slices.Concat(data[:i], data[i+1:])
	out[3] = version
	return out
}

// TestCounter_BinaryQuantiles: version 7 keeps the quantiles asked, and
// a Counter decoded from it reports them; version 6 had none, and its
// Counters read as asking for none; bad quantiles in the encoding are
// NewCounter's errors.
func TestCounter_BinaryQuantiles(t *testing.T) {
	def := abc()
	asked := def
	asked.Quantiles = []float64{0.25, 0.99}
	events := randomEvents(rand.New(rand.NewPCG(1, 1)), 200)
	tests := []struct {
		name      string
		def       funnel.Definition
		encode    func([]byte) []byte
		quantiles []float64
	}{
		{"version 7 with quantiles", asked, func(b []byte) []byte { return b }, []float64{0.25, 0.99}},
		{"version 7 without", def, func(b []byte) []byte { return b }, nil},
		{"version 6", def, func(b []byte) []byte { return asVersion(t, def, b, 6) }, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := must(funnel.NewCounter(tc.def))
			require.NoError(t, c.AddAll(slices.Values(events)))
			data, err := c.MarshalBinary()
			require.NoError(t, err)
			var back funnel.Counter
			require.NoError(t, back.UnmarshalBinary(tc.encode(data)))
			want, got := result(t, c), result(t, &back)
			assert.Equal(t, want, got)
			for _, st := range got.Steps[1:] {
				var ps []float64
				for _, q := range st.Time.Quantiles {
					ps = append(ps, q.P)
				}
				assert.Equal(t, tc.quantiles, ps, st.Step)
			}
			again, err := back.MarshalBinary()
			require.NoError(t, err)
			assert.Equal(t, data, again, "decoded, it encodes as it was")
		})
	}

	good, err := must(funnel.NewCounter(asked)).MarshalBinary()
	require.NoError(t, err)
	at := bytes.Index(good, binary.LittleEndian.AppendUint64([]byte{2}, math.Float64bits(0.25)))
	require.Positive(t, at)
	set := func(i int, b ...byte) []byte { return slices.Concat(good[:i], b, good[i+len(b):]) }
	errTests := []struct {
		name string
		data []byte
		want string
	}{
		{"descending", set(at+1, binary.LittleEndian.AppendUint64(nil, math.Float64bits(0.999))...), "quantiles[1] 0.99: below quantiles[0], 0.999"},
		{"not a probability", set(at+1, binary.LittleEndian.AppendUint64(nil, math.Float64bits(1))...), "quantiles[0] 1: a quantile's probability must be in (0, 1)"},
		{"too many", set(at, 65), "quantiles 65 exceeds 64"},
		{"cut short", good[:at+5], "byte"},
	}
	for _, tc := range errTests {
		t.Run(tc.name, func(t *testing.T) {
			var into funnel.Counter
			err := into.UnmarshalBinary(tc.data)
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
