package main

import (
	"fmt"
	"io"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
)

func init() { register(50, "Cohorts: retention, NRR, LTV:CAC, sBG", cohortSection) }

// cohortSection builds a small monthly cohort table with its immature
// corner, reads NRR and the quick ratio off the last month, puts LTV
// against CAC and payback, and projects retention with the sBG model.
func cohortSection(w io.Writer) error {
	t, err := demoCohorts()
	if err != nil {
		return err
	}
	fmt.Fprint(w, "logo retention by months since acquisition (blank: not reached yet):\n", t)
	r2, err := t.LogoRetention(2)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "month 2 pooled over the 2 cohorts that reached it: %v\n", r2)

	ps := t.Periods()
	apr := ps[len(ps)-1]
	nrr, err := apr.NRR()
	if err != nil {
		return err
	}
	quick, err := apr.QuickRatio()
	if err != nil {
		return err
	}
	churn, err := apr.LogoChurn()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "April: MRR %v, NRR %.1f%%, quick ratio %.2f, logo churn %v\n", apr.Closing(), 100*nrr, quick, churn)

	if err := unitEconomics(w, apr, churn); err != nil {
		return err
	}
	return sbgSection(w, t)
}

// sbgSection fits the sBG model with its standard errors and projects
// the survivors of the oldest cohort with their 95 % band.
func sbgSection(w io.Writer, t *cohort.Table) error {
	e, err := t.EstimateSBG()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%v; projected share of a cohort still paying, with its 95%% interval:\n", e.Model())
	for _, month := range []int{3, 6, 12, 24} {
		s, iv, err := e.Survival(month, 0.95)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  month %2d %3.0f%% [%.0f%%, %.0f%%]\n", month, 100*s, 100*iv.Lo, 100*iv.Hi)
	}
	bands, err := t.ProjectBands(e, 7, 0.8, 0.01, 0.95)
	if err != nil {
		return err
	}
	jan := bands[0]
	fmt.Fprintf(w, "the %s cohort's survivors, observed to month 3, then projected:", jan.Projection.Start.Format("2006-01"))
	for a := 4; a < 7; a++ {
		iv := jan.Survivors[a]
		fmt.Fprintf(w, " month %d %.1f [%.1f, %.1f]", a, jan.Projection.Survivors[a], iv.Lo, iv.Hi)
	}
	fmt.Fprintf(w, "\nits LTV per customer %s, 95%% interval [%s, %s]\n",
		jan.Projection.LTV.StringFixed(2), jan.LTV.Lo.StringFixed(2), jan.LTV.Hi.StringFixed(2))
	return nil
}

// demoCohorts builds the table of four monthly cohorts through April 2024.
func demoCohorts() (*cohort.Table, error) {
	b, err := cohort.NewBuilder(cohort.Month)
	if err != nil {
		return nil, err
	}
	// Four monthly cohorts of 10 customers at 100 a month; customer i of
	// cohort c stays stay[i] months (0 = still paying in April), and the
	// first of each cohort upgrades to 150 from its second month.
	stay := []int{1, 1, 2, 3, 0, 0, 0, 0, 0, 0}
	through := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	for c := range 4 {
		start := time.Date(2024, time.Month(1+c), 1, 0, 0, 0, 0, time.UTC)
		for i, n := range stay {
			id := fmt.Sprintf("c%d-%d", c, i)
			if err := b.Add(cohort.Customer{ID: id, Acquired: start}); err != nil {
				return nil, err
			}
			if n == 0 {
				n = 4 - c // months from acquisition through April
			}
			for m := range n {
				amount := decimal.NewFromInt(100)
				if i == 4 && m > 0 {
					amount = decimal.NewFromInt(150)
				}
				if err := b.Add(cohort.Revenue{CustomerID: id, At: start.AddDate(0, m, 0), Amount: amount}); err != nil {
					return nil, err
				}
			}
		}
	}
	return b.Table(through)
}

// unitEconomics puts April's LTV against a fully loaded CAC and payback.
func unitEconomics(w io.Writer, apr cohort.Period, churn kpi.Rate) error {
	arpa, err := cohort.ARPA(apr.Closing(), apr.ClosingAccounts())
	if err != nil {
		return err
	}
	c, _ := churn.Value()
	ltv, err := cohort.LTV(arpa, 0.8, c)
	if err != nil {
		return err
	}
	_, byChannel, err := cohort.CAC([]cohort.Cost{
		{Channel: "ads", Line: "media", Amount: decimal.RequireFromString("12000.00")},
		{Line: "salaries", Amount: decimal.RequireFromString("8000.00")},
	}, map[string]int64{"ads": 40})
	if err != nil {
		return err
	}
	cac, err := byChannel[0].CAC()
	if err != nil {
		return err
	}
	ratio, err := cohort.LTVToCAC(ltv, cac)
	if err != nil {
		return err
	}
	payback, err := cohort.Payback(cac, arpa, 0.8)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "ARPA %s, LTV %s at 80%% margin, fully loaded CAC %s: LTV:CAC %.1f, payback %.1f months\n",
		arpa.StringFixed(2), ltv.StringFixed(2), cac.StringFixed(2), ratio, payback)

	return nil
}
