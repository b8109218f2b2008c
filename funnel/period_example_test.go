package funnel_test

import (
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/kpiflow/kpi/funnel"
)

// The quarter's leads per month of entry, in Berlin: March's sql step
// reads 1 in 3, but one of its three leads is still inside its ten days,
// and the Kaplan–Meier estimate, which counts it for the days it has had,
// reads one half. February had no leads and is there with zero counts.
func ExampleCounter_Series() {
	d := funnel.Definition{Steps: []funnel.Match{{Event: "lead"}, {Event: "sql"}}, Window: 10 * 24 * time.Hour}
	c, _ := funnel.NewCounter(d)
	_ = c.AddAll(slices.Values(quarter()))
	s, _ := c.Series(funnel.Periods{Grain: funnel.Month, Location: berlin}, quarterAsOf)
	for _, p := range s.Periods {
		sql := p.Steps[1]
		fmt.Printf("%s leads %d, sql %v, mature %v, open %d, estimate %.2f, entered %d\n",
			p.Label, p.Steps[0].Reached, sql.Rate, sql.Mature, sql.Open.Successes(), sql.Estimate, sql.Entered)
	}
	// Output:
	// 2026-01 leads 2, sql 1/2 (50.00%), mature true, open 0, estimate 0.50, entered 1
	// 2026-02 leads 0, sql 0/0 (undefined), mature true, open 0, estimate 0.00, entered 0
	// 2026-03 leads 3, sql 1/3 (33.33%), mature false, open 1, estimate 0.50, entered 1
	// 2026-04 leads 2, sql 1/2 (50.00%), mature false, open 1, estimate 0.50, entered 1
}

// A grain prints as its name.
func ExampleGrain_String() {
	fmt.Println(funnel.Week, funnel.Quarter, funnel.Grain(0))
	// Output: week quarter Grain(0)
}

// A grain's text form is its name, as JSON writes it.
func ExampleGrain_MarshalText() {
	b, _ := funnel.Month.MarshalText()
	fmt.Println(string(b))
	// Output: month
}

// A grain reads from its name.
func ExampleGrain_UnmarshalText() {
	var g funnel.Grain
	err := g.UnmarshalText([]byte("week"))
	fmt.Println(g == funnel.Week, err)
	// Output: true <nil>
}

// Periods write their location by its IANA name.
func ExamplePeriods_MarshalJSON() {
	b, _ := funnel.Periods{Grain: funnel.Week, Every: 2, Location: berlin}.MarshalJSON()
	fmt.Println(string(b))
	// Output: {"grain":"week","every":2,"location":"Europe/Berlin"}
}

// Periods read from JSON load their location by name, and are checked as
// Counter.Series checks them.
func ExamplePeriods_UnmarshalJSON() {
	var p funnel.Periods
	err := p.UnmarshalJSON([]byte(`{"grain":"quarter","location":"America/New_York"}`))
	fmt.Println(p.Grain, p.Location, err)
	err = p.UnmarshalJSON([]byte(`{"grain":"quarter"}`))
	fmt.Println(err)
	// Output:
	// quarter America/New_York <nil>
	// funnel.Periods.UnmarshalJSON: periods location nil: no time zone: give time.UTC or a *time.Location
}

// March's sql step in JSON: immature, one of three leads still open, the
// Kaplan–Meier estimate one half.
func ExamplePeriodStep_MarshalJSON() {
	d := funnel.Definition{Steps: []funnel.Match{{Event: "lead"}, {Event: "sql"}}, Window: 10 * 24 * time.Hour}
	c, _ := funnel.NewCounter(d)
	_ = c.AddAll(slices.Values(quarter()))
	s, _ := c.Series(funnel.Periods{Grain: funnel.Month, Location: berlin}, quarterAsOf)
	sql := s.Periods[2].Steps[1]
	sql.Time = funnel.Durations{} // shorter
	b, _ := sql.MarshalJSON()
	fmt.Println(string(b))
	// Output:
	// {"step":"sql","reached":1,"rate":{"successes":1,"trials":3,"value":0.3333333333333333},"cumulative":{"successes":1,"trials":3,"value":0.3333333333333333},"interval":{"lo":0.06149194472039626,"hi":0.7923403991979523,"level":0.95,"method":"Wilson"},"time":{"n":0,"median":null,"p90":null,"mean":null,"bins":[]},"mature":false,"open":{"successes":1,"trials":3,"value":0.3333333333333333},"estimate":0.5,"estimateInterval":{"lo":0.08958991516326265,"hi":0.9940169123608542,"level":0.95,"method":"greenwood-log-log"},"entered":1}
}

// The series as CSV, one row per period and step; January's rows here.
func ExampleSeries_WriteCSV() {
	d := funnel.Definition{Steps: []funnel.Match{{Event: "lead"}, {Event: "sql"}}, Window: 10 * 24 * time.Hour}
	c, _ := funnel.NewCounter(d)
	_ = c.AddAll(slices.Values(quarter()))
	s, _ := c.Series(funnel.Periods{Grain: funnel.Month, Location: berlin}, quarterAsOf)
	s.Periods = s.Periods[:1]
	_ = s.WriteCSV(os.Stdout)
	// Output:
	// label,start,end,step,reached,rate,lo,hi,method,level,cumulative,mature,open,estimate,estimateLo,estimateHi,estimateMethod,estimateLevel,entered,n,median,p90,mean
	// 2026-01,2026-01-01T00:00:00+01:00,2026-02-01T00:00:00+01:00,lead,2,1,0.3423802275066532,1,Wilson,0.95,1,true,0,1,1,1,exact,0.95,2,0,,,
	// 2026-01,2026-01-01T00:00:00+01:00,2026-02-01T00:00:00+01:00,sql,1,0.5,0.0945312057342308,0.9054687942657692,Wilson,0.95,0.5,true,0,0.5,0.08958991516326265,0.9940169123608542,greenwood-log-log,0.95,1,1,172800,172800,172800
}
