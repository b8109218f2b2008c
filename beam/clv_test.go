package kpibeam_test

import (
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kpibeam "github.com/kpiflow/kpi/beam"
	"github.com/kpiflow/kpi/cohort/clv"
)

func summaryJSON(s clv.Summary) string { return asJSON(s) }

func init() { register.Function1x1(summaryJSON) }

// memorySummary adds the shards' transactions to one in-memory Purchases
// and returns its summary.
func memorySummary(t *testing.T, list []shard) clv.Summary {
	var p clv.Purchases
	for _, sh := range list {
		shardTransactions(sh, func(tx clv.Transaction) { require.NoError(t, p.Add(tx)) })
	}
	s, err := p.Summary(rfmSplit, rfmEnd, rfmUnit)
	require.NoError(t, err)
	return s
}

// TestSummary runs Summary on Prism over generated transactions in 64
// shards and checks the RFM records against the in-memory Purchases' on
// the same transactions: counts equal, recency and age to the bit, mean
// values to the unit of 10⁻⁶.
func TestSummary(t *testing.T) {
	tests := []struct {
		name string
		n    int
	}{
		{"a few", 64 * perEntity},
		{"many", size(t)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			list := shardList(tc.n)
			want := memorySummary(t, list)
			p, s := beam.NewPipelineWithRoot()
			out, err := kpibeam.Summary(s, rfmSplit, rfmEnd, rfmUnit, beam.ParDo(s, genTransactions, beam.CreateList(s, list)))
			require.NoError(t, err)
			passert.Equals(s, beam.ParDo(s, summaryJSON, out), asJSON(want))
			require.NoError(t, ptest.Run(p))
		})
	}
}

// TestSummaryPerKey runs SummaryPerKey for three tenants whose customers
// share IDs: each tenant's summary equals the in-memory one.
func TestSummaryPerKey(t *testing.T) {
	list := shardList(size(t) / 2)
	tests := []struct {
		name string
		unit time.Duration
	}{
		{"weeks", rfmUnit},
		{"days", 24 * time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var want []any
			for tenant := range 3 {
				var p clv.Purchases
				for _, sh := range list {
					if sh.ID%3 == tenant {
						shardTransactions(shard{ID: sh.ID / 3, Entities: sh.Entities}, func(tx clv.Transaction) { require.NoError(t, p.Add(tx)) })
					}
				}
				sum, err := p.Summary(rfmSplit, rfmEnd, tc.unit)
				require.NoError(t, err)
				want = append(want, kvSummary("tenant-"+string(rune('0'+tenant)), sum))
			}
			p, s := beam.NewPipelineWithRoot()
			out, err := kpibeam.SummaryPerKey(s, rfmSplit, rfmEnd, tc.unit, beam.ParDo(s, genTenantTransactions, beam.CreateList(s, list)))
			require.NoError(t, err)
			passert.Equals(s, beam.ParDo(s, kvSummary, out), want...)
			require.NoError(t, ptest.Run(p))
		})
	}
}

// TestSummaryErrors checks that arguments Purchases.Summary refuses fail
// at construction, with its error.
func TestSummaryErrors(t *testing.T) {
	tests := []struct {
		name       string
		split, end time.Time
		unit       time.Duration
		want       string
	}{
		{"unit", rfmSplit, rfmEnd, time.Hour, "kpibeam.Summary: clv.Purchases.Summary: unit 1h0m0s: must be a positive whole number of days"},
		{"end before split", rfmEnd, rfmSplit, rfmUnit, "kpibeam.Summary: clv.Purchases.Summary: end 2026-09-30: before the split 2026-12-31"},
		{"zero split", time.Time{}, rfmEnd, rfmUnit, "kpibeam.Summary: clv.Purchases.Summary: split"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, s := beam.NewPipelineWithRoot()
			txs := beam.Create(s, clv.Transaction{CustomerID: "a"})
			_, err := kpibeam.Summary(s, tc.split, tc.end, tc.unit, txs)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			_, err = kpibeam.SummaryPerKey(s, tc.split, tc.end, tc.unit, beam.AddFixedKey(s, txs))
			assert.ErrorContains(t, err, "kpibeam.SummaryPerKey: clv.Purchases.Summary")
		})
	}
}
