package cohort_test

import (
	"bytes"
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
)

// TestTableMoneyBound holds what FuzzProject and FuzzMovement found: a
// table or a movement built by hand with a decimal of exponent near ±2³¹
// hung Table.Project and ProjectBands, every Movement ratio (the sums in
// their check and quotients ran for minutes) and the revenue retentions,
// and Cohort.RevenueRetention of 1e-2147483648 panicked ("overflow in
// decimal QuoRem"). Each now returns at once an error wrapping
// kpi.ErrInvalid that names the amount and quotes it short; a row that
// hung would end the test run by its timeout.
func TestTableMoneyBound(t *testing.T) {
	huge, tiny := decimal.New(1, math.MaxInt32), decimal.New(1, math.MinInt32)
	jan := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	table := func(rev decimal.Decimal) *cohort.Table {
		return &cohort.Table{Grain: cohort.Month, Through: jan.AddDate(0, 1, 0), Cohorts: []cohort.Cohort{{Start: jan, Size: 10,
			Cells: []cohort.Cell{{Active: 10, Survivors: 10, Revenue: d("100")}, {Active: 5, Survivors: 5, Revenue: rev}}}}}
	}
	m, err := cohort.NewSBG(0.704, 1.182)
	require.NoError(t, err)
	e, err := cohort.EstimateSBG([]int64{1000, 631, 468, 382, 326})
	require.NoError(t, err)
	move := cohort.Movement{Opening: d("100"), New: huge, OpeningAccounts: 2}
	cases := []struct {
		name string
		call func() error
		msg  string
	}{
		{"Project, revenue 1e2147483647", func() error { _, err := table(huge).Project(m, 12, 0.8, 0.1); return err },
			"cohort.Table.Project: revenue of the cohort of 2024-01-01 at age 1 1e2147483647: more than 30 digits before the point"},
		{"Project, revenue 1e-2147483648", func() error { _, err := table(tiny).Project(m, 12, 0.8, 0.1); return err },
			"cohort.Table.Project: revenue of the cohort of 2024-01-01 at age 1 1e-2147483648: more than 18 decimal places"},
		{"ProjectBands, revenue 1e2147483647", func() error { _, err := table(huge).ProjectBands(e, 12, 0.8, 0.1, 0.9); return err },
			"cohort.Table.Project: revenue of the cohort of 2024-01-01 at age 1 1e2147483647: more than 30 digits before the point"},
		{"Table.RevenueRetention, 1e2147483647", func() error { _, err := table(huge).RevenueRetention(1); return err },
			"cohort.Table.RevenueRetention: revenue of the cohort of 2024-01-01 at age 1 1e2147483647: more than 30 digits before the point"},
		{"Cohort.RevenueRetention, 1e-2147483648", func() error { _, err := table(tiny).Cohorts[0].RevenueRetention(1); return err },
			"cohort.Cohort.RevenueRetention: revenue of the cohort of 2024-01-01 at age 1 1e-2147483648: more than 18 decimal places"},
		{"LogoChurn, New 1e2147483647", func() error { _, err := move.LogoChurn(); return err },
			"cohort.Movement.LogoChurn: New 1e2147483647: more than 30 digits before the point"},
		{"GrossChurn, New 1e2147483647", func() error { _, err := move.GrossChurn(); return err },
			"cohort.Movement.GrossChurn: New 1e2147483647: more than 30 digits before the point"},
		{"NetChurn, New 1e2147483647", func() error { _, err := move.NetChurn(); return err },
			"cohort.Movement.NetChurn: New 1e2147483647: more than 30 digits before the point"},
		{"GRR, New 1e2147483647", func() error { _, err := move.GRR(); return err },
			"cohort.Movement.GRR: New 1e2147483647: more than 30 digits before the point"},
		{"NRR, Churn 1e-2147483648", func() error { _, err := cohort.Movement{Opening: d("1"), Churn: tiny}.NRR(); return err },
			"cohort.Movement.NRR: Churn 1e-2147483648: more than 18 decimal places"},
		{"QuickRatio, Opening 1e2147483647", func() error { _, err := cohort.Movement{Opening: huge}.QuickRatio(); return err },
			"cohort.Movement.QuickRatio: Opening 1e2147483647: more than 30 digits before the point"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.msg)
		})
	}
}

// finishesWithin fails t unless f returns within d. A call that hangs is
// left running in its goroutine, but the row fails at once instead of
// holding the whole test run until its timeout.
func finishesWithin(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("did not finish within %v", d)
	}
}

// TestTableMoneyBoundNoError holds the methods that hung on a hand-built
// table or movement with an amount of exponent near ±2³¹ and return no
// error: Movement.Closing (the sums ran for minutes), Table.Periods (the
// same sums over cohorts). Each now returns its documented special case
// at once: a closing of 0, no periods. Table.String never read an amount
// and is held here so that it stays so. Rows that hung fail by the guard,
// within five seconds, not by the test run's timeout.
func TestTableMoneyBoundNoError(t *testing.T) {
	huge, tiny := decimal.New(1, math.MaxInt32), decimal.New(1, math.MinInt32)
	jan := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	table := func(m cohort.Movement) *cohort.Table {
		return &cohort.Table{Grain: cohort.Month, Through: jan.AddDate(0, 1, 0), Cohorts: []cohort.Cohort{{Start: jan, Size: 10,
			Cells: []cohort.Cell{{Active: 10, Survivors: 10, Revenue: d("100"), Movement: cohort.Movement{New: d("100"), NewAccounts: 10}},
				{Active: 5, Survivors: 5, Revenue: d("50"), Movement: m}}}}}
	}
	cases := []struct {
		name string
		call func(t *testing.T)
	}{
		{"Closing, New 1e2147483647", func(t *testing.T) {
			assert.True(t, cohort.Movement{Opening: d("100"), New: huge}.Closing().IsZero())
		}},
		{"Closing, Churn 1e-2147483648", func(t *testing.T) {
			assert.True(t, cohort.Movement{Opening: d("100"), Churn: tiny}.Closing().IsZero())
		}},
		{"Closing, Opening 0e2147483647", func(t *testing.T) {
			assert.True(t, cohort.Movement{Opening: decimal.New(0, math.MaxInt32), New: d("5")}.Closing().IsZero())
		}},
		{"Closing within the bound", func(t *testing.T) {
			// 1e29 + 1e-18 − 0 written out by hand: 30 digits, 18 places.
			got := cohort.Movement{Opening: decimal.New(1, 29), New: decimal.New(1, -18)}.Closing()
			assert.True(t, got.Equal(d("100000000000000000000000000000.000000000000000001")), "closing %v", got)
		}},
		{"Periods, Expansion 1e2147483647", func(t *testing.T) {
			assert.Nil(t, table(cohort.Movement{Opening: d("100"), Expansion: huge}).Periods())
		}},
		{"Periods, Contraction 1e-2147483648", func(t *testing.T) {
			assert.Nil(t, table(cohort.Movement{Opening: d("100"), Contraction: tiny}).Periods())
		}},
		{"String, revenue 1e2147483647", func(t *testing.T) {
			tab := table(cohort.Movement{Opening: huge})
			tab.Cohorts[0].Cells[1].Revenue = huge
			assert.Equal(t, "cohort       size     0     1\n2024-01        10  100%   50%\n", tab.String())
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			finishesWithin(t, 5*time.Second, func() { tc.call(t) })
		})
	}
}

// TestTablePeriodsShape holds Periods on tables built by hand in shapes
// Builder.Table never makes: cohorts out of order and cells beyond
// Through panicked with an index out of range, a Through before the first
// cohort (the zero Through of a table written without one) asked make for
// a negative length, and a Through in year 10⁹ for billions of periods.
func TestTablePeriodsShape(t *testing.T) {
	jan, feb := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	cell := func(rev string) cohort.Cell {
		return cohort.Cell{Active: 1, Survivors: 1, Revenue: d(rev), Movement: cohort.Movement{New: d(rev), NewAccounts: 1}}
	}
	cases := []struct {
		name   string
		tab    cohort.Table
		starts []time.Time
		new    []string // New of each period, by hand: the sums of the cells in it
	}{
		{"cohorts out of order", cohort.Table{Through: feb, Cohorts: []cohort.Cohort{
			{Start: feb, Size: 1, Cells: []cohort.Cell{cell("20")}},
			{Start: jan, Size: 1, Cells: []cohort.Cell{cell("10"), {Active: 1, Survivors: 1, Revenue: d("10"), Movement: cohort.Movement{Opening: d("10"), OpeningAccounts: 1}}}}}},
			[]time.Time{jan, feb}, []string{"10", "20"}},
		{"cells beyond Through", cohort.Table{Through: jan, Cohorts: []cohort.Cohort{
			{Start: jan, Size: 2, Cells: []cohort.Cell{cell("10"), cell("5")}}}},
			[]time.Time{jan, feb}, []string{"10", "5"}},
		{"Through before the cohorts", cohort.Table{Through: time.Date(2023, 12, 1, 0, 0, 0, 0, time.UTC), Cohorts: []cohort.Cohort{
			{Start: jan, Size: 1, Cells: []cohort.Cell{cell("10")}}}},
			[]time.Time{jan}, []string{"10"}},
		{"zero Through", cohort.Table{Cohorts: []cohort.Cohort{{Start: jan, Size: 1, Cells: []cohort.Cell{cell("10")}}}}, nil, nil},
		{"Through in year 10⁹", cohort.Table{Through: time.Date(1e9, 1, 1, 0, 0, 0, 0, time.UTC), Cohorts: []cohort.Cohort{
			{Start: jan, Size: 1, Cells: []cohort.Cell{cell("10")}}}}, nil, nil},
		// Probe: Grain(3) and Grain(−1), unknown, counted periods as
		// months, where MarshalJSON refuses them; the table has no
		// periods to sum.
		{"unknown grain", cohort.Table{Grain: 3, Through: jan, Cohorts: []cohort.Cohort{{Start: jan, Size: 1, Cells: []cohort.Cell{cell("10")}}}}, nil, nil},
		{"negative grain", cohort.Table{Grain: -1, Through: jan, Cohorts: []cohort.Cohort{{Start: jan, Size: 1, Cells: []cohort.Cell{cell("10")}}}}, nil, nil},
		{"Start in year 1", cohort.Table{Through: jan, Cohorts: []cohort.Cohort{{Start: time.Time{}, Size: 1, Cells: []cohort.Cell{cell("10")}}}}, nil, nil},
		// Probe: two hand-built cohorts of 2⁶³ − 1 new accounts in one
		// period summed to −2 (wrapped); the sum has no int64, so nil.
		{"new accounts beyond int64", cohort.Table{Through: jan, Cohorts: []cohort.Cohort{
			{Start: jan, Size: math.MaxInt64, Cells: []cohort.Cell{{Active: math.MaxInt64, Survivors: math.MaxInt64, Revenue: d("1"), Movement: cohort.Movement{New: d("1"), NewAccounts: math.MaxInt64}}}},
			{Start: jan, Size: 1, Cells: []cohort.Cell{cell("10")}}}}, nil, nil},
		{"churned below int64", cohort.Table{Through: jan, Cohorts: []cohort.Cohort{
			{Start: jan, Size: 1, Cells: []cohort.Cell{{Movement: cohort.Movement{Churned: math.MinInt64}}}},
			{Start: jan, Size: 1, Cells: []cohort.Cell{{Movement: cohort.Movement{Churned: -1}}}}}}, nil, nil},
		// The largest sum that fits, (2⁶³ − 2) + 1, is still a period.
		{"new accounts at the edge", cohort.Table{Through: jan, Cohorts: []cohort.Cohort{
			{Start: jan, Size: math.MaxInt64 - 1, Cells: []cohort.Cell{{Revenue: d("1"), Movement: cohort.Movement{New: d("1"), NewAccounts: math.MaxInt64 - 1}}}},
			{Start: jan, Size: 1, Cells: []cohort.Cell{cell("10")}}}}, []time.Time{jan}, []string{"11"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ps cohort.Periods
			finishesWithin(t, 5*time.Second, func() { ps = tc.tab.Periods() })
			if tc.starts == nil {
				assert.Nil(t, ps)
				return
			}
			require.Len(t, ps, len(tc.starts))
			for i, p := range ps {
				assert.True(t, p.Start.Equal(tc.starts[i]), "start %d: %v", i, p.Start)
				assertDec(t, tc.new[i], p.New)
			}
		})
	}
}

// TestTableWriteMoneyBound holds Table.WriteCSV and Table.MarshalJSON on a
// hand-built table with an amount of exponent near ±2³¹: both spelled out
// its billions of digits (minutes and gigabytes); each now returns at once
// an error wrapping kpi.ErrInvalid that names the cell and quotes the
// amount short, and writes nothing.
func TestTableWriteMoneyBound(t *testing.T) {
	huge, tiny := decimal.New(1, math.MaxInt32), decimal.New(1, math.MinInt32)
	jan := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	table := func(rev decimal.Decimal, m cohort.Movement) *cohort.Table {
		return &cohort.Table{Grain: cohort.Month, Through: jan.AddDate(0, 1, 0), Cohorts: []cohort.Cohort{{Start: jan, Size: 10,
			Cells: []cohort.Cell{{Active: 10, Survivors: 10, Revenue: d("100")}, {Active: 5, Survivors: 5, Revenue: rev, Movement: m}}}}}
	}
	writeCSV := func(tab *cohort.Table) (int, error) {
		var b bytes.Buffer
		err := tab.WriteCSV(&b)
		return b.Len(), err
	}
	marshal := func(tab *cohort.Table) (int, error) {
		b, err := tab.MarshalJSON()
		return len(b), err
	}
	cases := []struct {
		name  string
		write func(*cohort.Table) (int, error)
		tab   *cohort.Table
		msg   string
	}{
		{"WriteCSV, revenue 1e2147483647", writeCSV, table(huge, cohort.Movement{}),
			"cohort.Table.WriteCSV: revenue of the cohort of 2024-01-01 at age 1 1e2147483647: more than 30 digits before the point"},
		{"WriteCSV, Churn 1e-2147483648", writeCSV, table(d("50"), cohort.Movement{Opening: d("100"), Churn: tiny}),
			"cohort.Table.WriteCSV: movement's Churn of the cohort of 2024-01-01 at age 1 1e-2147483648: more than 18 decimal places"},
		{"MarshalJSON, revenue 1e-2147483648", marshal, table(tiny, cohort.Movement{}),
			"cohort.Table.MarshalJSON: revenue of the cohort of 2024-01-01 at age 1 1e-2147483648: more than 18 decimal places"},
		{"MarshalJSON, Opening 1e2147483647", marshal, table(d("50"), cohort.Movement{Opening: huge}),
			"cohort.Table.MarshalJSON: movement's Opening of the cohort of 2024-01-01 at age 1 1e2147483647: more than 30 digits before the point"},
		{"MarshalJSON, New 0e2147483647", marshal, table(d("50"), cohort.Movement{New: decimal.New(0, math.MaxInt32)}),
			"cohort.Table.MarshalJSON: movement's New of the cohort of 2024-01-01 at age 1 0e2147483647: more than 30 digits before the point"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var n int
			var err error
			finishesWithin(t, 5*time.Second, func() { n, err = tc.write(tc.tab) })
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.msg)
			assert.Zero(t, n, "nothing written")
		})
	}
}
