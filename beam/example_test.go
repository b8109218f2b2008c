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
	"github.com/kpiflow/kpi/cohort"
	"github.com/kpiflow/kpi/cohort/clv"
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
	register.Function1x0(printTable)
	register.Function2x0(printTableKey)
	register.Function1x2(regionOfCustomer)
	register.Function1x2(regionOfRevenue)
	register.Function1x0(printSummary)
	register.Function2x0(printSummaryKey)
	register.Function1x2(storeOf)
	register.Function1x0(printMarkov)
}

func printTable(t *cohort.Table) { fmt.Print(t) }

func printTableKey(k string, t *cohort.Table) {
	fmt.Println(k, len(t.Cohorts), "cohorts, first", t.Cohorts[0].Size, "customers, month-1 revenue", t.Cohorts[0].Cells[1].Revenue)
}

// regionOfCustomer and regionOfRevenue put the customers whose IDs start
// with "e" in region east, the others in west.
func regionOfCustomer(c cohort.Customer) (string, cohort.Customer) { return region(c.ID), c }

func regionOfRevenue(r cohort.Revenue) (string, cohort.Revenue) { return region(r.CustomerID), r }

func region(id string) string {
	if id[0] == 'e' {
		return "east"
	}
	return "west"
}

func printSummary(s clv.Summary) {
	for _, c := range s.Customers {
		fmt.Printf("%s x=%d t_x=%.0f T=%.0f value=%s holdout=%d\n", c.CustomerID, c.Frequency, c.Recency, c.Age, c.Value, c.Holdout)
	}
}

func printSummaryKey(k string, s clv.Summary) {
	fmt.Println(k, len(s.Customers), "customers, first", s.Customers[0].CustomerID, "x =", s.Customers[0].Frequency)
}

// storeOf keys an order by its store, the part of the customer ID before
// the slash.
func storeOf(t clv.Transaction) (string, clv.Transaction) { return t.CustomerID[:1], t }

func printMarkov(r *attribution.Result) {
	fmt.Printf("%s P = %.3f\n", r.Model, r.Conversion)
	printCredits(r)
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
	day       = func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	customers = []cohort.Customer{{ID: "east-1", Acquired: day(1, 5)}, {ID: "west-1", Acquired: day(1, 20)}, {ID: "west-2", Acquired: day(2, 3)}}
	mrr       = []cohort.Revenue{
		{CustomerID: "east-1", At: day(1, 5), Amount: decimal.RequireFromString("100")},
		{CustomerID: "east-1", At: day(2, 5), Amount: decimal.RequireFromString("120")},
		{CustomerID: "west-1", At: day(1, 20), Amount: decimal.RequireFromString("50")},
		{CustomerID: "west-2", At: day(2, 3), Amount: decimal.RequireFromString("80")},
		{CustomerID: "west-2", At: day(3, 3), Amount: decimal.RequireFromString("80")},
	}
	orders = []clv.Transaction{
		{CustomerID: "a/acme", At: day(1, 5), Amount: decimal.RequireFromString("500")},
		{CustomerID: "a/acme", At: day(2, 2), Amount: decimal.RequireFromString("120")},
		{CustomerID: "a/acme", At: day(3, 2), Amount: decimal.RequireFromString("80")},
		{CustomerID: "b/blue", At: day(2, 16), Amount: decimal.RequireFromString("75")},
		{CustomerID: "b/blue", At: day(4, 13), Amount: decimal.RequireFromString("60")},
	}
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

// ExampleCohorts makes a monthly cohort table from customer and revenue
// rows on the Prism runner; unreached cells stay blank.
func ExampleCohorts() {
	p, s := beam.NewPipelineWithRoot()
	t, err := kpibeam.Cohorts(s, cohort.Month, day(3, 31), beam.CreateList(s, customers), beam.CreateList(s, mrr))
	if err != nil {
		fmt.Println(err)
		return
	}
	beam.ParDo0(s, printTable, t)
	if err := ptest.Run(p); err != nil {
		fmt.Println(err)
	}
	_, err = kpibeam.Cohorts(s, cohort.Grain(9), day(3, 31), beam.CreateList(s, customers))
	fmt.Println(err)
	// Output:
	// cohort       size     0     1     2
	// 2026-01         2  100%   50%    0%
	// 2026-02         1  100%  100%
	// cohort.NewBuilder: grain 9: unknown grain
}

// ExampleCohortsPerKey makes a cohort table per region.
func ExampleCohortsPerKey() {
	p, s := beam.NewPipelineWithRoot()
	cs := beam.ParDo(s, regionOfCustomer, beam.CreateList(s, customers))
	rs := beam.ParDo(s, regionOfRevenue, beam.CreateList(s, mrr))
	t, err := kpibeam.CohortsPerKey(s, cohort.Month, day(3, 31), cs, rs)
	if err != nil {
		fmt.Println(err)
		return
	}
	beam.ParDo0(s, printTableKey, t)
	if err := ptest.Run(p); err != nil {
		fmt.Println(err)
	}
	// Unordered output:
	// east 1 cohorts, first 1 customers, month-1 revenue 120
	// west 2 cohorts, first 1 customers, month-1 revenue 0
}

// ExampleSummary summarises orders into RFM records in weeks, with
// calibration through March and holdout through June.
func ExampleSummary() {
	p, s := beam.NewPipelineWithRoot()
	sum, err := kpibeam.Summary(s, day(3, 31), day(6, 30), 7*24*time.Hour, beam.CreateList(s, orders))
	if err != nil {
		fmt.Println(err)
		return
	}
	beam.ParDo0(s, printSummary, sum)
	if err := ptest.Run(p); err != nil {
		fmt.Println(err)
	}
	// Output:
	// a/acme x=2 t_x=8 T=12 value=100 holdout=0
	// b/blue x=0 t_x=0 T=6 value=0 holdout=1
}

// ExampleSummaryPerKey summarises each store's orders; a unit that is
// not whole days fails before the pipeline runs.
func ExampleSummaryPerKey() {
	p, s := beam.NewPipelineWithRoot()
	keyed := beam.ParDo(s, storeOf, beam.CreateList(s, orders))
	sum, err := kpibeam.SummaryPerKey(s, day(3, 31), day(6, 30), 24*time.Hour, keyed)
	if err != nil {
		fmt.Println(err)
		return
	}
	beam.ParDo0(s, printSummaryKey, sum)
	if err := ptest.Run(p); err != nil {
		fmt.Println(err)
	}
	_, err = kpibeam.SummaryPerKey(s, day(3, 31), day(6, 30), time.Hour, keyed)
	fmt.Println(err)
	// Unordered output:
	// a 1 customers, first a/acme x = 2
	// b 1 customers, first b/blue x = 0
	// kpibeam.SummaryPerKey: clv.Purchases.Summary: unit 1h0m0s: must be a positive whole number of days
}

// ExampleMarkov credits the channels by the Markov model, merging the
// bundles' chains rather than their journeys: the credits of Attribute,
// to the cent.
func ExampleMarkov() {
	p, s := beam.NewPipelineWithRoot()
	r, err := kpibeam.Markov(s, attribution.Markov{}, beam.CreateList(s, paths))
	if err != nil {
		fmt.Println(err)
		return
	}
	beam.ParDo0(s, printMarkov, r)
	if err := ptest.Run(p); err != nil {
		fmt.Println(err)
	}
	// Output:
	// markov order 1 P = 0.500
	// email 1.33 266.67
	// search 0.67 133.33
}

// ExampleMarkovPerKey credits each product line's channels by the
// order-1 Markov model.
func ExampleMarkovPerKey() {
	p, s := beam.NewPipelineWithRoot()
	keyed := beam.ParDo(s, lineOf, beam.CreateList(s, paths))
	r, err := kpibeam.MarkovPerKey(s, attribution.Markov{Order: 1}, keyed)
	if err != nil {
		fmt.Println(err)
		return
	}
	beam.ParDo0(s, printCreditsKey, r)
	if err := ptest.Run(p); err != nil {
		fmt.Println(err)
	}
	// Unordered output:
	// email line markov order 1 email 100
	// search line markov order 1 email 150
}
