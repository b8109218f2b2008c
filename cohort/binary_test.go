package cohort_test

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
)

// tableJSON is the table of b through December 2024, as JSON (every field,
// money as decimal text), or the error's text.
func tableJSON(t *testing.T, b *cohort.Builder, segments ...string) string {
	t.Helper()
	tab, err := b.Table(day(2024, 12, 1), segments...)
	if err != nil {
		return err.Error()
	}
	out, err := json.Marshal(tab)
	require.NoError(t, err)
	return string(out)
}

// weeklyRecords are a weekly builder's records before and after 1970,
// with a subscription that ends and one that does not, and revenue for a
// customer added later.
func weeklyRecords() []cohort.Record {
	return []cohort.Record{
		cohort.Revenue{CustomerID: "late", At: day(1969, 12, 1), Amount: d("5")},
		cohort.Customer{ID: "old", Acquired: day(1969, 11, 3), Segment: "ads"},
		cohort.Subscription{CustomerID: "old", Start: day(1969, 11, 3), End: day(1969, 12, 29), Amount: d("12.5")},
		cohort.Subscription{CustomerID: "old", Start: day(2024, 1, 1), Amount: d("1")},
		cohort.Customer{ID: "late", Acquired: day(1969, 12, 1)},
		cohort.Revenue{CustomerID: "late", At: day(2024, 11, 5), Amount: d("922337203685.477581")},
	}
}

// TestBuilder_MarshalBinary checks the round trip: the decoded builder
// makes the original's tables, encodes to the same bytes, and merges like
// the original.
func TestBuilder_MarshalBinary(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 1))
	tests := []struct {
		name    string
		grain   cohort.Grain
		records []cohort.Record
	}{
		{"empty", cohort.Quarter, nil},
		{"monthly", cohort.Month, randomRecords(rng)},
		{"monthly, another", cohort.Month, randomRecords(rand.New(rand.NewPCG(3, 3)))},
		{"weekly around 1970", cohort.Week, weeklyRecords()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := cohort.NewBuilder(tc.grain)
			require.NoError(t, err)
			half := len(tc.records) / 2
			require.NoError(t, b.AddAll(slices.Values(tc.records[:half])))
			data, err := b.MarshalBinary()
			require.NoError(t, err)
			var got cohort.Builder
			require.NoError(t, got.UnmarshalBinary(data))
			assert.Equal(t, tableJSON(t, b), tableJSON(t, &got))
			assert.Equal(t, tableJSON(t, b, "ads"), tableJSON(t, &got, "ads"))
			again, err := got.MarshalBinary()
			require.NoError(t, err)
			assert.Equal(t, data, again)

			rest, err := cohort.NewBuilder(tc.grain)
			require.NoError(t, err)
			require.NoError(t, rest.AddAll(slices.Values(tc.records[half:])))
			require.NoError(t, b.Merge(rest))
			require.NoError(t, got.Merge(rest))
			assert.Equal(t, tableJSON(t, b), tableJSON(t, &got))
		})
	}
}

// TestBuilder_UnmarshalBinaryErrors checks that foreign, truncated and
// invalid data are errors wrapping kpi.ErrInvalid that leave the builder
// as it was.
func TestBuilder_UnmarshalBinaryErrors(t *testing.T) {
	hdr := []byte("kpC\x01\x00")
	// Monthly, one segment "s", one customer "a" of it acquired in period
	// 24 288 (January 2024), then the rows and subscriptions.
	one := func(tail ...byte) []byte {
		return slices.Concat(hdr, []byte{1, 1, 's', 1, 1, 'a', 1, 0xc0, 0xfb, 0x02}, tail)
	}
	good := demo(t)
	data, err := good.MarshalBinary()
	require.NoError(t, err)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "too short for a header"},
		{"other kind", []byte("kpP\x01"), "kind 'P': want 'C'"},
		{"truncated", data[:len(data)-1], "cohort.Builder.UnmarshalBinary: data"},
		{"left over", one(0, 0, 0), "1 bytes left over"},
		{"grain", []byte("kpC\x01\x03\x00\x00\x00\x00"), "grain 3: unknown"},
		{"repeated segment", slices.Concat(hdr, []byte{2, 1, 's', 1, 's'}), `segment "s" repeated`},
		{"empty ID", slices.Concat(hdr, []byte{0, 1, 0, 0, 0, 0}), `customer ID "" empty or repeated`},
		{"repeated ID", slices.Concat(hdr, []byte{0, 2, 1, 'a', 0, 1, 'a', 0}), `customer ID "a" empty or repeated`},
		{"unknown segment", slices.Concat(hdr, []byte{1, 1, 's', 1, 1, 'a', 2, 0}), `customer "a": segment 1 of 1`},
		{"acquired before 1900", slices.Concat(hdr, []byte{1, 1, 's', 1, 1, 'a', 1, 0}), `customer "a": acquisition period 0 outside the years 1900 to 2149`},
		{"row of no customer", one(1, 2, 0xc0, 0xfb, 0x02, 0, 0), "revenue row 0: customer 1 of 1"},
		{"row after 2149", one(1, 0, 0xfe, 0xa6, 0x03, 0, 0), "revenue row 0: period 27071 outside the years 1900 to 2149"},
		{"row units", one(1, 0, 0xc0, 0xfb, 0x02, 0x0f, 0), "units 1·10^7 not in their one encoding"},
		{"subscription of no customer", one(0, 1, 1, 0xc0, 0xfb, 0x02, 0, 0), "subscription 0: customer 1 of 1"},
		{"subscription beyond 2149", one(0, 1, 0, 0xc0, 0xfb, 0x02, 0xff, 0x7f, 0), "subscription 0: periods 24288 + 16383 outside the years 1900 to 2149"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := demo(t)
			before, err := b.MarshalBinary()
			require.NoError(t, err)
			err = b.UnmarshalBinary(tc.data)
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
			after, err := b.MarshalBinary()
			require.NoError(t, err)
			assert.Equal(t, before, after)
		})
	}
	var nilB *cohort.Builder
	assert.ErrorIs(t, nilB.UnmarshalBinary(data), kpi.ErrInvalid)
	_, err = new(cohort.Builder).MarshalBinary()
	assert.ErrorContains(t, err, "cohort.Builder.MarshalBinary: Builder zero value: use cohort.NewBuilder")
}

// FuzzBuilderBinary decodes arbitrary bytes: nothing panics, what decodes
// re-encodes to the same bytes, and the decoded builder merged into an
// empty one makes the tables it makes.
func FuzzBuilderBinary(f *testing.F) {
	rng := rand.New(rand.NewPCG(9, 9))
	for _, g := range []cohort.Grain{cohort.Month, cohort.Week} {
		b, _ := cohort.NewBuilder(g)
		if err := b.AddAll(slices.Values(randomRecords(rng))); err != nil {
			f.Fatal(err)
		}
		data, _ := b.MarshalBinary()
		f.Add(data)
	}
	w, _ := cohort.NewBuilder(cohort.Week)
	if err := w.AddAll(slices.Values(weeklyRecords())); err != nil {
		f.Fatal(err)
	}
	data, _ := w.MarshalBinary()
	f.Add(data)
	f.Fuzz(func(t *testing.T, data []byte) {
		var b cohort.Builder
		if err := b.UnmarshalBinary(data); err != nil {
			require.True(t, errors.Is(err, kpi.ErrInvalid), err)
			return
		}
		again, err := b.MarshalBinary()
		require.NoError(t, err)
		require.Equal(t, data, again)
		merged, err := cohort.NewBuilder(cohort.Grain(data[4]))
		require.NoError(t, err)
		require.NoError(t, merged.Merge(&b))
		assert.Equal(t, tableJSON(t, &b), tableJSON(t, merged))
	})
}

// BenchmarkBuilderMarshalBinary encodes and decodes a monthly builder of
// 100 000 customers with twelve months of revenue each (1.2M rows, in
// whole amounts), the rows of a customer together; bytes/row is the
// encoded size, IDs included.
func BenchmarkBuilderMarshalBinary(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	bl, err := cohort.NewBuilder(cohort.Month)
	if err != nil {
		b.Fatal(err)
	}
	rows := 0
	for c := range 100_000 {
		id := "customer-" + strconv.Itoa(c)
		acq := day(2023, time.Month(1+rng.IntN(12)), 1+rng.IntN(28))
		if err := bl.Add(cohort.Customer{ID: id, Acquired: acq, Segment: []string{"ads", "seo", "events"}[rng.IntN(3)]}); err != nil {
			b.Fatal(err)
		}
		for m := range 12 {
			if err := bl.Add(cohort.Revenue{CustomerID: id, At: acq.AddDate(0, m, 0), Amount: decimal.NewFromInt(100 + rng.Int64N(900))}); err != nil {
				b.Fatal(err)
			}
			rows++
		}
	}
	b.ReportAllocs()
	var data []byte
	for b.Loop() {
		data, _ = bl.MarshalBinary()
		var got cohort.Builder
		if err := got.UnmarshalBinary(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data))/float64(rows), "bytes/row")
}
