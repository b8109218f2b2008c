package cohort_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi/cohort"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }

// assertDec fails unless got equals want exactly as decimals.
func assertDec(t *testing.T, want string, got decimal.Decimal, msg ...any) {
	t.Helper()
	if !got.Equal(d(want)) {
		t.Errorf("got %v, want %s %v", got, want, msg)
	}
}

// demo is the hand-worked data set of the tests (monthly, through April
// 2024):
//
//	a  Jan  ads  Jan 100, Feb 120, Mar 120, Apr 80
//	b  Jan  seo  Jan 50, Mar 50, Apr 50             (skips Feb)
//	c  Feb  ads  Feb 150+50, Mar 200                (gone in Apr)
//	d  Feb  seo  Feb 0, subscription from Mar at 30 (open)
//	e  Mar  ads  subscription Mar–Apr at 10, and a row in May (after the table)
func demo(t testing.TB) *cohort.Builder {
	b, err := cohort.NewBuilder(cohort.Month)
	require.NoError(t, err)
	for _, c := range []cohort.Customer{
		{ID: "a", Acquired: day(2024, 1, 10), Segment: "ads"},
		{ID: "b", Acquired: day(2024, 1, 20), Segment: "seo"},
		{ID: "c", Acquired: day(2024, 2, 3), Segment: "ads"},
		{ID: "d", Acquired: day(2024, 2, 14), Segment: "seo"},
		{ID: "e", Acquired: day(2024, 3, 1), Segment: "ads"},
	} {
		require.NoError(t, b.Add(c))
	}
	for _, r := range []cohort.Revenue{
		{CustomerID: "a", At: day(2024, 1, 31), Amount: d("100")},
		{CustomerID: "a", At: day(2024, 2, 1), Amount: d("120")},
		{CustomerID: "a", At: day(2024, 3, 1), Amount: d("120")},
		{CustomerID: "a", At: day(2024, 4, 1), Amount: d("80")},
		{CustomerID: "b", At: day(2024, 4, 1), Amount: d("50")}, // out of order
		{CustomerID: "b", At: day(2024, 1, 1), Amount: d("50")},
		{CustomerID: "b", At: day(2024, 3, 1), Amount: d("50")},
		{CustomerID: "c", At: day(2024, 2, 1), Amount: d("150")},
		{CustomerID: "c", At: day(2024, 2, 15), Amount: d("50")},
		{CustomerID: "c", At: day(2024, 3, 1), Amount: d("200")},
		{CustomerID: "d", At: day(2024, 2, 1), Amount: d("0")},
		{CustomerID: "e", At: day(2024, 5, 1), Amount: d("10")},
	} {
		require.NoError(t, b.Add(r))
	}
	require.NoError(t, b.Add(cohort.Subscription{CustomerID: "d", Start: day(2024, 3, 1), Amount: d("30")}))
	require.NoError(t, b.Add(cohort.Subscription{CustomerID: "e", Start: day(2024, 3, 1), End: day(2024, 4, 30), Amount: d("10")}))
	return b
}

var through = day(2024, 4, 15)

func demoTable(t testing.TB) *cohort.Table {
	tab, err := demo(t).Table(through)
	require.NoError(t, err)
	return tab
}

// Fader and Hardie (2007), Table 1: customers of 1,000 still active at the
// start of years 0–7, the years the model is fitted on.
var (
	regular = []int64{1000, 631, 468, 382, 326, 289, 262, 241}
	highEnd = []int64{1000, 869, 743, 653, 593, 551, 517, 491}
)

// time12 is i months, wrapped within a year.
func time12(i int) time.Month { return time.Month(i % 12) }

func itoa(v int64) string { return decimal.NewFromInt(v).String() }
