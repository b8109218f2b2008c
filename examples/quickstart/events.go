package main

import (
	"fmt"
	"io"
	"iter"
	"time"

	"github.com/kpiflow/kpi/funnel"
)

func init() { register(25, "Event funnel: from CRM events, with times to convert", eventsSection) }

// crmEvents is a deterministic CRM export of 1000 contacts, contact by
// contact: contact i becomes a lead on day i mod 30 (from the webinar if
// i mod 5 is 1 or 2, from ads otherwise), an MQL
// i mod 7 + 1 days later unless 5 divides i, an SQL i mod 11 + 2 days
// after that if 3 divides i, and a won deal i mod 13 + 10 days after that
// if 4 divides i too. Page views match no step.
func crmEvents() iter.Seq[funnel.Event] {
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	days := func(d int) time.Time { return start.Add(time.Duration(d) * 24 * time.Hour) }
	return func(yield func(funnel.Event) bool) {
		for i := range 1000 {
			id := fmt.Sprintf("contact-%03d", i)
			src := map[string]string{"source": "ads"}
			if i%5 == 1 || i%5 == 2 {
				src["source"] = "webinar"
			}
			d := i % 30
			evs := []funnel.Event{{Entity: id, Name: "page_view", Time: days(d)}, {Entity: id, Name: "lead", Time: days(d), Props: src}}
			if i%5 != 0 {
				d += i%7 + 1
				evs = append(evs, funnel.Event{Entity: id, Name: "mql", Time: days(d)})
				if i%3 == 0 {
					d += i%11 + 2
					evs = append(evs, funnel.Event{Entity: id, Name: "sql", Time: days(d)})
					if i%4 == 0 {
						d += i%13 + 10
						evs = append(evs, funnel.Event{Entity: id, Name: "won", Time: days(d)})
					}
				}
			}
			for _, e := range evs {
				if !yield(e) {
					return
				}
			}
		}
	}
}

// eventsSection counts the lead → MQL → SQL → won funnel of the CRM
// export within 60 days, prints it as an aggregate funnel table with the
// time each step takes, and breaks it down by the lead's source.
func eventsSection(w io.Writer) error {
	c, err := funnel.NewCounter(funnel.Definition{
		Steps: []funnel.Match{
			{Step: "Lead", Event: "lead"}, {Step: "MQL", Event: "mql"},
			{Step: "SQL", Event: "sql"}, {Step: "Won", Event: "won"},
		},
		Window:    60 * 24 * time.Hour,
		Breakdown: []string{"source"},
	})
	if err != nil {
		return err
	}
	if err := c.AddAll(crmEvents()); err != nil {
		return err
	}
	r, err := c.Result()
	if err != nil {
		return err
	}
	f, err := r.Funnel()
	if err != nil {
		return err
	}
	if _, err := f.WriteTo(w); err != nil {
		return err
	}
	day := func(d time.Duration) float64 { return d.Hours() / 24 }
	fmt.Fprintln(w, "time to convert, in days (median, 90th percentile, mean):")
	for _, s := range r.Steps[1:] {
		fmt.Fprintf(w, "  %-4s %4.0f %4.0f %6.2f   over %d contacts\n", s.Step, day(s.Time.Median), day(s.Time.P90), day(s.Time.Mean), s.Time.N)
	}
	for _, g := range r.Breakdown {
		won := g.Steps[len(g.Steps)-1]
		fmt.Fprintf(w, "source %-8s %d leads, won %v\n", g.Values[0], g.Steps[0].Reached, won.Cumulative)
	}
	return nil
}
