package kpi_test

import (
	"encoding"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
)

// fuzzRates decodes up to 12 rates from bytes, two bytes a rate: the
// trials' magnitude (a power of two up to kpi.MaxTrials, with a low
// part) and the share of them that succeeded (0 and 255 are none and
// all). Trials of 0 are kept: some tests skip such periods.
func fuzzRates(data []byte) []kpi.Rate {
	data = data[:min(len(data), 24)]
	var rs []kpi.Rate
	for i := 0; i+1 < len(data); i += 2 {
		exp := int(data[i] >> 2 % 42) // up to 2^41
		n := int64(1)<<exp - 1 + int64(data[i]&3)
		if data[i] == 0 {
			n = 0
		}
		x := int64(float64(n) * float64(data[i+1]) / 255)
		r, err := kpi.NewRate(x, n)
		if err != nil {
			continue // beyond kpi.MaxTrials
		}
		rs = append(rs, r)
	}
	return rs
}

// checkP fails unless p is a probability (not NaN).
func checkStat(t *testing.T, name string, v float64) {
	t.Helper()
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		t.Fatalf("%s = %v", name, v)
	}
}

// FuzzHypothesisTests runs TestSRM, TestTrend and TestHomogeneity on
// fuzzed counts and rates, from none to kpi.MaxTrials in all: each
// returns an error wrapping kpi.ErrInvalid or a finite statistic ≥ 0 with
// a p-value in [0, 1]; Trend's χ² is Z²; results do not change when the
// groups (SRM, Homogeneity) are reversed; a trend reverses its sign with
// its scores.
func FuzzHypothesisTests(f *testing.F) {
	f.Add([]byte{0x28, 0x80, 0x28, 0x70, 0x28, 0x60}, 1.0, 1.0)
	f.Add([]byte{0x04, 0x00, 0x04, 0xff}, 0.9, 0.1)
	f.Add([]byte{0xa4, 0x80, 0xa4, 0x81}, 1.0, 1e-300) // 2^41 trials each: over kpi.MaxTrials in all
	f.Add([]byte{0x9c, 0x00, 0x9c, 0x00, 0x9c, 0x00}, 1.0, 1.0)
	f.Add([]byte{0x00, 0x00, 0x05, 0x80}, 1.0, math.Inf(1))
	f.Add([]byte{0x05, 0x80, 0x09, 0x80, 0x0d, 0x80}, math.NaN(), 2.0)
	f.Add([]byte{0x28, 0x80, 0x28, 0x70, 0x28, 0x60}, 1e308, 1.0)
	f.Add([]byte{0x28, 0x80, 0x28, 0x70, 0x28, 0x60}, -1e-300, 1.0)
	f.Fuzz(func(t *testing.T, data []byte, w0, w1 float64) {
		rates := fuzzRates(data)
		counts := make([]int64, len(rates))
		weights := make([]float64, len(rates))
		for i, r := range rates {
			counts[i] = r.Successes()
			weights[i] = w0
			if i%2 == 1 {
				weights[i] = w1
			}
		}
		srm, err := kpi.TestSRM(counts, weights)
		if err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Less(t, len(err.Error()), 300)
		} else {
			// A weight tiny against the others (1e-300 against 1) expects
			// no unit: χ² is +Inf and P is 0, the limit, not NaN.
			if math.IsInf(srm.ChiSquare, 1) {
				srm.ChiSquare = math.MaxFloat64
				assert.Zero(t, srm.P)
			}
			checkStat(t, "SRM χ²", srm.ChiSquare)
			checkP(t, "SRM p", srm.P)
			assert.Equal(t, len(counts)-1, srm.DF)
			rc, rw := reversed(counts), reversed(weights)
			back, err := kpi.TestSRM(rc, rw)
			require.NoError(t, err)
			assert.InDelta(t, srm.P, back.P, 1e-9)
		}

		tr, err := kpi.TestTrend(rates, nil)
		if err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
		} else {
			checkStat(t, "trend χ²", tr.ChiSquare)
			checkP(t, "trend p", tr.P)
			assert.False(t, math.IsNaN(tr.Z))
			assert.InDelta(t, tr.Z*tr.Z, tr.ChiSquare, 1e-9*math.Max(1, tr.ChiSquare))
			scores := make([]float64, len(rates))
			for i := range scores {
				scores[i] = -float64(i + 1)
			}
			down, err := kpi.TestTrend(rates, scores)
			require.NoError(t, err)
			assert.InDelta(t, -tr.Z, down.Z, 1e-9*math.Max(1, math.Abs(tr.Z)))
			assert.InDelta(t, tr.P, down.P, 1e-9)
			// Scores 1, 2, … times ±2^e, e w0's exponent, of any size: the
			// same statistic bit for bit (the scaling is exact), its sign
			// w0's. Scores near 1e308 made it NaN, near 1e-300 an "all
			// equal" error. (Any other factor rounds the scores, and with
			// 2⁴⁰ trials Σxᵢ(sᵢ − s̄) cancels enough to show it at 1e-9.)
			if e := math.Ilogb(w0); w0 != 0 && !math.IsNaN(w0) && !math.IsInf(w0, 0) && !math.IsInf(math.Ldexp(float64(len(rates)), e), 0) && e >= -1070 {
				for i := range scores {
					scores[i] = math.Copysign(math.Ldexp(float64(i+1), e), w0)
				}
				got, err := kpi.TestTrend(rates, scores)
				require.NoError(t, err, "scores ×±2^%d", e)
				want := tr.Z
				if w0 < 0 {
					want = -want
				}
				assert.Equal(t, want, got.Z, "scores ×±2^%d", e)
			}
		}

		h, err := kpi.TestHomogeneity(rates)
		if err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
		} else {
			checkStat(t, "homogeneity χ²", h.ChiSquare)
			checkP(t, "homogeneity p", h.P)
			back, err := kpi.TestHomogeneity(reversed(rates))
			require.NoError(t, err)
			assert.InDelta(t, h.P, back.P, 1e-9)
			assert.Equal(t, h.DF, back.DF)
		}
	})
}

func reversed[T any](s []T) []T {
	out := make([]T, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

// FuzzChart builds p-charts and Laney p′-charts of fuzzed periods, up to
// kpi.MaxTrials in all: an error wraps kpi.ErrInvalid (or ErrUndefined
// for a period with no trials), or the centre line is the pooled rate in
// [0, 1], every period's limits lie in [0, 1] around it, a period is
// Beyond exactly when its rate lies outside them, and Laney's σ_z is
// finite and ≥ 0 (1 for the p-chart).
func FuzzChart(f *testing.F) {
	f.Add([]byte{0x28, 0x80, 0x28, 0x70, 0x28, 0x60, 0x28, 0x90})
	f.Add([]byte{0x04, 0x00, 0x04, 0x00})
	f.Add([]byte{0x04, 0xff, 0x08, 0xff})
	f.Add([]byte{0xa0, 0x80, 0xa0, 0x01, 0xa0, 0xfe}) // near kpi.MaxTrials in all
	f.Add([]byte{0x05, 0x80, 0x00, 0x00})             // a period with no trials
	f.Add([]byte{0x29, 0x10, 0x29, 0x20, 0x29, 0x30, 0x29, 0x40, 0x29, 0x50, 0x29, 0x60, 0x29, 0x70, 0x29, 0x80, 0x29, 0x90})
	f.Fuzz(func(t *testing.T, data []byte) {
		rates := fuzzRates(data)
		for _, laney := range []bool{false, true} {
			chart := kpi.PChart
			if laney {
				chart = kpi.LaneyChart
			}
			c, err := chart(rates)
			if err != nil {
				checkClass(t, err)
				continue
			}
			var x, n float64
			for _, r := range rates {
				x += float64(r.Successes())
				n += float64(r.Trials())
			}
			checkP(t, "centre", c.Center)
			assert.InDelta(t, x/n, c.Center, 1e-12)
			assert.Equal(t, laney, c.Laney)
			checkStat(t, "σ_z", c.SigmaZ)
			if !laney {
				assert.Equal(t, 1.0, c.SigmaZ)
			}
			require.Len(t, c.Points, len(rates))
			for i, p := range c.Points {
				if !(p.Lower >= 0 && p.Lower <= c.Center && c.Center <= p.Upper && p.Upper <= 1) {
					t.Fatalf("laney %v, period %d: limits [%v, %v] around %v", laney, i, p.Lower, p.Upper, c.Center)
				}
				assert.False(t, math.IsNaN(p.Z) || math.IsNaN(p.Value), "period %d", i)
				assert.Equal(t, p.Value < p.Lower || p.Value > p.Upper, p.Signals&kpi.Beyond != 0, "period %d", i)
				assert.Equal(t, rates[i], p.Rate)
			}
		}
	})
}

// FuzzDetectable asks Design.DetectableOne and DetectableTwo for the
// smallest rate detected with the design's power after n trials, from 1
// to kpi.MaxTrials, and checks that the power at that rate reaches the
// power asked and is that power (to 1e-6, away from the exact test's
// step function and from rates within 1e-6 of 0 or 1), that the rate
// lies on the alternative's side of the target, and
// that an error wraps kpi.ErrInvalid or kpi.ErrUndefined.
func FuzzDetectable(f *testing.F) {
	f.Add(0.5, 0.8, 0.05, uint8(0), uint8(0), int64(400), int64(400))
	f.Add(0.1, 0.9, 0.01, uint8(1), uint8(1), int64(1), int64(1))
	f.Add(0.3, 0.5, 0.05, uint8(2), uint8(2), int64(1000), int64(30))
	f.Add(1e-9, 0.8, 0.05, uint8(0), uint8(1), int64(kpi.MaxTrials), int64(kpi.MaxTrials))
	f.Add(1-1e-9, 0.8, 0.05, uint8(1), uint8(0), int64(kpi.MaxTrials), int64(1))
	f.Add(0.5, 0.06, 0.05, uint8(0), uint8(0), int64(10), int64(10))
	f.Add(0.5, 0.8, 0.05, uint8(0), uint8(0), int64(0), int64(kpi.MaxTrials+1))
	f.Fuzz(func(t *testing.T, target, power, alpha float64, alt, sz uint8, na, nb int64) {
		d := kpi.Design{Alpha: alpha, Power: power, Alternative: kpi.Alternative(alt % 4), Sizing: kpi.Sizing(sz % 4)}
		if d.Sizing == kpi.Exact && na > 1<<16 {
			na = na%(1<<16) + 1 // the exact power costs n
		}
		p, err := d.DetectableOne(target, na)
		if err != nil {
			checkClass(t, err)
		} else {
			checkP(t, "detectable rate", p)
			at, err := d.PowerOne(target, p, na)
			require.NoError(t, err)
			checkDetectable(t, d, target, p, at)
		}
		if d.Sizing == kpi.Exact {
			return
		}
		pb, err := d.DetectableTwo(target, na, nb)
		if err != nil {
			checkClass(t, err)
			return
		}
		checkP(t, "detectable rate B", pb)
		at, err := d.PowerTwo(target, pb, na, nb)
		require.NoError(t, err)
		checkDetectable(t, d, target, pb, at)
	})
}

func checkDetectable(t *testing.T, d kpi.Design, target, p, at float64) {
	t.Helper()
	checkP(t, "power", at)
	if d.Alternative == kpi.Less {
		assert.LessOrEqual(t, p, target, "%+v", d)
	} else {
		assert.GreaterOrEqual(t, p, target, "%+v", d)
	}
	// The search stops at the float64 nearest the crossing on the side
	// that reaches Power.
	assert.GreaterOrEqual(t, at, d.Power, "%+v: power at %v", d, p)
	// The exact power is a step function, and near 0 and 1 the power
	// moves by more than 1e-6 from one float64 to the next: there only
	// the side of the target is checked.
	if d.Sizing == kpi.Exact || math.Min(p, 1-p) < 1e-6 || math.Min(target, 1-target) < 1e-6 {
		return
	}
	assert.InDelta(t, d.Power, at, 1e-6, "%+v: power at %v", d, p)
}

// FuzzDiffSequenceMerge splits fuzzed looks of a sequential test of two
// rates between two DiffSequences: the merge counts the trials of one
// sequence of every look, leaves the merged-from one as it was, and gives
// the same interval and Rejects answers; Rejects is monotone in the
// margin for a one-sided alternative (rejecting H₀: d ≤ δ rejects every
// smaller δ) and never rejects at the estimate's wrong side; bad margins,
// alternatives and Alphas are errors wrapping kpi.ErrInvalid.
func FuzzDiffSequenceMerge(f *testing.F) {
	f.Add([]byte{0x28, 0x40, 0x28, 0x80, 0x29, 0x40, 0x29, 0x90}, uint8(1), 0.05, 0.0, uint8(1))
	f.Add([]byte{0x04, 0x00, 0x04, 0xff}, uint8(0), 0.5, -0.5, uint8(2))
	f.Add([]byte{0xa0, 0x80, 0xa0, 0x80, 0x9c, 0x10, 0x9c, 0xf0}, uint8(2), 1e-9, 0.01, uint8(0)) // near kpi.MaxTrials
	f.Add([]byte{}, uint8(0), 0.05, 0.999, uint8(3))
	f.Add([]byte{0x05, 0x10, 0x05, 0x20}, uint8(1), 0.05, math.NaN(), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, split uint8, alpha, margin float64, alt uint8) {
		rates := fuzzRates(data)
		if !(alpha > 0 && alpha < 1) {
			require.ErrorIs(t, (&kpi.DiffSequence{Alpha: alpha}).Merge(&kpi.DiffSequence{Alpha: alpha}), kpi.ErrInvalid)
			return
		}
		whole, a, b, twin := kpi.DiffSequence{Alpha: alpha}, kpi.DiffSequence{Alpha: alpha}, kpi.DiffSequence{Alpha: alpha}, kpi.DiffSequence{Alpha: alpha}
		k := int(split) % (len(rates)/2 + 1)
		for i := 0; i+1 < len(rates); i += 2 {
			if err := whole.Add(rates[i], rates[i+1]); err != nil {
				require.ErrorIs(t, err, kpi.ErrInvalid)
				return
			}
			part := &a
			if i/2 >= k {
				part = &b
				require.NoError(t, twin.Add(rates[i], rates[i+1]))
			}
			require.NoError(t, part.Add(rates[i], rates[i+1]))
		}
		require.NoError(t, a.Merge(&b))
		assert.Equal(t, whole, a, "merge of a split at look %d", k)
		assert.Equal(t, twin, b, "the merged-from sequence")
		require.ErrorIs(t, a.Merge(&a), kpi.ErrInvalid)
		require.ErrorIs(t, a.Merge(nil), kpi.ErrInvalid)
		other := kpi.DiffSequence{Alpha: alpha / 2}
		require.ErrorIs(t, a.Merge(&other), kpi.ErrInvalid)

		al := kpi.Alternative(alt % 4)
		rej, err := a.Rejects(margin, al)
		if err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			return
		}
		if a.A.Trials() == 0 && a.B.Trials() == 0 {
			assert.False(t, rej)
			return
		}
		lo, hi, err := a.Interval()
		require.NoError(t, err)
		if !(lo >= -1 && lo <= hi && hi <= 1) {
			t.Fatalf("interval [%v, %v]", lo, hi)
		}
		if al == kpi.Greater && rej {
			assert.Less(t, margin, hi, "rejected d ≤ %v with the interval [%v, %v]", margin, lo, hi)
			for _, m := range []float64{margin - 0.1, (margin - 1) / 2} {
				if m > -1 {
					r2, err := a.Rejects(m, al)
					require.NoError(t, err)
					assert.True(t, r2, "rejected at %v, not at %v", margin, m)
				}
			}
		}
		if al == kpi.Less && rej {
			assert.Greater(t, margin, lo, "rejected d ≥ %v with the interval [%v, %v]", margin, lo, hi)
		}
	})
}

// textEnum is an enum of the root package read and written as text.
type textEnum interface {
	encoding.TextMarshaler
	fmt.Stringer
}

// FuzzUnmarshalText reads fuzzed text into every enum of the package
// (Alternative, Method, Adjustment, Sizing, Scale): what it accepts
// writes back as the same text, by MarshalText and by String; what it
// refuses is an error wrapping kpi.ErrInvalid that names the text, cut to
// a readable length. Every constant round-trips.
func FuzzUnmarshalText(f *testing.F) {
	for _, s := range []string{"Greater", "TwoSided", "Wilson", "ClopperPearson", "Holm", "BH", "Exact", "Arcsine", "log-log", "plain",
		"", "greater", "Wilson ", "Sizing(9)", strings.Repeat("x", 1000), "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		var (
			alt  kpi.Alternative
			m    kpi.Method
			adj  kpi.Adjustment
			sz   kpi.Sizing
			sc   kpi.Scale
			vals = []struct {
				u   encoding.TextUnmarshaler
				get func() textEnum
			}{
				{&alt, func() textEnum { return alt }},
				{&m, func() textEnum { return m }},
				{&adj, func() textEnum { return adj }},
				{&sz, func() textEnum { return sz }},
				{&sc, func() textEnum { return sc }},
			}
		)
		for _, v := range vals {
			err := v.u.UnmarshalText(text)
			if err != nil {
				require.ErrorIs(t, err, kpi.ErrInvalid)
				msg := err.Error()
				assert.Less(t, len(msg), 300, "error text of %d bytes", len(msg))
				if q := fmt.Sprintf("%q", text); len(q) <= 96 { // longer values are cut
					assert.Contains(t, msg, q)
				}
				continue
			}
			got := v.get()
			back, err := got.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, string(text), string(back))
			assert.Equal(t, string(text), got.String())
		}
	})
}

// TestEnumTextRoundTrip round-trips every constant of the package's enums
// through MarshalText and UnmarshalText, and checks the first value past
// the last constant is refused by MarshalText.
func TestEnumTextRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		vals []textEnum
		bad  textEnum
		into func([]byte) (textEnum, error)
	}{
		{"Alternative", []textEnum{kpi.TwoSided, kpi.Less, kpi.Greater}, kpi.Alternative(3),
			func(b []byte) (textEnum, error) { var v kpi.Alternative; err := v.UnmarshalText(b); return v, err }},
		{"Sizing", []textEnum{kpi.Normal, kpi.Arcsine, kpi.Exact}, kpi.Sizing(3),
			func(b []byte) (textEnum, error) { var v kpi.Sizing; err := v.UnmarshalText(b); return v, err }},
		{"Scale", []textEnum{kpi.LogLogScale, kpi.LogScale, kpi.PlainScale}, kpi.Scale(3),
			func(b []byte) (textEnum, error) { var v kpi.Scale; err := v.UnmarshalText(b); return v, err }},
		{"Adjustment", []textEnum{kpi.Holm}, kpi.Adjustment(-1),
			func(b []byte) (textEnum, error) { var v kpi.Adjustment; err := v.UnmarshalText(b); return v, err }},
		{"Method", []textEnum{kpi.Wilson, kpi.ClopperPearson}, kpi.Method(-1),
			func(b []byte) (textEnum, error) { var v kpi.Method; err := v.UnmarshalText(b); return v, err }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, v := range tc.vals {
				b, err := v.MarshalText()
				require.NoError(t, err)
				got, err := tc.into(b)
				require.NoError(t, err)
				assert.Equal(t, v, got)
			}
			_, err := tc.bad.MarshalText()
			assert.True(t, errors.Is(err, kpi.ErrInvalid), "%v", err)
		})
	}
}
