package scoring_test

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/kpiflow/kpi/scoring"
)

// FuzzModel decodes arbitrary bytes as a model and, when that works,
// compiles it and scores a few leads: nothing may panic, a compiled model
// must score to finite numbers, and a decoded model must round-trip.
func FuzzModel(f *testing.F) {
	f.Add([]byte(demoJSON))
	f.Add([]byte(`{"version": 1, "groups": [{"name": "g", "rules": [{"id": "a", "points": 1, "when": {"attr": "x", "op": "regex", "value": "(["}}]}]}`))
	f.Add([]byte(`{"version": 1, "groups": [{"name": "g", "max": 3, "rules": [{"id": "a", "points": 1e12, "event": {"type": "page_view", "each": true, "maxCount": 2,
		"decay": {"kind": "exponential", "halfLifeDays": 1e-300, "stepped": true}}}]}], "mql": {"minTotal": 1}}`))
	f.Add([]byte(`{"version": 1, "groups": [{"name": "g", "rules": [{"id": "a", "points": -1, "when": {"attr": "employees", "op": "between", "value": ["2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"]}}]}]}`))
	f.Add([]byte(`{"version": 1, "groups": [{"name": "g", "rules": [{"id": "a", "points": 1, "when": {"any": [{"attr": "title", "op": "in", "value": ["a","b","c","d","e","f","g","h","i"]}, {"not": {"attr": "tags", "op": "ne", "value": "emea"}}]}}]}]}`))
	f.Add([]byte(`{"version": 1, "groups": []} trailing`))
	f.Add([]byte(`{"version": 1, "Groups": [{"name": "g"}]}`))
	f.Add([]byte(`null`))
	leads := []scoring.Lead{ana, benchLead(), {}, {Attrs: map[string]any{"employees": math.NaN(), "title": []any{nil, 3, "VP"}}}}
	f.Fuzz(func(t *testing.T, data []byte) {
		var m scoring.Model
		if err := json.Unmarshal(data, &m); err != nil {
			return
		}
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		var back scoring.Model
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("round trip of %s: %v", out, err)
		}
		s, err := scoring.Compile(m)
		if err != nil {
			return
		}
		var r scoring.Result
		for _, l := range leads {
			s.ScoreTo(&r, l, at)
			if math.IsNaN(r.Total) || math.IsInf(r.Total, 0) {
				t.Fatalf("total %v for %s", r.Total, data)
			}
			_ = r.String()
		}
	})
}

// FuzzLead decodes arbitrary bytes as a lead and scores it under the demo
// and benchmark models: nothing may panic and totals stay finite.
func FuzzLead(f *testing.F) {
	f.Add([]byte(`{"id": "L-17", "attrs": {"title": "VP Marketing", "employees": 250, "tags": ["emea"]},
		"events": [{"type": "page_view", "time": "2026-05-30T09:12:00Z", "props": {"url": "/pricing"}}]}`))
	f.Add([]byte(`{"attrs": {"employees": "250", "email": null, "industry": ["SaaS", 3]}, "events": [{"type": "demo_request", "time": "0001-01-01T00:00:00Z"}]}`))
	f.Add([]byte(`{"events": [{"type": "form_submit", "time": "9999-12-31T23:59:59Z"}, {"type": "page_view", "time": "2026-06-01T00:00:00Z", "props": {"url": ["/pricing"]}}]}`))
	f.Add([]byte(`{"attrs": {"created": "2026-02-03T10:00:00+02:00", "revenue": 1e308, "title": {"a": 1}}}`))
	demo := demoScorer()
	bench, err := scoring.Compile(benchModel())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var l scoring.Lead
		if err := json.Unmarshal(data, &l); err != nil {
			return
		}
		for _, s := range []*scoring.Scorer{demo, bench} {
			for _, when := range []time.Time{at, {}, time.Unix(1<<40, 0)} {
				r := s.Score(l, when)
				if math.IsNaN(r.Total) || math.IsInf(r.Total, 0) {
					t.Fatalf("total %v", r.Total)
				}
				_ = r.String()
			}
		}
	})
}

// FuzzCondition builds one condition from fuzzed parts — operator, value
// as a string, a number or a list, case folding — compiles it and tests it
// on attributes of every supported type: nothing may panic, and a rule
// that does not fire for lack of data says why.
func FuzzCondition(f *testing.F) {
	f.Add("eq", "VP", 1.0, 0, false)
	f.Add("regex", "(?i)^v", 2.0, 0, true)
	f.Add("between", "2026-01-01T00:00:00Z", 3.0, 2, false)
	f.Add("in", "a", math.NaN(), 1, true)
	f.Add("gt", "2026-02-03T10:00:00+01:00", 250.0, 0, false)
	f.Add("not_in", "", math.Inf(1), 3, false)
	f.Add("contains", "ß", -1.0, 0, true)
	attrs := map[string]any{
		"s": "VP Marketing", "n": 250, "f": 2.5, "b": true, "t": at, "ts": "2026-02-03T10:00:00Z",
		"l": []string{"a", "B"}, "la": []any{"a", 1.0, nil, []any{}}, "li": []int{1, 2}, "lf": []float64{math.NaN()},
		"nil": nil, "e": "", "nan": math.NaN(), "x": struct{}{}, "u": "straße",
	}
	f.Fuzz(func(t *testing.T, op, s string, x float64, shape int, fold bool) {
		var v any
		switch shape % 4 {
		case 0:
			v = s
		case 1:
			v = x
		case 2:
			v = []any{s, x}
		default:
			v = []any{s, s + "z"}
		}
		for attr := range attrs {
			c := scoring.Condition{Attr: attr, Op: scoring.Op(op), Value: v, IgnoreCase: fold}
			sc, err := scoring.Compile(scoring.Model{Version: 1, Groups: []scoring.Group{{Name: "g", Rules: []scoring.Rule{{ID: "r", Points: 1, When: &c}}}}})
			if err != nil {
				return
			}
			r := sc.Score(scoring.Lead{Attrs: attrs}, at)
			if r.Fired[0] != (r.Total == 1) {
				t.Fatalf("fired %v with total %v", r.Fired[0], r.Total)
			}
			for _, m := range r.Misses {
				if m.Reason == "" || m.Attr != attr {
					t.Fatalf("miss %+v", m)
				}
			}
		}
	})
}
