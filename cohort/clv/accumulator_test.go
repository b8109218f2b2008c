package clv_test

import (
	"iter"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi/cohort/clv"
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

// TestPurchasesSplitMerge: any split of the transactions, added in any
// order and merged in any order, gives the summary of adding them all to
// one Purchases; a customer may appear in several parts.
func TestPurchasesSplitMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 2))
	fresh := func() *clv.Purchases { return new(clv.Purchases) }
	for trial := range 40 {
		// One purchase before the split, so that the summary has a customer.
		txs := []clv.Transaction{{CustomerID: "a", At: day(2024, 1, 1), Amount: d("1")}}
		for range rng.IntN(60) {
			txs = append(txs, clv.Transaction{
				CustomerID: string(rune('a' + rng.IntN(8))),
				At:         day(2024, 1, 1).AddDate(0, 0, rng.IntN(200)),
				Amount:     decimal.New(int64(rng.IntN(10000)), -2),
			})
		}
		one := fresh()
		require.NoError(t, one.AddAll(slices.Values(txs)))
		want, err := one.Summary(day(2024, 5, 1), day(2024, 7, 31), 7*24*time.Hour)
		require.NoError(t, err)
		got := splitShuffled(t, rng, txs, fresh, (*clv.Purchases).AddAll, (*clv.Purchases).Merge)
		s, err := got.Summary(day(2024, 5, 1), day(2024, 7, 31), 7*24*time.Hour)
		require.NoError(t, err)
		assert.Equal(t, want, s, "trial %d", trial)
	}
}

func TestPurchasesAddAll(t *testing.T) {
	tests := []struct {
		name string
		txs  []clv.Transaction
		n    int // customers in the summary
		msg  string
	}{
		{"two customers", []clv.Transaction{{CustomerID: "a", At: day(2024, 1, 1)}, {CustomerID: "b", At: day(2024, 1, 2)}}, 2, ""},
		{"stops at the bad one", []clv.Transaction{{CustomerID: "a", At: day(2024, 1, 1)}, {At: day(2024, 1, 2)}, {CustomerID: "b", At: day(2024, 1, 2)}}, 1,
			`clv.Purchases.AddAll: item 1: customer ID "": empty`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p clv.Purchases
			err := p.AddAll(slices.Values(tt.txs))
			if tt.msg != "" {
				assert.EqualError(t, err, tt.msg)
			} else {
				require.NoError(t, err)
			}
			s, err := p.Summary(day(2024, 1, 31), day(2024, 2, 29), 24*time.Hour)
			require.NoError(t, err)
			assert.Len(t, s.Customers, tt.n)
		})
	}
}
