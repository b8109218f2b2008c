package attribution_test

import (
	"bytes"
	"errors"
	"io"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
)

// fuzzJourneyList decodes at most 64 journeys from bytes, three bytes a
// journey: the first two give one or two touches on eight channels (a
// second byte of 0x80 or more means one touch), the third the conversions
// (its low two bits), the nulls (the next two) and the value in cents
// (the high four bits, on a converting journey).
func fuzzJourneyList(data []byte) []attribution.Journey {
	var out []attribution.Journey
	for i := 0; i+2 < len(data) && len(out) < 64; i += 3 {
		j := attribution.Journey{Touches: []attribution.Touch{{Channel: string(rune('a' + data[i]%8))}}}
		if data[i+1] < 0x80 {
			j.Touches = append(j.Touches, attribution.Touch{Channel: string(rune('a' + data[i+1]%8))})
		}
		f := data[i+2]
		j.Conversions, j.Nulls = int64(f&3), int64(f>>2&3)
		if j.Conversions > 0 {
			j.Value = decimal.New(int64(f>>4), -2)
		}
		out = append(out, j)
	}
	return out
}

// addJourneys adds js to a new Journeys, failing t on an error.
func addJourneys(t *testing.T, list []attribution.Journey) *attribution.Journeys {
	t.Helper()
	var js attribution.Journeys
	require.NoError(t, js.AddAll(slices.Values(list)))
	return &js
}

// chainOf counts list into a new Chain of the order, failing t on an error.
func chainOf(t *testing.T, order int, list []attribution.Journey) *attribution.Chain {
	t.Helper()
	c, err := attribution.NewChain(order)
	require.NoError(t, err)
	require.NoError(t, c.AddAll(slices.Values(list)))
	return c
}

// FuzzMergeJourneys splits fuzzed journeys at any point between two
// Journeys and two Chains of order 1 to 3 and merges each pair: the merge
// must hold what one pass over all the journeys holds (totals, channels,
// the Linear and Markov credits, the chain's transitions) and leave the
// merged-from accumulator as it was (it encodes as a twin of it that took
// the same journeys).
func FuzzMergeJourneys(f *testing.F) {
	f.Add([]byte{0, 1, 0x11, 1, 2, 0x04, 2, 0x80, 0x21, 0, 2, 0x05, 3, 3, 0xf3}, uint8(2), uint8(0))
	f.Add([]byte{0, 1, 0x11, 1, 2, 0x04, 2, 0x80, 0x21, 0, 2, 0x05}, uint8(0), uint8(1))
	f.Add([]byte{7, 7, 0xff, 6, 0x80, 0x0c, 5, 4, 0x31}, uint8(9), uint8(2))
	f.Add([]byte{}, uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, split, order uint8) {
		list := fuzzJourneyList(data)
		k := int(split) % (len(list) + 1)
		whole := addJourneys(t, list)
		a, b, twin := addJourneys(t, list[:k]), addJourneys(t, list[k:]), addJourneys(t, list[k:])
		require.NoError(t, a.Merge(b))
		assert.Equal(t, whole.Len(), a.Len())
		assert.Equal(t, whole.Conversions(), a.Conversions())
		assert.Equal(t, whole.Nulls(), a.Nulls())
		assert.True(t, whole.Value().Equal(a.Value()), "value %v, want %v", a.Value(), whole.Value())
		assert.ElementsMatch(t, whole.Channels(), a.Channels())
		bin, _ := b.MarshalBinary()
		twinBin, _ := twin.MarshalBinary()
		assert.Equal(t, twinBin, bin, "the merged-from Journeys")
		o := int(order%3) + 1
		for _, m := range []attribution.Model{attribution.Linear{}, attribution.Markov{Order: o}} {
			rw, errW := m.Attribute(whole)
			ra, errA := m.Attribute(a)
			if errW != nil {
				require.True(t, errors.Is(errW, kpi.ErrUndefined) && errors.Is(errA, kpi.ErrUndefined), "%v / %v", errW, errA)
				continue
			}
			require.NoError(t, errA)
			sameResult(t, rw, ra)
		}
		cw, ca, cb, ct := chainOf(t, o, list), chainOf(t, o, list[:k]), chainOf(t, o, list[k:]), chainOf(t, o, list[k:])
		require.NoError(t, ca.Merge(cb))
		assert.Equal(t, cw.Transitions(), ca.Transitions())
		rw, errW := cw.Result()
		ra, errA := ca.Result()
		require.Equal(t, errW == nil, errA == nil, "%v / %v", errW, errA)
		if errW == nil {
			sameResult(t, rw, ra)
		}
		bin, _ = cb.MarshalBinary()
		twinBin, _ = ct.MarshalBinary()
		assert.Equal(t, twinBin, bin, "the merged-from Chain")
	})
}

// sameResult fails t unless got credits what want credits: the same
// model, conversions and values (equal as decimals), channel by channel.
func sameResult(t *testing.T, want, got *attribution.Result) {
	t.Helper()
	require.Equal(t, want.Model, got.Model)
	assert.Equal(t, want.Conversions, got.Conversions)
	assert.True(t, want.Value.Equal(got.Value), "%s: value %v, want %v", want.Model, got.Value, want.Value)
	require.Len(t, got.Credits, len(want.Credits), want.Model)
	for i, c := range want.Credits {
		g := got.Credits[i]
		assert.Equal(t, c.Channel, g.Channel)
		assert.Equal(t, c.Conversions, g.Conversions, "%s: %s", want.Model, c.Channel)
		assert.True(t, c.Value.Equal(g.Value), "%s: %s value %v, want %v", want.Model, c.Channel, g.Value, c.Value)
	}
}

// FuzzWeights credits fuzzed journeys by Custom weights and Position
// shares made from the fuzzer's numbers: the model must refuse them with
// kpi.ErrInvalid, or its credits must be non-negative and add up to the
// conversions and, exactly, to the value.
func FuzzWeights(f *testing.F) {
	j := []byte{0, 1, 0x11, 1, 2, 0x04, 2, 0x80, 0x21, 0, 2, 0x35}
	f.Add(j, 0.5, 0.25, 0.25, uint8(3))
	f.Add(j, 1.0, 0.0, 0.0, uint8(1))
	f.Add(j, 0.4, 0.4, 0.2, uint8(2))
	f.Add(j, 1-1e-10, 1e-10, 0.0, uint8(2))
	f.Add(j, 1+1e-8, 0.0, 0.0, uint8(1))
	f.Add(j, math.NaN(), 0.5, 0.5, uint8(3))
	f.Add(j, math.Inf(1), math.Inf(-1), 1.0, uint8(3))
	f.Add(j, 5e-324, 1.0, -5e-324, uint8(3))
	f.Add(j, 0.6, 0.6, -0.2, uint8(3))
	f.Add([]byte{}, 0.5, 0.5, 0.0, uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, w0, w1, w2 float64, n uint8) {
		js := addJourneys(t, fuzzJourneyList(data))
		weights := []float64{w0, w1, w2}[:n%4]
		for _, m := range []attribution.Model{attribution.Custom{Weights: weights}, attribution.Position{First: w0, Last: w1}} {
			r, err := m.Attribute(js)
			if err != nil {
				if !errors.Is(err, kpi.ErrInvalid) && !(errors.Is(err, kpi.ErrUndefined) && js.Conversions() == 0) {
					t.Fatalf("%T %v: %v", m, m, err)
				}
				continue
			}
			checkInvariants(t, js, r)
		}
	})
}

// FuzzROI sets the Linear credits of fuzzed journeys against spends made
// of any coefficient and exponent, on known and unknown channels, and lays
// the Linear and First results out in a Table: ROI must refuse a negative
// spend with kpi.ErrInvalid, or give one row per channel of the credits or
// the spend, sorted, with the spend and credit given and the cost and
// return that the decimals give, each within the bound on money, so that
// the rows write as CSV (the seed of a spend of 9·10²⁹ on half a
// conversion made a cost of 1.8·10³⁰ that WriteCSV refused); the table
// must hold every credit once.
func FuzzROI(f *testing.F) {
	j := []byte{0, 1, 0x11, 1, 2, 0x04, 2, 0x80, 0x21, 0, 2, 0x35}
	f.Add(j, int64(125000), int32(-2), int64(9000), int32(-2), uint8(0))
	f.Add(j, int64(0), int32(0), int64(1), int32(0), uint8(9))
	f.Add(j, int64(-1), int32(0), int64(1), int32(0), uint8(2))
	f.Add(j, int64(1), int32(math.MaxInt32), int64(1), int32(math.MinInt32), uint8(1))
	f.Add(j, int64(math.MaxInt64), int32(30), int64(math.MinInt64), int32(-30), uint8(1))
	f.Add([]byte{}, int64(5), int32(0), int64(5), int32(0), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, c0 int64, e0 int32, c1 int64, e1 int32, other uint8) {
		js := addJourneys(t, fuzzJourneyList(data))
		lin, err := attribution.Linear{}.Attribute(js)
		if err != nil {
			require.True(t, errors.Is(err, kpi.ErrUndefined), err)
			return
		}
		first, err := attribution.First{}.Attribute(js)
		require.NoError(t, err)
		spend := map[string]decimal.Decimal{"a": decimal.New(c0, e0), string(rune('a' + other%12)): decimal.New(c1, e1)}
		rows, err := lin.ROI(spend)
		if err != nil {
			// A negative spend, or one beyond the bound on money.
			require.True(t, errors.Is(err, kpi.ErrInvalid), err)
			require.Contains(t, err.Error(), "spend[")
		} else {
			credits := map[string]attribution.Credit{}
			for _, c := range lin.Credits {
				credits[c.Channel] = c
			}
			names := map[string]bool{}
			for i, row := range rows {
				names[row.Channel] = true
				if i > 0 && rows[i-1].Channel >= row.Channel {
					t.Fatalf("rows out of order: %q after %q", row.Channel, rows[i-1].Channel)
				}
				assert.True(t, row.Spend.Equal(spend[row.Channel]))
				c := credits[row.Channel]
				assert.Equal(t, c.Conversions, row.Conversions)
				assert.True(t, row.Value.Equal(c.Value))
				// Each quotient is defined when its divisor is > 0 and it
				// lies within the bound on money, which WriteCSV holds it to.
				bound := decimal.New(1, 30)
				assert.Equal(t, row.ReturnOnSpend.Valid, row.Spend.Sign() > 0 && row.Value.DivRound(row.Spend, 4).LessThan(bound))
				assert.Equal(t, row.CostPerConversion.Valid, row.Conversions > 0 && row.Spend.DivRound(decimal.NewFromFloat(row.Conversions), 2).LessThan(bound))
				if !(row.CreditShare >= 0 && row.CreditShare <= 1+1e-12 && row.SpendShare >= 0 && row.SpendShare <= 1+1e-12) {
					t.Fatalf("row %+v: shares out of [0, 1]", row)
				}
			}
			for ch := range spend {
				assert.True(t, names[ch], "no row for %q", ch)
			}
			require.NoError(t, rows.WriteCSV(io.Discard))
			for ch := range credits {
				assert.True(t, names[ch], "no row for %q", ch)
			}
		}
		tab, err := attribution.NewTable(lin, first)
		require.NoError(t, err)
		require.True(t, slices.IsSorted(tab.Channels))
		for col, r := range []*attribution.Result{lin, first} {
			sum := decimal.Zero
			for row := range tab.Channels {
				sum = sum.Add(tab.Cells[row][col].Value)
			}
			assert.True(t, sum.Equal(js.Value()), "column %d adds up to %v, want %v", col, sum, js.Value())
			for _, c := range r.Credits {
				row, ok := slices.BinarySearch(tab.Channels, c.Channel)
				require.True(t, ok)
				assert.Equal(t, c.Conversions, tab.Cells[row][col].Conversions)
			}
		}
	})
}

// FuzzFormat writes fuzzed journeys in a CSV layout whose separators and
// column names come from the fuzzer and reads them back: Write and Read
// must refuse the layout alike with kpi.ErrInvalid, or Read must give back
// the journeys (totals and channels) and writing them again the same
// bytes.
func FuzzFormat(f *testing.F) {
	j := []byte{0, 1, 0x11, 1, 2, 0x04, 2, 0x80, 0x21, 0, 2, 0x35}
	f.Add(j, byte(','), " | ", "p|c|v|n")
	f.Add(j, byte('\t'), "→", "Path|Conv|Value|Null")
	f.Add(j, byte(';'), ">", "|||")
	f.Add(j, byte('"'), ">", "path|a|b|c")
	f.Add(j, byte(';'), "", "path|a|b|c")
	f.Add(j, byte(';'), ";", "path|a|b|c")
	f.Add(j, byte(','), ">", "x|x|x|x")
	f.Add(j, byte(','), "a", "p|c|v|n")
	f.Add(j, byte(','), ">", " path |conv\n|v|n")
	f.Fuzz(func(t *testing.T, data []byte, comma byte, sep, cols string) {
		js := addJourneys(t, fuzzJourneyList(data))
		c := append(strings.SplitN(cols, "|", 4), "", "", "", "")
		ff := attribution.Format{Comma: rune(comma), Sep: sep, Path: c[0], Conversions: c[1], Value: c[2], Nulls: c[3]}
		var first bytes.Buffer
		if err := attribution.Write(&first, js, ff); err != nil {
			require.True(t, errors.Is(err, kpi.ErrInvalid), err)
			_, errR := attribution.Read(strings.NewReader(""), ff)
			if errR == nil {
				t.Fatalf("Write refuses %+v (%v), Read does not", ff, err)
			}
			return
		}
		back, err := attribution.Read(bytes.NewReader(first.Bytes()), ff)
		if err != nil {
			t.Fatalf("reading back %q in %+v: %v", first.String(), ff, err)
		}
		if back.Len() != js.Len() || back.Conversions() != js.Conversions() || back.Nulls() != js.Nulls() || !back.Value().Equal(js.Value()) {
			t.Fatalf("round trip in %+v changed the totals of %q", ff, first.String())
		}
		assert.ElementsMatch(t, js.Channels(), back.Channels())
		var second bytes.Buffer
		require.NoError(t, attribution.Write(&second, back, ff))
		assert.Equal(t, first.String(), second.String())
	})
}
