package scoring_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/scoring"
)

// TestUnmarshalJSON decodes valid models and checks that they round-trip:
// decode, encode, decode again gives the same model.
func TestUnmarshalJSON(t *testing.T) {
	rows := []struct {
		name   string
		in     string
		groups int
		rules  int
	}{
		{"demo", demoJSON, 2, 8},
		{"minimal", `{"version": 1, "groups": [{"name": "g", "rules": []}]}`, 1, 0},
		{"every field", `{"version": 1, "name": "n", "min": -10, "max": 100,
			"groups": [{"name": "fit", "min": 0, "max": 50, "rules": [
				{"id": "a", "points": 1.5, "maxPoints": 3, "when": {"all": [{"attr": "x", "op": "eq", "value": "y", "ignoreCase": true}, {"not": {"any": [{"attr": "z", "op": "exists"}]}}]}},
				{"id": "b", "points": -2, "event": {"type": "t", "where": {"attr": "p", "op": "in", "value": [1, 2]}, "windowDays": 7, "each": true, "maxCount": 3,
					"decay": {"kind": "linear", "rate": 0.25, "periodDays": 7, "stepped": true}}}]},
				{"name": "engagement", "rules": [{"id": "c", "points": 1, "event": {"type": "u", "decay": {"kind": "exponential", "halfLifeDays": 3}}}]}],
			"grades": {"fit": {"group": "fit", "bands": [{"label": "A", "min": 10}, {"label": "B"}]}, "engagement": {"group": "engagement", "bands": [{"label": "1"}]}},
			"mql": {"minTotal": 5, "cells": ["A1"]}}`, 2, 3},
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			var m scoring.Model
			require.NoError(t, m.UnmarshalJSON([]byte(tc.in)))
			assert.Equal(t, scoring.Version, m.Version)
			require.Len(t, m.Groups, tc.groups)
			n := 0
			for _, g := range m.Groups {
				n += len(g.Rules)
			}
			assert.Equal(t, tc.rules, n)
			_, err := scoring.Compile(m)
			require.NoError(t, err)

			out, err := json.Marshal(m)
			require.NoError(t, err)
			var back scoring.Model
			require.NoError(t, json.Unmarshal(out, &back))
			assert.Equal(t, m, back)
			again, err := json.Marshal(back)
			require.NoError(t, err)
			assert.JSONEq(t, string(out), string(again))
		})
	}
}

// TestUnmarshalJSONErrors checks strict decoding: every unknown field is
// named by its path, and syntax, type and version errors are reported.
func TestUnmarshalJSONErrors(t *testing.T) {
	rows := []struct {
		name string
		in   string
		want []string
	}{
		{"syntax", `{"version": 1,`, []string{"scoring.Model.UnmarshalJSON: input {\"version\": 1,: unexpected end of JSON input"}},
		{"not an object", `[1, 2]`, []string{"cannot unmarshal array"}},
		{"unknown top-level field", `{"version": 1, "groups": [], "extra": 1}`, []string{"extra 1: unknown field"}},
		{"unknown nested fields", `{"version": 1, "groups": [{"name": "g", "rules": [{"id": "a", "points": 1, "when": {"attr": "x", "opp": "eq"}},
			{"id": "b", "points": 1, "event": {"type": "t", "decay": {"kind": "linear", "halflife": 3}}}]}]}`,
			[]string{"groups[0].rules[0].when.opp \"eq\": unknown field", "groups[0].rules[1].event.decay.halflife 3: unknown field"}},
		{"field names are case-sensitive", `{"Version": 1, "groups": []}`, []string{"Version 1: unknown field"}},
		// Issue 13's probe: encoding/json let the last of a repeated key win.
		{"a key given twice", `{"version": 1, "groups": [], "groups": [{"name": "g"}]}`, []string{`scoring.Model.UnmarshalJSON: input "groups": repeated key`}},
		{"a nested key given twice", `{"version": 1, "groups": [{"name": "g", "rules": [{"id": "a", "id": "b", "points": 1}]}]}`, []string{`groups[0].rules[0] "id": repeated key`}},
		{"a condition value's key given twice", `{"version": 1, "groups": [{"name": "g", "rules": [{"id": "a", "points": 1, "when": {"attr": "x", "op": "eq", "value": {"k": 1, "k": 2}}}]}]}`, []string{`groups[0].rules[0].when.value "k": repeated key`}},
		{"wrong type", `{"version": 1, "groups": [{"name": "g", "rules": [{"id": "a", "points": "ten"}]}]}`,
			[]string{"groups.rules.points string"}},
		{"version missing", `{"groups": []}`, []string{"version 0: unsupported, want 1"}},
		{"version 2", `{"version": 2, "groups": []}`, []string{"version 2: unsupported, want 1"}},
		{"fractional count", `{"version": 1, "groups": [{"name": "g", "rules": [{"id": "a", "points": 1, "event": {"type": "t", "maxCount": 1.5}}]}]}`,
			[]string{"groups.rules.event.maxCount number 1.5"}},
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			var m scoring.Model
			err := m.UnmarshalJSON([]byte(tc.in))
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Equal(t, scoring.Model{}, m, "the model is untouched")
		})
	}
}

// TestCompileErrors checks that Compile reports each problem with its path;
// each row's model has the problems named in want and no others.
func TestCompileErrors(t *testing.T) {
	ok := func() *scoring.Condition { return &scoring.Condition{Attr: "a", Op: scoring.Exists} }
	group := func(rules ...scoring.Rule) scoring.Model {
		return scoring.Model{Version: 1, Groups: []scoring.Group{{Name: "g", Rules: rules}}}
	}
	cond := func(c scoring.Condition) scoring.Model {
		return group(scoring.Rule{ID: "r", Points: 1, When: &c})
	}
	crit := func(c scoring.Criterion) scoring.Model {
		return group(scoring.Rule{ID: "r", Points: 1, Event: &c})
	}
	graded := func(g *scoring.Grades, q *scoring.MQL) scoring.Model {
		m := group(scoring.Rule{ID: "r", Points: 1, When: ok()})
		m.Grades, m.MQL = g, q
		return m
	}
	fit := &scoring.Scale{Group: "g", Bands: []scoring.Band{{Label: "A", Min: fp(10)}, {Label: "B"}}}
	eng := &scoring.Scale{Group: "g", Bands: []scoring.Band{{Label: "1"}}}
	rows := []struct {
		name  string
		model scoring.Model
		want  []string
	}{
		{"version and no groups", scoring.Model{}, []string{"version 0: unsupported, want 1", "groups 0: a model needs at least one group"}},
		{"total bounds", scoring.Model{Version: 1, Groups: []scoring.Group{{Name: "g"}}, Min: fp(5), Max: fp(math.NaN())},
			[]string{"max NaN: not a finite number"}},
		{"total min above max", scoring.Model{Version: 1, Groups: []scoring.Group{{Name: "g"}}, Min: fp(5), Max: fp(1)},
			[]string{"scoring.Compile: min 5: exceeds max 1"}},
		{"group names", scoring.Model{Version: 1, Groups: []scoring.Group{{Name: ""}, {Name: "a"}, {Name: "a", Min: fp(math.Inf(-1))}}},
			[]string{`groups[0].name "": missing group name`, `groups[2].name "a": duplicate group name`, "groups[2].min -Inf: not a finite number"}},
		{"rule ids", group(scoring.Rule{Points: 1, When: ok()}, scoring.Rule{ID: "x", When: ok()}, scoring.Rule{ID: "x", When: ok()}),
			[]string{`groups[0].rules[0].id "": missing rule id`, `groups[0].rules[2].id "x": duplicate rule id, first at groups[0].rules[1]`}},
		{"points NaN", group(scoring.Rule{ID: "r", Points: math.NaN(), When: ok()}), []string{"groups[0].rules[0].points NaN: want a finite number within ±1e12"}},
		{"points too large", group(scoring.Rule{ID: "r", Points: -2e12, When: ok()}), []string{"groups[0].rules[0].points -2e+12"}},
		{"maxPoints negative", group(scoring.Rule{ID: "r", Points: 1, MaxPoints: fp(-1), When: ok()}), []string{"groups[0].rules[0].maxPoints -1: want a finite number ≥ 0"}},
		{"neither when nor event", group(scoring.Rule{ID: "r", Points: 1}), []string{"groups[0].rules[0] r: want exactly one of when and event"}},
		{"both when and event", group(scoring.Rule{ID: "r", Points: 1, When: ok(), Event: &scoring.Criterion{Type: "t"}}), []string{"want exactly one of when and event"}},
		{"empty condition", cond(scoring.Condition{}), []string{"groups[0].rules[0].when 0: want exactly one of all, any, not, or attr with op"}},
		{"two forms", cond(scoring.Condition{Attr: "a", Op: scoring.Exists, Not: ok()}), []string{"when 2: want exactly one"}},
		{"unknown operator", cond(scoring.Condition{Attr: "a", Op: "gte="}), []string{`groups[0].rules[0].when.op "gte=": unknown operator`}},
		{"missing attribute name", cond(scoring.Condition{Op: scoring.Eq, Value: "x"}), []string{`when.attr "": missing attribute name`}},
		{"nested path", cond(scoring.Condition{All: []scoring.Condition{*ok(), {Any: []scoring.Condition{*ok(), {Not: &scoring.Condition{Attr: "b", Op: "like"}}}}}}),
			[]string{`groups[0].rules[0].when.all[1].any[1].not.op "like": unknown operator`}},
		{"exists with a value", cond(scoring.Condition{Attr: "a", Op: scoring.Exists, Value: 1}), []string{"when.value 1: exists takes no value"}},
		{"eq without value", cond(scoring.Condition{Attr: "a", Op: scoring.Eq}), []string{"when.value null: missing value"}},
		{"eq NaN", cond(scoring.Condition{Attr: "a", Op: scoring.Eq, Value: math.Inf(1)}), []string{"when.value +Inf: not a finite number"}},
		{"eq unsupported type", cond(scoring.Condition{Attr: "a", Op: scoring.Eq, Value: map[string]any{}}), []string{"unsupported value type map[string]interface {}"}},
		{"contains a number", cond(scoring.Condition{Attr: "a", Op: scoring.Contains, Value: 5}), []string{"when.value 5: contains needs a string"}},
		{"bad regex", cond(scoring.Condition{Attr: "a", Op: scoring.Regex, Value: "(["}), []string{`when.value "([": error parsing regexp: missing closing ]`}},
		{"gt a string", cond(scoring.Condition{Attr: "a", Op: scoring.Gt, Value: "many"}), []string{"when.value many: gt needs a number or an RFC 3339 time"}},
		{"gt a bool", cond(scoring.Condition{Attr: "a", Op: scoring.Lte, Value: true}), []string{"when.value true: lte needs a number or an RFC 3339 time"}},
		{"between not a pair", cond(scoring.Condition{Attr: "a", Op: scoring.Between, Value: []int{1}}), []string{"between needs a list of two values, [lo, hi]"}},
		{"between scalar", cond(scoring.Condition{Attr: "a", Op: scoring.Between, Value: 3}), []string{"when.value 3: between needs a list"}},
		{"between number and time", cond(scoring.Condition{Attr: "a", Op: scoring.Between, Value: []any{1, "2026-01-01T00:00:00Z"}}), []string{"between compares a number with a time"}},
		{"between reversed", cond(scoring.Condition{Attr: "a", Op: scoring.Between, Value: []any{5, 1}}), []string{"when.value [5 1]: lo exceeds hi"}},
		{"between times reversed", cond(scoring.Condition{Attr: "a", Op: scoring.Between, Value: []any{"2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z"}}), []string{"lo exceeds hi"}},
		{"between a bad bound", cond(scoring.Condition{Attr: "a", Op: scoring.Between, Value: []any{1, "x"}}), []string{"when.value[1] x: between needs a number or an RFC 3339 time"}},
		{"in empty", cond(scoring.Condition{Attr: "a", Op: scoring.In, Value: []any{}}), []string{"when.value []: in needs a non-empty list"}},
		{"in scalar", cond(scoring.Condition{Attr: "a", Op: scoring.NotIn, Value: "x"}), []string{"not_in needs a non-empty list"}},
		{"in mixed", cond(scoring.Condition{Attr: "a", Op: scoring.In, Value: []any{"x", 1}}), []string{"when.value[1] 1: in mixes strings and numbers"}},
		{"in bools", cond(scoring.Condition{Attr: "a", Op: scoring.In, Value: []any{true, false}}), []string{"when.value[0] true: in takes strings or numbers", "when.value[1] false: in takes strings or numbers"}},
		{"event type missing", crit(scoring.Criterion{}), []string{`groups[0].rules[0].event.type "": missing event type`}},
		{"event where", crit(scoring.Criterion{Type: "t", Where: &scoring.Condition{Attr: "a", Op: "~"}}), []string{`event.where.op "~": unknown operator`}},
		{"negative window", crit(scoring.Criterion{Type: "t", WindowDays: -7}), []string{"event.windowDays -7: want a finite number ≥ 0"}},
		{"negative maxCount", crit(scoring.Criterion{Type: "t", Each: true, MaxCount: -1}), []string{"event.maxCount -1: negative"}},
		{"maxCount without each", crit(scoring.Criterion{Type: "t", MaxCount: 3}), []string{"event.maxCount 3: maxCount needs each"}},
		{"unknown decay", crit(scoring.Criterion{Type: "t", Decay: &scoring.Decay{Kind: "log"}}), []string{`event.decay.kind "log": unknown decay`}},
		{"linear decay parameters", crit(scoring.Criterion{Type: "t", Decay: &scoring.Decay{Kind: "linear", Rate: 1.5, HalfLifeDays: 3}}),
			[]string{"event.decay.periodDays 0: want a finite number > 0", "event.decay.rate 1.5: want a fraction in (0, 1]", "event.decay.halfLifeDays 3: not used by linear decay"}},
		{"linear decay negative rate", crit(scoring.Criterion{Type: "t", Decay: &scoring.Decay{Kind: "linear", Rate: -0.5, PeriodDays: 30}}),
			[]string{"event.decay.rate -0.5: want a finite number > 0"}},
		{"exponential decay parameters", crit(scoring.Criterion{Type: "t", Decay: &scoring.Decay{Kind: "exponential", HalfLifeDays: -3, Rate: 0.5}}),
			[]string{"event.decay.halfLifeDays -3: want a finite number > 0", "event.decay exponential: rate and periodDays are not used by exponential decay"}},
		{"empty grades", graded(&scoring.Grades{}, nil), []string{"grades {}: want fit, engagement or both"}},
		{"scale group", graded(&scoring.Grades{Fit: &scoring.Scale{Group: "nope", Bands: fit.Bands}}, nil), []string{`grades.fit.group "nope": no such group`}},
		{"scale without bands", graded(&scoring.Grades{Engagement: &scoring.Scale{Group: "g"}}, nil), []string{"grades.engagement.bands 0: want at least one band"}},
		{"bands", graded(&scoring.Grades{Fit: &scoring.Scale{Group: "g", Bands: []scoring.Band{
			{Label: "A", Min: fp(10)}, {Label: "", Min: fp(10)}, {Label: "A"}, {Label: "C", Min: fp(0)}}}}, nil),
			[]string{`grades.fit.bands[1].label "": missing label`, "grades.fit.bands[1].min 10: not below the band before's min 10",
				`grades.fit.bands[2].label "A": duplicate label`, "grades.fit.bands[2].min null: missing min; only the last band has none",
				"grades.fit.bands[3].min 0: the last band takes every lower score and has no min"}},
		{"band min NaN", graded(&scoring.Grades{Fit: &scoring.Scale{Group: "g", Bands: []scoring.Band{{Label: "A", Min: fp(math.NaN())}, {Label: "B"}}}}, nil),
			[]string{"grades.fit.bands[0].min NaN: not a finite number"}},
		{"empty mql", graded(nil, &scoring.MQL{}), []string{"mql {}: want minTotal, cells or both"}},
		{"mql threshold NaN", graded(nil, &scoring.MQL{MinTotal: fp(math.NaN())}), []string{"mql.minTotal NaN: not a finite number"}},
		{"mql cells without matrix", graded(&scoring.Grades{Fit: fit}, &scoring.MQL{Cells: []string{"A"}}), []string{"mql.cells [A]: cells need grades for both fit and engagement"}},
		{"mql unknown cell", graded(&scoring.Grades{Fit: fit, Engagement: eng}, &scoring.MQL{Cells: []string{"A1", "C1"}}), []string{`mql.cells[1] "C1": not a matrix label`}},
		// Issue 13's probe: a Go-built model nested 10^6 deep overflowed the
		// stack in compileCond. One level past MaxDepth is reported once,
		// with its path cut to a readable length.
		{"nested past MaxDepth", cond(*nested(scoring.MaxDepth+1, ok())),
			// The path is groups[0].rules[0].when and 10 000 × ".not": 40 023 bytes.
			[]string{"scoring.Compile: groups[0].rules[0].when.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.not.… (40023 bytes) 10001: conditions nested deeper than MaxDepth (10000)"}},
		{"nested a million deep", cond(*nested(1_000_000, ok())),
			[]string{"10001: conditions nested deeper than MaxDepth (10000)"}},
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			s, err := scoring.Compile(tc.model)
			require.Error(t, err)
			assert.Nil(t, s)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			var ke *kpi.Error
			assert.True(t, errors.As(err, &ke))
			lines := strings.Split(err.Error(), "\n")
			assert.Len(t, lines, len(tc.want), err.Error())
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// nested wraps leaf in depth − 1 nots: a condition depth deep.
func nested(depth int, leaf *scoring.Condition) *scoring.Condition {
	c := leaf
	for range depth - 1 {
		c = &scoring.Condition{Not: c}
	}
	return c
}

// TestCompileAtMaxDepth checks that MaxDepth itself compiles and scores:
// an odd number of nots around a leaf that holds negates it.
func TestCompileAtMaxDepth(t *testing.T) {
	tests := []struct {
		name  string
		depth int
		total float64
	}{
		{"MaxDepth, 9 999 nots: false", scoring.MaxDepth, 0},
		{"MaxDepth − 1, 9 998 nots: true", scoring.MaxDepth - 1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := scoring.Model{Version: 1, Groups: []scoring.Group{{Name: "g", Rules: []scoring.Rule{
				{ID: "r", Points: 1, When: nested(tc.depth, &scoring.Condition{Attr: "a", Op: scoring.Exists})}}}}}
			s, err := scoring.Compile(m)
			require.NoError(t, err)
			r := s.Score(scoring.Lead{Attrs: map[string]any{"a": 1}}, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
			assert.InDelta(t, tc.total, r.Total, 0)
		})
	}
}
