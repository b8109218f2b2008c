package scoring_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/kpiflow/kpi/scoring"
)

var benchAt = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// benchModel has the shape: 30 rules, 20 conditions on attributes
// and 10 event criteria, in a fit and an engagement group, with grades and
// an MQL rule.
func benchModel() scoring.Model {
	f := func(x float64) *float64 { return &x }
	props := []scoring.Condition{
		{Attr: "title", Op: scoring.In, Value: []any{"VP", "Director", "Head", "CMO", "CTO"}, IgnoreCase: true},
		{Attr: "title", Op: scoring.Contains, Value: "market", IgnoreCase: true},
		{Attr: "industry", Op: scoring.Eq, Value: "SaaS"},
		{Attr: "industry", Op: scoring.NotIn, Value: []any{"Education", "Government"}},
		{Attr: "employees", Op: scoring.Between, Value: []any{50, 1000}},
		{Attr: "employees", Op: scoring.Gte, Value: 1000},
		{Attr: "revenue", Op: scoring.Gt, Value: 1e6},
		{Attr: "country", Op: scoring.In, Value: []any{"US", "CA", "GB", "DE", "FR", "NL", "SE", "DK", "NO", "FI"}},
		{Attr: "email", Op: scoring.Regex, Value: `@(gmail|yahoo|hotmail)\.`},
		{Attr: "email", Op: scoring.Missing},
		{Attr: "phone", Op: scoring.Exists},
		{Attr: "created", Op: scoring.Gte, Value: "2026-01-01T00:00:00Z"},
		{Attr: "website", Op: scoring.StartsWith, Value: "https://"},
		{Attr: "customer", Op: scoring.Eq, Value: true},
		{Attr: "tags", Op: scoring.Eq, Value: "enterprise"},
		{All: []scoring.Condition{
			{Attr: "seniority", Op: scoring.Eq, Value: "executive"},
			{Attr: "department", Op: scoring.Eq, Value: "marketing"},
		}},
		{Any: []scoring.Condition{
			{Attr: "budget", Op: scoring.Gte, Value: 50000},
			{Attr: "timeline", Op: scoring.Eq, Value: "this quarter"},
		}},
		{Not: &scoring.Condition{Attr: "status", Op: scoring.Eq, Value: "student"}},
		{Attr: "competitor", Op: scoring.Eq, Value: true},
		{Attr: "score_source", Op: scoring.Ne, Value: "purchased list"},
	}
	var fit []scoring.Rule
	for i, c := range props {
		c := c
		fit = append(fit, scoring.Rule{ID: fmt.Sprintf("p%d", i), Points: float64(5 + i%4*5), When: &c})
	}
	fit[8].Points, fit[18].Points = -10, -50
	exp := &scoring.Decay{Kind: "exponential", HalfLifeDays: 30}
	lin := &scoring.Decay{Kind: "linear", Rate: 0.5, PeriodDays: 30}
	events := []scoring.Criterion{
		{Type: "form_submit", Decay: lin},
		{Type: "webinar", WindowDays: 90},
		{Type: "page_view", Each: true, MaxCount: 10, Decay: exp},
		{Type: "page_view", Where: &scoring.Condition{Attr: "url", Op: scoring.Contains, Value: "/pricing"}, Each: true, Decay: exp},
		{Type: "email_click", Each: true, WindowDays: 60},
		{Type: "download", Where: &scoring.Condition{Attr: "asset", Op: scoring.StartsWith, Value: "whitepaper"}},
		{Type: "demo_request"},
		{Type: "unsubscribe"},
		{Type: "email_open", Each: true, MaxCount: 5, WindowDays: 30},
		{Type: "trial_signup", Decay: exp},
	}
	var eng []scoring.Rule
	for i, c := range events {
		c := c
		eng = append(eng, scoring.Rule{ID: fmt.Sprintf("e%d", i), Points: float64(2 + i), Event: &c})
	}
	eng[7].Points = -20
	eng[3].MaxPoints = f(20)
	return scoring.Model{
		Version: scoring.Version,
		Groups: []scoring.Group{
			{Name: "fit", Rules: fit, Max: f(100)},
			{Name: "engagement", Rules: eng, Min: f(0), Max: f(100)},
		},
		Grades: &scoring.Grades{
			Fit:        &scoring.Scale{Group: "fit", Bands: []scoring.Band{{Label: "A", Min: f(60)}, {Label: "B", Min: f(30)}, {Label: "C"}}},
			Engagement: &scoring.Scale{Group: "engagement", Bands: []scoring.Band{{Label: "1", Min: f(40)}, {Label: "2", Min: f(15)}, {Label: "3"}}},
		},
		MQL: &scoring.MQL{MinTotal: f(80), Cells: []string{"A1", "A2", "B1"}},
	}
}

// benchLead has 20 attributes and 50 events of 10 types over 120 days.
func benchLead() scoring.Lead {
	types := []string{"page_view", "page_view", "page_view", "email_open", "email_click", "form_submit", "webinar", "download", "page_view", "email_open"}
	urls := []string{"/", "/pricing", "/blog/x", "/docs", "/pricing/enterprise"}
	var evs []scoring.Event
	for i := range 50 {
		evs = append(evs, scoring.Event{
			Type:  types[i%len(types)],
			Time:  benchAt.Add(-time.Duration(i*58) * time.Hour),
			Props: map[string]any{"url": urls[i%len(urls)], "asset": "whitepaper-2026"},
		})
	}
	return scoring.Lead{
		ID: "L1",
		Attrs: map[string]any{
			"title": "VP Marketing", "industry": "SaaS", "employees": 250, "revenue": 2.5e6,
			"country": "DE", "email": "ana@example.com", "phone": "+49 30 1234", "created": "2026-02-03T10:00:00Z",
			"website": "https://example.com", "customer": false, "tags": []string{"enterprise", "emea"},
			"seniority": "executive", "department": "marketing", "budget": 20000, "timeline": "this quarter",
			"status": "lead", "competitor": false, "score_source": "inbound", "city": "Berlin", "zip": "10115",
		},
		Events: evs,
	}
}

func BenchmarkScoreTo(b *testing.B) {
	s, err := scoring.Compile(benchModel())
	if err != nil {
		b.Fatal(err)
	}
	lead := benchLead()
	var r scoring.Result
	s.ScoreTo(&r, lead, benchAt)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		s.ScoreTo(&r, lead, benchAt)
	}
}

func BenchmarkScore(b *testing.B) {
	s, err := scoring.Compile(benchModel())
	if err != nil {
		b.Fatal(err)
	}
	lead := benchLead()
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Score(lead, benchAt)
	}
}

func BenchmarkScoreToParallel(b *testing.B) {
	s, err := scoring.Compile(benchModel())
	if err != nil {
		b.Fatal(err)
	}
	lead := benchLead()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var r scoring.Result
		for pb.Next() {
			s.ScoreTo(&r, lead, benchAt)
		}
	})
}

func BenchmarkCompile(b *testing.B) {
	m := benchModel()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := scoring.Compile(m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDryRun(b *testing.B) {
	m := benchModel()
	before, err := scoring.Compile(m)
	if err != nil {
		b.Fatal(err)
	}
	m.Groups[1].Rules[0].Points = 20
	after, err := scoring.Compile(m)
	if err != nil {
		b.Fatal(err)
	}
	lead := benchLead()
	leads := func(yield func(scoring.Lead) bool) {
		for range 1000 {
			if !yield(lead) {
				return
			}
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := scoring.DryRun(before, after, leads, benchAt, 10); err != nil {
			b.Fatal(err)
		}
	}
}
