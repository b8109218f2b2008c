package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
	"github.com/kpiflow/kpi/chart"
	"github.com/kpiflow/kpi/cohort"
	"github.com/kpiflow/kpi/funnel"
	"github.com/kpiflow/kpi/scoring"
)

// The data of the report are the quickstart's (examples/quickstart in the
// core module): its month of a funnel with the agreed targets, its four
// monthly cohorts, its scoring model judged on 4000 past leads, and its
// quarter of journeys with their spend. Only the twelve weeks of MQL→SQL
// are the report's own: the quickstart shows one month against the last.

// month is the quickstart's month of the funnel, and sla its targets.
var (
	stages = []funnel.Stage{{Name: "Visit", Count: 12000}, {Name: "Lead", Count: 240}, {Name: "MQL", Count: 96},
		{Name: "SQL", Count: 40}, {Name: "Opportunity", Count: 25}, {Name: "Won", Count: 6}}
	sla      = funnel.Targets{"Lead": 0.025, "MQL": 0.4, "SQL": 0.5, "Opportunity": 0.6, "Won": 0.25}
	dealSize = decimal.NewFromInt(24000)
)

// weekly are twelve weeks of MQLs and of those that became SQLs, the last
// two still inside the 14-day window in which an MQL is accepted.
var weekly = [][2]int64{{24, 10}, {22, 9}, {25, 11}, {21, 8}, {23, 10}, {26, 11}, {22, 9}, {24, 9}, {23, 10}, {24, 8}, {25, 6}, {22, 3}}

// weeks returns the twelve weeks as chart periods.
func weeks() ([]chart.Period, error) {
	ps := make([]chart.Period, len(weekly))
	for i, w := range weekly {
		r, err := kpi.NewRate(w[1], w[0])
		if err != nil {
			return nil, err
		}
		ps[i] = chart.Period{Label: fmt.Sprintf("W%d", 3+i), Rate: r, Immature: i >= len(weekly)-2}
	}
	return ps, nil
}

// cohorts builds the quickstart's table: four monthly cohorts of ten
// customers through April 2024; customer i stays stay[i] months (0: still
// paying), and the first of each cohort upgrades from its second month.
func cohorts() (*cohort.Table, error) {
	b, err := cohort.NewBuilder(cohort.Month)
	if err != nil {
		return nil, err
	}
	stay := []int{1, 1, 2, 3, 0, 0, 0, 0, 0, 0}
	for c := range 4 {
		start := time.Date(2024, time.Month(1+c), 1, 0, 0, 0, 0, time.UTC)
		for i, n := range stay {
			id := fmt.Sprintf("c%d-%d", c, i)
			if err := b.Add(cohort.Customer{ID: id, Acquired: start}); err != nil {
				return nil, err
			}
			if n == 0 {
				n = 4 - c
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
	return b.Table(time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC))
}

// scoringModel is the quickstart's lead-scoring model.
const scoringModel = `{
  "version": 1,
  "groups": [
    {"name": "fit", "rules": [
      {"id": "title-vp", "points": 20, "when": {"attr": "title", "op": "regex", "value": "\\b(vp|head|chief)\\b", "ignoreCase": true}},
      {"id": "size", "points": 15, "when": {"attr": "employees", "op": "between", "value": [50, 5000]}},
      {"id": "free-mail", "points": -15, "when": {"attr": "email", "op": "regex", "value": "@(gmail|yahoo)\\."}}
    ]},
    {"name": "engagement", "min": 0, "max": 60, "rules": [
      {"id": "demo", "points": 30, "event": {"type": "demo_request", "windowDays": 90}},
      {"id": "form", "points": 10, "event": {"type": "form_submit", "decay": {"kind": "linear", "rate": 0.5, "periodDays": 30}}},
      {"id": "pricing", "points": 3, "maxPoints": 15, "event": {"type": "page_view", "each": true,
        "where": {"attr": "url", "op": "starts_with", "value": "/pricing"}, "decay": {"kind": "exponential", "halfLifeDays": 14}}}
    ]}
  ],
  "grades": {
    "fit": {"group": "fit", "bands": [{"label": "A", "min": 30}, {"label": "B", "min": 15}, {"label": "C"}]},
    "engagement": {"group": "engagement", "bands": [{"label": "1", "min": 30}, {"label": "2", "min": 5}, {"label": "3"}]}
  },
  "mql": {"minTotal": 40, "cells": ["A1", "A2"]}
}`

// evaluation scores the quickstart's 4000 past leads (the same seed and
// propensity as its evaluate section) and measures the score against
// what became of them.
func evaluation() (*scoring.Evaluation, error) {
	var m scoring.Model
	if err := json.Unmarshal([]byte(scoringModel), &m); err != nil {
		return nil, err
	}
	s, err := scoring.Compile(m)
	if err != nil {
		return nil, err
	}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(2026, 6))
	scores, won := make([]float64, 4000), make([]bool, 4000)
	var r scoring.Result
	for i := range scores {
		lead, eta := pastLead(rng, at)
		s.ScoreTo(&r, lead, at)
		scores[i], won[i] = r.Total, rng.Float64() < 1/(1+math.Exp(-eta))
	}
	return scoring.Evaluate(scores, won)
}

// pastLead draws one lead as the quickstart does, with the log-odds of
// its becoming an opportunity.
func pastLead(rng *rand.Rand, at time.Time) (scoring.Lead, float64) {
	ago := func(days float64) time.Time { return at.Add(-time.Duration(days * 24 * float64(time.Hour))) }
	attrs := map[string]any{"title": "Manager", "employees": 20, "email": "x@corp.example"}
	eta := -3.2
	if u := rng.Float64(); u < 0.25 {
		attrs["title"], eta = "VP Sales", eta+0.9
	} else if u > 0.8 {
		attrs["title"] = "Student"
	}
	if rng.Float64() < 0.6 {
		attrs["employees"], eta = 50+rng.IntN(4000), eta+0.7
	}
	if rng.Float64() < 0.2 {
		attrs["email"], eta = "x@gmail.com", eta-1.2
	}
	var events []scoring.Event
	if rng.Float64() < 0.15 {
		events = append(events, scoring.Event{Type: "demo_request", Time: ago(rng.Float64() * 80)})
		eta += 2.2
	}
	if rng.Float64() < 0.4 {
		events = append(events, scoring.Event{Type: "form_submit", Time: ago(rng.Float64() * 60)})
		eta += 0.1
	}
	views := rng.IntN(5)
	for range views {
		events = append(events, scoring.Event{Type: "page_view", Time: ago(rng.Float64() * 30), Props: map[string]any{"url": "/pricing"}})
	}
	return scoring.Lead{Attrs: attrs, Events: events}, eta + 0.5*float64(min(views, 3))
}

// journeys are the quickstart's quarter of B2B journeys, and spend what
// each channel cost.
const journeys = `path;total_conversions;total_conversion_value;total_null
search > webinar > email;3;72000.00;17
search;1;18000.00;52
events > email > direct;2;66000.00;9
social > webinar;1;15000.00;40
email > direct;1;24000.00;14
`

var spend = map[string]decimal.Decimal{"search": decimal.NewFromInt(12000), "webinar": decimal.NewFromInt(9000),
	"email": decimal.NewFromInt(3000), "events": decimal.NewFromInt(15000), "social": decimal.NewFromInt(6000)}

// attributionResults shares the deals out by first touch, linear and
// first-order Markov, as the quickstart does.
func attributionResults() ([]*attribution.Result, error) {
	js, err := attribution.Read(strings.NewReader(journeys), attribution.Format{})
	if err != nil {
		return nil, err
	}
	var rs []*attribution.Result
	for _, m := range []attribution.Model{attribution.First{}, attribution.Linear{}, attribution.Markov{Order: 1}} {
		r, err := m.Attribute(js)
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	return rs, nil
}
