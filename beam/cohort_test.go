package kpibeam_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	kpibeam "github.com/kpiflow/kpi/beam"
	"github.com/kpiflow/kpi/cohort"
	"github.com/kpiflow/kpi/cohort/clv"
	"github.com/kpiflow/kpi/funnel"
)

// asJSON writes v as JSON: every field of a table or summary, money as
// its decimal text and floats in the shortest form that reads back to the
// same bits, so that equal text is equal to the bit and the cent.
func asJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func kvTable(k string, t *cohort.Table) string { return k + " " + asJSON(t) }

func tableJSON(t *cohort.Table) string { return asJSON(t) }

func kvSummary(k string, s clv.Summary) string { return k + " " + asJSON(s) }

func init() {
	register.Function2x1(kvTable)
	register.Function1x1(tableJSON)
	register.Function2x1(kvSummary)
}

// memoryTable adds the shards' records to one in-memory Builder, the
// subscriptions too when subs is set, and returns its table.
func memoryTable(t *testing.T, g cohort.Grain, list []shard, subs bool) *cohort.Table {
	b, err := cohort.NewBuilder(g)
	require.NoError(t, err)
	for _, sh := range list {
		shardRecords(sh, func(c cohort.Customer) { require.NoError(t, b.Add(c)) }, func(r cohort.Revenue) { require.NoError(t, b.Add(r)) })
		if subs {
			shardSubscriptions(sh, func(s cohort.Subscription) { require.NoError(t, b.Add(s)) })
		}
	}
	tab, err := b.Table(cohortThrough)
	require.NoError(t, err)
	return tab
}

// cohortSize is the number of records of TestCohorts' large row: a
// million, or KPIBEAM_EVENTS when larger; with -short (CI's run under the
// race detector), size(t).
func cohortSize(t testing.TB) int {
	if testing.Short() {
		return size(t)
	}
	return max(size(t), 1_000_000)
}

// TestCohorts runs Cohorts on Prism over generated customers and revenue
// rows in 64 shards (a million records in the monthly row, but with -short) and checks the
// table against the in-memory Builder's on the same records: every cell's
// counts equal and its money to the cent.
func TestCohorts(t *testing.T) {
	tests := []struct {
		name  string
		grain cohort.Grain
		n     int
		subs  bool
	}{
		{"monthly, a million records", cohort.Month, cohortSize(t), false},
		{"weekly with subscriptions", cohort.Week, size(t) / 4, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			list := shardList(tc.n)
			want := memoryTable(t, tc.grain, list, tc.subs)
			p, s := beam.NewPipelineWithRoot()
			shards := beam.CreateList(s, list)
			customers, revenue := beam.ParDo2(s, genRecords, shards)
			more := []beam.PCollection{revenue}
			if tc.subs {
				more = append(more, beam.ParDo(s, genSubscriptions, shards))
			}
			out, err := kpibeam.Cohorts(s, tc.grain, cohortThrough, customers, more...)
			require.NoError(t, err)
			passert.Equals(s, beam.ParDo(s, tableJSON, out), asJSON(want))
			require.NoError(t, ptest.Run(p))
		})
	}
}

// TestCohortsPerKey runs CohortsPerKey for three tenants whose customers
// share IDs: each tenant's table equals the in-memory one of its own
// records.
func TestCohortsPerKey(t *testing.T) {
	list := shardList(size(t))
	tests := []struct {
		name  string
		grain cohort.Grain
	}{
		{"quarterly", cohort.Quarter},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var want []any
			for tenant := range 3 {
				var mine []shard
				for _, sh := range list {
					if sh.ID%3 == tenant {
						mine = append(mine, shard{ID: sh.ID / 3, Entities: sh.Entities})
					}
				}
				want = append(want, kvTable("tenant-"+string(rune('0'+tenant)), memoryTable(t, tc.grain, mine, false)))
			}
			p, s := beam.NewPipelineWithRoot()
			customers, revenue := beam.ParDo2(s, genTenantRecords, beam.CreateList(s, list))
			out, err := kpibeam.CohortsPerKey(s, tc.grain, cohortThrough, customers, revenue)
			require.NoError(t, err)
			passert.Equals(s, beam.ParDo(s, kvTable, out), want...)
			require.NoError(t, ptest.Run(p))
		})
	}
}

// TestCohortsErrors checks the errors at construction: a grain or
// through that the Builder refuses, and PCollections of the wrong types.
func TestCohortsErrors(t *testing.T) {
	tests := []struct {
		name    string
		grain   cohort.Grain
		through time.Time
		cols    func(s beam.Scope) []beam.PCollection
		keyed   bool
		want    string
	}{
		{"grain", cohort.Grain(7), cohortThrough, nil, false, "cohort.NewBuilder: grain 7: unknown grain"},
		{"through", cohort.Month, time.Time{}, nil, false, "kpibeam.Cohorts: cohort.Builder.Table: through 0001-01-01 00:00:00 +0000 UTC: zero or outside"},
		{"no customers first", cohort.Month, cohortThrough, func(s beam.Scope) []beam.PCollection {
			return []beam.PCollection{beam.Create(s, cohort.Revenue{CustomerID: "a"})}
		}, false, "kpibeam.Cohorts: PCollection 0 of cohort.Revenue: want customers first"},
		{"events", cohort.Month, cohortThrough, func(s beam.Scope) []beam.PCollection {
			return []beam.PCollection{beam.Create(s, cohort.Customer{ID: "a"}), beam.Create(s, funnel.Event{Entity: "a"})}
		}, false, "kpibeam.Cohorts: PCollection 1 of funnel.Event: want customers first, then revenue or subscriptions"},
		{"keyed in the global form", cohort.Month, cohortThrough, func(s beam.Scope) []beam.PCollection {
			return []beam.PCollection{beam.AddFixedKey(s, beam.Create(s, cohort.Customer{ID: "a"}))}
		}, false, "keyed by string in the per-key form only"},
		{"unkeyed in the per-key form", cohort.Month, cohortThrough, func(s beam.Scope) []beam.PCollection {
			return []beam.PCollection{beam.Create(s, cohort.Customer{ID: "a"})}
		}, true, "kpibeam.CohortsPerKey: PCollection 0 of cohort.Customer: keyed by string in the per-key form only"},
		{"invalid", cohort.Month, cohortThrough, func(beam.Scope) []beam.PCollection { return []beam.PCollection{{}} }, false, "kpibeam.Cohorts: PCollection 0 is not valid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, s := beam.NewPipelineWithRoot()
			cols := []beam.PCollection{beam.Create(s, cohort.Customer{ID: "a"})}
			if tc.cols != nil {
				cols = tc.cols(s)
			}
			var err error
			if tc.keyed {
				_, err = kpibeam.CohortsPerKey(s, tc.grain, tc.through, cols[0], cols[1:]...)
			} else {
				_, err = kpibeam.Cohorts(s, tc.grain, tc.through, cols[0], cols[1:]...)
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			if tc.cols == nil {
				_, err = kpibeam.CohortsPerKey(s, tc.grain, tc.through, beam.AddFixedKey(s, cols[0]))
				assert.Error(t, err)
			}
		})
	}
}
