package funnel_test

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// month builds this month's funnel of the examples.
func month() *funnel.Funnel {
	f, err := funnel.New(
		funnel.Stage{Name: "Visit", Count: 12000},
		funnel.Stage{Name: "Lead", Count: 240},
		funnel.Stage{Name: "MQL", Count: 96},
		funnel.Stage{Name: "SQL", Count: 40},
		funnel.Stage{Name: "Opportunity", Count: 25},
		funnel.Stage{Name: "Won", Count: 6},
	)
	if err != nil {
		panic(err)
	}
	return f
}

// lastMonth builds the month before.
func lastMonth() *funnel.Funnel {
	f, err := funnel.New(
		funnel.Stage{Name: "Visit", Count: 11500},
		funnel.Stage{Name: "Lead", Count: 260},
		funnel.Stage{Name: "MQL", Count: 110},
		funnel.Stage{Name: "SQL", Count: 52},
		funnel.Stage{Name: "Opportunity", Count: 30},
		funnel.Stage{Name: "Won", Count: 8},
	)
	if err != nil {
		panic(err)
	}
	return f
}

// The targets agreed between marketing and sales.
var sla = funnel.Targets{"Lead": 0.025, "MQL": 0.4, "SQL": 0.5, "Opportunity": 0.6, "Won": 0.25}

// ExampleNew builds a funnel and shows the error for a stage larger than
// the one before.
func ExampleNew() {
	f, err := funnel.New(
		funnel.Stage{Name: "Lead", Count: 240},
		funnel.Stage{Name: "MQL", Count: 96},
		funnel.Stage{Name: "SQL", Count: 40},
	)
	fmt.Println(f.Overall(), err)

	_, err = funnel.New(
		funnel.Stage{Name: "MQL", Count: 96},
		funnel.Stage{Name: "SQL", Count: 120},
	)
	fmt.Println(err)
	fmt.Println(errors.Is(err, kpi.ErrInvalid))
	// Output:
	// 40/240 (16.67%) <nil>
	// funnel.New: stage "SQL" count 120: exceeds "MQL" count 96
	// true
}

// ExampleFunnel_Stages lists the stages of a funnel.
func ExampleFunnel_Stages() {
	for _, s := range month().Stages() {
		fmt.Println(s.Name, s.Count)
	}
	// Output:
	// Visit 12000
	// Lead 240
	// MQL 96
	// SQL 40
	// Opportunity 25
	// Won 6
}

// ExampleFunnel_Steps prints each step's conversion, drop-off and
// cumulative conversion.
func ExampleFunnel_Steps() {
	for _, s := range month().Steps() {
		fmt.Printf("%-16s %-16v lost %-4d cumulative %v\n", s.String(), s.Rate, s.DropOff.Successes(), s.Cumulative)
	}
	// Output:
	// Visit→Lead       240/12000 (2.00%) lost 11760 cumulative 240/12000 (2.00%)
	// Lead→MQL         96/240 (40.00%)  lost 144  cumulative 96/12000 (0.80%)
	// MQL→SQL          40/96 (41.67%)   lost 56   cumulative 40/12000 (0.33%)
	// SQL→Opportunity  25/40 (62.50%)   lost 15   cumulative 25/12000 (0.21%)
	// Opportunity→Won  6/25 (24.00%)    lost 19   cumulative 6/12000 (0.05%)
}

// ExampleFunnel_Stage looks a stage up by name.
func ExampleFunnel_Stage() {
	s, ok := month().Stage("SQL")
	fmt.Println(s.Count, ok)
	_, ok = month().Stage("Churned")
	fmt.Println(ok)
	// Output:
	// 40 true
	// false
}

// ExampleFunnel_Step looks a step up by the stage it leads to, and gives
// its conversion with an interval.
func ExampleFunnel_Step() {
	s, ok := month().Step("SQL")
	lo, hi, _ := s.Rate.Interval(kpi.Wilson, 0.95)
	fmt.Printf("%s %v [%.3f, %.3f] %v\n", s.String(), s.Rate, lo, hi, ok)
	_, ok = month().Step("Visit") // the first stage has no step into it
	fmt.Println(ok)
	// Output:
	// MQL→SQL 40/96 (41.67%) [0.323, 0.517] true
	// false
}

// ExampleFunnel_Overall prints the conversion from first stage to last.
func ExampleFunnel_Overall() {
	fmt.Println(month().Overall())
	// Output:
	// 6/12000 (0.05%)
}

// ExampleStep_String prints a step as its two stages.
func ExampleStep_String() {
	s, _ := month().Step("Won")
	fmt.Println(s.String())
	// Output:
	// Opportunity→Won
}

// ExampleFunnel_Check checks every step against its target at 95 %
// confidence: only Visit→Lead is shown to fall short.
func ExampleFunnel_Check() {
	checks, err := month().Check(sla, 0.95)
	if err != nil {
		panic(err)
	}
	for _, c := range checks {
		fmt.Printf("%-16s %-16v target %5.1f%%  %-17v p = %.4f\n", c.Step.String(), c.Step.Rate, 100*c.Target, c.Verdict, c.P)
	}
	// Output:
	// Visit→Lead       240/12000 (2.00%) target   2.5%  below (confident) p = 0.0002
	// Lead→MQL         96/240 (40.00%)  target  40.0%  met               p = 0.5280
	// MQL→SQL          40/96 (41.67%)   target  50.0%  below             p = 0.0627
	// SQL→Opportunity  25/40 (62.50%)   target  60.0%  met               p = 0.6826
	// Opportunity→Won  6/25 (24.00%)    target  25.0%  below             p = 0.5611
}

// ExampleVerdict_String prints the verdicts.
func ExampleVerdict_String() {
	for _, v := range []funnel.Verdict{funnel.Met, funnel.Below, funnel.BelowConfident, funnel.TooLittleData} {
		fmt.Println(v)
	}
	// Output:
	// met
	// below
	// below (confident)
	// too little data
}

// ExampleFunnel_Bottlenecks ranks the steps below target by the won deals
// they would add at target, and prices them at a deal size of 24000.
func ExampleFunnel_Bottlenecks() {
	bs, err := month().Bottlenecks(sla, 0.95)
	if err != nil {
		panic(err)
	}
	for _, b := range bs {
		rev, _ := b.Revenue(decimal.NewFromInt(24000))
		fmt.Printf("%-16s +%.2f deals  +%v  shortfall confidence %.1f%%\n", b.Step.String(), b.Gain, rev, 100*(1-b.P))
	}
	// Output:
	// Visit→Lead       +1.50 deals  +36000  shortfall confidence 100.0%
	// MQL→SQL          +1.20 deals  +28800  shortfall confidence 93.7%
	// Opportunity→Won  +0.25 deals  +6000  shortfall confidence 43.9%
}

// ExampleBottleneck_Revenue prices the largest bottleneck's gain of 1.5
// deals, rounded to whole currency units and to cents: 27499.5 and
// 27499.995 both round up to 27500.
func ExampleBottleneck_Revenue() {
	bs, _ := month().Bottlenecks(sla, 0.95)
	whole, _ := bs[0].Revenue(decimal.NewFromInt(18333))
	cents, _ := bs[0].Revenue(decimal.RequireFromString("18333.33"))
	fmt.Println(whole, cents.StringFixed(2))
	// Output:
	// 27500 27500.00
}

// ExampleFunnel_Model plans from this month's observed rates.
func ExampleFunnel_Model() {
	m, err := month().Model(decimal.NewFromInt(24000))
	if err != nil {
		panic(err)
	}
	fmt.Printf("%v %.4f\n", m.Stages, m.Rates)
	// Output:
	// [Visit Lead MQL SQL Opportunity Won] [0.0200 0.4000 0.4167 0.6250 0.2400]
}

// ExamplePlan works back from a revenue goal of 240000 at 24000 a deal
// to the visits, leads and budget needed, with a cost per lead and a cost
// per visit.
func ExamplePlan() {
	m, _ := month().Model(decimal.NewFromInt(24000))
	m.Costs = map[string]decimal.Decimal{
		"Visit": decimal.RequireFromString("0.80"),
		"Lead":  decimal.RequireFromString("45.00"),
	}
	p, err := funnel.Plan(m, decimal.NewFromInt(240000))
	if err != nil {
		panic(err)
	}
	for _, v := range p.Volumes {
		fmt.Printf("%-12s %6.0f %v\n", v.Stage, v.Count, v.Cost)
	}
	fmt.Println("revenue", p.Revenue, "budget", p.Budget)
	// Output:
	// Visit         20500 16400
	// Lead            410 18450
	// MQL             164 0
	// SQL              68 0
	// Opportunity      42 0
	// Won              10 0
	// revenue 240000 budget 34850
}

// ExampleForecast works forward from 15000 visits with given rates.
func ExampleForecast() {
	m := funnel.Model{
		Stages:   []string{"Visit", "Lead", "Opportunity", "Won"},
		Rates:    []float64{0.02, 0.25, 0.2},
		DealSize: decimal.RequireFromString("12000.00"),
		Costs:    map[string]decimal.Decimal{"Lead": decimal.RequireFromString("45.00")},
	}
	p, err := funnel.Forecast(m, 15000)
	if err != nil {
		panic(err)
	}
	for _, v := range p.Volumes {
		fmt.Printf("%-12s %7.2f\n", v.Stage, v.Count)
	}
	fmt.Println("revenue", p.Revenue, "budget", p.Budget)
	// Output:
	// Visit        15000.00
	// Lead          300.00
	// Opportunity    75.00
	// Won            15.00
	// revenue 180000 budget 13500
}

// ExampleCompare compares this month with the month before, step by step,
// with each step's Fisher p-value adjusted by Holm's method for the five
// steps read at once.
func ExampleCompare() {
	changes, err := funnel.Compare(lastMonth(), month(), 0.95)
	if err != nil {
		panic(err)
	}
	for _, c := range changes {
		lift, _ := c.Lift()
		fmt.Printf("%-12s %+6.2f points  lift %+5.1f%%  Fisher p = %.3f  %v of %d: %.3f  significant %v\n",
			c.Step, 100*c.Diff, 100*lift, c.FisherP, c.Adjustment, c.Family, c.AdjustedP, c.Significant)
	}
	// Output:
	// Lead          -0.26 points  lift -11.5%  Fisher p = 0.175  Holm of 5: 0.875  significant false
	// MQL           -2.31 points  lift  -5.5%  Fisher p = 0.649  Holm of 5: 1.000  significant false
	// SQL           -5.61 points  lift -11.9%  Fisher p = 0.483  Holm of 5: 1.000  significant false
	// Opportunity   +4.81 points  lift  +8.3%  Fisher p = 0.673  Holm of 5: 1.000  significant false
	// Won           -2.67 points  lift -10.0%  Fisher p = 1.000  Holm of 5: 1.000  significant false
}

// ExampleCompareSegments asks which channel's leads convert better.
func ExampleCompareSegments() {
	build := func(counts ...int64) *funnel.Funnel {
		f, err := funnel.New(
			funnel.Stage{Name: "Lead", Count: counts[0]},
			funnel.Stage{Name: "MQL", Count: counts[1]},
			funnel.Stage{Name: "SQL", Count: counts[2]},
		)
		if err != nil {
			panic(err)
		}
		return f
	}
	spreads, err := funnel.CompareSegments([]funnel.Segment{
		{Name: "Webinar", Funnel: build(120, 60, 30)},
		{Name: "Ads", Funnel: build(80, 20, 8)},
		{Name: "Organic", Funnel: build(40, 16, 2)},
	}, kpi.Wilson, 0.95)
	if err != nil {
		panic(err)
	}
	for _, sp := range spreads {
		fmt.Printf("%s: chi-square %.3f, df %d, p = %.4f, significant %v\n", sp.Step, sp.ChiSquare, sp.DF, sp.P, sp.Significant)
		for _, r := range sp.Rates {
			fmt.Printf("  %-8s %-15v [%.3f, %.3f]\n", r.Segment, r.Rate, r.Lo, r.Hi)
		}
	}
	// Output:
	// MQL: chi-square 12.500, df 2, p = 0.0019, significant true
	//   Webinar  60/120 (50.00%) [0.412, 0.588]
	//   Ads      20/80 (25.00%)  [0.168, 0.355]
	//   Organic  16/40 (40.00%)  [0.263, 0.554]
	// SQL: chi-square 7.337, df 2, p = 0.0255, significant true
	//   Webinar  30/60 (50.00%)  [0.377, 0.623]
	//   Ads      8/20 (40.00%)   [0.219, 0.613]
	//   Organic  2/16 (12.50%)   [0.035, 0.360]
}

// ExampleVelocity computes sales velocity: 25 open opportunities, a win
// rate of 6 in 25, 24000 a deal and a 60-day cycle bring 2400 a day.
func ExampleVelocity() {
	win, _ := kpi.NewRate(6, 25)
	v, err := funnel.Velocity(25, win, decimal.NewFromInt(24000), 60*24*time.Hour)
	fmt.Println(v, err)
	// Output:
	// 2400 <nil>
}

// ExampleFunnel_String prints a funnel as a text table.
func ExampleFunnel_String() {
	fmt.Print(month())
	// Output:
	// stage        count     step  95% Wilson CI     cumulative  drop-off
	// Visit        12000
	// Lead           240    2.00%  [ 1.76%,  2.27%]       2.00%  11760 (98.00%)
	// MQL             96   40.00%  [34.01%, 46.31%]       0.80%  144 (60.00%)
	// SQL             40   41.67%  [32.31%, 51.66%]       0.33%  56 (58.33%)
	// Opportunity     25   62.50%  [47.03%, 75.78%]       0.21%  15 (37.50%)
	// Won              6   24.00%  [11.50%, 43.43%]       0.05%  19 (76.00%)
}

// ExampleFunnel_WriteTo writes the table to standard output.
func ExampleFunnel_WriteTo() {
	f, _ := funnel.New(funnel.Stage{Name: "Lead", Count: 10}, funnel.Stage{Name: "MQL", Count: 0}, funnel.Stage{Name: "SQL", Count: 0})
	if _, err := f.WriteTo(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// stage  count     step  95% Wilson CI     cumulative  drop-off
	// Lead      10
	// MQL        0    0.00%  [ 0.00%, 27.75%]       0.00%  10 (100.00%)
	// SQL        0        -  -                      0.00%  -
}
