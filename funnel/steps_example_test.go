package funnel_test

import (
	"fmt"
	"slices"
	"time"

	"github.com/kpiflow/kpi/funnel"
)

// ExampleMatch_optional counts a funnel whose demo step is optional: ana
// books a demo, ben goes from lead to SQL without one and still counts
// as an SQL, cho stops at the lead. The demo counts only ana; SQL's rate
// is over the leads, and its time runs from the demo for ana and from the
// lead for ben.
func ExampleMatch_optional() {
	day := func(d int) time.Time { return time.Date(2026, 4, 1+d, 9, 0, 0, 0, time.UTC) }
	c, _ := funnel.NewCounter(funnel.Definition{
		Steps: []funnel.Match{
			{Step: "Lead", Event: "lead"},
			{Step: "Demo", Event: "demo", Optional: true},
			{Step: "SQL", Event: "sql"},
		},
		Window: 30 * 24 * time.Hour,
	})
	_ = c.AddAll(slices.Values([]funnel.Event{
		{Entity: "ana", Name: "lead", Time: day(0)}, {Entity: "ana", Name: "demo", Time: day(2)}, {Entity: "ana", Name: "sql", Time: day(3)},
		{Entity: "ben", Name: "lead", Time: day(0)}, {Entity: "ben", Name: "sql", Time: day(5)},
		{Entity: "cho", Name: "lead", Time: day(1)},
	}))
	r, _ := c.Result()
	for _, s := range r.Steps {
		fmt.Printf("%-4s optional %-5v reached %d, rate %v, times %d, mean %v\n", s.Step, s.Optional, s.Reached, s.Rate, s.Time.N, s.Time.Mean)
	}
	f, _ := r.Funnel() // the required steps
	fmt.Println(len(f.Stages()), "stages")
	// Output:
	// Lead optional false reached 3, rate 3/3 (100.00%), times 0, mean 0s
	// Demo optional true  reached 1, rate 1/3 (33.33%), times 1, mean 48h0m0s
	// SQL  optional false reached 2, rate 2/3 (66.67%), times 2, mean 72h0m0s
	// 2 stages
}

// ExampleMatch_any fills a step by any of several events: the trial step
// by a demo request or a trial start (with its own condition), and,
// with Later, by any later step's event too (this stage or any later
// one), so that a contact that bought at once counts as having had a
// trial.
func ExampleMatch_any() {
	at := func(h int) time.Time { return time.Date(2026, 4, 1, h, 0, 0, 0, time.UTC) }
	c, _ := funnel.NewCounter(funnel.Definition{
		Steps: []funnel.Match{
			{Step: "Lead", Event: "lead"},
			{Step: "Trial", Event: "demo_request", Later: true,
				Any: []funnel.Match{{Event: "trial_start", Where: map[string]string{"plan": "pro"}}}},
			{Step: "Won", Event: "won"},
		},
		Window: 24 * time.Hour,
	})
	_ = c.AddAll(slices.Values([]funnel.Event{
		{Entity: "ana", Name: "lead", Time: at(1)}, {Entity: "ana", Name: "demo_request", Time: at(2)},
		{Entity: "ben", Name: "lead", Time: at(1)}, {Entity: "ben", Name: "trial_start", Time: at(3), Props: map[string]string{"plan": "pro"}},
		{Entity: "cho", Name: "lead", Time: at(1)}, {Entity: "cho", Name: "trial_start", Time: at(3), Props: map[string]string{"plan": "free"}},
		{Entity: "dev", Name: "lead", Time: at(1)}, {Entity: "dev", Name: "won", Time: at(4)},
	}))
	r, _ := c.Result()
	for _, s := range r.Steps {
		fmt.Println(s.Step, s.Reached)
	}
	// Output:
	// Lead 4
	// Trial 3
	// Won 1
}
