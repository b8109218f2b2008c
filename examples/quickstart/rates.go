package main

import (
	"fmt"
	"io"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
)

func init() { register(10, "Rates: a KPI is a hypothesis", rates) }

// rates shows a conversion rate with its interval, a comparison of two
// months, and a budget split that adds up to the cent.
func rates(w io.Writer) error {
	// MQL → SQL this month and last month.
	last, err := kpi.NewRate(52, 110)
	if err != nil {
		return err
	}
	this, err := kpi.NewRate(40, 96)
	if err != nil {
		return err
	}
	lo, hi, err := this.Interval(kpi.Wilson, 0.95)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "MQL→SQL this month: %v, 95%% Wilson interval [%.1f%%, %.1f%%]\n", this, 100*lo, 100*hi)

	c, err := kpi.Compare(last, this)
	if err != nil {
		return err
	}
	dlo, dhi, err := c.DiffInterval(kpi.Wilson, 0.95)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "change from last month (%v): %+.1f points, 95%% CI [%+.1f, %+.1f]\n", last, 100*c.Diff, 100*dlo, 100*dhi)
	fmt.Fprintf(w, "  two-proportion z = %.2f, p = %.3f; Fisher p = %.3f; P(this month better) = %.3f\n", c.Z, c.ZP, c.FisherP, c.ProbBBetter)
	verdict := "noise: not significant at 5%"
	if c.ZP < 0.05 {
		verdict = "a real change at 5%"
	}
	fmt.Fprintln(w, "  verdict:", verdict)

	t, err := this.Test(0.5)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "below the 50%% SLA? exact binomial p = %.3f\n", t.Less)

	budget := decimal.RequireFromString("10000.00")
	parts, err := kpi.Allocate(budget, []float64{1, 1, 1}, 2)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "10000.00 over three channels: %v + %v + %v = %v\n", parts[0], parts[1], parts[2], parts[0].Add(parts[1]).Add(parts[2]).StringFixed(2))
	return nil
}
