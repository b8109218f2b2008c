package clv_test

import (
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi/cohort/clv"
)

// FuzzPurchasesMerge splits fuzzed transactions (three bytes each: the
// customer, the day, the amount in cents; day 0xff is year 3000, outside
// the library's range) at any point between two Purchases and merges
// them: the merged summary must equal one pass's, and the merged-from
// Purchases must encode as its twin that took the same transactions.
func FuzzPurchasesMerge(f *testing.F) {
	f.Add([]byte{0, 0, 10, 0, 5, 20, 1, 3, 7, 1, 9, 0, 2, 40, 1, 0, 60, 9}, uint8(3), uint8(30))
	f.Add([]byte{0, 0xff, 10, 1, 1, 1}, uint8(1), uint8(0))
	f.Add([]byte{}, uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, split, at uint8) {
		base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		var whole clv.Purchases
		var kept []clv.Transaction
		for i := 0; i+2 < len(data) && len(kept) < 64; i += 3 {
			tr := clv.Transaction{CustomerID: string(rune('a' + data[i]%5)), At: base.AddDate(0, 0, int(data[i+1])), Amount: decimal.New(int64(data[i+2]), -2)}
			if data[i+1] == 0xff {
				tr.At = time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
			}
			if err := whole.Add(tr); err != nil {
				checkKPIError(t, err)
				continue
			}
			kept = append(kept, tr)
		}
		k := int(split) % (len(kept) + 1)
		var a, b, twin clv.Purchases
		for _, tr := range kept[:k] {
			require.NoError(t, a.Add(tr))
		}
		for _, tr := range kept[k:] {
			require.NoError(t, b.Add(tr))
			require.NoError(t, twin.Add(tr))
		}
		require.NoError(t, a.Merge(&b))
		sd := base.AddDate(0, 0, int(at))
		want, errW := whole.Summary(sd, sd.AddDate(0, 0, 30), 24*time.Hour)
		got, errA := a.Summary(sd, sd.AddDate(0, 0, 30), 24*time.Hour)
		if errW != nil {
			checkKPIError(t, errW)
			require.Error(t, errA)
		} else {
			require.NoError(t, errA)
			assert.Equal(t, want, got, "merge of a split at %d", k)
		}
		bin, err := b.MarshalBinary()
		require.NoError(t, err)
		twinBin, err := twin.MarshalBinary()
		require.NoError(t, err)
		assert.Equal(t, twinBin, bin, "the merged-from Purchases")
	})
}

// FuzzValuation values fuzzed customers under fuzzed settings: Value must
// be a classed error or a finite value ≥ 0, and with no discount it must
// be Margin · E[Z] · E[Y(Periods·Length)] (the sum telescopes), to a
// relative 1e-9 and the rounding of six places.
func FuzzValuation(f *testing.F) {
	f.Add(int64(2), 30.43, 38.86, int64(2000), 12, 4.35, 0.01, 0.8)
	f.Add(int64(0), 0.0, 38.86, int64(0), 1, 1.0, 0.0, 1.0)
	f.Add(int64(3000), 20.0, 20.0, int64(math.MaxInt64), 10_000, 1e-300, 1e300, 1e-300)
	f.Add(int64(1), 1.0, 2.0, int64(1), math.MaxInt, 1e300, 1e-17, 0.5)
	f.Add(int64(-1), -1.0, math.NaN(), int64(-5), 0, math.Inf(1), -0.1, 1.5)
	f.Fuzz(func(t *testing.T, freq int64, recency, age float64, cents int64, periods int, length, discount, margin float64) {
		bg, err := clv.NewBGNBD(0.243, 4.414, 0.793, 2.426)
		require.NoError(t, err)
		gg, err := clv.NewGammaGamma(6.25, 3.74, 15.44)
		require.NoError(t, err)
		v := clv.Valuation{Purchases: bg, Spend: gg, Periods: min(periods, 20_000), Length: length, Discount: discount, Margin: margin}
		if v.Periods > 200 {
			v.Periods = 10_000 + v.Periods%2 // the bound and one beyond it
		}
		c := clv.RFM{CustomerID: "c", History: clv.History{Frequency: freq, Recency: recency, Age: age}, Value: decimal.New(cents, -2)}
		val, err := v.Value(c)
		if err != nil {
			checkKPIError(t, err)
			return
		}
		require.False(t, val.IsNegative(), "value %v", val)
		if discount != 0 {
			return
		}
		z, err := gg.ExpectedValue(c)
		require.NoError(t, err)
		y, err := bg.ConditionalPurchases(c.History, float64(v.Periods)*length)
		require.NoError(t, err)
		want := margin * z.InexactFloat64() * y
		assert.InDelta(t, want, val.InexactFloat64(), 1e-9*math.Abs(want)+1e-5)
	})
}
