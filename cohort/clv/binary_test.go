package clv_test

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort/clv"
)

// randomTransactions returns n transactions of up to 50 customers over
// 1997 and 1998, with amounts in cents, some large, some zero, some at a
// time zone that moves the date.
func randomTransactions(rng *rand.Rand, n int) []clv.Transaction {
	zone := time.FixedZone("UTC-11", -11*3600)
	out := make([]clv.Transaction, n)
	for i := range out {
		at := day(1997, 1, 1).Add(time.Duration(rng.IntN(730*24)) * time.Hour)
		if rng.IntN(5) == 0 {
			at = at.In(zone)
		}
		amount := decimal.New(rng.Int64N(100_000), -2)
		switch rng.IntN(10) {
		case 0:
			amount = decimal.Zero
		case 1:
			amount = decimal.RequireFromString("12345678901.5")
		}
		out[i] = clv.Transaction{CustomerID: string(rune('a'+rng.IntN(26))) + string(rune('A'+rng.IntN(2))), At: at, Amount: amount}
	}
	return out
}

// summary is the purchases' summary over the split of randomTransactions,
// or the error's text.
func summary(p *clv.Purchases) (clv.Summary, string) {
	s, err := p.Summary(day(1998, 3, 31), day(1998, 12, 31), 7*24*time.Hour)
	if err != nil {
		return clv.Summary{}, err.Error()
	}
	return s, ""
}

// TestPurchases_MarshalBinary checks the round trip: the decoded
// purchases summarise as the original, encode to the same bytes, and
// merge like the original.
func TestPurchases_MarshalBinary(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	tests := []struct {
		name string
		txs  []clv.Transaction
	}{
		{"empty", nil},
		{"one", randomTransactions(rng, 1)},
		{"many", randomTransactions(rng, 2000)},
		{"the largest amounts", []clv.Transaction{
			{CustomerID: "a", At: day(1998, 1, 1), Amount: decimal.RequireFromString("922337203685.477581")},
			{CustomerID: "b", At: day(1998, 1, 1), Amount: decimal.RequireFromString("9223372036854.77580")},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p clv.Purchases
			require.NoError(t, p.AddAll(slices.Values(tc.txs[:len(tc.txs)/2])))
			b, err := p.MarshalBinary()
			require.NoError(t, err)
			var got clv.Purchases
			require.NoError(t, got.UnmarshalBinary(b))
			assert.Equal(t, fmtSummary(summary(&p)), fmtSummary(summary(&got)))
			again, err := got.MarshalBinary()
			require.NoError(t, err)
			assert.Equal(t, b, again)

			var rest clv.Purchases
			require.NoError(t, rest.AddAll(slices.Values(tc.txs[len(tc.txs)/2:])))
			require.NoError(t, p.Merge(&rest))
			require.NoError(t, got.Merge(&rest))
			assert.Equal(t, fmtSummary(summary(&p)), fmtSummary(summary(&got)))
		})
	}
	var nilP *clv.Purchases
	b, err := nilP.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, []byte("kpP\x01\x00\x00"), b)
}

// fmtSummary writes a summary so that values compare exactly: decimals
// by their text, floats by their bits.
func fmtSummary(s clv.Summary, err string) []string {
	out := []string{err}
	for _, c := range s.Customers {
		out = append(out, c.CustomerID+" "+c.Value.String()+" "+
			decimal.NewFromInt(c.Frequency).String()+" "+decimal.NewFromInt(c.Holdout).String(),
			decimal.NewFromFloat(c.Recency).String()+" "+decimal.NewFromFloat(c.Age).String())
	}
	return out
}

// TestPurchases_UnmarshalBinaryErrors checks that foreign, truncated and
// invalid data are errors wrapping kpi.ErrInvalid that leave the purchases
// as they were.
func TestPurchases_UnmarshalBinaryErrors(t *testing.T) {
	hdr := []byte("kpP\x01")
	// One customer "a", then one transaction: customer, day, units.
	one := func(tx ...byte) []byte { return slices.Concat(hdr, []byte{1, 1, 'a', 1}, tx) }
	var good clv.Purchases
	require.NoError(t, good.AddAll(slices.Values(randomTransactions(rand.New(rand.NewPCG(1, 2)), 50))))
	data, err := good.MarshalBinary()
	require.NoError(t, err)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "too short for a header"},
		{"other kind", []byte("kpJ\x01"), "kind 'J': want 'P'"},
		{"future version", []byte("kpP\x02"), "version 2: this build reads versions 1 to 1"},
		{"truncated", data[:len(data)-1], "clv.Purchases.UnmarshalBinary: data"},
		{"left over", append(one(0, 0xc6, 0xe1, 0x01, 0), 0), "1 bytes left over"},
		{"empty ID", slices.Concat(hdr, []byte{1, 0}), "count 1 exceeds the 1 bytes left"},
		{"empty ID at the end", slices.Concat(hdr, []byte{2, 1, 'a', 0, 0}), `customer ID "" empty or repeated`},
		{"repeated ID", slices.Concat(hdr, []byte{2, 1, 'a', 1, 'a', 0}), `customer ID "a" empty or repeated`},
		{"unknown customer", one(2, 0xc6, 0xe1, 0x01, 0), "transaction 0: customer 1 of 1"},
		{"negative customer", one(1, 0xc6, 0xe1, 0x01, 0), "transaction 0: customer -1 of 1"},
		{"day before 1900", one(0, 0xc1, 0x8f, 0x03, 0), "transaction 0: day -25569 outside the years 1900 to 2149"},
		{"day after 2149", one(0, 0xa2, 0x83, 0x08, 0), "transaction 0: day 65745 outside the years 1900 to 2149"},
		{"units", one(0, 0, 0x0f), "units 1·10^7 not in their one encoding"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := good
			before, err := p.MarshalBinary()
			require.NoError(t, err)
			err = p.UnmarshalBinary(tc.data)
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
			after, err := p.MarshalBinary()
			require.NoError(t, err)
			assert.Equal(t, before, after)
		})
	}
	var nilP *clv.Purchases
	assert.ErrorIs(t, nilP.UnmarshalBinary(data), kpi.ErrInvalid)
}

// FuzzPurchasesBinary decodes arbitrary bytes: nothing panics, what
// decodes re-encodes to the same bytes, and the decoded purchases merged
// with a second decoding of them summarise as they do (purchases on the
// same days are one purchase), but for the values, which double.
func FuzzPurchasesBinary(f *testing.F) {
	rng := rand.New(rand.NewPCG(9, 9))
	for _, n := range []int{0, 3, 40} {
		var p clv.Purchases
		if err := p.AddAll(slices.Values(randomTransactions(rng, n))); err != nil {
			f.Fatal(err)
		}
		b, _ := p.MarshalBinary()
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var p clv.Purchases
		if err := p.UnmarshalBinary(data); err != nil {
			require.True(t, errors.Is(err, kpi.ErrInvalid), err)
			return
		}
		b, err := p.MarshalBinary()
		require.NoError(t, err)
		require.Equal(t, data, b)
		var other clv.Purchases
		require.NoError(t, other.UnmarshalBinary(b))
		var both clv.Purchases
		require.NoError(t, both.Merge(&p))
		require.NoError(t, both.Merge(&other))
		one, err1 := summary(&p)
		two, err2 := summary(&both)
		if err1 != "" || err2 != "" {
			assert.Equal(t, err1 == "", err2 == "", "%s / %s", err1, err2)
			return
		}
		require.Len(t, two.Customers, len(one.Customers))
		for i, c := range one.Customers {
			assert.Equal(t, c.History, two.Customers[i].History)
			assert.Equal(t, c.Holdout, two.Customers[i].Holdout)
		}
	})
}

// BenchmarkPurchasesMarshalBinary encodes and decodes the purchases of a
// million transactions of 100 000 customers, each customer's ten
// transactions in a row a week or so apart, for whole amounts;
// bytes/transaction is the encoded size.
func BenchmarkPurchasesMarshalBinary(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	var p clv.Purchases
	for c := range 100_000 {
		at := day(2024, 1, 1).AddDate(0, 0, rng.IntN(90))
		id := "customer-" + decimal.NewFromInt(int64(c)).String()
		for range 10 {
			at = at.AddDate(0, 0, 1+rng.IntN(14))
			if err := p.Add(clv.Transaction{CustomerID: id, At: at, Amount: decimal.NewFromInt(10 + rng.Int64N(990))}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportAllocs()
	var data []byte
	for b.Loop() {
		data, _ = p.MarshalBinary()
		var got clv.Purchases
		if err := got.UnmarshalBinary(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data))/1e6, "bytes/transaction")
}
