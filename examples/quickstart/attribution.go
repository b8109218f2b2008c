package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/attribution"
)

func init() { register(40, "Attribution: which channels earned the deals", attributionSection) }

// attributionJourneys are a quarter's B2B journeys in ChannelAttribution's
// layout: path, deals won, their value, journeys that did not convert.
const attributionJourneys = `path;total_conversions;total_conversion_value;total_null
search > webinar > email;3;72000.00;17
search;1;18000.00;52
events > email > direct;2;66000.00;9
social > webinar;1;15000.00;40
email > direct;1;24000.00;14
`

// attributionSection shares the deals out by first touch, linear and an
// exact Markov model with 95 % bootstrap intervals, asks how sure it is
// that webinar earns more than email, and sets the Markov credit against
// the spend.
func attributionSection(w io.Writer) error {
	js, err := attribution.Read(strings.NewReader(attributionJourneys), attribution.Format{})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d deals worth %s over %d channels, %d journeys without a deal\n",
		js.Conversions(), js.Value().StringFixed(2), len(js.Channels()), js.Nulls())
	var results []*attribution.Result
	markov := attribution.Bootstrap{Model: attribution.Markov{Order: 1}, Seed: 1} // 200 replicates, 95 %
	for _, m := range []attribution.Model{attribution.First{}, attribution.Linear{}, markov} {
		r, err := m.Attribute(js)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	t, err := attribution.NewTable(results...)
	if err != nil {
		return err
	}
	fmt.Fprint(w, t)
	p, err := results[2].ProbGreater("webinar", "email")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "P(webinar earns more deals than email) = %.2f over %d replicates\n", p, results[2].Replicates)

	d := decimal.RequireFromString
	rows, err := results[2].ROI(map[string]decimal.Decimal{
		"search": d("12000"), "webinar": d("9000"), "email": d("3000"), "events": d("15000"), "social": d("6000"),
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Markov credit against spend:")
	for _, r := range rows {
		if !r.ReturnOnSpend.Valid {
			continue
		}
		fmt.Fprintf(w, "  %-8s cost per deal %9s, return %5.2f×, credit %4.1f%% vs spend %4.1f%%\n", r.Channel,
			r.CostPerConversion.Decimal.StringFixed(2), r.ReturnOnSpend.Decimal.InexactFloat64(), 100*r.CreditShare, 100*r.SpendShare)
	}
	return nil
}
