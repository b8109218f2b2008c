package cohort_test

import (
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
