package scoring_test

import (
	"encoding/json"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi/scoring"
)

func fp(x float64) *float64 { return &x }

// single compiles a model with one group "g" holding the given rules.
func single(t *testing.T, rules ...scoring.Rule) *scoring.Scorer {
	t.Helper()
	s, err := scoring.Compile(scoring.Model{Version: scoring.Version, Groups: []scoring.Group{{Name: "g", Rules: rules}}})
	require.NoError(t, err)
	return s
}

// TestConditions checks every operator on matching, non-matching, missing
// and mistyped values. Expected verdicts follow from the operator
// definitions in the package documentation.
func TestConditions(t *testing.T) {
	created := time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC)
	attrs := map[string]any{
		"title": "VP Marketing", "employees": 250, "revenue": 2.5e6, "small": int8(3), "big": uint64(1 << 40),
		"score32": float32(1.5), "jn": json.Number("42"), "nan": math.NaN(), "customer": true,
		"created": created, "createdText": "2026-02-03T10:00:00Z", "empty": "", "tags": []string{"enterprise", "emea"},
		"mixed": []any{"a", 7.0, true}, "sizes": []int{10, 20}, "ratios": []float64{0.5, 0.25}, "nolist": []any{},
		"null": nil, "struct": struct{}{}, "domain": "ACME.io", "i32": int32(5), "i16": int16(6), "i64": int64(7),
		"u": uint(8), "u32": uint32(9), "u16": uint16(10), "u8": uint8(11), "badjn": json.Number("x"),
	}
	type row struct {
		name  string
		cond  scoring.Condition
		fired bool
		why   string // Miss.Reason when the rule did not fire for lack of data
	}
	rows := []row{
		{"eq string", scoring.Condition{Attr: "title", Op: scoring.Eq, Value: "VP Marketing"}, true, ""},
		{"eq string other", scoring.Condition{Attr: "title", Op: scoring.Eq, Value: "vp marketing"}, false, ""},
		{"eq fold", scoring.Condition{Attr: "title", Op: scoring.Eq, Value: "vp marketing", IgnoreCase: true}, true, ""},
		{"eq number int", scoring.Condition{Attr: "employees", Op: scoring.Eq, Value: 250}, true, ""},
		{"eq number vs string attr", scoring.Condition{Attr: "title", Op: scoring.Eq, Value: 250}, false, "is a string, want a number"},
		{"eq string vs number attr", scoring.Condition{Attr: "employees", Op: scoring.Eq, Value: "250"}, false, "is a number, want a string"},
		{"eq bool", scoring.Condition{Attr: "customer", Op: scoring.Eq, Value: true}, true, ""},
		{"eq bool vs string", scoring.Condition{Attr: "title", Op: scoring.Eq, Value: true}, false, "is a string, want a boolean"},
		{"eq bool attr vs number", scoring.Condition{Attr: "customer", Op: scoring.Eq, Value: 1}, false, "is a boolean, want a number"},
		{"eq time attr vs RFC 3339 string", scoring.Condition{Attr: "created", Op: scoring.Eq, Value: "2026-02-03T10:00:00Z"}, true, ""},
		{"eq time value vs time text", scoring.Condition{Attr: "createdText", Op: scoring.Eq, Value: created}, true, ""},
		{"eq time attr vs plain string", scoring.Condition{Attr: "created", Op: scoring.Eq, Value: "Feb"}, false, "is a time, want a string"},
		{"eq time value vs number", scoring.Condition{Attr: "employees", Op: scoring.Eq, Value: created}, false, "is a number, want a time"},
		{"eq json.Number", scoring.Condition{Attr: "jn", Op: scoring.Eq, Value: 42}, true, ""},
		{"eq bad json.Number", scoring.Condition{Attr: "badjn", Op: scoring.Eq, Value: 42}, false, "is a string, want a number"},
		{"eq NaN attribute", scoring.Condition{Attr: "nan", Op: scoring.Eq, Value: 1}, false, "is NaN"},
		{"eq unsupported attribute", scoring.Condition{Attr: "struct", Op: scoring.Eq, Value: 1}, false, "is of an unsupported type, want a number"},
		{"eq on list: any element", scoring.Condition{Attr: "tags", Op: scoring.Eq, Value: "emea"}, true, ""},
		{"eq on list: none", scoring.Condition{Attr: "tags", Op: scoring.Eq, Value: "apac"}, false, ""},
		{"eq on []any list", scoring.Condition{Attr: "mixed", Op: scoring.Eq, Value: 7}, true, ""},
		{"eq on []int list", scoring.Condition{Attr: "sizes", Op: scoring.Eq, Value: 20}, true, ""},
		{"eq on []float64 list", scoring.Condition{Attr: "ratios", Op: scoring.Eq, Value: 0.25}, true, ""},
		{"eq on list, all mistyped", scoring.Condition{Attr: "tags", Op: scoring.Eq, Value: 3}, false, "is a string, want a number"},
		{"eq on empty list", scoring.Condition{Attr: "nolist", Op: scoring.Eq, Value: "a"}, false, "is missing"},
		{"eq missing", scoring.Condition{Attr: "nope", Op: scoring.Eq, Value: "a"}, false, "is missing"},
		{"eq null", scoring.Condition{Attr: "null", Op: scoring.Eq, Value: "a"}, false, "is missing"},
		{"ne", scoring.Condition{Attr: "title", Op: scoring.Ne, Value: "CEO"}, true, ""},
		{"ne equal", scoring.Condition{Attr: "title", Op: scoring.Ne, Value: "VP Marketing"}, false, ""},
		{"ne missing is false", scoring.Condition{Attr: "nope", Op: scoring.Ne, Value: "CEO"}, false, "is missing"},
		{"ne on list: no element", scoring.Condition{Attr: "tags", Op: scoring.Ne, Value: "apac"}, true, ""},
		{"ne on list: an element", scoring.Condition{Attr: "tags", Op: scoring.Ne, Value: "emea"}, false, ""},
		{"in strings", scoring.Condition{Attr: "title", Op: scoring.In, Value: []string{"CEO", "VP Marketing"}}, true, ""},
		{"in strings fold", scoring.Condition{Attr: "domain", Op: scoring.In, Value: []any{"acme.io", "x.com"}, IgnoreCase: true}, true, ""},
		{"in strings none", scoring.Condition{Attr: "domain", Op: scoring.In, Value: []any{"acme.io", "x.com"}}, false, ""},
		{"in many strings (set)", scoring.Condition{Attr: "domain", Op: scoring.In, Value: []string{"a", "b", "c", "d", "e", "f", "g", "h", "ACME.io"}}, true, ""},
		{"in set vs number", scoring.Condition{Attr: "employees", Op: scoring.In, Value: []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"}}, false, "is a number, want a string"},
		{"in numbers", scoring.Condition{Attr: "employees", Op: scoring.In, Value: []int{100, 250}}, true, ""},
		{"in numbers none", scoring.Condition{Attr: "employees", Op: scoring.In, Value: []int{100, 200}}, false, ""},
		{"in numbers vs string", scoring.Condition{Attr: "title", Op: scoring.In, Value: []int{100, 200}}, false, "is a string, want a number"},
		{"in strings vs number", scoring.Condition{Attr: "employees", Op: scoring.In, Value: []string{"a"}}, false, "is a number, want a string"},
		{"not_in", scoring.Condition{Attr: "title", Op: scoring.NotIn, Value: []string{"CEO", "CTO"}}, true, ""},
		{"not_in member", scoring.Condition{Attr: "title", Op: scoring.NotIn, Value: []string{"CEO", "VP Marketing"}}, false, ""},
		{"contains", scoring.Condition{Attr: "title", Op: scoring.Contains, Value: "Market"}, true, ""},
		{"contains fold", scoring.Condition{Attr: "title", Op: scoring.Contains, Value: "MARKET", IgnoreCase: true}, true, ""},
		{"contains fold none", scoring.Condition{Attr: "title", Op: scoring.Contains, Value: "sales", IgnoreCase: true}, false, ""},
		{"contains fold empty", scoring.Condition{Attr: "title", Op: scoring.Contains, Value: "", IgnoreCase: true}, true, ""},
		{"contains on number", scoring.Condition{Attr: "employees", Op: scoring.Contains, Value: "2"}, false, "is a number, want a string"},
		{"starts_with", scoring.Condition{Attr: "title", Op: scoring.StartsWith, Value: "VP"}, true, ""},
		{"starts_with fold", scoring.Condition{Attr: "title", Op: scoring.StartsWith, Value: "vp ", IgnoreCase: true}, true, ""},
		{"starts_with fold longer", scoring.Condition{Attr: "domain", Op: scoring.StartsWith, Value: "acme.io/long", IgnoreCase: true}, false, ""},
		{"regex", scoring.Condition{Attr: "title", Op: scoring.Regex, Value: `^VP\b`}, true, ""},
		{"regex fold", scoring.Condition{Attr: "title", Op: scoring.Regex, Value: `^vp\b`, IgnoreCase: true}, true, ""},
		{"regex none", scoring.Condition{Attr: "title", Op: scoring.Regex, Value: `^CEO`}, false, ""},
		{"regex on bool", scoring.Condition{Attr: "customer", Op: scoring.Regex, Value: `t`}, false, "is a boolean, want a string"},
		{"gt", scoring.Condition{Attr: "employees", Op: scoring.Gt, Value: 249}, true, ""},
		{"gt equal", scoring.Condition{Attr: "employees", Op: scoring.Gt, Value: 250}, false, ""},
		{"gte equal", scoring.Condition{Attr: "employees", Op: scoring.Gte, Value: 250}, true, ""},
		{"lt", scoring.Condition{Attr: "small", Op: scoring.Lt, Value: 4}, true, ""},
		{"lte", scoring.Condition{Attr: "score32", Op: scoring.Lte, Value: 1.5}, true, ""},
		{"lte above", scoring.Condition{Attr: "big", Op: scoring.Lte, Value: 1e6}, false, ""},
		{"between inclusive", scoring.Condition{Attr: "employees", Op: scoring.Between, Value: []int{50, 250}}, true, ""},
		{"between below", scoring.Condition{Attr: "employees", Op: scoring.Between, Value: []any{251, 1000}}, false, ""},
		{"gt on string", scoring.Condition{Attr: "title", Op: scoring.Gt, Value: 3}, false, "is a string, want a number"},
		{"gt on NaN", scoring.Condition{Attr: "nan", Op: scoring.Gt, Value: 3}, false, "is NaN"},
		{"gt time attr", scoring.Condition{Attr: "created", Op: scoring.Gt, Value: "2026-01-01T00:00:00Z"}, true, ""},
		{"gt time text attr", scoring.Condition{Attr: "createdText", Op: scoring.Gt, Value: "2026-01-01T00:00:00Z"}, true, ""},
		{"lt time value", scoring.Condition{Attr: "created", Op: scoring.Lt, Value: created.Add(time.Second)}, true, ""},
		{"between times", scoring.Condition{Attr: "created", Op: scoring.Between, Value: []any{"2026-02-01T00:00:00Z", "2026-02-28T00:00:00Z"}}, true, ""},
		{"time op on plain string", scoring.Condition{Attr: "title", Op: scoring.Gt, Value: "2026-01-01T00:00:00Z"}, false, "is a string that is not an RFC 3339 time"},
		{"time op on number", scoring.Condition{Attr: "employees", Op: scoring.Gt, Value: "2026-01-01T00:00:00Z"}, false, "is a number, want a time"},
		{"number op on time", scoring.Condition{Attr: "created", Op: scoring.Gt, Value: 5}, false, "is a time, want a number"},
		{"number op on bool", scoring.Condition{Attr: "customer", Op: scoring.Gt, Value: 5}, false, "is a boolean, want a number"},
		{"other integer kinds", scoring.Condition{All: []scoring.Condition{
			{Attr: "i32", Op: scoring.Eq, Value: int32(5)}, {Attr: "i16", Op: scoring.Eq, Value: int16(6)},
			{Attr: "i64", Op: scoring.Eq, Value: int64(7)}, {Attr: "u", Op: scoring.Eq, Value: uint(8)},
			{Attr: "u32", Op: scoring.Eq, Value: uint32(9)}, {Attr: "u16", Op: scoring.Eq, Value: uint16(10)},
			{Attr: "u8", Op: scoring.Eq, Value: uint8(11)}, {Attr: "small", Op: scoring.Eq, Value: int8(3)},
			{Attr: "big", Op: scoring.Eq, Value: uint64(1 << 40)}, {Attr: "score32", Op: scoring.Eq, Value: float32(1.5)},
			{Attr: "jn", Op: scoring.Eq, Value: json.Number("42")},
		}}, true, ""},
		{"exists", scoring.Condition{Attr: "title", Op: scoring.Exists}, true, ""},
		{"exists empty string", scoring.Condition{Attr: "empty", Op: scoring.Exists}, false, ""},
		{"exists empty list", scoring.Condition{Attr: "nolist", Op: scoring.Exists}, false, ""},
		{"missing absent", scoring.Condition{Attr: "nope", Op: scoring.Missing}, true, ""},
		{"missing null", scoring.Condition{Attr: "null", Op: scoring.Missing}, true, ""},
		{"missing present", scoring.Condition{Attr: "title", Op: scoring.Missing}, false, ""},
		{"missing of other empties", scoring.Condition{All: []scoring.Condition{
			{Attr: "empty", Op: scoring.Missing}, {Not: &scoring.Condition{Attr: "sizes", Op: scoring.Missing}},
			{Not: &scoring.Condition{Attr: "ratios", Op: scoring.Missing}}, {Not: &scoring.Condition{Attr: "tags", Op: scoring.Missing}},
		}}, true, ""},
		{"all", scoring.Condition{All: []scoring.Condition{{Attr: "title", Op: scoring.Exists}, {Attr: "employees", Op: scoring.Gt, Value: 100}}}, true, ""},
		{"all, one missing", scoring.Condition{All: []scoring.Condition{{Attr: "title", Op: scoring.Exists}, {Attr: "nope", Op: scoring.Gt, Value: 100}}}, false, "is missing"},
		{"all, one false", scoring.Condition{All: []scoring.Condition{{Attr: "employees", Op: scoring.Gt, Value: 1000}, {Attr: "nope", Op: scoring.Gt, Value: 100}}}, false, ""},
		{"any", scoring.Condition{Any: []scoring.Condition{{Attr: "nope", Op: scoring.Eq, Value: "x"}, {Attr: "customer", Op: scoring.Eq, Value: true}}}, true, ""},
		{"any, none; first miss reported", scoring.Condition{Any: []scoring.Condition{{Attr: "employees", Op: scoring.Gt, Value: 1000}, {Attr: "nope", Op: scoring.Eq, Value: "x"}}}, false, "is missing"},
		{"not", scoring.Condition{Not: &scoring.Condition{Attr: "title", Op: scoring.Eq, Value: "CEO"}}, true, ""},
		{"not of missing is true", scoring.Condition{Not: &scoring.Condition{Attr: "nope", Op: scoring.Eq, Value: "CEO"}}, true, ""},
		{"not of true", scoring.Condition{Not: &scoring.Condition{Attr: "title", Op: scoring.Exists}}, false, ""},
	}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			cond := tc.cond
			s := single(t, scoring.Rule{ID: "r", Points: 7, When: &cond})
			r := s.Score(scoring.Lead{Attrs: attrs}, at)
			assert.Equal(t, tc.fired, r.Fired[0])
			if tc.fired {
				assert.Equal(t, 7.0, r.Total)
				require.Len(t, r.Contributions, 1)
				assert.Equal(t, scoring.Contribution{Rule: 0, ID: "r", Group: "g", Count: 1, Raw: 7, Points: 7}, r.Contributions[0])
			} else {
				assert.Equal(t, 0.0, r.Total)
			}
			if tc.why == "" {
				assert.Empty(t, r.Misses)
			} else {
				require.Len(t, r.Misses, 1)
				assert.Equal(t, tc.why, r.Misses[0].Reason)
				assert.Equal(t, -1, r.Misses[0].Event)
			}
		})
	}
}

// TestEvents checks event criteria: counting, windows, filters, maximum
// counts and decay, each against a hand calculation in the row.
func TestEvents(t *testing.T) {
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	ago := func(days float64) time.Time { return at.Add(-time.Duration(days * 24 * float64(time.Hour))) }
	ev := func(typ string, days float64, props map[string]any) scoring.Event {
		return scoring.Event{Type: typ, Time: ago(days), Props: props}
	}
	// Views of pages, oldest first: indices 0…5.
	views := []scoring.Event{
		ev("view", 60, map[string]any{"url": "/pricing"}),
		ev("view", 40, map[string]any{"url": "/blog"}),
		ev("view", 30, map[string]any{"url": "/pricing"}),
		ev("form", 20, nil),
		ev("view", 10, map[string]any{"url": 5}),
		ev("view", 0, map[string]any{"url": "/pricing/x"}),
	}
	lin := &scoring.Decay{Kind: "linear", Rate: 0.5, PeriodDays: 30}
	type row struct {
		name      string
		points    float64
		maxPoints *float64
		crit      scoring.Criterion
		events    []scoring.Event
		fired     bool
		count     int
		raw, pts  float64
		idx       []int
		why       string
	}
	rows := []row{
		{name: "once: the most recent", points: 5, crit: scoring.Criterion{Type: "view"}, events: views,
			fired: true, count: 1, raw: 5, pts: 5, idx: []int{5}},
		{name: "each: every view", points: 2, crit: scoring.Criterion{Type: "view", Each: true}, events: views,
			fired: true, count: 5, raw: 10, pts: 10, idx: []int{0, 1, 2, 4, 5}},
		{name: "window of 30 days is inclusive", points: 2, crit: scoring.Criterion{Type: "view", Each: true, WindowDays: 30}, events: views,
			fired: true, count: 3, raw: 6, pts: 6, idx: []int{2, 4, 5}},
		{name: "where filter; a mistyped url is skipped", points: 4,
			crit:   scoring.Criterion{Type: "view", Each: true, Where: &scoring.Condition{Attr: "url", Op: scoring.StartsWith, Value: "/pricing"}},
			events: views, fired: true, count: 3, raw: 12, pts: 12, idx: []int{0, 2, 5}},
		{name: "where filter that misses reports the event", points: 4,
			crit:   scoring.Criterion{Type: "view", WindowDays: 15, Where: &scoring.Condition{Attr: "url", Op: scoring.StartsWith, Value: "/blog"}},
			events: views, why: "is a number, want a string"},
		{name: "maxCount keeps the most recent (chronological input)", points: 1,
			crit: scoring.Criterion{Type: "view", Each: true, MaxCount: 2}, events: views,
			fired: true, count: 2, raw: 2, pts: 2, idx: []int{4, 5}},
		{name: "maxCount keeps the most recent (newest first)", points: 1,
			crit: scoring.Criterion{Type: "view", Each: true, MaxCount: 2}, events: reversed(views),
			fired: true, count: 2, raw: 2, pts: 2, idx: []int{0, 1}},
		{name: "maxCount keeps the most recent (shuffled, ties by index)", points: 1,
			crit:   scoring.Criterion{Type: "view", Each: true, MaxCount: 2},
			events: []scoring.Event{ev("view", 5, nil), ev("view", 1, nil), ev("view", 9, nil), ev("view", 1, nil), ev("view", 3, nil)},
			fired:  true, count: 2, raw: 2, pts: 2, idx: []int{1, 3}},
		{name: "maxCount above the number of events", points: 1,
			crit: scoring.Criterion{Type: "view", Each: true, MaxCount: 9}, events: views,
			fired: true, count: 5, raw: 5, pts: 5, idx: []int{0, 1, 2, 4, 5}},
		{name: "future events do not count", points: 3, crit: scoring.Criterion{Type: "view"},
			events: []scoring.Event{ev("view", -1, nil), {Type: "view", Time: at.Add(-time.Nanosecond)}},
			fired:  true, count: 1, raw: 3, pts: 3, idx: []int{1}},
		{name: "only future events", points: 3, crit: scoring.Criterion{Type: "view"},
			events: []scoring.Event{ev("view", -1, nil)}},
		{name: "no events of the type", points: 3, crit: scoring.Criterion{Type: "webinar"}, events: views},
		// HubSpot: a 10-point form fill at 50 % per month is worth 5 after a
		// month: 10·(1 − 0.5·30/30) = 5.
		{name: "linear decay after one period", points: 10, crit: scoring.Criterion{Type: "form", Decay: lin},
			events: []scoring.Event{ev("form", 30, nil)}, fired: true, count: 1, raw: 10, pts: 5, idx: []int{0}},
		// 10·(1 − 0.5·45/30) = 2.5
		{name: "linear decay between periods", points: 10, crit: scoring.Criterion{Type: "form", Decay: lin},
			events: []scoring.Event{ev("form", 45, nil)}, fired: true, count: 1, raw: 10, pts: 2.5, idx: []int{0}},
		// 10·max(0, 1 − 0.5·90/30) = 0: the rule fires with no points.
		{name: "linear decay to zero", points: 10, crit: scoring.Criterion{Type: "form", Decay: lin},
			events: []scoring.Event{ev("form", 90, nil)}, fired: true, count: 1, raw: 10, pts: 0, idx: []int{0}},
		// Stepped: 45 days is one whole period, 10·(1 − 0.5·1) = 5.
		{name: "stepped linear decay", points: 10,
			crit:   scoring.Criterion{Type: "form", Decay: &scoring.Decay{Kind: "linear", Rate: 0.5, PeriodDays: 30, Stepped: true}},
			events: []scoring.Event{ev("form", 45, nil)}, fired: true, count: 1, raw: 10, pts: 5, idx: []int{0}},
		// 8·2^(−14/7) = 2
		{name: "exponential decay, two half-lives", points: 8,
			crit:   scoring.Criterion{Type: "form", Decay: &scoring.Decay{Kind: "exponential", HalfLifeDays: 7}},
			events: []scoring.Event{ev("form", 14, nil)}, fired: true, count: 1, raw: 8, pts: 2, idx: []int{0}},
		// 8·2^(−floor(20/7)) = 8·2^(−2) = 2
		{name: "stepped exponential decay", points: 8,
			crit:   scoring.Criterion{Type: "form", Decay: &scoring.Decay{Kind: "exponential", HalfLifeDays: 7, Stepped: true}},
			events: []scoring.Event{ev("form", 20, nil)}, fired: true, count: 1, raw: 8, pts: 2, idx: []int{0}},
		// Each with half-life 30 on views 60, 40, 30, 10, 0 days old:
		// 4·(2^−2 + 2^(−4/3) + 2^−1 + 2^(−1/3) + 1) = 4·2.940551... (R:
		// 4*sum(2^-(c(60,40,30,10,0)/30)) = 11.76220).
		{name: "exponential decay per event", points: 4,
			crit:   scoring.Criterion{Type: "view", Each: true, Decay: &scoring.Decay{Kind: "exponential", HalfLifeDays: 30}},
			events: views, fired: true, count: 5, raw: 20, pts: 4 * (0.25 + math.Pow(2, -4.0/3) + 0.5 + math.Pow(2, -1.0/3) + 1), idx: []int{0, 1, 2, 4, 5}},
		// Once takes the most recent: 10·(1 − 0.5·10/30) = 8.3333…
		{name: "once with decay takes the most recent", points: 10, crit: scoring.Criterion{Type: "view", Decay: lin},
			events: views[:5], fired: true, count: 1, raw: 10, pts: 10 * (1 - 0.5*10.0/30), idx: []int{4}},
		{name: "maxPoints caps per-event points", points: 3, maxPoints: fp(10), crit: scoring.Criterion{Type: "view", Each: true},
			events: views, fired: true, count: 5, raw: 15, pts: 10, idx: []int{0, 1, 2, 4, 5}},
		{name: "maxPoints caps negative points", points: -3, maxPoints: fp(10), crit: scoring.Criterion{Type: "view", Each: true},
			events: views, fired: true, count: 5, raw: -15, pts: -10, idx: []int{0, 1, 2, 4, 5}},
		{name: "very old event saturates its age", points: 3, crit: scoring.Criterion{Type: "view", Decay: lin},
			events: []scoring.Event{{Type: "view"}}, fired: true, count: 1, raw: 3, pts: 0, idx: []int{0}},
		// probe-csc: an event at the zero time, 2 025 years old, counted as
		// 292 (the saturated age): inside a window of 200 000 days (548
		// years) and, at a half-life of 100 years, worth 100·2^(−2.92) =
		// 13.17 for a true 100·2^(−20.25) ≈ 0.0008; at 10 % a century,
		// 70.75 for a true 0 (1 − 0.1·20.25 < 0). Now infinitely old.
		{name: "saturated age is outside a window of centuries", points: 100, crit: scoring.Criterion{Type: "view", WindowDays: 200_000},
			events: []scoring.Event{{Type: "view"}}, fired: false},
		{name: "saturated age decays to 0 at a half-life of a century", points: 100,
			crit:   scoring.Criterion{Type: "view", Decay: &scoring.Decay{Kind: "exponential", HalfLifeDays: 36_500}},
			events: []scoring.Event{{Type: "view"}}, fired: true, count: 1, raw: 100, pts: 0, idx: []int{0}},
		{name: "saturated age decays to 0 at 10 % a century", points: 100,
			crit:   scoring.Criterion{Type: "view", Decay: &scoring.Decay{Kind: "linear", Rate: 0.1, PeriodDays: 36_500}},
			events: []scoring.Event{{Type: "view"}}, fired: true, count: 1, raw: 100, pts: 0, idx: []int{0}},
		{name: "250 years is within a window of 200 000 days", points: 100, crit: scoring.Criterion{Type: "view", WindowDays: 200_000},
			events: []scoring.Event{ev("view", 250*365, nil)}, fired: true, count: 1, raw: 100, pts: 100, idx: []int{0}},
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			crit := tc.crit
			s := single(t, scoring.Rule{ID: "e", Points: tc.points, MaxPoints: tc.maxPoints, Event: &crit})
			r := s.Score(scoring.Lead{Events: tc.events}, at)
			assert.Equal(t, tc.fired, r.Fired[0])
			if !tc.fired {
				assert.Empty(t, r.Contributions)
				if tc.why != "" {
					require.Len(t, r.Misses, 1)
					assert.Equal(t, tc.why, r.Misses[0].Reason)
					assert.Equal(t, "url", r.Misses[0].Attr)
					assert.Equal(t, 4, r.Misses[0].Event)
				} else {
					assert.Empty(t, r.Misses)
				}
				return
			}
			require.Len(t, r.Contributions, 1)
			c := r.Contributions[0]
			assert.Equal(t, tc.count, c.Count)
			assert.InDelta(t, tc.raw, c.Raw, 1e-12)
			assert.InDelta(t, tc.pts, c.Points, 1e-12)
			assert.Equal(t, tc.idx, c.Events)
			assert.InDelta(t, tc.pts, r.Total, 1e-12)
		})
	}
}

func reversed(evs []scoring.Event) []scoring.Event {
	out := slices.Clone(evs)
	slices.Reverse(out)
	return out
}

// TestCapsGradesMQL checks group and total clamps, grade bands and the MQL
// rule. Points are chosen so every total is a hand sum.
func TestCapsGradesMQL(t *testing.T) {
	rule := func(id string, pts float64, attr string) scoring.Rule {
		return scoring.Rule{ID: id, Points: pts, When: &scoring.Condition{Attr: attr, Op: scoring.Exists}}
	}
	model := func(total *float64, mql *scoring.MQL) scoring.Model {
		return scoring.Model{
			Version: 1,
			Groups: []scoring.Group{
				{Name: "fit", Max: fp(50), Rules: []scoring.Rule{rule("f1", 30, "a"), rule("f2", 30, "b"), rule("f3", -10, "c")}},
				{Name: "engagement", Min: fp(0), Rules: []scoring.Rule{rule("e1", 20, "d"), rule("e2", -40, "e")}},
			},
			Max: total,
			Grades: &scoring.Grades{
				Fit:        &scoring.Scale{Group: "fit", Bands: []scoring.Band{{Label: "A", Min: fp(40)}, {Label: "B", Min: fp(20)}, {Label: "C"}}},
				Engagement: &scoring.Scale{Group: "engagement", Bands: []scoring.Band{{Label: "1", Min: fp(20)}, {Label: "2"}}},
			},
			MQL: mql,
		}
	}
	attrs := func(names ...string) map[string]any {
		m := map[string]any{}
		for _, n := range names {
			m[n] = "x"
		}
		return m
	}
	type row struct {
		name                string
		total               *float64
		mql                 *scoring.MQL
		attrs               map[string]any
		fitRaw, fit, engRaw float64
		eng, want           float64
		matrix              string
		isMQL               bool
	}
	rows := []row{
		// fit 30+30 = 60 capped at 50 (A); engagement 20 (1): total 70.
		{"fit capped", nil, &scoring.MQL{MinTotal: fp(70)}, attrs("a", "b", "d"), 60, 50, 20, 20, 70, "A1", true},
		// fit 30+30−10 = 50 (A); engagement 20−40 = −20 floored at 0 (2).
		{"engagement floored", nil, &scoring.MQL{Cells: []string{"A1"}}, attrs("a", "b", "c", "d", "e"), 50, 50, -20, 0, 50, "A2", false},
		// fit 30 (B), engagement 20 (1): 50, total capped at 40.
		{"total capped", fp(40), &scoring.MQL{MinTotal: fp(40), Cells: []string{"B1"}}, attrs("a", "d"), 30, 30, 20, 20, 40, "B1", true},
		// fit −10 (C), engagement 0 (2).
		{"lowest grades", nil, &scoring.MQL{MinTotal: fp(-100), Cells: []string{"C1"}}, attrs("c"), -10, -10, 0, 0, -10, "C2", false},
		// Grade boundaries are inclusive: fit 20 is B.
		{"boundary", nil, nil, attrs("b", "c", "d"), 20, 20, 20, 20, 40, "B1", false},
	}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			s, err := scoring.Compile(model(tc.total, tc.mql))
			require.NoError(t, err)
			r := s.Score(scoring.Lead{Attrs: tc.attrs}, at)
			assert.Equal(t, []scoring.GroupScore{{Name: "fit", Raw: tc.fitRaw, Score: tc.fit}, {Name: "engagement", Raw: tc.engRaw, Score: tc.eng}}, r.Groups)
			assert.Equal(t, tc.want, r.Total)
			assert.Equal(t, tc.matrix, r.Matrix)
			assert.Equal(t, tc.matrix[:1], r.Fit)
			assert.Equal(t, tc.matrix[1:], r.Engagement)
			assert.Equal(t, tc.isMQL, r.MQL)
		})
	}
}

// TestScoreTo checks that a reused Result gives what a fresh one gives,
// lead after lead, and that the reusing variant does not allocate.
func TestScoreTo(t *testing.T) {
	s := demoScorer()
	leads := map[string]scoring.Lead{
		"ana":   ana,
		"empty": {},
		"cy": {ID: "cy", Attrs: map[string]any{"title": "Head of Growth", "employees": 80},
			Events: []scoring.Event{{Type: "demo_request", Time: daysAgo(3)}, {Type: "unsubscribe", Time: daysAgo(1)}}},
		"bench": benchLead(),
	}
	var r scoring.Result
	for _, name := range []string{"ana", "empty", "cy", "bench", "ana"} {
		t.Run(name, func(t *testing.T) {
			s.ScoreTo(&r, leads[name], at)
			fresh := s.Score(leads[name], at)
			assert.Equal(t, fresh.String(), r.String())
			assert.Equal(t, fresh.Total, r.Total)
			assert.Equal(t, fresh.Fired, r.Fired)
			assert.Equal(t, fresh.Contributions, r.Contributions)
		})
	}
	if raceEnabled {
		return
	}
	for name, lead := range leads {
		t.Run("allocs "+name, func(t *testing.T) {
			s.ScoreTo(&r, lead, at)
			allocs := testing.AllocsPerRun(20, func() { s.ScoreTo(&r, lead, at) })
			assert.Zero(t, allocs)
		})
	}
	b, err := scoring.Compile(benchModel())
	require.NoError(t, err)
	lead := benchLead()
	b.ScoreTo(&r, lead, benchAt)
	assert.Zero(t, testing.AllocsPerRun(20, func() { b.ScoreTo(&r, lead, benchAt) }))
}

// TestScore checks whole results of the demo model against the hand
// calculations written at ana in example_test.go and below.
func TestScore(t *testing.T) {
	s := demoScorer()
	rows := []struct {
		name   string
		lead   scoring.Lead
		total  float64
		matrix string
		mql    bool
		fired  []string
	}{
		{"ana", ana, 55.25, "A2", true, []string{"title-vp", "size", "saas", "form", "pricing"}},
		// fit 20 + 15 = 35 (A); demo 30 and unsubscribe −20: 10 (2): 45 < 50.
		{"cy unsubscribed", scoring.Lead{Attrs: map[string]any{"title": "Head of Growth", "employees": 80},
			Events: []scoring.Event{{Type: "demo_request", Time: daysAgo(3)}, {Type: "unsubscribe", Time: daysAgo(1)}}},
			45, "A2", false, []string{"title-vp", "size", "demo", "unsubscribed"}},
		// free mail −15 (C); demo 100 days ago is outside the window: 0 (3).
		{"old demo", scoring.Lead{Attrs: map[string]any{"email": "x@gmail.com"}, Events: []scoring.Event{{Type: "demo_request", Time: daysAgo(100)}}},
			-15, "C3", false, []string{"free-mail"}},
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			r := s.Score(tc.lead, at)
			assert.InDelta(t, tc.total, r.Total, 1e-12)
			assert.Equal(t, tc.matrix, r.Matrix)
			assert.Equal(t, tc.mql, r.MQL)
			var fired []string
			for _, c := range r.Contributions {
				fired = append(fired, c.ID)
			}
			assert.Equal(t, tc.fired, fired)
		})
	}
}

// TestRuleIDs checks the rule order: group by group, rule by rule.
func TestRuleIDs(t *testing.T) {
	rows := []struct {
		name string
		s    *scoring.Scorer
		want []string
	}{
		{"demo", demoScorer(), []string{"title-vp", "size", "saas", "free-mail", "demo", "form", "pricing", "unsubscribed"}},
		{"one", single(t, scoring.Rule{ID: "x", When: &scoring.Condition{Attr: "a", Op: scoring.Exists}}), []string{"x"}},
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			ids := tc.s.RuleIDs()
			assert.Equal(t, tc.want, ids)
			ids[0] = "changed" // the caller's copy
			assert.Equal(t, tc.want, tc.s.RuleIDs())
		})
	}
}

// TestResultString checks explanations, including caps and misses.
func TestResultString(t *testing.T) {
	s := demoScorer()
	rows := []struct {
		name string
		lead scoring.Lead
		want string
	}{
		{"nothing", scoring.Lead{}, "total 0 · C3\nfit 0\nengagement 0\n" +
			"missed: title-vp: attribute \"title\" is missing\nmissed: size: attribute \"employees\" is missing\n" +
			"missed: saas: attribute \"industry\" is missing\nmissed: free-mail: attribute \"email\" is missing"},
		// Ten pricing views today: 3·10 = 30 raw, capped at maxPoints 15;
		// a demo 30: engagement 45 (1), fit 35 (A): 80, an MQL.
		{"capped rule", scoring.Lead{Attrs: map[string]any{"title": "Chief of Staff", "employees": 100, "industry": "Retail", "email": "a@b.c"},
			Events: append(slices.Repeat([]scoring.Event{{Type: "page_view", Time: at, Props: map[string]any{"url": "/pricing"}}}, 10),
				scoring.Event{Type: "demo_request", Time: at})},
			"total 80 · A1 · MQL\nfit 35\n  +20 title-vp\n  +15 size\nengagement 45\n  +30 demo (event #10)\n" +
				"  +15 pricing: 10 events, raw 30 (events #0 #1 #2 #3 #4 #5 #6 #7 #8 #9)"},
		{"negative", scoring.Lead{Attrs: map[string]any{"email": "a@gmail.com"}, Events: []scoring.Event{{Type: "unsubscribe", Time: at}}},
			"total -15 · C3\nfit -15\n  -15 free-mail\nengagement 0 (raw -20, capped)\n  -20 unsubscribed (event #0)\n" +
				"missed: title-vp: attribute \"title\" is missing\nmissed: size: attribute \"employees\" is missing\n" +
				"missed: saas: attribute \"industry\" is missing"},
	}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, s.Score(tc.lead, at).String())
		})
	}
	// Results without grades, with one scale, and with a capped condition.
	plain := single(t, scoring.Rule{ID: "big", Points: 50, MaxPoints: fp(20), When: &scoring.Condition{Attr: "a", Op: scoring.Exists}})
	m := scoring.Model{Version: 1, Groups: []scoring.Group{{Name: "fit", Rules: []scoring.Rule{{ID: "a", Points: 5, When: &scoring.Condition{Attr: "a", Op: scoring.Exists}}}}},
		Grades: &scoring.Grades{Fit: &scoring.Scale{Group: "fit", Bands: []scoring.Band{{Label: "A", Min: fp(5)}, {Label: "B"}}}}}
	fitOnly, err := scoring.Compile(m)
	require.NoError(t, err)
	more := []struct {
		name string
		s    *scoring.Scorer
		want string
	}{
		{"no grades, capped condition", plain, "total 20\ng 20\n  +20 big (raw 50, capped)"},
		{"fit grade only", fitOnly, "total 5 · A\nfit 5\n  +5 a"},
	}
	for _, tc := range more {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.s.Score(scoring.Lead{Attrs: map[string]any{"a": 1}}, at).String())
		})
	}
}

// TestConcurrent scores from many goroutines at once; run with -race.
func TestConcurrent(t *testing.T) {
	s := demoScorer()
	want := s.Score(ana, at).Total
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var r scoring.Result
			for range 50 {
				s.ScoreTo(&r, ana, at)
				if r.Total != want {
					t.Errorf("total %v, want %v", r.Total, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}
