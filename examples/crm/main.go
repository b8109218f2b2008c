// Command crm runs the whole KPI flow on CRM exports as HubSpot writes
// them: it generates a contacts export (5 000 contacts over 2025, one
// "Became a … Date" column per lifecycle stage) and a touch log (UTM
// source and medium per touch, and the won deals), with a few faults on
// purpose, reads them with funnel.ReadDates and attribution.ReadTouches,
// and prints
//
//   - each reader's health report: rows read, used and rejected, with
//     line, column and reason; skipped stages; moves back;
//   - the lifecycle funnel with 95 % Wilson intervals and each stage's
//     skipped count;
//   - the bottleneck against per-step targets, and the plan for a revenue
//     goal, worked back through the observed rates;
//   - the monthly cohort funnels: the contacts that entered the lifecycle
//     each month, how many of them reached each stage, which months are
//     still maturing, and the Kaplan–Meier estimate of their customer rate
//     once every contact has had its window;
//   - channel attribution with return on spend, including a channel that
//     was paid for and earned nothing.
//
// Usage:
//
//	go run ./examples/crm [-contacts 5000] [-seed 1] [-dir DIR]
//
// With -dir it also writes the two generated files there, to read them
// with other tools.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
	"github.com/kpiflow/kpi/funnel"
)

func main() {
	n := flag.Int("contacts", 5000, "contacts to generate")
	seed := flag.Uint64("seed", 1, "seed of the generator")
	dir := flag.String("dir", "", "also write contacts.csv and touches.csv here")
	flag.Parse()
	if err := run(os.Stdout, *n, *seed, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "crm:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, n int, seed uint64, dir string) error {
	if n < 100 {
		return fmt.Errorf("-contacts %d: want at least 100", n)
	}
	contacts, touchLog := generate(n, seed)
	if dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "contacts.csv"), contacts, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "touches.csv"), touchLog, 0o644); err != nil {
			return err
		}
	}
	f, h, err := lifecycle(w, contacts)
	if err != nil {
		return err
	}
	js, err := journeys(w, touchLog)
	if err != nil {
		return err
	}
	if err := plan(w, f, js); err != nil {
		return err
	}
	if err := cohorts(w, h); err != nil {
		return err
	}
	return roi(w, js)
}

// lifecycle reads the contacts export and prints its health, the funnel
// and the bottleneck.
func lifecycle(w io.Writer, contacts []byte) (*funnel.Funnel, *funnel.History, error) {
	l, err := funnel.NewLifecycle(stages...)
	if err != nil {
		return nil, nil, err
	}
	h, health, err := funnel.ReadDates(bytes.NewReader(contacts), l, funnel.Columns{Location: time.UTC})
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(w, "== contacts export: health\n%s\n", health)
	r, err := h.Reach()
	if err != nil {
		return nil, nil, err
	}
	f, err := r.Funnel()
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(w, "== lifecycle funnel (%d contacts)\n%s", r.Entities, f)
	fmt.Fprintln(w, "passed without an entry of their own (skipped):")
	for _, s := range r.Stages {
		fmt.Fprintf(w, "  %-26s %5d of %5d   median time from the stage before %v\n", s.Stage, s.Skipped, s.Reached, s.Time.Median.Round(time.Hour))
	}
	targets := funnel.Targets{"Lead": 0.9, "Marketing Qualified Lead": 0.5, "Sales Qualified Lead": 0.5, "Opportunity": 0.6, "Customer": 0.3}
	bs, err := f.Bottlenecks(targets, 0.95)
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintln(w, "\n== bottlenecks against targets")
	for _, b := range bs {
		fmt.Fprintf(w, "  %-50s rate %.3f < target %.2f (%v): %+.1f customers at target\n", b.Step.String(), mustValue(b.Step.Rate.Value()), b.Target, b.Verdict, b.Gain)
	}
	return f, h, nil
}

// cohortWindow is the time a contact has, from entering the lifecycle, to
// climb it in the monthly cohort funnels.
const cohortWindow = 90 * 24 * time.Hour

// cohorts prints the funnel of each month's new contacts: the history's
// stage entries as events (skipped stages passed), counted by an event
// funnel over the lifecycle within cohortWindow, cut by the month each
// contact entered, as of the last entry. A month is mature once all its
// contacts have had the whole window; before that its customer rate can
// still grow, and the Kaplan–Meier estimate (which counts each contact for
// the time it has had) says where it is heading.
func cohorts(w io.Writer, h *funnel.History) error {
	l, err := funnel.NewLifecycle(stages...)
	if err != nil {
		return err
	}
	c, err := funnel.NewCounter(l.Definition(cohortWindow))
	if err != nil {
		return err
	}
	var asOf time.Time
	for e := range h.Events() {
		if e.Time.After(asOf) {
			asOf = e.Time
		}
	}
	if err := c.AddAll(h.Events()); err != nil {
		return err
	}
	s, err := c.Series(funnel.Periods{Grain: funnel.Month, Location: time.UTC}, asOf)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n== monthly cohort funnels (contacts by the month they entered; %d-day window, as of %s)\n",
		int(cohortWindow.Hours()/24), asOf.Format(time.DateOnly))
	fmt.Fprintf(w, "  %-7s %6s %6s %6s %6s %6s %6s   %-26s %s\n", "month", "Subscr", "Lead", "MQL", "SQL", "Opp", "Cust", "customers of entrants (95%)", "estimate")
	for _, p := range s.Periods {
		fmt.Fprintf(w, "  %-7s", p.Label)
		if p.Steps[0].Reached == 0 {
			fmt.Fprintln(w, "  no contacts entered")
			continue
		}
		for _, st := range p.Steps {
			fmt.Fprintf(w, " %6d", st.Reached)
		}
		last := p.Steps[len(p.Steps)-1]
		cum, mature := "-", "mature"
		if v, err := last.Cumulative.Value(); err == nil {
			lo, hi, _ := last.Cumulative.Interval(kpi.Wilson, 0.95)
			cum = fmt.Sprintf("%5.1f%% [%4.1f%%, %4.1f%%]", 100*v, 100*lo, 100*hi)
		}
		if !last.Mature {
			mature = fmt.Sprintf("maturing: %d still open, %.1f%% at the horizon", last.Open.Successes(), 100*cumulative(p.Steps))
		}
		fmt.Fprintf(w, "   %-26s %s\n", cum, mature)
	}
	return nil
}

// cumulative returns the Kaplan–Meier estimate of the share of a period's
// entrants that become customers: the product of the steps' estimates.
func cumulative(steps []funnel.PeriodStep) float64 {
	p := 1.0
	for _, s := range steps {
		p *= s.Estimate
	}
	return p
}

func mustValue(v float64, err error) float64 {
	if err != nil {
		return 0
	}
	return v
}

// journeys reads the touch log and prints its health.
func journeys(w io.Writer, touchLog []byte) (*attribution.Journeys, error) {
	js, health, err := attribution.ReadTouches(bytes.NewReader(touchLog), attribution.TouchLog{Lookback: 180 * 24 * time.Hour})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "\n== touch log: health\n%s", health)
	fmt.Fprintf(w, "%d journeys, %d conversions worth %s, %d without conversion\n", js.Len(), js.Conversions(), js.Value().StringFixed(2), js.Nulls())
	return js, nil
}

// plan works back from a revenue goal, at the average deal of the touch
// log's conversions.
func plan(w io.Writer, f *funnel.Funnel, js *attribution.Journeys) error {
	deal := js.Value().DivRound(decimal.NewFromInt(js.Conversions()), 2)
	m, err := f.Model(deal)
	if err != nil {
		return err
	}
	goal := decimal.NewFromInt(2_000_000)
	p, err := funnel.Plan(m, goal)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n== plan for %s of revenue at %s a deal\n", goal, deal)
	for _, v := range p.Volumes {
		fmt.Fprintf(w, "  %-26s %6.0f\n", v.Stage, v.Count)
	}
	return nil
}

// roi attributes the conversions to channels and sets them against
// spend; Podcast was paid for and appears in no journey.
func roi(w io.Writer, js *attribution.Journeys) error {
	d := decimal.RequireFromString
	spend := map[string]decimal.Decimal{
		"Paid Search": d("60000.00"), "Paid Social": d("45000.00"), "Email": d("8000.00"), "Podcast": d("12000.00"),
	}
	fmt.Fprintln(w, "\n== attribution and return on spend")
	for _, m := range []attribution.Model{attribution.Linear{}, attribution.Markov{}} {
		r, err := m.Attribute(js)
		if err != nil {
			return err
		}
		rows, err := r.ROI(spend)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s\n", r.Model)
		for _, x := range rows {
			cost, ret := "-", "-"
			if x.CostPerConversion.Valid {
				cost = x.CostPerConversion.Decimal.StringFixed(2)
			}
			if x.ReturnOnSpend.Valid {
				ret = x.ReturnOnSpend.Decimal.StringFixed(2)
			}
			fmt.Fprintf(w, "  %-14s %6.1f conv  value %11s  spend %9s  cost/conv %9s  return %6s\n",
				x.Channel, x.Conversions, x.Value.StringFixed(2), x.Spend.StringFixed(2), cost, ret)
		}
	}
	return nil
}
