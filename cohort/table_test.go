package cohort_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
)

// cellWant is a hand-worked cell of the demo table (see demo).
type cellWant struct {
	active, survivors             int64
	revenue, opening              string
	openAcc                       int64
	new, exp, react, contr, churn string
	newAcc, reactivated, churned  int64
}

func checkCell(t *testing.T, w cellWant, c cohort.Cell) {
	t.Helper()
	m := c.Movement
	assert.Equal(t, w.active, c.Active, "active")
	assert.Equal(t, w.survivors, c.Survivors, "survivors")
	assertDec(t, w.revenue, c.Revenue, "revenue")
	assertDec(t, w.opening, m.Opening, "opening")
	assert.Equal(t, w.openAcc, m.OpeningAccounts, "opening accounts")
	assertDec(t, w.new, m.New, "new")
	assertDec(t, w.exp, m.Expansion, "expansion")
	assertDec(t, w.react, m.Reactivation, "reactivation")
	assertDec(t, w.contr, m.Contraction, "contraction")
	assertDec(t, w.churn, m.Churn, "churn")
	assert.Equal(t, w.newAcc, m.NewAccounts, "new accounts")
	assert.Equal(t, w.reactivated, m.Reactivated, "reactivated")
	assert.Equal(t, w.churned, m.Churned, "churned")
	assert.True(t, m.Closing().Equal(c.Revenue), "closing %v = revenue %v", m.Closing(), c.Revenue)
	assert.Equal(t, c.Active, m.ClosingAccounts(), "closing accounts")
}

func TestBuilderTable(t *testing.T) {
	// Worked by hand from the records listed at demo. Age 0 of a cohort is
	// its acquisition month; April 2024 is the last month, so the January
	// cohort has 4 cells, February 3 and March 2 (the immature corner).
	cases := []struct {
		name  string
		start time.Time
		size  int64
		cells []cellWant
	}{
		{"january", day(2024, 1, 1), 2, []cellWant{
			// a 100, b 50: both new.
			{2, 2, "150", "0", 0, "150", "0", "0", "0", "0", 2, 0, 0},
			// a 120 (+20), b stops (−50).
			{1, 2, "120", "150", 2, "0", "20", "0", "0", "50", 0, 0, 1},
			// a 120, b back at 50.
			{2, 2, "170", "120", 1, "0", "0", "50", "0", "0", 0, 1, 0},
			// a 80 (−40), b 50.
			{2, 2, "130", "170", 2, "0", "0", "0", "40", "0", 0, 0, 0},
		}},
		{"february", day(2024, 2, 1), 2, []cellWant{
			// c 150+50, d 0.
			{1, 2, "200", "0", 0, "200", "0", "0", "0", "0", 1, 0, 0},
			// c 200, d's subscription starts at 30: new.
			{2, 2, "230", "200", 1, "30", "0", "0", "0", "0", 1, 0, 0},
			// c gone (−200), d 30.
			{1, 1, "30", "230", 2, "0", "0", "0", "0", "200", 0, 0, 1},
		}},
		{"march", day(2024, 3, 1), 1, []cellWant{
			{1, 1, "10", "0", 0, "10", "0", "0", "0", "0", 1, 0, 0},
			{1, 1, "10", "10", 1, "0", "0", "0", "0", "0", 0, 0, 0},
		}},
	}
	b := demo(t)
	tab, err := b.Table(through)
	require.NoError(t, err)
	require.Len(t, tab.Cohorts, len(cases))
	assert.Equal(t, day(2024, 4, 1), tab.Through)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := tab.Cohorts[i]
			assert.Equal(t, tc.start, c.Start)
			assert.Equal(t, tc.size, c.Size)
			require.Len(t, c.Cells, len(tc.cells))
			for a, w := range tc.cells {
				checkCell(t, w, c.Cells[a])
			}
		})
	}
}

func TestBuilderTableAsOf(t *testing.T) {
	// The table through February leaves out March on: two cohorts, and the
	// January cohort's second cell (a 120, b gone) is its last.
	cases := []struct {
		name     string
		through  time.Time
		segments []string
		sizes    []int64
		cells    []int
		ret0     kpi.Rate
	}{
		{"through february", day(2024, 2, 29), nil, []int64{2, 2}, []int{2, 1}, rate(t, 3, 4)},
		{"ads only", through, []string{"ads"}, []int64{1, 1, 1}, []int{4, 3, 2}, rate(t, 3, 3)},
		{"seo and unknown segment", through, []string{"seo", "none"}, []int64{1, 1}, []int{4, 3}, rate(t, 1, 2)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := demo(t).Table(tc.through, tc.segments...)
			require.NoError(t, err)
			require.Len(t, tab.Cohorts, len(tc.sizes))
			for i, c := range tab.Cohorts {
				assert.Equal(t, tc.sizes[i], c.Size)
				assert.Len(t, c.Cells, tc.cells[i])
			}
			got, err := tab.LogoRetention(0)
			require.NoError(t, err)
			assert.Equal(t, tc.ret0, got)
		})
	}
}

func rate(t testing.TB, s, n int64) kpi.Rate {
	r, err := kpi.NewRate(s, n)
	require.NoError(t, err)
	return r
}

func TestBuilderTableErrors(t *testing.T) {
	cases := []struct {
		name    string
		add     func(b *cohort.Builder) error
		through time.Time
		want    error
		msg     string
	}{
		{"unknown customer", func(b *cohort.Builder) error {
			return b.Add(cohort.Revenue{CustomerID: "zz", At: day(2024, 2, 1), Amount: d("5")})
		}, through, kpi.ErrInvalid, `revenue of customer "zz" in 2024-02 5: customer was never added`},
		{"unknown subscriber", func(b *cohort.Builder) error {
			return b.Add(cohort.Subscription{CustomerID: "zz", Start: day(2024, 2, 1), Amount: d("5")})
		}, through, kpi.ErrInvalid, "never added"},
		{"revenue before a later-added customer", func(b *cohort.Builder) error {
			if err := b.Add(cohort.Revenue{CustomerID: "f", At: day(2024, 1, 5), Amount: d("5")}); err != nil {
				return err
			}
			return b.Add(cohort.Customer{ID: "f", Acquired: day(2024, 2, 1)})
		}, through, kpi.ErrInvalid, `revenue of customer "f" in 2024-01 5: before the customer's acquisition in 2024-02`},
		{"subscription before a later-added customer", func(b *cohort.Builder) error {
			if err := b.Add(cohort.Subscription{CustomerID: "f", Start: day(2024, 1, 5), Amount: d("5")}); err != nil {
				return err
			}
			return b.Add(cohort.Customer{ID: "f", Acquired: day(2024, 2, 1)})
		}, through, kpi.ErrInvalid, "before the customer's acquisition"},
		{"through zero", func(*cohort.Builder) error { return nil }, time.Time{}, kpi.ErrInvalid, "through"},
		{"no customers yet", func(*cohort.Builder) error { return nil }, day(2023, 12, 31), kpi.ErrUndefined, "no customer acquired by 2023-12"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := demo(t)
			require.NoError(t, tc.add(b))
			_, err := b.Table(tc.through)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.want)
			assert.Contains(t, err.Error(), tc.msg)
			var ke *kpi.Error
			assert.True(t, errors.As(err, &ke))
		})
	}
}

func TestBuilderTableOverflow(t *testing.T) {
	b, err := cohort.NewBuilder(cohort.Month)
	require.NoError(t, err)
	require.NoError(t, b.Add(cohort.Customer{ID: "x", Acquired: day(2024, 1, 1)}))
	for range 2 {
		require.NoError(t, b.Add(cohort.Revenue{CustomerID: "x", At: day(2024, 1, 1), Amount: d("9000000000000")}))
	}
	_, err = b.Table(day(2024, 1, 1))
	assert.ErrorIs(t, err, kpi.ErrInvalid)
	// 2 × 9·10¹² exceeds the 9.2·10¹² a cell holds: the error names the cohort.
	assert.EqualError(t, err, "cohort.Builder.Table: cohort 2024-01: a cell's revenue exceeds 9.2·10¹²")
}

func TestNewBuilder(t *testing.T) {
	cases := []struct {
		name  string
		grain cohort.Grain
		first string // label of the first cohort of a customer acquired 2024-05-15
		start time.Time
	}{
		{"month", cohort.Month, "2024-05", day(2024, 5, 1)},
		{"quarter", cohort.Quarter, "2024-Q2", day(2024, 4, 1)},
		{"week", cohort.Week, "2024-05-13", day(2024, 5, 13)}, // 2024-05-15 is a Wednesday
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := cohort.NewBuilder(tc.grain)
			require.NoError(t, err)
			require.NoError(t, b.Add(cohort.Customer{ID: "x", Acquired: day(2024, 5, 15)}))
			tab, err := b.Table(day(2024, 5, 15))
			require.NoError(t, err)
			assert.Equal(t, tc.grain, tab.Grain)
			assert.Equal(t, tc.start, tab.Cohorts[0].Start)
			assert.Contains(t, tab.String(), tc.first)
		})
	}
}

func TestNewBuilderErrors(t *testing.T) {
	cases := []struct {
		name  string
		grain cohort.Grain
	}{
		{"negative", cohort.Grain(-1)},
		{"past week", cohort.Week + 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cohort.NewBuilder(tc.grain)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
		})
	}
}

func TestGrainString(t *testing.T) {
	cases := []struct {
		name string
		g    cohort.Grain
		want string
	}{
		{"month", cohort.Month, "month"},
		{"quarter", cohort.Quarter, "quarter"},
		{"week", cohort.Week, "week"},
		{"unknown", cohort.Grain(7), "Grain(7)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.g.String()) })
	}
}

func TestWeekAndQuarterBoundaries(t *testing.T) {
	// ISO weeks start on Monday: 2023-12-31 is a Sunday in the week of
	// Monday 2023-12-25; 2024-01-01 is a Monday. Quarters: 2024-03-31 is
	// in Q1, 2024-04-01 in Q2. Dates before 1970 count too.
	cases := []struct {
		name   string
		grain  cohort.Grain
		a, b   time.Time
		cohort int // cohorts the two customers form
		start  time.Time
	}{
		{"week across new year", cohort.Week, day(2023, 12, 31), day(2024, 1, 1), 2, day(2023, 12, 25)},
		{"same week", cohort.Week, day(2024, 1, 1), day(2024, 1, 7), 1, day(2024, 1, 1)},
		{"week before 1970", cohort.Week, day(1969, 12, 31), day(1970, 1, 4), 1, day(1969, 12, 29)},
		{"quarter end", cohort.Quarter, day(2024, 3, 31), day(2024, 4, 1), 2, day(2024, 1, 1)},
		{"month", cohort.Month, day(2024, 2, 29), day(2024, 2, 1), 1, day(2024, 2, 1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := cohort.NewBuilder(tc.grain)
			require.NoError(t, err)
			require.NoError(t, b.Add(cohort.Customer{ID: "a", Acquired: tc.a}))
			require.NoError(t, b.Add(cohort.Customer{ID: "b", Acquired: tc.b}))
			tab, err := b.Table(tc.b.AddDate(0, 6, 0))
			require.NoError(t, err)
			assert.Len(t, tab.Cohorts, tc.cohort)
			assert.Equal(t, tc.start, tab.Cohorts[0].Start)
		})
	}
}

func TestBuilderAddCustomer(t *testing.T) {
	cases := []struct {
		name string
		c    cohort.Customer
	}{
		{"plain", cohort.Customer{ID: "x", Acquired: day(2024, 1, 1)}},
		{"with segment", cohort.Customer{ID: "y", Acquired: day(2024, 1, 1), Segment: "ads"}},
		{"other location", cohort.Customer{ID: "z", Acquired: time.Date(2024, 1, 31, 23, 0, 0, 0, time.FixedZone("X", -5*3600))}},
	}
	b, err := cohort.NewBuilder(cohort.Month)
	require.NoError(t, err)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.NoError(t, b.Add(tc.c)) })
	}
	tab, err := b.Table(day(2024, 1, 1))
	require.NoError(t, err)
	assert.Equal(t, int64(3), tab.Cohorts[0].Size) // 2024-01-31 in its own zone
}

func TestBuilderAddCustomerErrors(t *testing.T) {
	cases := []struct {
		name string
		c    cohort.Customer
		msg  string
	}{
		{"empty ID", cohort.Customer{Acquired: day(2024, 1, 1)}, "customer ID"},
		{"zero time", cohort.Customer{ID: "x"}, `acquisition time of customer "x"`},
		{"year 10000", cohort.Customer{ID: "x", Acquired: day(10000, 1, 1)}, "outside the years 1900 to 2149"},
		{"year 2150", cohort.Customer{ID: "x", Acquired: day(2150, 1, 1)}, "2150-01-01 00:00:00 +0000 UTC: zero or outside the years 1900 to 2149"},
		{"year 1899", cohort.Customer{ID: "x", Acquired: day(1899, 12, 31)}, "1899-12-31 00:00:00 +0000 UTC: zero or outside the years 1900 to 2149"},
		{"twice", cohort.Customer{ID: "a", Acquired: day(2024, 1, 1)}, `customer ID "a": added twice`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := demo(t).Add(tc.c)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, tc.msg)
		})
	}
}

func TestBuilderAddRevenue(t *testing.T) {
	cases := []struct {
		name string
		r    cohort.Revenue
		rev  string // January revenue of the cohort afterwards
	}{
		{"whole", cohort.Revenue{CustomerID: "x", At: day(2024, 1, 1), Amount: d("10")}, "10"},
		{"six places", cohort.Revenue{CustomerID: "x", At: day(2024, 1, 1), Amount: d("0.000001")}, "10.000001"},
		{"trailing zeros", cohort.Revenue{CustomerID: "x", At: day(2024, 1, 1), Amount: d("1.500000000")}, "11.500001"},
		{"zero", cohort.Revenue{CustomerID: "x", At: day(2024, 1, 1)}, "11.500001"},
		{"customer not yet added", cohort.Revenue{CustomerID: "y", At: day(2024, 1, 1), Amount: d("1")}, "12.500001"},
	}
	b, err := cohort.NewBuilder(cohort.Month)
	require.NoError(t, err)
	require.NoError(t, b.Add(cohort.Customer{ID: "x", Acquired: day(2024, 1, 1)}))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, b.Add(tc.r))
			if tc.r.CustomerID == "y" {
				require.NoError(t, b.Add(cohort.Customer{ID: "y", Acquired: day(2024, 1, 1)}))
			}
			tab, err := b.Table(day(2024, 1, 1))
			require.NoError(t, err)
			assertDec(t, tc.rev, tab.Cohorts[0].Cells[0].Revenue)
		})
	}
}

func TestBuilderAddRevenueErrors(t *testing.T) {
	cases := []struct {
		name string
		r    cohort.Revenue
		msg  string
	}{
		{"empty ID", cohort.Revenue{At: day(2024, 1, 1), Amount: d("1")}, "revenue customer ID"},
		{"zero time", cohort.Revenue{CustomerID: "a", Amount: d("1")}, `revenue time of customer "a"`},
		{"negative", cohort.Revenue{CustomerID: "a", At: day(2024, 2, 1), Amount: d("-1")}, `revenue of customer "a" in 2024-02 -1: negative revenue`},
		{"seven places", cohort.Revenue{CustomerID: "a", At: day(2024, 2, 1), Amount: d("0.0000001")}, "more than 6 decimal places"},
		{"too large", cohort.Revenue{CustomerID: "a", At: day(2024, 2, 1), Amount: d("1e13")}, "too large"},
		{"too many digits", cohort.Revenue{CustomerID: "a", At: day(2024, 2, 1), Amount: d("1234567890123456789")}, "too large"},
		{"way too precise", cohort.Revenue{CustomerID: "a", At: day(2024, 2, 1), Amount: d("1e-30")}, "decimal places"},
		{"before acquisition", cohort.Revenue{CustomerID: "c", At: day(2024, 1, 31), Amount: d("1")}, `revenue of customer "c" in 2024-01 1: before the customer's acquisition in 2024-02`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := demo(t).Add(tc.r)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, tc.msg)
		})
	}
}

func TestBuilderAddSubscription(t *testing.T) {
	// A subscription counts in every month from its start through its end.
	cases := []struct {
		name   string
		s      cohort.Subscription
		active []int64 // actives of the January cohort, Jan–Apr
	}{
		{"open", cohort.Subscription{CustomerID: "x", Start: day(2024, 2, 10), Amount: d("5")}, []int64{0, 1, 1, 1}},
		{"one month", cohort.Subscription{CustomerID: "x", Start: day(2024, 1, 10), End: day(2024, 1, 20), Amount: d("5")}, []int64{1, 0, 0, 0}},
		{"ends after the table", cohort.Subscription{CustomerID: "x", Start: day(2024, 3, 1), End: day(2025, 1, 1), Amount: d("5")}, []int64{0, 0, 1, 1}},
		{"starts after the table", cohort.Subscription{CustomerID: "x", Start: day(2024, 5, 1), Amount: d("5")}, []int64{0, 0, 0, 0}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := cohort.NewBuilder(cohort.Month)
			require.NoError(t, err)
			require.NoError(t, b.Add(cohort.Customer{ID: "x", Acquired: day(2024, 1, 1)}))
			require.NoError(t, b.Add(tc.s))
			tab, err := b.Table(through)
			require.NoError(t, err)
			for a, cell := range tab.Cohorts[0].Cells {
				assert.Equal(t, tc.active[a], cell.Active, "age %d", a)
			}
		})
	}
}

// TestBuilderWeeklySubscriptionBefore1970 checks weekly subscriptions
// that end before 1970-01-05, whose weeks are numbered below zero: an end
// in week −1 or −2 (or at the earliest time the library takes) is an end,
// not a subscription still running, before and after a binary round
// trip. By hand: the weeks are Mondays 7 days apart, week 0 starting on
// 1970-01-05, so week −1 is 1969-12-29 to 1970-01-04, week −2 1969-12-22
// to 12-28 and week −3 1969-12-15 to 12-21; 1900-01-01, 25 567 days before
// 1970-01-01, is a Monday, week (−25 567 − 4) / 7 = −3 653. The customer
// subscribes from its acquisition week at 10 a week, so each active cell
// holds one customer and 10 of revenue.
func TestBuilderWeeklySubscriptionBefore1970(t *testing.T) {
	tests := []struct {
		name            string
		start, end, thr time.Time
		active          []int64 // by age in weeks from the start
	}{
		// weeks −3 … 1: paid in −3, −2, −1; churned in week 0.
		{"ends in week −1", day(1969, 12, 15), day(1970, 1, 4), day(1970, 1, 12), []int64{1, 1, 1, 0, 0}},
		// weeks −3 … 1: paid in −3 and −2 (Wednesday 1969-12-24).
		{"ends in week −2", day(1969, 12, 15), day(1969, 12, 24), day(1970, 1, 12), []int64{1, 1, 0, 0, 0}},
		// weeks −3 … 1: paid through week 0 (Monday 1970-01-05).
		{"ends in week 0", day(1969, 12, 15), day(1970, 1, 5), day(1970, 1, 12), []int64{1, 1, 1, 1, 0}},
		// weeks −3 … 1 without an end: paid in all five.
		{"open", day(1969, 12, 15), time.Time{}, day(1970, 1, 12), []int64{1, 1, 1, 1, 1}},
		// weeks −3 653 … −3 650: paid in the first only.
		{"ends at the earliest time", day(kpi.MinYear, 1, 1), day(kpi.MinYear, 1, 1), day(kpi.MinYear, 1, 22), []int64{1, 0, 0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := cohort.NewBuilder(cohort.Week)
			require.NoError(t, err)
			require.NoError(t, b.Add(cohort.Customer{ID: "x", Acquired: tc.start}))
			require.NoError(t, b.Add(cohort.Subscription{CustomerID: "x", Start: tc.start, End: tc.end, Amount: d("10")}))
			data, err := b.MarshalBinary()
			require.NoError(t, err)
			var decoded cohort.Builder
			require.NoError(t, decoded.UnmarshalBinary(data))
			for _, bl := range []*cohort.Builder{b, &decoded} {
				tab, err := bl.Table(tc.thr)
				require.NoError(t, err)
				require.Len(t, tab.Cohorts, 1)
				require.Len(t, tab.Cohorts[0].Cells, len(tc.active))
				for a, cell := range tab.Cohorts[0].Cells {
					assert.Equal(t, tc.active[a], cell.Active, "age %d", a)
					assert.True(t, cell.Revenue.Equal(decimal.NewFromInt(10*tc.active[a])), "age %d: revenue %s", a, cell.Revenue)
				}
			}
		})
	}
}

func TestBuilderAddSubscriptionErrors(t *testing.T) {
	cases := []struct {
		name string
		s    cohort.Subscription
		msg  string
	}{
		{"empty ID", cohort.Subscription{Start: day(2024, 1, 1), Amount: d("1")}, "subscription customer ID"},
		{"zero start", cohort.Subscription{CustomerID: "a", Amount: d("1")}, "subscription start"},
		{"end out of range", cohort.Subscription{CustomerID: "a", Start: day(2024, 1, 1), End: day(10000, 1, 1), Amount: d("1")}, "subscription end"},
		{"end before start", cohort.Subscription{CustomerID: "a", Start: day(2024, 3, 1), End: day(2024, 2, 1), Amount: d("1")}, "before its start"},
		{"negative", cohort.Subscription{CustomerID: "a", Start: day(2024, 3, 1), Amount: d("-1")}, "negative revenue"},
		{"before acquisition", cohort.Subscription{CustomerID: "c", Start: day(2024, 1, 1), Amount: d("1")}, "before the customer's acquisition"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := demo(t).Add(tc.s)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, tc.msg)
		})
	}
}

// split adds the demo's records to two builders, by customer or by
// record, in the given way.
func TestBuilderMerge(t *testing.T) {
	whole := demoTable(t)
	cases := []struct {
		name  string
		parts func(t *testing.T) (*cohort.Builder, *cohort.Builder)
	}{
		{"empty into demo", func(t *testing.T) (*cohort.Builder, *cohort.Builder) {
			o, err := cohort.NewBuilder(cohort.Month)
			require.NoError(t, err)
			return demo(t), o
		}},
		{"demo into empty", func(t *testing.T) (*cohort.Builder, *cohort.Builder) {
			o, err := cohort.NewBuilder(cohort.Month)
			require.NoError(t, err)
			return o, demo(t)
		}},
		{"customers and revenue apart", func(t *testing.T) (*cohort.Builder, *cohort.Builder) {
			x, err := cohort.NewBuilder(cohort.Month)
			require.NoError(t, err)
			y, err := cohort.NewBuilder(cohort.Month)
			require.NoError(t, err)
			full := demo(t)
			_ = full
			// x: customers a–c and some revenue of d; y: the rest.
			for _, c := range []cohort.Customer{
				{ID: "a", Acquired: day(2024, 1, 10), Segment: "ads"},
				{ID: "b", Acquired: day(2024, 1, 20), Segment: "seo"},
				{ID: "c", Acquired: day(2024, 2, 3), Segment: "ads"},
			} {
				require.NoError(t, x.Add(c))
			}
			require.NoError(t, y.Add(cohort.Customer{ID: "d", Acquired: day(2024, 2, 14), Segment: "seo"}))
			require.NoError(t, y.Add(cohort.Customer{ID: "e", Acquired: day(2024, 3, 1), Segment: "ads"}))
			for _, r := range []cohort.Revenue{
				{CustomerID: "a", At: day(2024, 1, 31), Amount: d("100")},
				{CustomerID: "a", At: day(2024, 2, 1), Amount: d("120")},
				{CustomerID: "d", At: day(2024, 2, 1), Amount: d("0")},
				{CustomerID: "c", At: day(2024, 2, 1), Amount: d("150")},
			} {
				require.NoError(t, x.Add(r))
			}
			require.NoError(t, x.Add(cohort.Subscription{CustomerID: "d", Start: day(2024, 3, 1), Amount: d("30")}))
			for _, r := range []cohort.Revenue{
				{CustomerID: "a", At: day(2024, 3, 1), Amount: d("120")},
				{CustomerID: "a", At: day(2024, 4, 1), Amount: d("80")},
				{CustomerID: "b", At: day(2024, 4, 1), Amount: d("50")},
				{CustomerID: "b", At: day(2024, 1, 1), Amount: d("50")},
				{CustomerID: "b", At: day(2024, 3, 1), Amount: d("50")},
				{CustomerID: "c", At: day(2024, 2, 15), Amount: d("50")},
				{CustomerID: "c", At: day(2024, 3, 1), Amount: d("200")},
			} {
				require.NoError(t, y.Add(r))
			}
			require.NoError(t, y.Add(cohort.Subscription{CustomerID: "e", Start: day(2024, 3, 1), End: day(2024, 4, 30), Amount: d("10")}))
			return x, y
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x, y := tc.parts(t)
			require.NoError(t, x.Merge(y))
			got, err := x.Table(through)
			require.NoError(t, err)
			assert.Equal(t, whole.String(), got.String())
			require.Len(t, got.Cohorts, len(whole.Cohorts))
			for i := range got.Cohorts {
				for a, cell := range got.Cohorts[i].Cells {
					w := whole.Cohorts[i].Cells[a]
					assert.True(t, w.Revenue.Equal(cell.Revenue))
					assert.True(t, w.Movement.Churn.Equal(cell.Movement.Churn))
					assert.Equal(t, w.Survivors, cell.Survivors)
				}
			}
			ads, err := x.Table(through, "ads")
			require.NoError(t, err)
			assert.Equal(t, int64(1), ads.Cohorts[0].Size)
		})
	}
}

func TestBuilderMergeErrors(t *testing.T) {
	cases := []struct {
		name string
		o    func(t *testing.T) *cohort.Builder
		msg  string
	}{
		{"grain", func(t *testing.T) *cohort.Builder {
			o, err := cohort.NewBuilder(cohort.Week)
			require.NoError(t, err)
			return o
		}, "grain week: differs from month"},
		{"customer in both", func(t *testing.T) *cohort.Builder {
			o, err := cohort.NewBuilder(cohort.Month)
			require.NoError(t, err)
			require.NoError(t, o.Add(cohort.Customer{ID: "b", Acquired: day(2024, 1, 1)}))
			return o
		}, `customer ID "b": added to both builders`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := demo(t)
			before := demoTable(t).String()
			err := b.Merge(tc.o(t))
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, tc.msg)
			after, err := b.Table(through)
			require.NoError(t, err)
			assert.Equal(t, before, after.String())
		})
	}
}

// TestBuilderTableSpan holds issue 13's probe of the period span: a weekly
// table with one customer in year 1 took 220 MB and forty in random years
// ran out of memory. Within the library's years one customer in 1900 is
// 13 045 weekly cells (ISO weeks from 1900-01-01 through 2149-12-29), and a
// table beyond MaxCells is refused before anything is allocated: 2 000
// customers 6 weeks apart from 1900 would need Σ (13 045 − 6k), k < 2 000,
// = 14 096 000 cells.
func TestBuilderTableSpan(t *testing.T) {
	through := day(2149, 12, 29)
	tests := []struct {
		name      string
		customers int
		cells     int
		msg       string
	}{
		{"one customer in 1900", 1, 13045, ""},
		{"2000 customers 6 weeks apart", 2000, 0, "cohort.Builder.Table: cells 14096000: a table of more than MaxCells (10000000) cohort periods"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := cohort.NewBuilder(cohort.Week)
			require.NoError(t, err)
			for k := range tc.customers {
				require.NoError(t, b.Add(cohort.Customer{ID: strconv.Itoa(k), Acquired: day(1900, 1, 1).AddDate(0, 0, 42*k)}))
			}
			tab, err := b.Table(through)
			if tc.msg != "" {
				assert.ErrorIs(t, err, kpi.ErrInvalid)
				assert.ErrorContains(t, err, tc.msg)
				return
			}
			require.NoError(t, err)
			n := 0
			for _, c := range tab.Cohorts {
				n += len(c.Cells)
			}
			assert.Equal(t, tc.cells, n)
		})
	}
}
