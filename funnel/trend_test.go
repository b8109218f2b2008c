package funnel_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// fivePeriods is a two-step series of five months built by hand, its
// step's cohorts 10/100, none, 20/100, 30/100 (mature) and 5/50 (June,
// immature).
func fivePeriods() *funnel.Series {
	s := &funnel.Series{Spec: funnel.Periods{Grain: funnel.Month, Location: time.UTC}}
	for i, c := range [][2]int64{{10, 100}, {0, 0}, {20, 100}, {30, 100}, {5, 50}} {
		start := time.Date(2026, time.Month(2+i), 1, 0, 0, 0, 0, time.UTC)
		entry, rate := must(kpi.NewRate(c[1], c[1])), must(kpi.NewRate(c[0], c[1]))
		s.Periods = append(s.Periods, funnel.Period{Label: start.Format("2006-01"), Start: start, End: start.AddDate(0, 1, 0),
			Steps: []funnel.PeriodStep{
				{StepResult: funnel.StepResult{Step: "lead", Reached: c[1], Rate: entry}, Mature: true},
				{StepResult: funnel.StepResult{Step: "sql", Reached: c[0], Rate: rate}, Mature: i < 4},
			}})
	}
	return s
}

// TestSeries_Trends checks the trends against R 4.2.2:
//
//	prop.trend.test(c(10, 20, 30), c(100, 100, 100), score = c(1, 3, 4))
//	    X-squared = 12.053571428571416, p = 0.00051693247446405063
//	prop.trend.test(c(10, 20, 30, 5), c(100, 100, 100, 50), score = c(1, 3, 4, 5))
//	    X-squared = 3.7786774628879867, p = 0.051909675117798773
//	p1 <- fisher.test(matrix(c(10, 90, 20, 80), 2, byrow = TRUE))$p.value  # 0.073427589721376557
//	p2 <- fisher.test(matrix(c(20, 80, 30, 70), 2, byrow = TRUE))$p.value  # 0.14120674630517255
//	p3 <- fisher.test(matrix(c(30, 70, 5, 45), 2, byrow = TRUE))$p.value   # 0.0072637023492454211
//	p.adjust(c(p1, p2), "holm")      # 0.14685517944275311 0.14685517944275311
//	p.adjust(c(p1, p2, p3), "BH")    # 0.11014138458206484 0.14120674630517255 0.021791107047736263
//
// The mature p-chart by hand: p̄ = 60/300 = 0.2, σ = sqrt(0.2 · 0.8/100)
// = 0.04, limits 0.2 ± 0.12 = [0.08, 0.32], which hold every point.
func TestSeries_Trends(t *testing.T) {
	tests := []struct {
		name     string
		o        funnel.TrendOptions
		points   []string
		immature []string
		chi, p   float64
		adjusted []float64
		signif   []bool
	}{
		{"mature only", funnel.TrendOptions{}, []string{"2026-02", "2026-04", "2026-05"}, []string{"2026-06"},
			12.053571428571416, 0.00051693247446405063, []float64{0.14685517944275311, 0.14685517944275311}, []bool{false, false}},
		{"immature too, BH", funnel.TrendOptions{Immature: true, Adjustment: kpi.BenjaminiHochberg},
			[]string{"2026-02", "2026-04", "2026-05", "2026-06"}, []string{},
			3.7786774628879867, 0.051909675117798773, []float64{0.11014138458206484, 0.14120674630517255, 0.021791107047736263}, []bool{false, false, true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			trends, err := fivePeriods().Trends(0.95, tc.o)
			require.NoError(t, err)
			require.Len(t, trends, 1)
			st := trends[0]
			assert.Equal(t, "sql", st.Step)
			var labels []string
			for _, p := range st.Points {
				labels = append(labels, p.Label)
				assert.Equal(t, "Wilson", p.Interval.Method)
			}
			assert.Equal(t, tc.points, labels)
			assert.Equal(t, tc.immature, st.Immature)
			assert.Equal(t, []string{"2026-03"}, st.Empty)
			require.NotNil(t, st.Trend)
			assert.InEpsilon(t, tc.chi, st.Trend.ChiSquare, 1e-9)
			assert.InEpsilon(t, tc.p, st.Trend.P, 1e-9)
			require.Len(t, st.Changes, len(tc.adjusted))
			for i, c := range st.Changes {
				assert.InEpsilon(t, tc.adjusted[i], c.AdjustedP, 1e-9)
				assert.Equal(t, tc.signif[i], c.Significant)
				assert.Equal(t, len(tc.adjusted), c.Family)
				assert.Equal(t, tc.o.Adjustment, c.Adjustment)
				assert.Equal(t, st.Points[i].Rate, c.A)
			}
			require.NotNil(t, st.PChart)
			require.NotNil(t, st.Laney)
			assert.True(t, st.Laney.Laney)
			if !tc.o.Immature {
				assert.InDelta(t, 0.2, st.PChart.Center, 1e-15)
				for _, pt := range st.PChart.Points {
					assert.InDelta(t, 0.08, pt.Lower, 1e-12)
					assert.InDelta(t, 0.32, pt.Upper, 1e-12)
					assert.Zero(t, pt.Signals)
				}
			}
		})
	}
}

// TestSeries_TrendsFew: with fewer than two points nothing is tested.
func TestSeries_TrendsFew(t *testing.T) {
	one := fivePeriods()
	one.Periods = one.Periods[:2]
	tests := []struct {
		name   string
		s      *funnel.Series
		steps  int
		points int
	}{
		{"one mature point", one, 1, 1},
		{"no periods", &funnel.Series{}, 0, 0},
		{"the quarter: only January is mature", quarterSeries(t), 1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			trends, err := tc.s.Trends(0.9, funnel.TrendOptions{})
			require.NoError(t, err)
			require.Len(t, trends, tc.steps)
			for _, st := range trends {
				assert.Len(t, st.Points, tc.points)
				assert.Nil(t, st.Trend)
				assert.Nil(t, st.PChart)
				assert.Empty(t, st.Changes)
			}
		})
	}
}

func TestSeries_TrendsErrors(t *testing.T) {
	// ragged is a Series built by hand whose second period lacks the last
	// step: Trends read past its steps and panicked (FuzzTrends).
	ragged := fivePeriods()
	ragged.Periods[1].Steps = ragged.Periods[1].Steps[:len(ragged.Periods[1].Steps)-1]
	tests := []struct {
		name   string
		series *funnel.Series
		level  float64
		o      funnel.TrendOptions
		want   string
	}{
		{"level", fivePeriods(), 1, funnel.TrendOptions{}, "funnel.Series.Trends: level 1: must lie in (0, 1)"},
		{"adjustment", fivePeriods(), 0.95, funnel.TrendOptions{Adjustment: 99}, "funnel.Series.Trends: adjustment 99: unknown adjustment"},
		{"ragged steps", ragged, 0.95, funnel.TrendOptions{}, "funnel.Series.Trends: periods[1] steps 1: periods[0] has 2 steps: every period needs the same steps"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.series.Trends(tc.level, tc.o)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.want)
		})
	}
}

// The sql step's trend over the mature months: rising, p = 0.0005 by
// Cochran–Armitage, though no single month's change is significant once
// the two comparisons are adjusted; June is immature and left out.
func ExampleSeries_Trends() {
	trends, _ := fivePeriods().Trends(0.95, funnel.TrendOptions{})
	st := trends[0]
	for _, p := range st.Points {
		fmt.Printf("%s %v %v\n", p.Label, p.Rate, p.Interval)
	}
	fmt.Printf("left out: immature %v, empty %v\n", st.Immature, st.Empty)
	fmt.Printf("trend z %.3f, p %.4f\n", st.Trend.Z, st.Trend.P)
	for _, c := range st.Changes {
		fmt.Printf("%v → %v: Fisher p %.3f, %v-adjusted %.3f of %d\n", c.A, c.B, c.FisherP, c.Adjustment, c.AdjustedP, c.Family)
	}
	pt := st.PChart.Points[0]
	fmt.Printf("p-chart limits [%.2f, %.2f], signals %v\n", pt.Lower, pt.Upper, pt.Signals)
	// Output:
	// 2026-02 10/100 (10.00%) [0.05523, 0.1744] 95% Wilson
	// 2026-04 20/100 (20.00%) [0.1334, 0.2888] 95% Wilson
	// 2026-05 30/100 (30.00%) [0.2189, 0.3958] 95% Wilson
	// left out: immature [2026-06], empty [2026-03]
	// trend z 3.472, p 0.0005
	// 10/100 (10.00%) → 20/100 (20.00%): Fisher p 0.073, Holm-adjusted 0.147 of 2
	// 20/100 (20.00%) → 30/100 (30.00%): Fisher p 0.141, Holm-adjusted 0.147 of 2
	// p-chart limits [0.08, 0.32], signals none
}
