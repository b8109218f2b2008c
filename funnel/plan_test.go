package funnel_test

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestPlan(t *testing.T) {
	month := counts(t, six, 12000, 240, 96, 40, 25, 6)
	observed, err := month.Model(dec("24000"))
	require.NoError(t, err)
	observed.Costs = map[string]decimal.Decimal{"Visit": dec("0.80"), "Lead": dec("45.00")}

	tests := []struct {
		name    string
		m       funnel.Model
		goal    string
		counts  []float64
		costs   []string
		revenue string
		budget  string
	}{
		// By hand: 240000/24000 = 10 deals; ⌈10/0.24⌉ = ⌈41.67⌉ = 42
		// opportunities; ⌈42/0.625⌉ = ⌈67.2⌉ = 68 SQLs; ⌈68·96/40⌉ =
		// ⌈163.2⌉ = 164 MQLs; ⌈164/0.4⌉ = 410 leads; ⌈410/0.02⌉ = 20500
		// visits. Budget 20500·0.80 + 410·45.00 = 16400 + 18450 = 34850.
		{"b2b month", observed, "240000", []float64{20500, 410, 164, 68, 42, 10},
			[]string{"16400.00", "18450.00", "0", "0", "0", "0"}, "240000", "34850.00"},
		// 100/30 = 3.33 → 4 deals (revenue 120 ≥ 100); 4/0.5 = 8 exactly.
		{"goal not a multiple of the deal", funnel.Model{Stages: []string{"SQL", "Won"}, Rates: []float64{0.5}, DealSize: dec("30")},
			"100", []float64{8, 4}, []string{"0", "0"}, "120", "0"},
		// 10 deals at a rate of 1/3 need 30, not 31: 10/0.3333333333333333
		// is 30.000000000000003 before rounding to nine places.
		{"a third", funnel.Model{Stages: []string{"Opportunity", "Won"}, Rates: []float64{1.0 / 3}, DealSize: dec("1000"),
			Costs: map[string]decimal.Decimal{"Won": dec("12.5")}},
			"10000", []float64{30, 10}, []string{"0", "125.0"}, "10000", "125.0"},
		// A goal a hair above 1 deal needs 2, which rounding the quotient
		// to nine places would miss: the deal count is exact.
		{"just over one deal", funnel.Model{Stages: []string{"Opportunity", "Won"}, Rates: []float64{1}, DealSize: dec("1000000000000")},
			"1000000000001", []float64{2, 2}, []string{"0", "0"}, "2000000000000", "0"},
		// Rates of 1 pass volumes through; a cost of 0 costs nothing.
		{"rates of one", funnel.Model{Stages: []string{"a", "b", "c"}, Rates: []float64{1, 1}, DealSize: dec("0.5"),
			Costs: map[string]decimal.Decimal{"a": dec("0")}}, "2.25", []float64{5, 5, 5}, []string{"0", "0", "0"}, "2.5", "0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := funnel.Plan(tc.m, dec(tc.goal))
			require.NoError(t, err)
			require.Len(t, p.Volumes, len(tc.counts))
			for i, v := range p.Volumes {
				assert.Equal(t, tc.m.Stages[i], v.Stage)
				assert.Equal(t, tc.counts[i], v.Count, "stage %s", v.Stage)
				assert.True(t, v.Cost.Equal(dec(tc.costs[i])), "stage %s cost %v, want %s", v.Stage, v.Cost, tc.costs[i])
			}
			assert.True(t, p.Revenue.Equal(dec(tc.revenue)), "revenue %v", p.Revenue)
			assert.True(t, p.Budget.Equal(dec(tc.budget)), "budget %v", p.Budget)
			assert.False(t, p.Revenue.LessThan(dec(tc.goal)))
		})
	}
}

// goodModel is a valid two-step model the error tables break one field of.
func goodModel() funnel.Model {
	return funnel.Model{Stages: []string{"Lead", "MQL", "Won"}, Rates: []float64{0.4, 0.1}, DealSize: dec("1000")}
}

// modelErrors are the bad models both Plan and Forecast reject, with the
// message after the function's name.
var modelErrors = []struct {
	name string
	edit func(m *funnel.Model)
	msg  string
}{
	{"one stage", func(m *funnel.Model) { m.Stages, m.Rates = []string{"Lead"}, nil }, "stages 1: a funnel needs at least two stages"},
	{"too few rates", func(m *funnel.Model) { m.Rates = []float64{0.4} }, "rates 1: want one per step, 2 for 3 stages"},
	{"empty name", func(m *funnel.Model) { m.Stages[1] = "" }, `stages[1] name "": empty stage name`},
	{"name not UTF-8", func(m *funnel.Model) { m.Stages[1] = "M\xffQL" }, `stages[1] name "M\xffQL": not valid UTF-8`},
	{"repeated name", func(m *funnel.Model) { m.Stages[2] = "Lead" }, `stage name "Lead": used twice`},
	{"zero rate", func(m *funnel.Model) { m.Rates[1] = 0 }, `step "MQL→Won" rate 0: must lie in (0, 1]`},
	{"negative rate", func(m *funnel.Model) { m.Rates[0] = -0.1 }, `step "Lead→MQL" rate -0.1: must lie in (0, 1]`},
	{"rate above 1", func(m *funnel.Model) { m.Rates[0] = 1.5 }, `step "Lead→MQL" rate 1.5: must lie in (0, 1]`},
	{"NaN rate", func(m *funnel.Model) { m.Rates[0] = math.NaN() }, `step "Lead→MQL" rate NaN: must lie in (0, 1]`},
	{"infinite rate", func(m *funnel.Model) { m.Rates[1] = math.Inf(1) }, `step "MQL→Won" rate +Inf: must lie in (0, 1]`},
	{"zero deal size", func(m *funnel.Model) { m.DealSize = decimal.Zero }, "deal size 0: must be > 0"},
	{"negative deal size", func(m *funnel.Model) { m.DealSize = dec("-10") }, "deal size -10: must be > 0"},
	{"cost of an unknown stage", func(m *funnel.Model) { m.Costs = map[string]decimal.Decimal{"Visit": dec("1")} }, `cost "Visit" 1: the model has no such stage`},
	{"negative cost", func(m *funnel.Model) { m.Costs = map[string]decimal.Decimal{"Lead": dec("-45")} }, `stage "Lead" cost -45: negative cost`},
	// Issue 13's probes: exponents near ±2^31 made Plan run for minutes.
	{"deal size 1e2147483647", func(m *funnel.Model) { m.DealSize = decimal.New(1, math.MaxInt32) }, "deal size 1e2147483647: more than 30 digits before the point"},
	{"deal size 7e-2147483648", func(m *funnel.Model) { m.DealSize = decimal.New(7, math.MinInt32) }, "deal size 7e-2147483648: more than 18 decimal places"},
	{"cost 1e31", func(m *funnel.Model) { m.Costs = map[string]decimal.Decimal{"Lead": decimal.New(1, 31)} }, `stage "Lead" cost 10000000000000000000000000000000: more than 30 digits before the point`},
}

func TestPlanErrors(t *testing.T) {
	tests := []struct {
		name string
		m    funnel.Model
		goal decimal.Decimal
		msg  string
	}{
		{"zero goal", goodModel(), decimal.Zero, "funnel.Plan: goal 0: must be > 0"},
		{"negative goal", goodModel(), dec("-1"), "funnel.Plan: goal -1: must be > 0"},
		{"goal 1e2147483647", goodModel(), decimal.New(1, math.MaxInt32), "funnel.Plan: goal 1e2147483647: more than 30 digits before the point"},
		{"goal -1e-2147483648", goodModel(), decimal.New(-1, math.MinInt32), "funnel.Plan: goal -1e-2147483648: more than 18 decimal places"},
		{"volume beyond 2^53", funnel.Model{Stages: []string{"a", "b"}, Rates: []float64{1e-300}, DealSize: dec("1")}, dec("1"),
			`funnel.Plan: stage "a" volume 1e+300: exceeds 2^53`},
		{"deals beyond 2^53", funnel.Model{Stages: []string{"a", "b"}, Rates: []float64{1}, DealSize: dec("0.001")}, dec("1e20"),
			`funnel.Plan: stage "b" volume 1e+23: exceeds 2^53`},
		// Probes of money beyond the bound, which Projection.WriteCSV and
		// UnmarshalJSON refuse: by hand, a goal of 10⁹ deals of 1 at a
		// rate of 1/2 needs 2·10⁹ leads, at 10²⁹ each 2·10³⁸; 2 deals of
		// 7·10²⁹ (for a goal of 10³⁰ − 1) bring 1.4·10³⁰; two stages of
		// one unit at 6·10²⁹ each cost 1.2·10³⁰ together.
		{"cost beyond the bound", funnel.Model{Stages: []string{"Lead", "Won"}, Rates: []float64{0.5}, DealSize: dec("1"),
			Costs: map[string]decimal.Decimal{"Lead": decimal.New(1, 29)}}, dec("1e9"),
			`funnel.Plan: stage "Lead" cost 200000000000000000000000000000000000000: more than 30 digits before the point`},
		{"revenue beyond the bound", funnel.Model{Stages: []string{"Lead", "Won"}, Rates: []float64{1}, DealSize: decimal.New(7, 29)},
			dec("999999999999999999999999999999"), `funnel.Plan: revenue 1400000000000000000000000000000: more than 30 digits before the point`},
		{"budget beyond the bound", funnel.Model{Stages: []string{"Lead", "Won"}, Rates: []float64{1}, DealSize: dec("1"),
			Costs: map[string]decimal.Decimal{"Lead": decimal.New(6, 29), "Won": decimal.New(6, 29)}}, dec("1"),
			`funnel.Plan: budget 1200000000000000000000000000000: more than 30 digits before the point`},
	}
	for _, e := range modelErrors {
		m := goodModel()
		e.edit(&m)
		tests = append(tests, struct {
			name string
			m    funnel.Model
			goal decimal.Decimal
			msg  string
		}{e.name, m, dec("5000"), "funnel.Plan: " + e.msg})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := funnel.Plan(tc.m, tc.goal)
			assert.Nil(t, p.Volumes)
			assert.EqualError(t, err, tc.msg)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
		})
	}
}

func TestForecast(t *testing.T) {
	month := counts(t, six, 12000, 240, 96, 40, 25, 6)
	observed, err := month.Model(dec("24000.00"))
	require.NoError(t, err)
	observed.Costs = map[string]decimal.Decimal{"Lead": dec("45.00")}
	tests := []struct {
		name    string
		m       funnel.Model
		top     int64
		counts  []float64
		costs   []string
		revenue string
		budget  string
	}{
		// The observed rates carry 12000 visits back to the observed counts,
		// and 6 deals are worth 144000.00; 240 leads cost 10800.00.
		{"observed month", observed, 12000, []float64{12000, 240, 96, 40, 25, 6},
			[]string{"0", "10800.00", "0", "0", "0", "0"}, "144000.00", "10800.00"},
		// By hand: 15000·0.02 = 300 leads, ·0.25 = 75, ·0.2 = 15 deals at 12000.
		{"given rates", funnel.Model{Stages: []string{"Visit", "Lead", "Opportunity", "Won"}, Rates: []float64{0.02, 0.25, 0.2},
			DealSize: dec("12000"), Costs: map[string]decimal.Decimal{"Visit": dec("0.05")}},
			15000, []float64{15000, 300, 75, 15}, []string{"750.00", "0", "0", "0"}, "180000", "750.00"},
		// Expected values need not be whole: 10·0.5·0.5 = 2.5 deals of 999.99.
		{"fractional", funnel.Model{Stages: []string{"a", "b", "c"}, Rates: []float64{0.5, 0.5}, DealSize: dec("999.99")},
			10, []float64{10, 5, 2.5}, []string{"0", "0", "0"}, "2499.98", "0"}, // 2499.975 → 2499.98
		{"nothing in", goodModel(), 0, []float64{0, 0, 0}, []string{"0", "0", "0"}, "0", "0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := funnel.Forecast(tc.m, tc.top)
			require.NoError(t, err)
			require.Len(t, p.Volumes, len(tc.counts))
			for i, v := range p.Volumes {
				assert.Equal(t, tc.m.Stages[i], v.Stage)
				assert.InEpsilon(t, tc.counts[i]+1, v.Count+1, 1e-12, "stage %s", v.Stage)
				assert.True(t, v.Cost.Equal(dec(tc.costs[i])), "stage %s cost %v, want %s", v.Stage, v.Cost, tc.costs[i])
			}
			assert.True(t, p.Revenue.Equal(dec(tc.revenue)), "revenue %v", p.Revenue)
			assert.True(t, p.Budget.Equal(dec(tc.budget)), "budget %v", p.Budget)
		})
	}
}

func TestForecastErrors(t *testing.T) {
	tests := []struct {
		name string
		m    funnel.Model
		top  int64
		msg  string
	}{
		{"negative top", goodModel(), -1, "funnel.Forecast: top -1: negative volume"},
		// Probes of money beyond the bound: by hand, 10⁹ at a rate of 1
		// are 10⁹ deals of 10²⁵, 10³⁴; 10⁹ leads at 10²⁵ cost as much.
		{"revenue beyond the bound", funnel.Model{Stages: []string{"Lead", "Won"}, Rates: []float64{1}, DealSize: decimal.New(1, 25)}, 1e9,
			"funnel.Forecast: revenue 10000000000000000000000000000000000: more than 30 digits before the point"},
		{"cost beyond the bound", funnel.Model{Stages: []string{"Lead", "Won"}, Rates: []float64{1}, DealSize: dec("1"),
			Costs: map[string]decimal.Decimal{"Lead": decimal.New(1, 25)}}, 1e9,
			`funnel.Forecast: stage "Lead" cost 10000000000000000000000000000000000: more than 30 digits before the point`},
	}
	for _, e := range modelErrors {
		m := goodModel()
		e.edit(&m)
		tests = append(tests, struct {
			name string
			m    funnel.Model
			top  int64
			msg  string
		}{e.name, m, 100, "funnel.Forecast: " + e.msg})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := funnel.Forecast(tc.m, tc.top)
			assert.Nil(t, p.Volumes)
			assert.EqualError(t, err, tc.msg)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
		})
	}
}

func TestFunnel_Model(t *testing.T) {
	tests := []struct {
		name  string
		f     *funnel.Funnel
		rates []float64
	}{
		{"b2b month", counts(t, six, 12000, 240, 96, 40, 25, 6), []float64{0.02, 0.4, 40.0 / 96, 0.625, 0.24}},
		{"a zero rate is kept", counts(t, three[:2], 10, 0), []float64{0}},
		{"rates of one", counts(t, three, 7, 7, 7), []float64{1, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := tc.f.Model(dec("24000"))
			require.NoError(t, err)
			assert.True(t, m.DealSize.Equal(dec("24000")))
			assert.Nil(t, m.Costs)
			require.Len(t, m.Stages, len(tc.rates)+1)
			for i, s := range tc.f.Stages() {
				assert.Equal(t, s.Name, m.Stages[i])
			}
			assert.Equal(t, tc.rates, m.Rates)
		})
	}
}

func TestFunnel_ModelErrors(t *testing.T) {
	tests := []struct {
		name string
		f    *funnel.Funnel
		msg  string
	}{
		{"runs dry", counts(t, three, 10, 0, 0), `funnel.Funnel.Model: step "MQL→SQL" rate 0/0 (undefined): no trials to estimate a rate from`},
		{"empty", counts(t, three, 0, 0, 0), `funnel.Funnel.Model: step "Lead→MQL" rate 0/0 (undefined): no trials to estimate a rate from`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.f.Model(dec("100"))
			assert.EqualError(t, err, tc.msg)
			assert.ErrorIs(t, err, kpi.ErrUndefined)
		})
	}
}

// FuzzPlan plans through arbitrary rates, goals and costs: Plan must fail
// with ErrInvalid or return whole volumes that reach the goal, and Plan and
// Forecast projections that WriteCSV and a JSON round trip take (money
// within the library's bound: its seed planned 1.1·10¹⁵ leads at 9·10¹⁶
// each, 10³² that the projection's own decoder refused).
func FuzzPlan(f *testing.F) {
	f.Add(int64(24000000), int64(2400000), 0.02, 0.4, 0.24, int64(4500))
	f.Add(int64(1), int64(1), 1.0, 1.0, 1.0, int64(0))
	f.Add(int64(100), int64(3), 1.0/3, 0.1, 0.7, int64(-1))
	f.Add(int64(0), int64(1), 0.5, 0.5, 0.5, int64(1))
	f.Add(int64(1), int64(0), 0.5, 0.5, 0.5, int64(1))
	f.Add(int64(1<<62), int64(1), 1e-300, 0.5, 0.5, int64(1))
	f.Add(int64(5), int64(1), math.NaN(), math.Inf(1), -1.0, int64(1))
	f.Add(int64(5), int64(1), 5e-324, 1.0, 1.0, int64(1))
	f.Fuzz(func(t *testing.T, goalCents, dealCents int64, r0, r1, r2 float64, costCents int64) {
		m := funnel.Model{
			Stages:   []string{"Visit", "Lead", "Opportunity", "Won"},
			Rates:    []float64{r0, r1, r2},
			DealSize: decimal.New(dealCents, -2),
			Costs:    map[string]decimal.Decimal{"Lead": decimal.New(costCents, -2)},
		}
		goal := decimal.New(goalCents, -2)
		p, err := funnel.Plan(m, goal)
		if err != nil {
			if !errors.Is(err, kpi.ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
		} else {
			if p.Revenue.LessThan(goal) {
				t.Fatalf("revenue %v below goal %v", p.Revenue, goal)
			}
			for i, v := range p.Volumes {
				if v.Count != math.Floor(v.Count) || v.Count < 1 || v.Count > 1<<53 {
					t.Fatalf("volume %d: %v", i, v.Count)
				}
				if i > 0 && v.Count > p.Volumes[i-1].Count {
					t.Fatalf("volume %d: %v above %v", i, v.Count, p.Volumes[i-1].Count)
				}
			}
			rereads(t, p)
		}
		fc, err := funnel.Forecast(m, goalCents)
		if err != nil {
			if !errors.Is(err, kpi.ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		for i, v := range fc.Volumes {
			if math.IsNaN(v.Count) || math.IsInf(v.Count, 0) || v.Count < 0 {
				t.Fatalf("forecast volume %d: %v", i, v.Count)
			}
		}
		rereads(t, fc)
	})
}

// rereads fails t unless p writes as CSV and reads back from its JSON.
func rereads(t *testing.T, p funnel.Projection) {
	t.Helper()
	if err := p.WriteCSV(io.Discard); err != nil {
		t.Fatalf("WriteCSV: %v", err)
	}
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatalf("MarshalJSON: %v", err)
	}
	var back funnel.Projection
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("UnmarshalJSON of %s: %v", data, err)
	}
}
