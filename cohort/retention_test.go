package cohort_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
)

func TestTableLogoRetention(t *testing.T) {
	// Demo table (see demo): actives by age Jan 2,1,2,2 (size 2), Feb
	// 1,2,1 (size 2), Mar 1,1 (size 1). Pooled over the cohorts that
	// reached the age: age 2 is (2+1)/(2+2); March does not count as 0.
	cases := []struct {
		name string
		age  int
		s, n int64
	}{
		{"age 0", 0, 4, 5},
		{"age 1", 1, 4, 5},
		{"age 2", 2, 3, 4},
		{"age 3", 3, 2, 2},
	}
	tab := demoTable(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tab.LogoRetention(tc.age)
			require.NoError(t, err)
			assert.Equal(t, rate(t, tc.s, tc.n), got)
		})
	}
}

func TestTableRetentionErrors(t *testing.T) {
	tab := demoTable(t)
	zero := &cohort.Table{Cohorts: []cohort.Cohort{{Size: 1, Cells: []cohort.Cell{{}}}}}
	cases := []struct {
		name string
		tab  *cohort.Table
		age  int
		want error
	}{
		{"negative age", tab, -1, kpi.ErrInvalid},
		{"immature", tab, 4, cohort.ErrImmature},
		{"no revenue at age 0", zero, 0, kpi.ErrUndefined},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.tab.RevenueRetention(tc.age)
			assert.ErrorIs(t, err, tc.want)
			if tc.name != "no revenue at age 0" {
				_, err = tc.tab.LogoRetention(tc.age)
				assert.ErrorIs(t, err, tc.want)
			}
		})
	}
}

func TestTableLogoRetentionHandBuiltErrors(t *testing.T) {
	// Tables built by hand: sums of int64 counts near 2⁶³ used to wrap.
	// Two cohorts of size 2⁶³ − 1 pooled to size −2, and three wraps of
	// the sum can land on a small positive size, a wrong rate.
	const top = math.MaxInt64
	one := func(size, active int64) cohort.Cohort {
		return cohort.Cohort{Size: size, Cells: []cohort.Cell{{Active: active}}}
	}
	cases := []struct {
		name    string
		cohorts []cohort.Cohort
		arg     string
	}{
		{"sizes wrap", []cohort.Cohort{one(top, 1), one(top, 1)}, "Cohorts[1].Size"},
		{"sizes wrap thrice", []cohort.Cohort{one(top, 0), one(top, 0), one(top, 0), one(3, 0)}, "Cohorts[1].Size"},
		{"actives wrap", []cohort.Cohort{one(1, top), one(1, top)}, "Cohorts[1].Cells[0].Active"},
		{"negative size", []cohort.Cohort{one(5, 1), one(-5, 0)}, "Cohorts[1].Size"},
		{"negative active", []cohort.Cohort{one(5, 1), one(5, -1)}, "Cohorts[1].Cells[0].Active"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tab := &cohort.Table{Cohorts: tc.cohorts}
			_, err := tab.LogoRetention(0)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			var e *kpi.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.arg, e.Arg)
		})
	}
	// At the edge the sum is exact: sizes 2⁶³ − 2 and 1 pool to 2⁶³ − 1.
	tab := &cohort.Table{Cohorts: []cohort.Cohort{one(top-1, 0), one(1, 1)}}
	got, err := tab.LogoRetention(0)
	require.NoError(t, err)
	assert.Equal(t, rate(t, 1, top), got)
}

func TestTableRevenueRetention(t *testing.T) {
	// Revenue by age: Jan 150,120,170,130; Feb 200,230,30; Mar 10,10.
	cases := []struct {
		name string
		age  int
		want float64
	}{
		{"age 0", 0, 1},
		{"age 1", 1, (120.0 + 230 + 10) / (150 + 200 + 10)},
		{"age 2", 2, (170.0 + 30) / (150 + 200)},
		{"age 3", 3, 130.0 / 150},
	}
	tab := demoTable(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tab.RevenueRetention(tc.age)
			require.NoError(t, err)
			assert.InDelta(t, tc.want, got, 1e-15)
		})
	}
}

func TestCohortLogoRetention(t *testing.T) {
	tab := demoTable(t)
	cases := []struct {
		name   string
		cohort int
		age    int
		s, n   int64
	}{
		{"january at 1", 0, 1, 1, 2},
		{"january at 3", 0, 3, 2, 2},
		{"march at 1", 2, 1, 1, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tab.Cohorts[tc.cohort].LogoRetention(tc.age)
			require.NoError(t, err)
			assert.Equal(t, rate(t, tc.s, tc.n), got)
		})
	}
}

func TestCohortRevenueRetention(t *testing.T) {
	tab := demoTable(t)
	cases := []struct {
		name   string
		cohort int
		age    int
		want   float64
	}{
		{"january at 2", 0, 2, 170.0 / 150},
		{"february at 2", 1, 2, 30.0 / 200},
		{"march at 1", 2, 1, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tab.Cohorts[tc.cohort].RevenueRetention(tc.age)
			require.NoError(t, err)
			assert.InDelta(t, tc.want, got, 1e-15)
		})
	}
}

func TestCohortRetentionErrors(t *testing.T) {
	tab := demoTable(t)
	cases := []struct {
		name string
		c    cohort.Cohort
		age  int
		want error
	}{
		{"negative", tab.Cohorts[0], -1, kpi.ErrInvalid},
		{"immature march", tab.Cohorts[2], 2, cohort.ErrImmature},
		{"no revenue", cohort.Cohort{Size: 1, Cells: []cohort.Cell{{Active: 0}}}, 0, kpi.ErrUndefined},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.c.RevenueRetention(tc.age)
			assert.ErrorIs(t, err, tc.want)
			if tc.want != kpi.ErrUndefined {
				_, err = tc.c.LogoRetention(tc.age)
				assert.ErrorIs(t, err, tc.want)
			}
		})
	}
}

func TestTableAges(t *testing.T) {
	cases := []struct {
		name string
		tab  *cohort.Table
		want int
	}{
		{"demo", demoTable(t), 4},
		{"empty", &cohort.Table{}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.tab.Ages()) })
	}
}

func TestTableString(t *testing.T) {
	cases := []struct {
		name string
		tab  *cohort.Table
		want string
	}{
		{"demo", demoTable(t), "" +
			"cohort       size     0     1     2     3\n" +
			"2024-01         2  100%   50%  100%  100%\n" +
			"2024-02         2   50%  100%   50%\n" +
			"2024-03         1  100%  100%\n"},
		{"empty cohort", &cohort.Table{Cohorts: []cohort.Cohort{{Start: day(2024, 1, 1)}}}, "cohort       size\n2024-01         0\n"},
		// Probe: an unknown Grain labelled its cohorts as months
		// ("2024-03"); there is no period to name, so the Start date.
		{"unknown grain", &cohort.Table{Grain: 7, Cohorts: []cohort.Cohort{{Start: day(2024, 3, 15), Size: 2, Cells: []cohort.Cell{{Active: 2}, {Active: 1}}}}},
			"cohort       size     0     1\n2024-03-15      2  100%   50%\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.tab.String()) })
	}
}

func TestTablePeriods(t *testing.T) {
	// Calendar months of the demo, summed over cohorts (hand-worked):
	//	Jan: new 150 (a, b)
	//	Feb: opening 150 (2), expansion 20 (a), churn 50 (b), new 200 (c)
	//	Mar: opening 320 (a, c), reactivation 50 (b), new 30 (d) + 10 (e)
	//	Apr: opening 410 (5), contraction 40 (a), churn 200 (c)
	cases := []struct {
		name                               string
		opening, new, exp, react, con, chu string
		openAcc, churned, closingAcc       int64
		closing                            string
	}{
		{"2024-01", "0", "150", "0", "0", "0", "0", 0, 0, 2, "150"},
		{"2024-02", "150", "200", "20", "0", "0", "50", 2, 1, 2, "320"},
		{"2024-03", "320", "40", "0", "50", "0", "0", 2, 0, 5, "410"},
		{"2024-04", "410", "0", "0", "0", "40", "200", 5, 1, 4, "170"},
	}
	ps := demoTable(t).Periods()
	require.Len(t, ps, len(cases))
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := ps[i]
			assert.Equal(t, day(2024, time.Month(1+i), 1), p.Start)
			assertDec(t, tc.opening, p.Opening)
			assertDec(t, tc.new, p.New)
			assertDec(t, tc.exp, p.Expansion)
			assertDec(t, tc.react, p.Reactivation)
			assertDec(t, tc.con, p.Contraction)
			assertDec(t, tc.chu, p.Churn)
			assert.Equal(t, tc.openAcc, p.OpeningAccounts)
			assert.Equal(t, tc.churned, p.Churned)
			assert.Equal(t, tc.closingAcc, p.ClosingAccounts())
			assertDec(t, tc.closing, p.Closing())
		})
	}
	assert.Nil(t, (&cohort.Table{}).Periods())
}

func TestTablePeriodsSpan(t *testing.T) {
	// One period per calendar month from the first cohort to the table's
	// end; the last closing revenue is the sum of the cohorts' last cells.
	feb, err := demo(t).Table(day(2024, 2, 1))
	require.NoError(t, err)
	cases := []struct {
		name    string
		tab     *cohort.Table
		n       int
		closing string
	}{
		{"demo", demoTable(t), 4, "170"},    // 130 + 30 + 10
		{"through february", feb, 2, "320"}, // 120 + 200
		{"empty", &cohort.Table{}, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ps := tc.tab.Periods()
			require.Len(t, ps, tc.n)
			if tc.n > 0 {
				assertDec(t, tc.closing, ps[tc.n-1].Closing())
			}
		})
	}
}
