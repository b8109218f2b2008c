package main

import (
	"fmt"
	"io"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/cohort/clv"
)

func init() {
	register(55, "Customers with no contract: BG/NBD and Gamma–Gamma", clvSection)
}

// clvSection summarises the orders of four customers of a parts
// supplier in weeks, with calibration to the end of September 2024, and
// values each over the next 12 months (of 52/12 weeks) at 1 % a month and
// a 30 % margin, with the models Fader, Hardie and Lee (2005) fitted to
// the CDNOW sample (in weeks).
func clvSection(w io.Writer) error {
	orders := map[string][]int{ // days after 2024-01-08 of each order of 100
		"acme": {0, 30, 61, 95, 130, 160, 200, 238, 262},
		"blue": {14, 28, 49},
		"corp": {7, 150},
		"dyna": {35},
	}
	var p clv.Purchases
	start := time.Date(2024, 1, 8, 0, 0, 0, 0, time.UTC)
	for id, days := range orders {
		for _, d := range days {
			if err := p.Add(clv.Transaction{CustomerID: id, At: start.AddDate(0, 0, d), Amount: decimal.NewFromInt(100)}); err != nil {
				return err
			}
		}
	}
	s, err := p.Summary(time.Date(2024, 9, 30, 0, 0, 0, 0, time.UTC), time.Date(2024, 9, 30, 0, 0, 0, 0, time.UTC), 7*24*time.Hour)
	if err != nil {
		return err
	}
	purchases, err := clv.NewBGNBD(0.243, 4.414, 0.793, 2.426)
	if err != nil {
		return err
	}
	spend, err := clv.NewGammaGamma(6.25, 3.74, 15.44)
	if err != nil {
		return err
	}
	v := clv.Valuation{Purchases: purchases, Spend: spend, Periods: 12, Length: 52.0 / 12, Discount: 0.01, Margin: 0.3}
	fmt.Fprintln(w, "customer  x   t_x     T  alive  orders/yr  spend   value")
	for _, c := range s.Customers {
		alive, err := purchases.Alive(c.History)
		if err != nil {
			return err
		}
		n, err := purchases.ConditionalPurchases(c.History, 52)
		if err != nil {
			return err
		}
		z, err := spend.ExpectedValue(c)
		if err != nil {
			return err
		}
		val, err := v.Value(c)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%-8s %2d  %4.1f  %4.1f  %5.2f  %9.2f  %5s  %6s\n", c.CustomerID, c.Frequency, c.Recency, c.Age, alive, n, z.StringFixed(2), val.StringFixed(2))
	}
	return nil
}
