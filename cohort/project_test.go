package cohort_test

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
)

// paperTable is Table 1 of Fader and Hardie (2007) as records: 1,000
// customers acquired in January 2020 paying 1 a month for as many months
// as the table says they stayed (months standing in for years), through
// month 7. Its survivors are the fitting years 0–7.
func paperTable(t testing.TB, data []int64) *cohort.Table {
	b, err := cohort.NewBuilder(cohort.Month)
	require.NoError(t, err)
	id := 0
	for age := range data {
		leaving := data[age] // still here at age; those gone by age+1 leave now
		if age+1 < len(data) {
			leaving -= data[age+1]
		}
		for range leaving {
			name := string(rune('A'+id%26)) + string(rune('a'+id/26%26)) + string(rune('0'+id/676))
			id++
			require.NoError(t, b.Add(cohort.Customer{ID: name, Acquired: day(2020, 1, 1)}))
			for a := 0; a <= age; a++ {
				require.NoError(t, b.Add(cohort.Revenue{CustomerID: name, At: day(2020, 1, 1).AddDate(0, a, 0), Amount: d("1")}))
			}
		}
	}
	tab, err := b.Table(day(2020, 1, 1).AddDate(0, len(data)-1, 0))
	require.NoError(t, err)
	return tab
}

func TestTableFitSBG(t *testing.T) {
	// The paper's estimates again, through the table (see paperTable).
	cases := []struct {
		name        string
		data        []int64
		alpha, beta float64
	}{
		{"regular", regular, 0.704, 1.182},
		{"high end", highEnd, 0.668, 3.806},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tab := paperTable(t, tc.data)
			require.Len(t, tab.Cohorts, 1)
			for a, cell := range tab.Cohorts[0].Cells {
				require.Equal(t, tc.data[a], cell.Survivors)
			}
			m, err := tab.FitSBG()
			require.NoError(t, err)
			assert.InDelta(t, tc.alpha, m.Alpha(), 0.0005)
			assert.InDelta(t, tc.beta, m.Beta(), 0.0005)
		})
	}
}

func TestTableFitSBGErrors(t *testing.T) {
	// Errors name the method the caller called and the table's cells, not
	// FitSBG and its arguments (survivors[0][2]), which the caller of a
	// method on a Table never wrote.
	cases := []struct {
		name string
		tab  *cohort.Table
		want error
		msg  string
	}{
		{"demo: one customer lost", demoTable(t), cohort.ErrNotConverged, "cohort.Table.FitSBG: "},
		{"one period", &cohort.Table{Cohorts: []cohort.Cohort{{Size: 2, Cells: []cohort.Cell{{Survivors: 2}, {Survivors: 1}}}}}, kpi.ErrInvalid,
			"cohort.Table.FitSBG: Cohorts 1 periods: fewer than two periods to fit"},
		{"no cohorts", &cohort.Table{}, kpi.ErrInvalid, "cohort.Table.FitSBG: len(Cohorts) 0: no series"},
		{"a cohort without cells", &cohort.Table{Cohorts: append(tableOf(regular).Cohorts, cohort.Cohort{Size: 3})}, kpi.ErrInvalid, "cohort.Table.FitSBG: len(Cohorts[1].Cells) 0: empty series"},
		{"survivors rise", tableOf(regular, []int64{1000, 631, 640}), kpi.ErrInvalid,
			"cohort.Table.FitSBG: Cohorts[1].Cells[2].Survivors 640: exceeds 631 active a period before: survivors cannot increase"},
		{"negative survivors", tableOf([]int64{1000, -1, -2}), kpi.ErrInvalid, "cohort.Table.FitSBG: Cohorts[0].Cells[1].Survivors -1: negative count"},
		// Halving each period is a constant churn of 1/2: α and β run off
		// together towards the geometric model, and α, the first the
		// search checks, is named.
		{"constant churn", tableOf([]int64{1024, 512, 256, 128, 64, 32}), cohort.ErrNotConverged, "cohort.Table.FitSBG: alpha "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.tab.FitSBG()
			assert.ErrorIs(t, err, tc.want)
			assert.ErrorContains(t, err, tc.msg)
			_, err = tc.tab.EstimateSBG()
			assert.ErrorIs(t, err, tc.want)
			assert.ErrorContains(t, err, strings.Replace(tc.msg, "Table.FitSBG", "Table.EstimateSBG", 1))
		})
	}
}

func TestTableProject(t *testing.T) {
	// One cohort of 100 observed at ages 0–1 (survivors 100, 60; revenue
	// 1000, 600) under α = 2, β = 3: S(1) = 0.6, S(2) = 0.4,
	// S(3) = 0.4·5/7. Projected survivors 60·S(a)/S(1): 40 and 28.5714…
	// LTV at margin 0.5 and d = 0.1: 0.5·(1600 + 600·DERL(0.1, 2)/1.1)/100
	// with DERL(0.1, 2) = 2.292198035… (Python, direct sum) = 14.251449.
	one := &cohort.Table{Grain: cohort.Month, Cohorts: []cohort.Cohort{{
		Start: day(2024, 1, 1), Size: 100,
		Cells: []cohort.Cell{{Survivors: 100, Active: 100, Revenue: d("1000")}, {Survivors: 60, Active: 60, Revenue: d("600")}},
	}}}
	none := &cohort.Table{Grain: cohort.Month, Cohorts: []cohort.Cohort{{
		Start: day(2024, 1, 1), Size: 5, Cells: []cohort.Cell{{}, {}},
	}}}
	cases := []struct {
		name      string
		tab       *cohort.Table
		horizon   int
		survivors []float64
		retention []float64
		ltv       string
	}{
		{"one cohort", one, 4, []float64{100, 60, 40, 60 * (0.4 * 5 / 7) / 0.6}, []float64{1, 0.6, 0.4, 0.4 * 5 / 7}, "14.251449"},
		{"horizon inside the data", one, 1, []float64{100}, []float64{1}, "14.251449"},
		{"nobody paid", none, 3, []float64{0, 0, 0}, nil, "0"},
	}
	m := mustSBG(t, 2, 3)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ps, err := tc.tab.Project(m, tc.horizon, 0.5, 0.1)
			require.NoError(t, err)
			require.Len(t, ps, 1)
			p := ps[0]
			assert.Equal(t, day(2024, 1, 1), p.Start)
			assert.Equal(t, min(2, tc.horizon), p.Observed)
			assert.InDeltaSlice(t, tc.survivors, p.Survivors, 1e-12)
			if tc.retention == nil {
				assert.Nil(t, p.Retention)
			} else {
				assert.InDeltaSlice(t, tc.retention, p.Retention, 1e-12)
			}
			assertDec(t, tc.ltv, p.LTV)
		})
	}
}

func TestTableProjectErrors(t *testing.T) {
	tab := demoTable(t)
	m := mustSBG(t, 2, 3)
	cases := []struct {
		name             string
		tab              *cohort.Table
		horizon          int
		margin, discount float64
	}{
		{"horizon 0", tab, 0, 0.5, 0.1},
		{"margin 0", tab, 3, 0, 0.1},
		{"discount 0", tab, 3, 0.5, 0},
		// Issue 13's probes: discount 1e-17 panicked ("Cannot create a
		// Decimal from NaN"); a horizon of 2^40 exhausted memory.
		{"discount 1e-17", tab, 3, 0.5, 1e-17},
		{"horizon 2^40", tab, 1 << 40, 0.5, 0.1},
		{"horizon 10001", tab, 10001, 0.5, 0.1},
		{"empty cohort", &cohort.Table{Cohorts: []cohort.Cohort{{Size: 0}}}, 3, 0.5, 0.1},
		// probe (projection size): by hand, 10⁶ cohorts at horizon 10⁴
		// are 10¹⁰ cohort ages, two float64s each (160 GB), above MaxCells
		// (10⁷); 1001 at 10⁴ are just above. The cohorts' cells are never
		// read, so empty cohorts show that nothing ran before the check.
		{"10⁶ cohorts at horizon 10⁴", &cohort.Table{Cohorts: make([]cohort.Cohort, 1_000_000)}, 10_000, 0.5, 0.1},
		{"1001 cohorts at horizon 10⁴", &cohort.Table{Cohorts: make([]cohort.Cohort, 1001)}, 10_000, 0.5, 0.1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.tab.Project(m, tc.horizon, tc.margin, tc.discount)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
		})
	}
	_, err := (&cohort.Table{Cohorts: make([]cohort.Cohort, 1_000_000)}).Project(m, 10_000, 0.5, 0.1)
	assert.EqualError(t, err, "cohort.Table.Project: cohorts × horizon 10000000000: 1000000 cohorts at horizon 10000: a projection of more than MaxCells (10000000) cohort ages")
	_, err = (&cohort.Table{Cohorts: make([]cohort.Cohort, 1000)}).Project(m, 10_000, 0.5, 0.1)
	assert.ErrorContains(t, err, "has no cells", "1000 × 10⁴ = 10⁷ is within MaxCells")
}

// TestTableProjectMoneyBound holds the LTV of Project and ProjectBands to
// the library's bound on money (|v| < 10³⁰), which WriteCSV and the JSON
// writers enforce: a cohort's revenue may each lie within the bound and
// its LTV, their sum plus the projected tail, beyond it.
func TestTableProjectMoneyBound(t *testing.T) {
	// near returns a one-customer cohort paying r at ages 0 and 1.
	near := func(r decimal.Decimal) *cohort.Table {
		return &cohort.Table{Grain: cohort.Month, Cohorts: []cohort.Cohort{{
			Start: day(2024, 1, 1), Size: 1,
			Cells: []cohort.Cell{{Survivors: 1, Active: 1, Revenue: r}, {Survivors: 1, Active: 1, Revenue: r}},
		}}}
	}
	nines := d(strings.Repeat("9", 30)) // 10³⁰ − 1, the largest whole amount
	e := estimateSim(t)
	// By hand: the point LTV at margin 1 is 2r + r·DERL(0.1, 2)/1.1 and
	// DERL > 0, so with r = nines it is above 2·(10³⁰ − 1) ≥ 10³⁰.
	ps, err := near(d("1e12")).Project(e.Model(), 2, 1, 0.1)
	require.NoError(t, err)
	// ratio = LTV/r for this cohort under e's model; r = 10³⁰/ratio·(1 −
	// 10⁻¹²) puts the point LTV just inside the bound and the band's upper
	// end, above the point, beyond it.
	ratio := ps[0].LTV.Shift(-12) // exact to the LTV's 6 places: 18 digits
	edge := d("1e30").Div(ratio).Mul(d("0.999999999999")).Truncate(0)
	tests := []struct {
		name  string
		tab   *cohort.Table
		bands bool
		want  string // "" for no error
	}{
		{"project: LTV beyond the bound", near(nines), false, "cohort.Table.Project: LTV of the cohort of 2024-01-01 "},
		{"project: the edge is inside", near(edge), false, ""},
		{"bands: LTV beyond the bound", near(nines), true, "cohort.Table.Project: LTV of the cohort of 2024-01-01 "},
		{"bands: upper end beyond the bound", near(edge), true, "cohort.Table.ProjectBands: LTV band's upper end of the cohort of 2024-01-01 "},
		{"bands: within", near(d("1000")), true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.bands {
				_, err = tc.tab.ProjectBands(e, 2, 1, 0.1, 0.95)
			} else {
				_, err = tc.tab.Project(e.Model(), 2, 1, 0.1)
			}
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}
