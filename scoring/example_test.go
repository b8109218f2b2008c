package scoring_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/scoring"
)

// demoJSON is a small model: fit and engagement groups, decay, caps,
// grades and an MQL rule.
const demoJSON = `{
  "version": 1,
  "name": "demo",
  "groups": [
    {"name": "fit", "max": 60, "rules": [
      {"id": "title-vp", "points": 20, "when": {"attr": "title", "op": "regex", "value": "\\b(vp|head|chief)\\b", "ignoreCase": true}},
      {"id": "size", "points": 15, "when": {"attr": "employees", "op": "between", "value": [50, 5000]}},
      {"id": "saas", "points": 10, "when": {"attr": "industry", "op": "in", "value": ["SaaS", "Software"]}},
      {"id": "free-mail", "points": -15, "when": {"attr": "email", "op": "regex", "value": "@(gmail|yahoo)\\."}}
    ]},
    {"name": "engagement", "min": 0, "max": 60, "rules": [
      {"id": "demo", "points": 30, "event": {"type": "demo_request", "windowDays": 90}},
      {"id": "form", "points": 10, "event": {"type": "form_submit", "decay": {"kind": "linear", "rate": 0.5, "periodDays": 30}}},
      {"id": "pricing", "points": 3, "maxPoints": 15, "event": {"type": "page_view", "each": true,
        "where": {"attr": "url", "op": "starts_with", "value": "/pricing"}, "decay": {"kind": "exponential", "halfLifeDays": 14}}},
      {"id": "unsubscribed", "points": -20, "event": {"type": "unsubscribe"}}
    ]}
  ],
  "grades": {
    "fit": {"group": "fit", "bands": [{"label": "A", "min": 35}, {"label": "B", "min": 15}, {"label": "C"}]},
    "engagement": {"group": "engagement", "bands": [{"label": "1", "min": 30}, {"label": "2", "min": 10}, {"label": "3"}]}
  },
  "mql": {"minTotal": 50, "cells": ["A1", "A2", "B1"]}
}`

var at = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func daysAgo(d float64) time.Time { return at.Add(-time.Duration(d * 24 * float64(time.Hour))) }

// demoScorer compiles demoJSON.
func demoScorer() *scoring.Scorer {
	var m scoring.Model
	if err := json.Unmarshal([]byte(demoJSON), &m); err != nil {
		panic(err)
	}
	s, err := scoring.Compile(m)
	if err != nil {
		panic(err)
	}
	return s
}

// ana is a VP at a mid-size SaaS company who filled a form a month ago and
// viewed the pricing page three times. By hand, at time at:
//
//	fit:        title-vp 20 + size 15 + saas 10                   = 45 → A
//	form:       10 · max(0, 1 − 0.5·30/30)                          = 5
//	pricing:    3 · (2^(−28/14) + 2^(−14/14) + 2^(−0/14)) = 3 · 1.75 = 5.25
//	engagement: 5 + 5.25                                          = 10.25 → 2
//	total 55.25 ≥ 50 and A2 is an MQL cell → MQL
var ana = scoring.Lead{
	ID:    "ana",
	Attrs: map[string]any{"title": "VP Marketing", "employees": 250, "industry": "SaaS", "email": "ana@example.com"},
	Events: []scoring.Event{
		{Type: "form_submit", Time: daysAgo(30)},
		{Type: "page_view", Time: daysAgo(28), Props: map[string]any{"url": "/pricing"}},
		{Type: "page_view", Time: daysAgo(14), Props: map[string]any{"url": "/pricing"}},
		{Type: "page_view", Time: daysAgo(1), Props: map[string]any{"url": "/blog/funnels"}},
		{Type: "page_view", Time: daysAgo(0), Props: map[string]any{"url": "/pricing/enterprise"}},
	},
}

// ExampleCompile compiles a model built in Go and scores a lead.
func ExampleCompile() {
	m := scoring.Model{
		Version: scoring.Version,
		Groups: []scoring.Group{{
			Name: "fit",
			Rules: []scoring.Rule{
				{ID: "vp", Points: 20, When: &scoring.Condition{Attr: "title", Op: scoring.Contains, Value: "VP"}},
				{ID: "big", Points: 10, When: &scoring.Condition{Attr: "employees", Op: scoring.Gte, Value: 200}},
			},
		}},
	}
	s, err := scoring.Compile(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := s.Score(scoring.Lead{Attrs: map[string]any{"title": "VP Sales", "employees": 120}}, at)
	fmt.Println(r.Total, r.Fired)
	// Output:
	// 20 [true false]
}

// ExampleCompile_errors shows that Compile reports every problem with its
// path in the JSON form.
func ExampleCompile_errors() {
	var m scoring.Model
	err := json.Unmarshal([]byte(`{"version": 1, "groups": [{"name": "fit", "min": 10, "max": 5, "rules": [
		{"id": "a", "points": 5, "when": {"attr": "title", "op": "gte=", "value": "VP"}},
		{"id": "a", "points": 5, "when": {"attr": "employees", "op": "gt", "value": "many"}},
		{"id": "b", "points": 5, "event": {"type": "webinar", "windowDays": -7}}]}]}`), &m)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = scoring.Compile(m)
	fmt.Println(err)
	fmt.Println(errors.Is(err, kpi.ErrInvalid))
	// Output:
	// scoring.Compile: groups[0].min 10: exceeds max 5
	// scoring.Compile: groups[0].rules[0].when.op "gte=": unknown operator
	// scoring.Compile: groups[0].rules[1].id "a": duplicate rule id, first at groups[0].rules[0]
	// scoring.Compile: groups[0].rules[1].when.value many: gt needs a number or an RFC 3339 time
	// scoring.Compile: groups[0].rules[2].event.windowDays -7: want a finite number ≥ 0
	// true
}

// ExampleModel_UnmarshalJSON decodes a model strictly: a misspelt field is
// an error with its path.
func ExampleModel_UnmarshalJSON() {
	var m scoring.Model
	err := json.Unmarshal([]byte(`{"version": 1, "groups": [{"name": "fit", "rules": [
		{"id": "vp", "points": 20, "when": {"attr": "title", "opp": "eq", "value": "VP"}}]}]}`), &m)
	fmt.Println(err)
	err = json.Unmarshal([]byte(demoJSON), &m)
	fmt.Println(err, m.Name, len(m.Groups))
	// Output:
	// scoring.Model.UnmarshalJSON: groups[0].rules[0].when.opp "eq": unknown field
	// <nil> demo 2
}

// ExampleScorer_Score scores a lead and reads its total, group scores,
// grade and MQL verdict.
func ExampleScorer_Score() {
	s := demoScorer()
	r := s.Score(ana, at)
	fmt.Printf("total %.2f, fit %.0f, engagement %.2f\n", r.Total, r.Groups[0].Score, r.Groups[1].Score)
	fmt.Println(r.Fit, r.Engagement, r.Matrix, r.MQL)
	// Output:
	// total 55.25, fit 45, engagement 10.25
	// A 2 A2 true
}

// ExampleScorer_ScoreTo scores many leads with one reused Result, which
// allocates nothing once warm.
func ExampleScorer_ScoreTo() {
	s := demoScorer()
	leads := []scoring.Lead{
		ana,
		{ID: "bob", Attrs: map[string]any{"title": "Student", "email": "bob@gmail.com"}},
		{ID: "cy", Attrs: map[string]any{"title": "Head of Growth", "employees": 80},
			Events: []scoring.Event{{Type: "demo_request", Time: daysAgo(3)}}},
	}
	var r scoring.Result
	for _, l := range leads {
		s.ScoreTo(&r, l, at)
		fmt.Printf("%s %g %s %v\n", l.ID, r.Total, r.Matrix, r.MQL)
	}
	// Output:
	// ana 55.25 A2 true
	// bob -15 C3 false
	// cy 65 A1 true
}

// ExampleScorer_RuleIDs pairs each rule with whether it fired: the
// features for judging rules against outcomes.
func ExampleScorer_RuleIDs() {
	s := demoScorer()
	r := s.Score(ana, at)
	for i, id := range s.RuleIDs() {
		fmt.Println(id, r.Fired[i])
	}
	// Output:
	// title-vp true
	// size true
	// saas true
	// free-mail false
	// demo false
	// form true
	// pricing true
	// unsubscribed false
}

// ExampleResult_String explains a score: every rule that fired, with the
// events behind it, and the data that was missing.
func ExampleResult_String() {
	s := demoScorer()
	lead := ana
	lead.Attrs = map[string]any{"title": "VP Marketing", "employees": "250", "industry": "SaaS"}
	fmt.Println(s.Score(lead, at))
	// Output:
	// total 40.25 · B2
	// fit 30
	//   +20 title-vp
	//   +10 saas
	// engagement 10.25
	//   +5 form: 1 event, raw 10 (event #0)
	//   +5.25 pricing: 3 events, raw 9 (events #1 #2 #4)
	// missed: size: attribute "employees" is a string, want a number
	// missed: free-mail: attribute "email" is missing
}

// ExampleDryRun compares the current model with one that raises the MQL
// threshold, on three leads.
func ExampleDryRun() {
	before := demoScorer()
	var m scoring.Model
	if err := json.Unmarshal([]byte(demoJSON), &m); err != nil {
		fmt.Println(err)
		return
	}
	m.Groups[1].Rules[0].Points = 40 // a demo request is worth more
	threshold := 60.0
	m.MQL.MinTotal = &threshold
	after, err := scoring.Compile(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	leads := []scoring.Lead{
		ana,
		{ID: "bob", Attrs: map[string]any{"title": "Student"}},
		{ID: "cy", Attrs: map[string]any{"title": "Head of Growth", "employees": 80},
			Events: []scoring.Event{{Type: "demo_request", Time: daysAgo(3)}}},
	}
	rep, err := scoring.DryRun(before, after, slices.Values(leads), at, 5)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.MQLBefore, rep.MQLAfter, len(rep.Lost), rep.Lost[0].ID)
	fmt.Println(rep.Largest[0].ID, rep.Largest[0].Before, rep.Largest[0].After)
	// Output:
	// 2 1 1 ana
	// cy 65 75
}

// ExampleReport_String prints a dry run's summary.
func ExampleReport_String() {
	rep := &scoring.Report{
		Leads: 3, Changed: 1, MQLBefore: 2, MQLAfter: 1,
		Lost:    []scoring.Change{{Index: 0, ID: "ana", Before: 55.5, After: 55.5, BeforeMQL: true}},
		Largest: []scoring.Change{{Index: 2, ID: "cy", Before: 65, After: 75, BeforeMQL: true, AfterMQL: true}},
	}
	fmt.Println(rep)
	// Output:
	// 3 leads, 1 scores changed; MQLs 2 → 1 (+0 gained, -1 lost)
	// lost: ana (55.5 → 55.5)
	// largest changes: cy +10 (65 → 75)
}
