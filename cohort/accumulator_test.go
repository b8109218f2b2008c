package cohort_test

import (
	"iter"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
)

// splitShuffled cuts items into a random number of parts, adds each part
// into a fresh accumulator from fresh (the parts in shuffled order, each
// part's items in its own order) and merges the accumulators into the
// first in shuffled order.
func splitShuffled[A any, V any](t *testing.T, rng *rand.Rand, items []V, fresh func() A, addAll func(A, iter.Seq[V]) error, merge func(A, A) error) A {
	t.Helper()
	parts := make([][]V, 1+rng.IntN(5))
	for _, v := range items {
		k := rng.IntN(len(parts))
		parts[k] = append(parts[k], v)
	}
	accs := make([]A, len(parts))
	for _, k := range rng.Perm(len(parts)) {
		accs[k] = fresh()
		require.NoError(t, addAll(accs[k], slices.Values(parts[k])))
	}
	rng.Shuffle(len(accs), func(i, j int) { accs[i], accs[j] = accs[j], accs[i] })
	for _, a := range accs[1:] {
		require.NoError(t, merge(accs[0], a))
	}
	return accs[0]
}

// randomRecords returns customers acquired in 2024 and revenue and
// subscriptions of theirs on or after the acquisition, shuffled.
func randomRecords(rng *rand.Rand) []cohort.Record {
	var rs []cohort.Record
	n := 1 + rng.IntN(12)
	for i := range n {
		id := string(rune('a' + i))
		acq := day(2024, time.Month(1+rng.IntN(6)), 1+rng.IntN(28))
		rs = append(rs, cohort.Customer{ID: id, Acquired: acq, Segment: []string{"ads", "seo"}[rng.IntN(2)]})
		for range rng.IntN(8) {
			rs = append(rs, cohort.Revenue{CustomerID: id, At: acq.AddDate(0, rng.IntN(8), 0), Amount: decimal.New(int64(rng.IntN(500)), -1)})
		}
		if rng.IntN(3) == 0 {
			s := cohort.Subscription{CustomerID: id, Start: acq.AddDate(0, rng.IntN(4), 0), Amount: decimal.New(int64(rng.IntN(100)), 0)}
			if rng.IntN(2) == 0 {
				s.End = s.Start.AddDate(0, rng.IntN(5), 0)
			}
			rs = append(rs, s)
		}
	}
	rng.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] })
	return rs
}

// TestBuilderSplitMerge: any split of the records, added in any order and
// merged in any order, gives the table of adding them all to one builder.
func TestBuilderSplitMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 1))
	fresh := func() *cohort.Builder {
		b, err := cohort.NewBuilder(cohort.Month)
		require.NoError(t, err)
		return b
	}
	end := day(2024, 12, 1)
	for trial := range 40 {
		records := randomRecords(rng)
		one := fresh()
		require.NoError(t, one.AddAll(slices.Values(records)))
		want, err := one.Table(end)
		require.NoError(t, err)
		got := splitShuffled(t, rng, records, fresh, (*cohort.Builder).AddAll, (*cohort.Builder).Merge)
		tab, err := got.Table(end)
		require.NoError(t, err)
		assert.Equal(t, want, tab, "trial %d", trial)
	}
}

func TestBuilderAdd(t *testing.T) {
	// One customer acquired in January; each row adds one record and
	// checks the January cohort's revenue in Jan and Feb afterwards.
	tests := []struct {
		name     string
		r        cohort.Record
		jan, feb string
	}{
		{"customer", cohort.Customer{ID: "x", Acquired: day(2024, 1, 5)}, "0", "0"},
		{"revenue", cohort.Revenue{CustomerID: "x", At: day(2024, 1, 9), Amount: d("10")}, "10", "0"},
		{"subscription", cohort.Subscription{CustomerID: "x", Start: day(2024, 1, 1), Amount: d("3")}, "13", "3"}, // 10 + 3, then 3
	}
	b, err := cohort.NewBuilder(cohort.Month)
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, b.Add(tt.r))
			tab, err := b.Table(day(2024, 2, 1))
			require.NoError(t, err)
			assertDec(t, tt.jan, tab.Cohorts[0].Cells[0].Revenue)
			assertDec(t, tt.feb, tab.Cohorts[0].Cells[1].Revenue)
		})
	}
}

func TestBuilderAddAll(t *testing.T) {
	tests := []struct {
		name    string
		records []cohort.Record
		size    int64 // customers in the table afterwards
		msg     string
	}{
		{"nil", nil, 0, ""},
		{"two customers", []cohort.Record{cohort.Customer{ID: "x", Acquired: day(2024, 1, 1)}, cohort.Customer{ID: "y", Acquired: day(2024, 1, 2)}}, 2, ""},
		{"stops at the bad one", []cohort.Record{cohort.Customer{ID: "x", Acquired: day(2024, 1, 1)}, nil, cohort.Customer{ID: "y", Acquired: day(2024, 1, 2)}}, 1,
			"cohort.Builder.AddAll: item 1: record <nil>: nil: not a Customer, Revenue or Subscription"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := cohort.NewBuilder(cohort.Month)
			require.NoError(t, err)
			var seq iter.Seq[cohort.Record]
			if tt.records != nil {
				seq = slices.Values(tt.records)
			}
			err = b.AddAll(seq)
			if tt.msg != "" {
				assert.ErrorIs(t, err, kpi.ErrInvalid)
				assert.EqualError(t, err, tt.msg)
			} else {
				require.NoError(t, err)
			}
			tab, err := b.Table(day(2024, 1, 1))
			if tt.size == 0 {
				assert.ErrorIs(t, err, kpi.ErrUndefined)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.size, tab.Cohorts[0].Size)
		})
	}
}

func TestBuilderZeroAndSelf(t *testing.T) {
	tests := []struct {
		name string
		call func(b *cohort.Builder) error
		msg  string
	}{
		{"zero Add", func(*cohort.Builder) error { return new(cohort.Builder).Add(cohort.Customer{ID: "x"}) }, "cohort.Builder.Add: Builder zero value: use cohort.NewBuilder"},
		{"zero AddAll", func(*cohort.Builder) error { return new(cohort.Builder).AddAll(nil) }, "cohort.Builder.AddAll: Builder zero value: use cohort.NewBuilder"},
		{"zero Merge", func(b *cohort.Builder) error { return new(cohort.Builder).Merge(b) }, "cohort.Builder.Merge: Builder zero value: use cohort.NewBuilder"},
		{"merge a zero", func(b *cohort.Builder) error { return b.Merge(new(cohort.Builder)) }, "cohort.Builder.Merge: o zero value: use cohort.NewBuilder"},
		{"zero Table", func(*cohort.Builder) error { _, err := new(cohort.Builder).Table(through); return err }, "cohort.Builder.Table: Builder zero value: use cohort.NewBuilder"},
		{"self", func(b *cohort.Builder) error { return b.Merge(b) }, "the receiver itself"},
		{"nil", func(b *cohort.Builder) error { return b.Merge(nil) }, "cohort.Builder.Merge: o <nil>: nil builder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := demo(t)
			err := tt.call(b)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, tt.msg)
			after, err := b.Table(through)
			require.NoError(t, err)
			assert.Equal(t, demoTable(t).String(), after.String())
		})
	}
}
