package cohort_test

import (
	"fmt"
	"math/rand/v2"
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
	// Customers with one subscription each over the whole span: the
	// memory is the table's and one customer's periods (before, every
	// customer's periods at once: 1000 customers, 1.3·10⁷ items, 2.3 GB
	// peak for 10 000).
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			bl, err := cohort.NewBuilder(cohort.Week)
			require.NoError(b, err)
			for i := range n {
				id := fmt.Sprint("c", i)
				acq := start.AddDate(0, 0, i%28)
				require.NoError(b, bl.Add(cohort.Customer{ID: id, Acquired: acq}))
				require.NoError(b, bl.Add(cohort.Subscription{CustomerID: id, Start: acq, End: end, Amount: d("1")}))
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

// TestBuilderSubscriptionsAsRows checks subscriptions against their
// meaning: a Builder given random overlapping subscriptions (some open,
// some ending after the table) makes the table a Builder given one revenue
// row per month each covers, of its amount, makes. Table spreads the
// subscriptions by a sweep over their starts and ends; the rows take the
// plain path.
func TestBuilderSubscriptionsAsRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	month := func(m int) time.Time { return day(2020, time.Month(1+m), 1) }
	for trial := range 200 {
		subs, rows := mustBuilder(t, cohort.Month), mustBuilder(t, cohort.Month)
		through := 1 + rng.IntN(30)
		for c := range 1 + rng.IntN(4) {
			id := fmt.Sprint("c", c)
			acq := rng.IntN(through)
			for _, b := range []*cohort.Builder{subs, rows} {
				require.NoError(t, b.Add(cohort.Customer{ID: id, Acquired: month(acq)}))
			}
			for range rng.IntN(6) {
				from := acq + rng.IntN(through-acq+3)
				to := from + rng.IntN(8)
				amount := d(fmt.Sprint(rng.IntN(4) * 5)) // 0 too
				s := cohort.Subscription{CustomerID: id, Start: month(from).AddDate(0, 0, 3), End: month(to).AddDate(0, 0, 9), Amount: amount}
				if rng.IntN(4) == 0 {
					s.End, to = time.Time{}, through
				}
				require.NoError(t, subs.Add(s))
				for m := from; m <= min(to, through); m++ {
					require.NoError(t, rows.Add(cohort.Revenue{CustomerID: id, At: month(m).AddDate(0, 0, 14), Amount: amount}))
				}
			}
			if rng.IntN(2) == 0 {
				r := cohort.Revenue{CustomerID: id, At: month(acq + rng.IntN(through-acq+1)), Amount: d("3")}
				require.NoError(t, subs.Add(r))
				require.NoError(t, rows.Add(r))
			}
		}
		ts, errS := subs.Table(month(through))
		tr, errR := rows.Table(month(through))
		require.Equal(t, errR == nil, errS == nil, "trial %d: %v / %v", trial, errS, errR)
		if errR != nil {
			continue
		}
		js, err := ts.MarshalJSON()
		require.NoError(t, err)
		jr, err := tr.MarshalJSON()
		require.NoError(t, err)
		require.JSONEq(t, string(jr), string(js), "trial %d", trial)
	}
}
