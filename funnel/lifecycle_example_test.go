package funnel_test

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kpiflow/kpi/funnel"
)

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// history builds the examples' small lifecycle history.
func history() *funnel.History {
	l, _ := funnel.NewLifecycle("Lead", "MQL", "SQL", "Customer")
	h, _ := funnel.NewHistory(l)
	for _, e := range []funnel.Entry{
		{Entity: "ann", Stage: "Lead", Time: at("2025-01-02")},
		{Entity: "ann", Stage: "MQL", Time: at("2025-01-09")},
		{Entity: "ann", Stage: "Customer", Time: at("2025-02-20")}, // never marked SQL
		{Entity: "bo", Stage: "Lead", Time: at("2025-01-05")},
		{Entity: "bo", Stage: "MQL", Time: at("2025-01-06")},
		{Entity: "cy", Stage: "Lead", Time: at("2025-01-07")},
	} {
		if err := h.Add(e); err != nil {
			panic(err)
		}
	}
	return h
}

// A lifecycle declared in order; names match without regard to case and
// punctuation.
func ExampleNewLifecycle() {
	l, err := funnel.NewLifecycle("Lead", "MQL", "SQL", "Opportunity", "Customer")
	if err != nil {
		panic(err)
	}
	i, ok := l.Index("s.q.l.")
	fmt.Println(len(l.Stages()), i, ok)
	// Output: 5 2 true
}

// HubSpot's default lifecycle; its internal values match its labels.
func ExampleHubSpotLifecycle() {
	l := funnel.HubSpotLifecycle()
	i, _ := l.Index("marketingqualifiedlead")
	fmt.Println(l.Stages()[i])
	// Output: Marketing Qualified Lead
}

// Salesforce's default opportunity stages.
func ExampleSalesforceLifecycle() {
	s := funnel.SalesforceLifecycle().Stages()
	fmt.Println(s[0], "…", s[len(s)-1])
	// Output: Prospecting … Closed Won
}

// The stages, lowest first.
func ExampleLifecycle_Stages() {
	l, _ := funnel.NewLifecycle("Lead", "MQL", "SQL")
	fmt.Println(strings.Join(l.Stages(), " < "))
	// Output: Lead < MQL < SQL
}

// Where a CRM's stage value sits in the lifecycle; "Other" is not in it.
func ExampleLifecycle_Index() {
	l := funnel.HubSpotLifecycle()
	for _, v := range []string{"customer", "Sales Qualified Lead", "other"} {
		i, ok := l.Index(v)
		fmt.Println(v, i, ok)
	}
	// Output:
	// customer 5 true
	// Sales Qualified Lead 3 true
	// other 0 false
}

// The event funnel of a lifecycle, to count a history's events with the
// conversion windows of a Counter.
func ExampleLifecycle_Definition() {
	h := history()
	l, _ := funnel.NewLifecycle("Lead", "MQL", "SQL", "Customer")
	c, _ := funnel.NewCounter(l.Definition(30 * 24 * time.Hour))
	if err := c.AddAll(h.Events()); err != nil {
		panic(err)
	}
	r, _ := c.Result()
	for _, s := range r.Steps {
		fmt.Println(s.Step, s.Reached)
	}
	// Output:
	// Lead 3
	// MQL 2
	// SQL 0
	// Customer 0
}

// A History counts entities over a lifecycle.
func ExampleNewHistory() {
	h, err := funnel.NewHistory(funnel.HubSpotLifecycle())
	if err != nil {
		panic(err)
	}
	err = h.Add(funnel.Entry{Entity: "101", Stage: "lead", Time: at("2025-01-02")})
	fmt.Println(err)
	// Output: <nil>
}

// A stage outside the lifecycle is an error, not silently dropped.
func ExampleHistory_Add() {
	h, _ := funnel.NewHistory(funnel.HubSpotLifecycle())
	err := h.Add(funnel.Entry{Entity: "101", Stage: "Churned", Time: at("2025-01-02")})
	fmt.Println(err)
	// Output: funnel.History.Add: entry stage "Churned": not in the lifecycle
}

// Entries from a stream.
func ExampleHistory_AddAll() {
	l, _ := funnel.NewLifecycle("Lead", "SQL")
	h, _ := funnel.NewHistory(l)
	err := h.AddAll(slices.Values([]funnel.Entry{
		{Entity: "a", Stage: "Lead", Time: at("2025-01-01")},
		{Entity: "a", Stage: "SQL", Time: at("2025-01-03")},
	}))
	r, _ := h.Reach()
	fmt.Println(err, r.Stages[1].Reached, r.Stages[1].Time.Median)
	// Output: <nil> 1 48h0m0s
}

// Two partitions merged give the same funnel as one.
func ExampleHistory_Merge() {
	l, _ := funnel.NewLifecycle("Lead", "SQL")
	a, _ := funnel.NewHistory(l)
	b, _ := funnel.NewHistory(l)
	_ = a.Add(funnel.Entry{Entity: "x", Stage: "Lead", Time: at("2025-01-01")})
	_ = b.Add(funnel.Entry{Entity: "x", Stage: "SQL", Time: at("2025-01-04")})
	if err := a.Merge(b); err != nil {
		panic(err)
	}
	r, _ := a.Reach()
	fmt.Println(r.Stages[0].Reached, r.Stages[1].Reached)
	// Output: 1 1
}

// The stage funnel: ann became a customer without being marked SQL, so
// she passed SQL and shows there as skipped.
func ExampleHistory_Reach() {
	r, _ := history().Reach()
	for _, s := range r.Stages {
		fmt.Printf("%-8s reached %d, entered %d, skipped %d, median %v\n", s.Stage, s.Reached, s.Entered, s.Skipped, s.Time.Median)
	}
	fmt.Println("entities", r.Entities, "with skips", r.Skipped)
	// Output:
	// Lead     reached 3, entered 3, skipped 0, median 0s
	// MQL      reached 2, entered 2, skipped 0, median 24h0m0s
	// SQL      reached 1, entered 0, skipped 1, median 1008h0m0s
	// Customer reached 1, entered 1, skipped 0, median 0s
	// entities 3 with skips 1
}

// Each stage an entity reached as an event; a skipped stage at the entry
// of the next stage.
func ExampleHistory_Events() {
	for e := range history().Events() {
		if e.Entity == "ann" {
			fmt.Println(e.Name, e.Time.Format("2006-01-02"))
		}
	}
	// Output:
	// Lead 2025-01-02
	// MQL 2025-01-09
	// SQL 2025-02-20
	// Customer 2025-02-20
}

// The reach as an aggregate funnel, for targets and plans.
func ExampleReach_Funnel() {
	r, _ := history().Reach()
	f, _ := r.Funnel()
	fmt.Println(f.Overall())
	// Output: 1/3 (33.33%)
}

// A HubSpot lifecycle-stage history, with a stage outside the lifecycle
// and a date that does not exist: both rejected, by line.
func ExampleReadHistory() {
	in := "Record ID,Lifecycle Stage,Timestamp\n" +
		"101,lead,2025-01-02 09:00\n" +
		"101,salesqualifiedlead,2025-01-20 16:45\n" +
		"102,lead,2025-02-30 10:00\n" +
		"103,other,2025-01-04 08:00\n"
	h, health, err := funnel.ReadHistory(strings.NewReader(in), funnel.HubSpotLifecycle(), funnel.Columns{Location: time.UTC})
	if err != nil {
		panic(err)
	}
	fmt.Print(health)
	r, _ := h.Reach()
	fmt.Println(r.Stages[3].Stage, r.Stages[3].Reached, "skipped MQL:", r.Stages[2].Skipped)
	// Output:
	// rows: 4 read, 2 used, 2 rejected
	//   line 4, column "Timestamp": no such date "2025-02-30 10:00"
	//   line 5, column "Lifecycle Stage": stage not in the lifecycle "other"
	// duplicates 0, out of order 0, skipped stages 1 entities, backward 0 entities
	// unmapped 1 rows: "other" 1
	// Sales Qualified Lead 1 skipped MQL: 1
}

// HubSpot's contacts export: one row per contact, a "Became a … Date"
// column per stage. Neither contact was a Subscriber, so both skipped it.
func ExampleReadDates() {
	in := "Record ID,Email,Became a Lead Date,Became a Marketing Qualified Lead Date,Became a Customer Date\n" +
		"1,ann@example.com,2025-01-02 10:00,2025-01-05 11:00,2025-03-01 09:00\n" +
		"2,bo@example.com,2025-01-03 10:00,,\n"
	h, health, err := funnel.ReadDates(strings.NewReader(in), funnel.HubSpotLifecycle(), funnel.Columns{})
	if err != nil {
		panic(err)
	}
	fmt.Println(health.Read, health.Used, health.Skipped)
	r, _ := h.Reach()
	for _, s := range r.Stages[1:6] {
		fmt.Println(s.Stage, s.Reached)
	}
	// Output:
	// 2 2 2
	// Lead 2
	// Marketing Qualified Lead 1
	// Sales Qualified Lead 1
	// Opportunity 1
	// Customer 1
}
