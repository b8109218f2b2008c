package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/kpiflow/kpi/scoring"
)

func init() { register(30, "Scoring: points with their reasons", scoringSection) }

// scoringModel is a lead-scoring model as a service would load it: fit
// and engagement rules, decay of old activity, a cap, grades and an MQL
// rule.
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

// scoringAt is the moment the tour scores its leads at.
var scoringAt = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// quickstartScorer loads and compiles the tour's model.
func quickstartScorer() (*scoring.Scorer, error) {
	var m scoring.Model
	if err := json.Unmarshal([]byte(scoringModel), &m); err != nil {
		return nil, err
	}
	return scoring.Compile(m)
}

// scoringSection loads the model, scores three leads and explains one.
func scoringSection(w io.Writer) error {
	s, err := quickstartScorer()
	if err != nil {
		return err
	}
	at := scoringAt
	ago := func(days int) time.Time { return at.AddDate(0, 0, -days) }
	leads := []scoring.Lead{
		{ID: "ana", Attrs: map[string]any{"title": "VP Marketing", "employees": 250, "email": "ana@acme.io"},
			Events: []scoring.Event{
				{Type: "form_submit", Time: ago(30)},
				{Type: "page_view", Time: ago(14), Props: map[string]any{"url": "/pricing"}},
				{Type: "page_view", Time: ago(0), Props: map[string]any{"url": "/pricing/enterprise"}},
			}},
		{ID: "bob", Attrs: map[string]any{"title": "Student", "email": "bob@gmail.com"},
			Events: []scoring.Event{{Type: "page_view", Time: ago(2), Props: map[string]any{"url": "/blog"}}}},
		{ID: "cy", Attrs: map[string]any{"title": "Head of Growth", "employees": "80"},
			Events: []scoring.Event{{Type: "demo_request", Time: ago(3)}}},
	}
	var r scoring.Result
	for _, lead := range leads {
		s.ScoreTo(&r, lead, at)
		mql := ""
		if r.MQL {
			mql = "  → MQL, hand to sales"
		}
		fmt.Fprintf(w, "%-4s %6.2f  %s%s\n", lead.ID, r.Total, r.Matrix, mql)
	}
	fmt.Fprintln(w, "why ana scored what she did:")
	fmt.Fprintln(w, s.Score(leads[0], at))
	fmt.Fprintln(w, "why cy, with a demo request, is only B1 and no MQL:")
	s.ScoreTo(&r, leads[2], at)
	for _, miss := range r.Misses {
		fmt.Fprintf(w, "  rule %s: %q %s\n", miss.ID, miss.Attr, miss.Reason)
	}
	return nil
}
