package funnel_test

import (
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/kpiflow/kpi/funnel"
)

// day is the start of the examples' CRM data.
var day = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)

// crm is a CRM export: four contacts' lead, MQL and SQL events, in no
// particular order.
func crm() []funnel.Event {
	at := func(d int) time.Time { return day.Add(time.Duration(d) * 24 * time.Hour) }
	src := func(s string) map[string]string { return map[string]string{"source": s} }
	return []funnel.Event{
		{Entity: "ana", Name: "lead", Time: at(0), Props: src("webinar")},
		{Entity: "ben", Name: "lead", Time: at(1), Props: src("ads")},
		{Entity: "ana", Name: "mql", Time: at(3)},
		{Entity: "cho", Name: "lead", Time: at(2), Props: src("ads")},
		{Entity: "ana", Name: "sql", Time: at(10)},
		{Entity: "ben", Name: "mql", Time: at(8)},
		{Entity: "dev", Name: "mql", Time: at(2)},  // an MQL without a lead: never enters
		{Entity: "cho", Name: "mql", Time: at(40)}, // after the 30-day window
	}
}

// leadToSQL is the funnel lead → MQL → SQL within 30 days.
var leadToSQL = funnel.Definition{
	Steps:  []funnel.Match{{Step: "Lead", Event: "lead"}, {Step: "MQL", Event: "mql"}, {Step: "SQL", Event: "sql"}},
	Window: 30 * 24 * time.Hour,
}

// ExampleNewCounter counts a CRM export and prints each step with its
// conversion and the median time from the step before.
func ExampleNewCounter() {
	c, err := funnel.NewCounter(leadToSQL)
	if err != nil {
		panic(err)
	}
	if err := c.AddAll(slices.Values(crm())); err != nil {
		panic(err)
	}
	r, err := c.Result()
	if err != nil {
		panic(err)
	}
	for _, s := range r.Steps {
		fmt.Printf("%-4s %d  step %v  median %v\n", s.Step, s.Reached, s.Rate, s.Time.Median)
	}
	// Output:
	// Lead 3  step 3/3 (100.00%)  median 0s
	// MQL  2  step 2/3 (66.67%)  median 72h0m0s
	// SQL  1  step 1/2 (50.00%)  median 168h0m0s
}

// ExampleNewCounter_error shows the error for a definition without a
// window.
func ExampleNewCounter_error() {
	_, err := funnel.NewCounter(funnel.Definition{Steps: leadToSQL.Steps})
	fmt.Println(err)
	// Output:
	// funnel.NewCounter: window 0s: must be > 0
}

// ExampleCounter_Add adds events one at a time, in any order, and shows
// the error for an event without an entity.
func ExampleCounter_Add() {
	c, _ := funnel.NewCounter(leadToSQL)
	evs := crm()
	slices.Reverse(evs)
	for _, e := range evs {
		if err := c.Add(e); err != nil {
			panic(err)
		}
	}
	r, _ := c.Result()
	fmt.Println(r.Steps[2].Cumulative)

	err := c.Add(funnel.Event{Name: "lead", Time: day})
	fmt.Println(err)
	// Output:
	// 1/3 (33.33%)
	// funnel.Counter.Add: event entity "": event "lead" at 2026-04-01 00:00:00 +0000 UTC has no entity
}

// ExampleCounter_AddAll adds events in two batches, in any order, and
// shows the error for an event without an entity, named by its position.
func ExampleCounter_AddAll() {
	c, _ := funnel.NewCounter(leadToSQL)
	evs := crm()
	_ = c.AddAll(slices.Values(evs[4:]))
	_ = c.AddAll(slices.Values(evs[:4]))
	r, _ := c.Result()
	fmt.Println(r.Steps[2].Cumulative)

	err := c.AddAll(slices.Values([]funnel.Event{evs[0], {Name: "lead", Time: day}}))
	fmt.Println(err)
	// Output:
	// 1/3 (33.33%)
	// funnel.Counter.AddAll: events[1] event entity "": event "lead" at 2026-04-01 00:00:00 +0000 UTC has no entity
}

// ExampleCounter_AddSorted takes the fast path for events sorted by
// contact, and shows the error when they are not.
func ExampleCounter_AddSorted() {
	evs := crm()
	slices.SortStableFunc(evs, func(a, b funnel.Event) int {
		switch {
		case a.Entity < b.Entity:
			return -1
		case a.Entity > b.Entity:
			return 1
		}
		return 0
	})
	c, _ := funnel.NewCounter(leadToSQL)
	err := c.AddSorted(slices.Values(evs))
	r, _ := c.Result()
	fmt.Println(err, r.Steps[1].Reached)

	slices.Reverse(evs)
	c, _ = funnel.NewCounter(leadToSQL)
	fmt.Println(c.AddSorted(slices.Values(evs)))
	// Output:
	// <nil> 2
	// funnel.Counter.AddSorted: events[1] entity "cho": comes after "dev": input not sorted by entity
}

// ExampleCounter_Merge counts two partitions of the contacts apart — as
// two workers or a combiner would — and merges them.
func ExampleCounter_Merge() {
	a, _ := funnel.NewCounter(leadToSQL)
	b, _ := funnel.NewCounter(leadToSQL)
	for _, e := range crm() {
		if e.Entity < "c" {
			_ = a.Add(e)
		} else {
			_ = b.Add(e)
		}
	}
	if err := a.Merge(b); err != nil {
		panic(err)
	}
	ra, _ := a.Result()
	rb, _ := b.Result() // b is unchanged
	fmt.Println(ra.Steps[0].Reached, rb.Steps[0].Reached)
	fmt.Println(a.Merge(a) != nil)
	// Output:
	// 3 1
	// true
}

// ExampleCounter_Result breaks the funnel down by the lead's source and
// shows the time-to-convert histogram of Lead → MQL.
func ExampleCounter_Result() {
	d := leadToSQL
	d.Breakdown = []string{"source"}
	d.Bins = []time.Duration{5 * 24 * time.Hour, 10 * 24 * time.Hour}
	c, _ := funnel.NewCounter(d)
	_ = c.AddAll(slices.Values(crm()))
	r, err := c.Result()
	if err != nil {
		panic(err)
	}
	for _, g := range r.Breakdown {
		fmt.Printf("%-8s leads %d, MQL %v\n", g.Values[0], g.Steps[0].Reached, g.Steps[1].Cumulative)
	}
	bins := r.Steps[1].Time.Bins
	for i, b := range bins {
		if i < len(bins)-1 {
			fmt.Printf("≤ %v: %d\n", b.Upper, b.Count)
		} else {
			fmt.Printf("more: %d\n", b.Count)
		}
	}
	// Output:
	// ads      leads 2, MQL 1/2 (50.00%)
	// webinar  leads 1, MQL 1/1 (100.00%)
	// ≤ 120h0m0s: 1
	// ≤ 240h0m0s: 1
	// more: 0
}

// ExampleParallel splits the contacts by a hash into two partitions,
// counted in two goroutines and merged.
func ExampleParallel() {
	evs := crm()
	part := func(entity string) int {
		h := fnv.New32a()
		h.Write([]byte(entity))
		return int(h.Sum32() % 2)
	}
	c, err := funnel.Parallel(leadToSQL, 2, func(p int, c *funnel.Counter) error {
		return c.AddAll(func(yield func(funnel.Event) bool) {
			for _, e := range evs {
				if part(e.Entity) == p && !yield(e) {
					return
				}
			}
		})
	})
	if err != nil {
		panic(err)
	}
	r, _ := c.Result()
	fmt.Println(r.Steps[2].Cumulative)
	// Output:
	// 1/3 (33.33%)
}

// ExampleResult_Funnel turns an event funnel into an aggregate Funnel and
// prints its table.
func ExampleResult_Funnel() {
	c, _ := funnel.NewCounter(leadToSQL)
	_ = c.AddAll(slices.Values(crm()))
	r, _ := c.Result()
	f, err := r.Funnel()
	if err != nil {
		panic(err)
	}
	fmt.Print(f)
	// Output:
	// stage  count     step  95% Wilson CI     cumulative  drop-off
	// Lead       3
	// MQL        2   66.67%  [20.77%, 93.85%]      66.67%  1 (33.33%)
	// SQL        1   50.00%  [ 9.45%, 90.55%]      33.33%  1 (50.00%)
}

// ExampleMode_String prints modes by their windowFunnel names.
func ExampleMode_String() {
	fmt.Println(funnel.Default)
	fmt.Println(funnel.StrictOrder | funnel.StrictIncrease)
	// Output:
	// default
	// strict_order|strict_increase
}

// ExampleCounter_MarshalBinary sends a partial funnel between processes:
// one counter is encoded, decoded elsewhere into a zero Counter, and
// merged there with the other partition's counter.
func ExampleCounter_MarshalBinary() {
	d := funnel.Definition{Steps: []funnel.Match{{Event: "visit"}, {Event: "signup"}}, Window: time.Hour}
	at := func(min int) time.Time { return time.Date(2026, 3, 2, 9, min, 0, 0, time.UTC) }
	a, _ := funnel.NewCounter(d)
	_ = a.Add(funnel.Event{Entity: "ann", Name: "visit", Time: at(0)})
	_ = a.Add(funnel.Event{Entity: "ann", Name: "signup", Time: at(5)})
	data, _ := a.MarshalBinary()

	var decoded funnel.Counter
	if err := decoded.UnmarshalBinary(data); err != nil {
		fmt.Println(err)
		return
	}
	b, _ := funnel.NewCounter(d)
	_ = b.Add(funnel.Event{Entity: "bob", Name: "visit", Time: at(1)})
	_ = decoded.Merge(b)
	r, _ := decoded.Result()
	fmt.Println(len(data), "bytes;", r.Steps[0].Reached, "visited,", r.Steps[1].Reached, "signed up after", r.Steps[1].Time.Median)
	// Output:
	// 62 bytes; 2 visited, 1 signed up after 5m0s
}

// ExampleCounter_UnmarshalBinary shows that data which are not a whole
// Counter's encoding are errors that give the byte where decoding
// failed, and leave the Counter as it was.
func ExampleCounter_UnmarshalBinary() {
	c, _ := funnel.NewCounter(funnel.Definition{Steps: []funnel.Match{{Event: "visit"}, {Event: "signup"}}, Window: time.Hour})
	data, _ := c.MarshalBinary()
	fmt.Println(c.UnmarshalBinary(data[:10]))
	fmt.Println(c.UnmarshalBinary([]byte(`{"steps":2}`)))
	fmt.Println(c.UnmarshalBinary(data))
	// Output:
	// funnel.Counter.UnmarshalBinary: data 10 bytes: byte 7: count 5 exceeds the 3 bytes left
	// funnel.Counter.UnmarshalBinary: data 11 bytes: byte 0: header "{\"": not a kpi encoding
	// <nil>
}
