package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/funnel"
)

func init() { register(20, "Funnel: bottleneck, plan, month over month", funnelSection) }

// funnelSection shows a month of a B2B funnel, its bottlenecks against the
// agreed targets, the plan to reach a revenue goal, and the change from the
// month before.
func funnelSection(w io.Writer) error {
	stages := []string{"Visit", "Lead", "MQL", "SQL", "Opportunity", "Won"}
	build := func(counts ...int64) (*funnel.Funnel, error) {
		ss := make([]funnel.Stage, len(counts))
		for i, c := range counts {
			ss[i] = funnel.Stage{Name: stages[i], Count: c}
		}
		return funnel.New(ss...)
	}
	this, err := build(12000, 240, 96, 40, 25, 6)
	if err != nil {
		return err
	}
	last, err := build(11500, 260, 110, 52, 30, 8)
	if err != nil {
		return err
	}
	if _, err := this.WriteTo(w); err != nil {
		return err
	}

	deal := decimal.NewFromInt(24000)
	sla := funnel.Targets{"Lead": 0.025, "MQL": 0.4, "SQL": 0.5, "Opportunity": 0.6, "Won": 0.25}
	bs, err := this.Bottlenecks(sla, 0.95)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "below target, ranked by won deals gained at target (%v a deal):\n", deal)
	for _, b := range bs {
		rev, err := b.Revenue(deal)
		if err != nil {
			return err
		}
		v, _ := b.Step.Rate.Value()
		fmt.Fprintf(w, "  %-16s %5.2f%% vs %4.1f%%: %+.2f deals (+%v), %v, p = %.4f\n",
			b.Step.String(), 100*v, 100*b.Target, b.Gain, rev, b.Verdict, b.P)
	}

	m, err := this.Model(deal)
	if err != nil {
		return err
	}
	m.Costs = map[string]decimal.Decimal{"Lead": decimal.RequireFromString("45.00")}
	goal := decimal.NewFromInt(240000)
	p, err := funnel.Plan(m, goal)
	if err != nil {
		return err
	}
	need := make([]string, len(p.Volumes))
	for i, v := range p.Volumes {
		need[len(need)-1-i] = fmt.Sprintf("%.0f %s", v.Count, v.Stage)
	}
	fmt.Fprintf(w, "plan for %v at this month's rates: %s\n", goal, strings.Join(need, " ← "))
	fmt.Fprintf(w, "  lead budget at 45.00 a lead: %s\n", p.Budget.StringFixed(2))

	won, _ := this.Step("Won")
	vel, err := funnel.Velocity(25, won.Rate, deal, 60*24*time.Hour)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "sales velocity, 25 opportunities on a 60-day cycle: %s a day\n", vel.StringFixed(2))

	changes, err := funnel.Compare(last, this, 0.95)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "change from last month (Fisher exact test, 5% level):")
	for _, c := range changes {
		verdict := "noise"
		if c.Significant {
			verdict = "significant"
		}
		fmt.Fprintf(w, "  %-12s %v → %v: %+.2f points, p = %.3f, %s\n", c.Step, c.A, c.B, 100*c.Diff, c.FisherP, verdict)
	}
	return nil
}
