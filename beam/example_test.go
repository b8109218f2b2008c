package kpibeam_test

import (
	"fmt"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/attribution"
	kpibeam "github.com/kpiflow/kpi/beam"
	"github.com/kpiflow/kpi/funnel"
)

func init() {
	register.Function1x2(tenantOf)
	register.Function1x2(lineOf)
	register.Function1x0(printFunnel)
	register.Function2x0(printFunnelKey)
	register.Function1x0(printJourneys)
	register.Function2x0(printJourneysKey)
	register.Function1x0(printCredits)
	register.Function2x0(printCreditsKey)
}

// tenantOf puts bob in tenant acme, everyone else in globex.
func tenantOf(e funnel.Event) (string, funnel.Event) {
	if e.Entity == "bob" {
		return "acme", e
	}
	return "globex", e
}

// lineOf keys a journey by its first channel's product line.
func lineOf(j attribution.Journey) (string, attribution.Journey) {
	return j.Touches[0].Channel + " line", j
}

func printFunnel(r *funnel.Result) {
	for _, s := range r.Steps {
		fmt.Printf("%s %d ", s.Step, s.Reached)
	}
	fmt.Println("median to signup", r.Steps[1].Time.Median)
}

func printFunnelKey(k string, r *funnel.Result) {
	fmt.Println(k, r.Steps[0].Reached, "visited,", r.Steps[1].Reached, "signed up")
}

func printJourneys(js *attribution.Journeys) {
	fmt.Println(js.Len(), "journeys,", js.Conversions(), "conversions worth", js.Value())
}

func printJourneysKey(k string, js *attribution.Journeys) {
	fmt.Println(k, js.Len(), "journeys,", js.Conversions(), "conversions")
}

func printCredits(r *attribution.Result) {
	for _, c := range r.Credits {
		fmt.Printf("%s %.2f %s\n", c.Channel, c.Conversions, c.Value)
	}
}

func printCreditsKey(k string, r *attribution.Result) {
	fmt.Println(k, r.Model, r.Credits[0].Channel, r.Credits[0].Value)
}

var (
	at   = func(min int) time.Time { return time.Date(2026, 3, 2, 9, min, 0, 0, time.UTC) }
	def  = funnel.Definition{Steps: []funnel.Match{{Event: "visit"}, {Event: "signup"}}, Window: time.Hour}
	evts = []funnel.Event{
		{Entity: "ann", Name: "visit", Time: at(0)}, {Entity: "ann", Name: "signup", Time: at(5)},
		{Entity: "bob", Name: "visit", Time: at(1)},
		{Entity: "cat", Name: "visit", Time: at(2)}, {Entity: "cat", Name: "signup", Time: at(12)},
	}
	paths = []attribution.Journey{
		{Touches: []attribution.Touch{{Channel: "search"}, {Channel: "email"}}, Conversions: 1, Value: decimal.RequireFromString("300.00")},
		{Touches: []attribution.Touch{{Channel: "email"}}, Conversions: 1, Value: decimal.RequireFromString("100.00")},
		{Touches: []attribution.Touch{{Channel: "search"}}, Nulls: 2},
	}
)

// ExampleFunnel counts a two-step funnel on the Prism runner.
func ExampleFunnel() {
	p, s := beam.NewPipelineWithRoot()
	r, err := kpibeam.Funnel(s, def, beam.CreateList(s, evts))
	if err != nil {
		fmt.Println(err)
		return
	}
	beam.ParDo0(s, printFunnel, r)
	if err := ptest.Run(p); err != nil {
		fmt.Println(err)
	}
	// Output:
	// visit 3 signup 2 median to signup 5m0s
}

// ExampleFunnelPerKey counts the same funnel for two tenants; a Definition
// that does not compile fails before the pipeline runs.
func ExampleFunnelPerKey() {
	p, s := beam.NewPipelineWithRoot()
	keyed := beam.ParDo(s, tenantOf, beam.CreateList(s, evts))
	r, err := kpibeam.FunnelPerKey(s, def, keyed)
	if err != nil {
		fmt.Println(err)
		return
	}
	beam.ParDo0(s, printFunnelKey, r)
	if err := ptest.Run(p); err != nil {
		fmt.Println(err)
	}
	_, err = kpibeam.FunnelPerKey(s, funnel.Definition{}, keyed)
	fmt.Println(err)
	// Unordered output:
	// acme 1 visited, 0 signed up
	// globex 2 visited, 2 signed up
	// funnel.NewCounter: steps 0: a funnel needs at least two steps
}

// ExampleJourneys merges journeys into one attribution.Journeys.
func ExampleJourneys() {
	p, s := beam.NewPipelineWithRoot()
	beam.ParDo0(s, printJourneys, kpibeam.Journeys(s, beam.CreateList(s, paths)))
	if err := ptest.Run(p); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 3 journeys, 2 conversions worth 400
}

// ExampleJourneysPerKey merges journeys per product line.
func ExampleJourneysPerKey() {
	p, s := beam.NewPipelineWithRoot()
	keyed := beam.ParDo(s, lineOf, beam.CreateList(s, paths))
	beam.ParDo0(s, printJourneysKey, kpibeam.JourneysPerKey(s, keyed))
	if err := ptest.Run(p); err != nil {
		fmt.Println(err)
	}
	// Unordered output:
	// email line 1 journeys, 1 conversions
	// search line 2 journeys, 1 conversions
}

// ExampleAttribute credits the channels by the Markov model of the merged
// journeys, exact to the cent.
func ExampleAttribute() {
	p, s := beam.NewPipelineWithRoot()
	r, err := kpibeam.Attribute(s, attribution.Markov{}, kpibeam.Journeys(s, beam.CreateList(s, paths)))
	if err != nil {
		fmt.Println(err)
		return
	}
	beam.ParDo0(s, printCredits, r)
	if err := ptest.Run(p); err != nil {
		fmt.Println(err)
	}
	// Output:
	// email 1.33 266.67
	// search 0.67 133.33
}

// ExampleAttributePerKey gives each product line its last-touch credits.
func ExampleAttributePerKey() {
	p, s := beam.NewPipelineWithRoot()
	keyed := beam.ParDo(s, lineOf, beam.CreateList(s, paths))
	r, err := kpibeam.AttributePerKey(s, attribution.Last{}, kpibeam.JourneysPerKey(s, keyed))
	if err != nil {
		fmt.Println(err)
		return
	}
	beam.ParDo0(s, printCreditsKey, r)
	if err := ptest.Run(p); err != nil {
		fmt.Println(err)
	}
	// Unordered output:
	// email line last touch email 100
	// search line last touch email 300
}
