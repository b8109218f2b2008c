// Package scoring scores leads by rules, the way marketing-automation tools
// (HubSpot, Marketo, Pardot, Mautic) do: points for who a lead is (fit:
// title, industry, company size) and for what it does (engagement: forms,
// webinars, downloads, page views), with decay of old activity, caps, A/B/C
// and 1/2/3 grades, an MQL rule, and an explanation of every point.
//
// A Model is plain data that round-trips through encoding/json. Compile
// checks it — reporting every problem with its path — and returns a Scorer,
// which is immutable, safe for concurrent use, and fast:
//
//	s, err := scoring.Compile(model)
//	r := s.Score(lead, time.Now()) // or s.ScoreTo(&r, lead, at) in a loop
//	fmt.Println(r.Total, r.Matrix, r.MQL)
//	fmt.Println(r)                 // the explanation
//
// Scoring has no clock of its own: the caller passes the scoring time, so a
// lead can be re-scored as of any date and results are reproducible. DryRun
// scores a set of leads under two models and reports who gains or loses MQL
// status. Result.Fired tells, per rule, whether it fired: the features for
// judging or fitting rules from outcomes.
//
// Scoring a lead with 50 events under 30 rules (20 conditions, 10 event
// criteria) takes about 2 µs, and ScoreTo allocates nothing when it reuses
// a Result (BenchmarkScoreTo); compiling such a model takes about 50 µs
// (BenchmarkCompile).
//
// # Judging a model by outcomes
//
// Given each lead's score and whether it converted (became an opportunity
// or a deal), Evaluate measures how well the scores rank leads: AUC (ties
// count half, as in scikit-learn's roc_auc_score), Gini, KS, average
// precision, a gain and lift table by decile, and the conversion rate
// per score band as a kpi.Rate with its interval. Brier and Reliability
// judge predicted probabilities. A lead is selected at a threshold when
// its score reaches it, as with mql.minTotal; At gives the confusion
// matrix there, and Youden, MinCost and Capacity choose a threshold by
// Youden's J, by the costs of false positives and misses, or by how many
// leads sales can work. Learn fits a logistic regression of the outcomes
// on which rules fired and suggests points for each rule; Fit.Holdout
// compares the suggestion with the current points on held-out leads.
//
//	e, err := scoring.Evaluate(scores, converted)
//	fmt.Println(e.AUC())
//	cut, err := e.Capacity(400) // the threshold for 400 leads a month
//	fit, err := scoring.Learn(s, slices.Values(train), 1e-3)
//	cur, sug, err := fit.Holdout(slices.Values(test))
//
// Evaluating 10 million scores (AUC, KS and deciles) takes about 0.4 s on
// one core with a radix sort and no allocation per lead
// (BenchmarkEvaluate); learning 20 rules from a million leads, scoring
// included, about 3 s (BenchmarkLearn), allocating once per distinct
// pattern of fired rules.
//
// # How a score is computed
//
// Each rule that fires contributes points. A condition rule contributes its
// points; an event rule contributes its points once (for the most recent
// matching event) or per matching event, each scaled by its decay factor:
//
//	contribution = clamp(points · Σ decay(age of event), −maxPoints, maxPoints)
//
// A group's score is the sum of its contributions clamped to the group's
// [min, max]; the total is the sum of the group scores clamped to the
// model's [min, max]. Grades map a group score to the label of the first
// band whose min it reaches; the matrix label joins the fit and engagement
// labels. A lead is an MQL when its total reaches mql.minTotal (if given)
// and its matrix label is one of mql.cells (if given).
//
// Missing or mistyped data never fail scoring: the condition on them is
// false, and Result.Misses says which attribute and why. Every comparison
// except exists and missing is false on a missing attribute, so "ne" and
// "not_in" need the attribute to be present; wrap a condition in "not" for
// the opposite reading.
//
// # Model JSON format (version 1)
//
// Decoding is strict: unknown fields at any level are errors, and field
// names are matched exactly. Numbers are JSON numbers; ages and windows are
// in days of 24 hours.
//
//	Model {
//	  "version":  1                       required, must be 1
//	  "name":     string                  optional
//	  "groups":   [Group, …]              required, at least one
//	  "min":      number                  optional floor on the total
//	  "max":      number                  optional cap on the total
//	  "grades":   Grades                  optional
//	  "mql":      MQL                     optional
//	}
//	Group {
//	  "name":     string                  required, unique ("fit", "engagement", …)
//	  "rules":    [Rule, …]
//	  "min", "max": number                optional clamp of the group score
//	}
//	Rule {
//	  "id":        string                 required, unique in the model
//	  "points":    number                 within ±1e12, may be negative
//	  "when":      Condition              a condition on the lead's attributes, or
//	  "event":     Criterion              a criterion on its events (exactly one)
//	  "maxPoints": number ≥ 0             optional cap on |contribution|
//	}
//	Condition — exactly one of:
//	  {"all": [Condition, …]}             every one holds
//	  {"any": [Condition, …]}             at least one holds
//	  {"not": Condition}                  does not hold
//	  {"attr": string, "op": Op, "value": Value, "ignoreCase": bool}
//	Op and its value:
//	  "eq", "ne"                          string, number, boolean or RFC 3339 time
//	  "in", "not_in"                      non-empty list of strings, or of numbers
//	  "contains", "starts_with"           string
//	  "regex"                             string, RE2 syntax (package regexp)
//	  "gt", "gte", "lt", "lte"            number, or RFC 3339 time string
//	  "between"                           [lo, hi], both numbers or both times, lo ≤ hi, inclusive
//	  "exists", "missing"                 no value; "" and [] count as missing
//	  "ignoreCase" applies to the string operators.
//	Criterion {
//	  "type":       string                required event type, compared exactly
//	  "where":      Condition             optional, on the event's props
//	  "windowDays": number ≥ 0            only events at most this old; 0 or absent: any age
//	  "each":       bool                  points per event; false: once, for the most recent
//	  "maxCount":   integer ≥ 0           with each: count the maxCount most recent only
//	  "decay":      Decay                 optional
//	}
//	Decay — one of:
//	  {"kind": "linear", "rate": (0, 1], "periodDays": > 0, "stepped": bool}
//	      factor = max(0, 1 − rate · age/periodDays)
//	  {"kind": "exponential", "halfLifeDays": > 0, "stepped": bool}
//	      factor = 2^(−age/halfLifeDays)
//	  stepped: age/period is rounded down to whole periods.
//	Grades {
//	  "fit":        Scale                 optional
//	  "engagement": Scale                 optional (at least one of the two)
//	}
//	Scale {
//	  "group": string                     a group's name
//	  "bands": [{"label": string, "min": number}, …, {"label": string}]
//	      highest first, mins strictly decreasing; the last band has no min
//	}
//	MQL {
//	  "minTotal": number                  optional
//	  "cells":    [string, …]             optional matrix labels such as "A1"
//	}                                     at least one of the two
//
// An example:
//
//	{"version": 1, "groups": [
//	  {"name": "fit", "rules": [
//	    {"id": "vp", "points": 20, "when": {"attr": "title", "op": "contains", "value": "vp", "ignoreCase": true}},
//	    {"id": "size", "points": 10, "when": {"attr": "employees", "op": "between", "value": [50, 5000]}}]},
//	  {"name": "engagement", "max": 50, "rules": [
//	    {"id": "form", "points": 10, "event": {"type": "form_submit",
//	      "decay": {"kind": "linear", "rate": 0.5, "periodDays": 30}}},
//	    {"id": "pricing", "points": 3, "maxPoints": 15, "event": {"type": "page_view", "each": true,
//	      "where": {"attr": "url", "op": "starts_with", "value": "/pricing"}}}]}],
//	 "mql": {"minTotal": 40}}
//
// # Lead JSON format
//
// A Lead decodes from JSON without custom code; attribute and property
// values are strings, numbers, booleans, null, lists, or RFC 3339 strings
// for times:
//
//	{"id": "L-17",
//	 "attrs": {"title": "VP Marketing", "employees": 250, "tags": ["emea"]},
//	 "events": [{"type": "page_view", "time": "2026-05-30T09:12:00Z",
//	             "props": {"url": "/pricing"}}]}
//
// # Errors
//
// Compile returns every problem joined with errors.Join; each is a
// *kpi.Error whose Arg is the JSON path of the field, and each wraps
// kpi.ErrInvalid.
//
// # Results in JSON
//
// The results use the model's camelCase keys (see package kpi for the
// conventions), pinned by the golden files in testdata/:
//
//	Result        {"total", "groups": [{"name", "raw", "score"}], "fit",
//	               "engagement", "matrix", "mql", "contributions": [{"rule",
//	               "id", "group", "count", "raw", "points", "events"}],
//	               "misses": [{"rule", "id", "attr", "event", "reason"}]}
//	Evaluation    {"leads", "converted", "auc", "gini", "ks", "ksThreshold",
//	               "averagePrecision", "youden": Cut}
//	Cut           {"threshold" (null at +Inf), "tp", "fp", "fn", "tn", "tied"}
//	Gain          {"start", "leads", "maxScore", "minScore", "converted",
//	               "rate", "lift", "gain", "cumLift"}
//	ScoreBand     {"min" (null at −Inf), "max" (null at +Inf), "rate": Rate,
//	               "interval": Interval (its lo, hi, level and method)}
//	Calibration   {"lo", "hi", "predicted", "rate": Rate}
//	Report        {"leads", "changed", "mqlBefore", "mqlAfter", "gained",
//	               "lost", "largest": [Change]}
//	Change        {"index", "id", "before", "after", "beforeMatrix",
//	               "afterMatrix", "beforeMQL", "afterMQL"}
//	Fit           {"rules": [{"id", "fired", "coef", "se", "points",
//	               "suggested"}], "intercept", "interceptSE", "lambda",
//	               "leads", "converted", "covariance": [[...], ...]}
//	               decodes too, checked as Learn makes fits
//	Outcome       {"lead": Lead, "at": RFC 3339 time, "converted"}
//	RuleInterval  {"id", "coef": Interval, "suggestedSE", "suggested": Interval}
//
// The tables write CSV under the same keys with WriteCSV(w io.Writer):
// Gains (Evaluation.Gains), ScoreBands (Bands, QuantileBands) and
// Calibrations (Reliability); an undefined cell is empty, never 0.
package scoring
