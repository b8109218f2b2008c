package cohort_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi/cohort"
)

// orderRecords are one customer's records that overlap and come out of
// order: a revenue row for June, then subscription B (February–April, 5)
// before subscription A (January–March, 10).
func orderRecords() []cohort.Record {
	return []cohort.Record{
		cohort.Revenue{CustomerID: "c", At: day(2024, 6, 9), Amount: d("7")},
		cohort.Subscription{CustomerID: "c", Start: day(2024, 2, 1), End: day(2024, 4, 30), Amount: d("5")},
		cohort.Subscription{CustomerID: "c", Start: day(2024, 1, 1), End: day(2024, 3, 31), Amount: d("10")},
	}
}

// TestBuilderTableOutOfOrder checks that a customer's records, overlapping
// and added out of order (in every order), make the table worked by hand.
// Revenue by month: January 10, February 10 + 5 = 15, March 15, April 5,
// May 0, June 7; so at ages 0–5: new 10, expansion 5, nothing, contraction
// 10, churn 5, reactivation 7; the customer pays again at age 5, so it
// survives at every age.
func TestBuilderTableOutOfOrder(t *testing.T) {
	want := []cellWant{
		{1, 1, "10", "0", 0, "10", "0", "0", "0", "0", 1, 0, 0},
		{1, 1, "15", "10", 1, "0", "5", "0", "0", "0", 0, 0, 0},
		{1, 1, "15", "15", 1, "0", "0", "0", "0", "0", 0, 0, 0},
		{1, 1, "5", "15", 1, "0", "0", "0", "10", "0", 0, 0, 0},
		{0, 1, "0", "5", 1, "0", "0", "0", "0", "5", 0, 0, 1},
		{1, 1, "7", "0", 0, "0", "0", "7", "0", "0", 0, 1, 0},
	}
	recs := orderRecords()
	orders := [][]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}
	for _, o := range orders {
		t.Run(fmt.Sprint(o), func(t *testing.T) {
			b, err := cohort.NewBuilder(cohort.Month)
			require.NoError(t, err)
			require.NoError(t, b.Add(cohort.Customer{ID: "c", Acquired: day(2024, 1, 15)}))
			for _, i := range o {
				require.NoError(t, b.Add(recs[i]))
			}
			tab, err := b.Table(day(2024, 6, 1))
			require.NoError(t, err)
			require.Len(t, tab.Cohorts, 1)
			require.Len(t, tab.Cohorts[0].Cells, len(want))
			for a, w := range want {
				checkCell(t, w, tab.Cohorts[0].Cells[a])
			}
		})
	}
}

// BenchmarkBuilderTableUnordered builds the table of one customer with k
// subscriptions that each run by week through the years 1900–2149 (13 045
// periods), so the customer's 13 045·k periods come interleaved, and of
// one customer with n weekly revenue rows added newest first. The cost is
// O(p log p) in the customer's periods p; the insertion sort before took
// 0.2 s, 1.4 s and 36 s for k = 2, 4, 8 and 15 ms → 95 ms for n = 5000 →
// 10 000 (quadratic).
func BenchmarkBuilderTableUnordered(b *testing.B) {
	start, end := day(1900, 1, 1), day(2149, 12, 1)
	for _, k := range []int{4, 40} {
		b.Run(fmt.Sprintf("subscriptions=%d", k), func(b *testing.B) {
			bl, err := cohort.NewBuilder(cohort.Week)
			require.NoError(b, err)
			require.NoError(b, bl.Add(cohort.Customer{ID: "c", Acquired: start}))
			for range k {
				require.NoError(b, bl.Add(cohort.Subscription{CustomerID: "c", Start: start, End: end, Amount: d("1")}))
			}
			benchTableOf(b, bl, end)
		})
	}
	for _, n := range []int{1000, 10_000} {
		b.Run(fmt.Sprintf("reversed rows=%d", n), func(b *testing.B) {
			bl, err := cohort.NewBuilder(cohort.Week)
			require.NoError(b, err)
			require.NoError(b, bl.Add(cohort.Customer{ID: "c", Acquired: start}))
			for i := n - 1; i >= 0; i-- {
				require.NoError(b, bl.Add(cohort.Revenue{CustomerID: "c", At: start.AddDate(0, 0, 7*i), Amount: d("1")}))
			}
			benchTableOf(b, bl, start.AddDate(0, 0, 7*n))
		})
	}
}

func benchTableOf(b *testing.B, bl *cohort.Builder, through time.Time) {
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := bl.Table(through); err != nil {
			b.Fatal(err)
		}
	}
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
