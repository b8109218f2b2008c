package attribution_test

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
)

// sameResults checks that every model gives a and b the same result, to
// the bit.
func sameResults(t *testing.T, a, b *attribution.Journeys) {
	t.Helper()
	for _, m := range append(models, attribution.TimeDecay{HalfLife: 24 * time.Hour}) {
		ra, errA := m.Attribute(a)
		rb, errB := m.Attribute(b)
		require.Equal(t, errA, errB, "%T", m)
		assert.Equal(t, ra, rb, "%T", m)
	}
}

// timedJourneys returns journeys whose touches have times and marks, and
// values that need a decimal.Decimal of their own.
func timedJourneys(rng *rand.Rand, n int) []attribution.Journey {
	js := randomJourneys(rng, n)
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range js {
		for k := range js[i].Touches {
			if rng.IntN(4) > 0 {
				js[i].Touches[k].Time = start.Add(time.Duration(rng.IntN(1e6)) * time.Second)
			}
			js[i].Touches[k].Marks = attribution.Mark(rng.IntN(8))
		}
		if i%7 == 3 && js[i].Conversions > 0 {
			js[i].Value = decimal.RequireFromString("123456789012345678901234.5")
		}
	}
	return js
}

// boundValues are values at the library's bound on money, 30 digits
// before the point and 18 after, and values Add takes with zeros beyond
// it: each needs a decimal.Decimal of its own, the longest 48 digits.
var boundValues = []string{
	"123456789012345678901234567890.00000000000000000000",            // 30 + 20 digits, 48 kept
	"1.000000000000000000000000000000000000000000000000000000000000", // 61 digits, 19 kept
	"123456789012345678901234567890.123456789012345678",              // 48 digits, the most
	"999999999999999999999999999999.999999999999999999",              // the largest value
	"100000000000000000000000000000",                                 // 10²⁹, written 1e29
}

// boundJourneys returns one journey for each of boundValues.
func boundJourneys() []attribution.Journey {
	out := make([]attribution.Journey, len(boundValues))
	for i, v := range boundValues {
		out[i] = attribution.Journey{Touches: []attribution.Touch{{Channel: "a"}, {Channel: "b"}}, Conversions: 1, Value: decimal.RequireFromString(v)}
	}
	return out
}

// TestJourneys_MarshalBinary checks the round trip: decoded journeys give
// every model's result of the original to the bit, encode to the same
// bytes, and merge like the original.
func TestJourneys_MarshalBinary(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	tests := []struct {
		name string
		js   []attribution.Journey
	}{
		{"empty", nil},
		{"one", randomJourneys(rng, 1)},
		{"plain", randomJourneys(rng, 300)},
		{"times, marks and large values", timedJourneys(rng, 300)},
		{"values at the bound", boundJourneys()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var js attribution.Journeys
			require.NoError(t, js.AddAll(slices.Values(tc.js[:len(tc.js)/2])))
			b, err := js.MarshalBinary()
			require.NoError(t, err)
			var got attribution.Journeys
			require.NoError(t, got.UnmarshalBinary(b))
			sameResults(t, &js, &got)
			again, err := got.MarshalBinary()
			require.NoError(t, err)
			assert.Equal(t, b, again)

			var rest attribution.Journeys
			require.NoError(t, rest.AddAll(slices.Values(tc.js[len(tc.js)/2:])))
			require.NoError(t, js.Merge(&rest))
			require.NoError(t, got.Merge(&rest))
			sameResults(t, &js, &got)
		})
	}
}

// TestJourneys_UnmarshalBinaryErrors checks that foreign, truncated and
// invalid data are errors wrapping kpi.ErrInvalid that leave the journeys
// as they were.
func TestJourneys_UnmarshalBinaryErrors(t *testing.T) {
	hdr := []byte("kpJ\x01")
	// One channel "a", one journey of one touch, no times or marks, then
	// conversions, nulls, scale and mantissa.
	one := func(tail ...byte) []byte { return slices.Concat(hdr, []byte{1, 1, 'a', 1, 0, 0, 1, 0}, tail) }
	var good attribution.Journeys
	require.NoError(t, good.AddAll(slices.Values(timedJourneys(rand.New(rand.NewPCG(1, 2)), 20))))
	data, err := good.MarshalBinary()
	require.NoError(t, err)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "too short for a header"},
		{"other kind", []byte("kpF\x01"), "kind 'F': want 'J'"},
		{"truncated", data[:len(data)-1], "attribution.Journeys.UnmarshalBinary: data"},
		{"left over", append(one(1, 0, 2, 5), 0), "1 bytes left over"},
		{"blank channel", slices.Concat(hdr, []byte{1, 1, ' '}), `channel name " " empty or repeated`},
		{"repeated channel", slices.Concat(hdr, []byte{2, 1, 'a', 1, 'a'}), `channel name "a" empty or repeated`},
		{"channel not UTF-8", slices.Concat(hdr, []byte{1, 2, 'a', 0xff}), `channel name "a\xff" not valid UTF-8`},
		{"empty path", slices.Concat(hdr, []byte{1, 1, 'a', 1, 0, 0, 0, 0, 0, 0, 0}), "journey 0: empty path"},
		{"unknown channel", slices.Concat(hdr, []byte{1, 1, 'a', 1, 0, 0, 1, 1, 0, 0, 0, 0}), "journey 0: channel id 1 of 1 channels"},
		{"value without conversions", one(0, 0, 2, 5), "journey 0 value 0.05: value on a journey without conversions"},
		{"scale", one(1, 0, 19, 5), "journey 0: value scale 19 exceeds 18"},
		{"zero at a scale", one(1, 0, 2, 0), "journey 0: value mantissa 0 at scale 2"},
		{"big but small", one(slices.Concat([]byte{1, 0, 0xff, 1, '5'}, []byte{0})...), "journey 0: value 5 not a large value Add accepts"},
		{"big not a number", one(slices.Concat([]byte{1, 0, 0xff, 2, '+', '5'}, []byte{0})...), `journey 0 value: coefficient "+5" not a decimal number in its one form`},
		{"big exponent", one(slices.Concat([]byte{1, 0, 0xff, 1, '5'}, []byte{0x80, 0x01})...), "journey 0 value: exponent 64 outside -48 to 29"},
		{"big exponent low", one(slices.Concat([]byte{1, 0, 0xff, 1, '5'}, []byte{97})...), "journey 0 value: exponent -49 outside -48 to 29"},
		// 49 digits at exponent −18 (zigzag 35): 31 before the point.
		{"one digit over the bound", one(slices.Concat([]byte{1, 0, 0xff, 49}, []byte(bigDigits(49)), []byte{35})...), "journey 0 value: 49 digits at exponent -18: more than 30 digits before the point"},
		// 49 digits at exponent −19 (zigzag 37), the last not 0: 19 places.
		{"19 places", one(slices.Concat([]byte{1, 0, 0xff, 49}, []byte(bigDigits(49)), []byte{37})...), "value 123456789012345678901234567890.1234567890123456789 not a large value Add accepts"},
		// Hostile-input probe: marks with unknown bits decoded, and JSON
		// then refused them. A journey of one touch with times off and
		// marks on: its mark byte 8 is past Lead|Opportunity|Won = 7.
		{"probe: unknown mark", slices.Concat(hdr, []byte{1, 1, 'a', 1, 0, 1, 1, 0, 8, 1, 0, 0, 0}), "journey 0: touch 0 marks 8: unknown milestone"},
		{"counts overflow", one(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0, 0, 0), "counts 18446744073709551615 and 0 out of range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			js := demoJourneys()
			before, err := js.MarshalBinary()
			require.NoError(t, err)
			err = js.UnmarshalBinary(tc.data)
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
			after, err := js.MarshalBinary()
			require.NoError(t, err)
			assert.Equal(t, before, after)
		})
	}
	var nilJS *attribution.Journeys
	assert.ErrorIs(t, nilJS.UnmarshalBinary(data), kpi.ErrInvalid)
}

// bigDigits returns n digits 1234567890123…, the last one n mod 10.
func bigDigits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '0' + byte((i+1)%10)
	}
	return string(b)
}

// TestJourneys_UnmarshalBinaryLegacy checks that values written by earlier
// builds, which kept the zeros past 18 places that Add was given, decode
// to the value Add keeps now, and re-encode as this build writes it.
func TestJourneys_UnmarshalBinaryLegacy(t *testing.T) {
	hdr := []byte("kpJ\x01")
	// Channel "a", one journey of one touch, one conversion, a large value:
	// the coefficient's digits and the zigzag exponent.
	big := func(digits string, exp byte) []byte {
		return slices.Concat(hdr, []byte{1, 1, 'a', 1, 0, 0, 1, 0, 1, 0, 0xff, byte(len(digits))}, []byte(digits), []byte{exp})
	}
	tests := []struct {
		name        string
		data        []byte
		given, want string // the value given to Add, the value kept
	}{
		// 48 digits and a zero at exponent −19 (zigzag 37).
		{"one zero past 18 places", big(bigDigits(48)+"0", 37),
			"123456789012345678901234567890.1234567890123456780", "123456789012345678901234567890.123456789012345678"},
		// 1 and 48 zeros at exponent −48 (zigzag 95): 1, kept as 1 and 18 zeros.
		{"48 places", big("1"+strings.Repeat("0", 48), 95), "1." + strings.Repeat("0", 48), "1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got attribution.Journeys
			require.NoError(t, got.UnmarshalBinary(tc.data))
			assert.True(t, got.Value().Equal(decimal.RequireFromString(tc.want)), "value %s", got.Value())
			var want attribution.Journeys
			require.NoError(t, want.Add(attribution.Journey{Touches: []attribution.Touch{{Channel: "a"}}, Conversions: 1, Value: decimal.RequireFromString(tc.given)}))
			wb, err := want.MarshalBinary()
			require.NoError(t, err)
			gb, err := got.MarshalBinary()
			require.NoError(t, err)
			assert.Equal(t, wb, gb)
		})
	}
}

// FuzzJourneysBinary decodes arbitrary bytes: nothing panics, what decodes
// re-encodes to the same bytes, and the decoded journeys merge and
// attribute like a second decoding of them.
func FuzzJourneysBinary(f *testing.F) {
	rng := rand.New(rand.NewPCG(9, 9))
	for _, n := range []int{0, 3, 20} {
		var js attribution.Journeys
		if err := js.AddAll(slices.Values(timedJourneys(rng, n))); err != nil {
			f.Fatal(err)
		}
		b, _ := js.MarshalBinary()
		f.Add(b)
	}
	var bound attribution.Journeys
	if err := bound.AddAll(slices.Values(boundJourneys())); err != nil {
		f.Fatal(err)
	}
	b, _ := bound.MarshalBinary()
	f.Add(b)
	f.Add(slices.Concat([]byte("kpJ\x01\x01\x01a\x01\x00\x00\x01\x00\x01\x00\xff\x31"), []byte(bigDigits(48)+"0"), []byte{37})) // a zero past 18 places, as earlier builds wrote it
	f.Add([]byte("kpJ\x01\x01\x01a\x01\x00\x01\x01\x00\x07\x01\x00\x00\x00"))                                                   // marks Lead|Opportunity|Won
	f.Add([]byte("kpJ\x01\x01\x01a\x01\x00\x01\x01\x00\x08\x01\x00\x00\x00"))                                                   // the probe's unknown mark
	f.Fuzz(func(t *testing.T, data []byte) {
		var js attribution.Journeys
		if err := js.UnmarshalBinary(data); err != nil {
			require.True(t, errors.Is(err, kpi.ErrInvalid), err)
			return
		}
		b, err := js.MarshalBinary()
		require.NoError(t, err)
		if len(b) < len(data) {
			// A value with zeros past 18 places, as earlier builds wrote
			// it, re-encodes without them, and that encoding is stable.
			var canon attribution.Journeys
			require.NoError(t, canon.UnmarshalBinary(b))
			again, err := canon.MarshalBinary()
			require.NoError(t, err)
			require.Equal(t, b, again)
			data = b
		}
		require.Equal(t, data, b)
		if js.Len() > 30 || len(js.Channels()) > 8 {
			return // the exact models grow fast
		}
		var other attribution.Journeys
		require.NoError(t, other.UnmarshalBinary(b))
		var both attribution.Journeys
		require.NoError(t, both.Merge(&js))
		require.NoError(t, both.Merge(&other))
		runModels(t, &both)
		assert.Equal(t, 2*js.Conversions(), both.Conversions())
		assert.True(t, both.Value().Equal(js.Value().Mul(decimal.NewFromInt(2))))
	})
}

// BenchmarkJourneysMarshalBinary encodes and decodes a million journeys
// of one to five touches; bytes/journey is the encoded size.
func BenchmarkJourneysMarshalBinary(b *testing.B) {
	var js attribution.Journeys
	if err := js.AddAll(slices.Values(randomJourneys(rand.New(rand.NewPCG(1, 1)), 1_000_000))); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var data []byte
	for b.Loop() {
		data, _ = js.MarshalBinary()
		var got attribution.Journeys
		if err := got.UnmarshalBinary(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data))/1e6, "bytes/journey")
}
