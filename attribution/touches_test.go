package attribution_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
)

// paths writes journeys in ChannelAttribution's layout, for comparing.
func paths(t *testing.T, js *attribution.Journeys) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, attribution.Write(&b, js, attribution.Format{}))
	return b.String()
}

// utmLog is worked through by hand in TestReadTouches.
const utmLog = "Contact ID,utm_source,utm_medium,utm_campaign,Timestamp,Conversion,Conversion Value\n" +
	"a,google,cpc,,2025-01-01,,\n" + // 2
	"a,google,cpc,,2025-01-01,,\n" + // 3: duplicate
	"a,linkedin,social,,2025-01-05,,\n" +
	"a,newsletter,email,,2025-01-10,yes,100.50\n" + // 5: converting touch
	"a,google,organic,,2025-02-01,,\n" +
	"b,,,,2025-03-01,,\n" + // 7: direct
	"b,(direct),(none),,2025-01-02,,\n" + // 8: out of order
	"c,google,cpc,,2024-06-01,,\n" +
	"c,,,,2025-01-05,1,\n" + // 10: pure conversion, its touch 218 days old
	"d,bing,cpc,,2025-01-03,maybe,\n" + // 11
	"e,radio-ad,offline,,2025-01-01,,\n" + // 12: no rule
	",google,cpc,,2025-01-01,,\n" + // 13
	"f,google,cpc,,2025-01-01,no,5\n" // 14

func TestReadTouches(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		c      attribution.TouchLog
		paths  string
		health kpi.Health // Rejections compared by count
	}{
		{"UTM log, default grouping", utmLog, attribution.TouchLog{},
			// a converts after three touches (Lookback 90 days), then has
			// one more; b never converts; c's conversion has no touch in
			// its window, so its touch is a journey of its own; e's touch
			// is Unassigned.
			"path;total_conversions;total_conversion_value;total_null\n" +
				"Paid Search > Organic Social > Email;1;100.50;0\n" +
				"Organic Search;0;0;1\n" +
				"Direct > Direct;0;0;1\n" +
				"Paid Search;0;0;1\n" +
				"Unassigned;0;0;1\n",
			kpi.Health{Read: 13, Used: 9, Rejected: 4, Duplicates: 1, OutOfOrder: 1, UnmappedRows: 1,
				Unmapped: []kpi.Unmapped{{Value: "radio-ad / offline", Rows: 1}}}},
		{"channel column, user names, short lookback", "who;via;when;won;amount\n" +
			"x;ads;2025-01-01T10:00:00Z;;\n" +
			"x;email;2025-01-03T10:00:00Z;;\n" +
			"x;;2025-01-04T10:00:00Z;x;250\n" +
			"y;ads;2025-01-02T10:00:00Z;;\n" +
			"y;webinar;2025-01-02T10:00:00Z;true;\n",
			attribution.TouchLog{Entity: "who", Channel: "via", Time: "when", Conversion: "won", Value: "amount", Comma: ';', Lookback: 48 * time.Hour},
			"path;total_conversions;total_conversion_value;total_null\n" +
				"email;1;250;0\n" +
				"ads;0;0;1\n" +
				"ads > webinar;1;0;0\n",
			kpi.Health{Read: 5, Used: 5, Unmapped: []kpi.Unmapped{}}},
		{"own grouping", "user_id,Source,Medium,Time\n1,partner-x,referral,1735689600\n1,google,cpc,1735776000\n",
			attribution.TouchLog{Grouping: mustGrouping(t, "rest", attribution.Rule{Channel: "Partners", Source: "partner-.*"})},
			"path;total_conversions;total_conversion_value;total_null\nPartners > rest;0;0;1\n",
			kpi.Health{Read: 2, Used: 2, UnmappedRows: 1, Unmapped: []kpi.Unmapped{{Value: "google / cpc", Rows: 1}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			js, h, err := attribution.ReadTouches(strings.NewReader(tc.in), tc.c)
			require.NoError(t, err)
			assert.Equal(t, tc.paths, paths(t, js))
			assert.Len(t, h.Rejections, int(tc.health.Rejected))
			h.Rejections = nil
			assert.Equal(t, tc.health, *h)
		})
	}
}

func TestReadTouchesRejections(t *testing.T) {
	_, h, err := attribution.ReadTouches(strings.NewReader(utmLog+"g,google,cpc,,2025-13-01,,\ng,google,cpc,,2025-01-01,yes,-4\ng,google,cpc,,2025-01-01,yes,1e3\n"), attribution.TouchLog{})
	require.NoError(t, err)
	tests := []struct {
		name string
		want kpi.Rejection
	}{
		{"not yes or no", kpi.Rejection{Line: 11, Column: "Conversion", Text: "maybe", Reason: "not yes or no"}},
		{"empty entity", kpi.Rejection{Line: 13, Column: "Contact ID", Reason: "empty entity"}},
		{"value without conversion", kpi.Rejection{Line: 14, Column: "Conversion Value", Text: "5", Reason: "value on a row that is not a conversion"}},
		{"bad time", kpi.Rejection{Line: 15, Column: "Timestamp", Text: "2025-13-01", Reason: "no such date"}},
		{"negative value", kpi.Rejection{Line: 16, Column: "Conversion Value", Text: "-4", Reason: "negative value"}},
		{"exponent", kpi.Rejection{Line: 17, Column: "Conversion Value", Text: "1e3", Reason: "not an amount (digits and one decimal point)"}},
		{"no touch in the window", kpi.Rejection{Line: 10, Column: "Conversion", Text: "yes", Reason: "conversion with no touch in the lookback window"}},
	}
	require.Len(t, h.Rejections, len(tests))
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, h.Rejections[i])
		})
	}
	assert.Equal(t, h.Read, h.Used+h.Rejected)
}

func TestReadTouchesNoChannel(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"empty channel", "id,channel,time\n1,,2025-01-01\n"},
		{"empty channel and UTM", "id,channel,utm_source,time\n1,,,2025-01-01\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			js, h, err := attribution.ReadTouches(strings.NewReader(tc.in), attribution.TouchLog{})
			require.NoError(t, err)
			assert.Equal(t, 0, js.Len())
			require.Len(t, h.Rejections, 1)
			assert.Equal(t, "no channel, source or medium", h.Rejections[0].Reason)
		})
	}
}

func TestReadTouchesErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		c    attribution.TouchLog
		want string
	}{
		{"negative lookback", "id,channel,time\n", attribution.TouchLog{Lookback: -time.Hour}, "attribution.ReadTouches: lookback -1h0m0s: negative window"},
		{"no channel columns", "id,time\n", attribution.TouchLog{}, "attribution.ReadTouches: channel column missing: the header has no channel, source or medium column"},
		{"no time", "id,channel\n", attribution.TouchLog{}, "attribution.ReadTouches: time column missing"},
		{"mapped twice", "id,channel,time\n", attribution.TouchLog{Channel: "id"}, `attribution.ReadTouches: channel column "id": mapped twice: also the entity column`},
		{"empty", "", attribution.TouchLog{}, "attribution.ReadTouches: header none: empty input"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := attribution.ReadTouches(strings.NewReader(tc.in), tc.c)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func mustGrouping(t testing.TB, other string, rules ...attribution.Rule) *attribution.Grouping {
	t.Helper()
	g, err := attribution.NewGrouping(other, rules...)
	require.NoError(t, err)
	return g
}

func TestDefaultGrouping(t *testing.T) {
	// Expected channels from GA4's default channel group definitions.
	tests := []struct {
		source, medium, campaign string
		want                     string
		matched                  bool
	}{
		{"(direct)", "(none)", "", "Direct", true},
		{"", "", "", "Direct", true},
		{"google", "cpc", "spring-cross-network", "Cross-network", true},
		{"google", "cpc", "brand", "Paid Search", true},
		{"www.bing.com", "ppc", "", "Paid Search", true},
		{"linkedin", "paid_social", "", "Paid Social", true},
		{"youtube", "cpv", "", "Paid Video", true},
		{"dv360", "display", "", "Display", true},
		{"capterra", "cpl", "", "Paid Other", true},
		{"Google", "organic", "", "Organic Search", true},
		{"ecosia.org", "referral", "", "Organic Search", true},
		{"anything", "organic", "", "Organic Search", true},
		{"lnkd.in", "referral", "", "Organic Social", true},
		{"forum", "social", "", "Organic Social", true},
		{"vimeo.com", "referral", "", "Organic Video", true},
		{"hubspot", "email", "", "Email", true},
		{"newsletter", "", "", "Email", true},
		{"partner", "affiliate", "", "Affiliates", true},
		{"g2.com", "referral", "", "Referral", true},
		{"spotify", "audio", "", "Audio", true},
		{"twilio", "sms", "", "SMS", true},
		{"app", "push", "", "Mobile Push", true},
		{"radio-ad", "offline", "", "Unassigned", false},
		// Hostile-input probe: a value past MaxUTMValue (1024 bytes)
		// matches no pattern, only empty ones: google.aaa… of 1024 bytes
		// is a search site (Paid Search with cpc); of 1025 bytes it is
		// not, and cpc makes it Paid Other.
		{"google." + strings.Repeat("a", attribution.MaxUTMValue-7), "cpc", "", "Paid Search", true},
		{"google." + strings.Repeat("a", attribution.MaxUTMValue+1-7), "cpc", "", "Paid Other", true},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%.20s/%s/%d", tc.source, tc.medium, len(tc.source)), func(t *testing.T) {
			got, matched := attribution.DefaultGrouping().Channel(tc.source, tc.medium, tc.campaign)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.matched, matched)
		})
	}
}

func TestNewGrouping(t *testing.T) {
	tests := []struct {
		name  string
		other string
		rules []attribution.Rule
		want  string // the channel of source "ads", medium "cpc"
	}{
		{"no rules", "rest", nil, "rest"},
		{"campaign rule", "rest", []attribution.Rule{{Channel: "launch", Campaign: "launch-.*"}, {Channel: "paid", Medium: "cpc"}}, "paid"},
		{"first rule wins", "rest", []attribution.Rule{{Channel: "one", Source: "ADS"}, {Channel: "two", Source: "ads"}}, "one"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := attribution.NewGrouping(tc.other, tc.rules...)
			require.NoError(t, err)
			got, _ := g.Channel("ads", "cpc", "")
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.other, g.Other())
		})
	}
}

func TestNewGroupingErrors(t *testing.T) {
	tests := []struct {
		name  string
		other string
		rules []attribution.Rule
		want  string
	}{
		{"empty other", " ", nil, `attribution.NewGrouping: other " ": empty channel name`},
		{"empty channel", "rest", []attribution.Rule{{Source: "x"}}, `attribution.NewGrouping: rules[0] channel "": empty channel name`},
		{"bad pattern", "rest", []attribution.Rule{{Channel: "a"}, {Channel: "b", Medium: "(cpc"}}, `attribution.NewGrouping: rules[1] medium "(cpc": error parsing regexp`},
		// Hostile-input probe: a 120 KB pattern took 48 s and 12.5 GB to
		// match a 20 KB source. 1025 bytes is one past MaxPattern (1024);
		// the value is quoted cut to its first 64 bytes.
		{"probe: long pattern", "rest", []attribution.Rule{{Channel: "a", Campaign: strings.Repeat("x", attribution.MaxPattern+1)}},
			`attribution.NewGrouping: rules[0] campaign "` + strings.Repeat("x", 64) + `"…: a pattern of 1025 bytes: more than 1024 (MaxPattern)`},
		// Probe: 13 bytes whose program is large. By hand, (?i)^(?:(?:.*a){1000})$
		// compiles to 1000 × 3 (.* is a loop and an any-char, a one rune
		// class) plus fail, ^, $ and match: 3004 instructions.
		{"probe: large program", "rest", []attribution.Rule{{Channel: "a", Source: `(?:.*a){1000}`}},
			`attribution.NewGrouping: rules[0] source "(?:.*a){1000}": compiles to 3004 instructions: more than 2048`},
		// Probe: the number of rules was unbounded, each costing up to
		// ~16 ms per distinct value. (?:.*a){680} compiles to 2044
		// instructions (TestGroupingCostBounded); by hand 32 × 2044 =
		// 65 408 fit in 65 536 and the 33rd rule takes the total to
		// 67 452.
		{"probe: many large rules", "rest", costliestRules(33),
			`attribution.NewGrouping: rules[32] source "(?:.*a){680}": takes the rules to 67452 instructions in all: more than 65536`},
		// (?:.*a){50}: by hand 50 × 3 + 4 = 154 instructions, and
		// 65 408 + 154 = 65 562.
		{"probe: many rules, third field", "rest", append(costliestRules(32), attribution.Rule{Channel: "b", Campaign: "(?:.*a){50}"}),
			`attribution.NewGrouping: rules[32] campaign "(?:.*a){50}": takes the rules to 65562 instructions in all: more than 65536`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := attribution.NewGrouping(tc.other, tc.rules...)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

// costliestRules returns n rules with the costliest pattern NewGrouping
// accepts as their source.
func costliestRules(n int) []attribution.Rule {
	rules := make([]attribution.Rule, n)
	for i := range rules {
		rules[i] = attribution.Rule{Channel: fmt.Sprintf("c%d", i), Source: `(?:.*a){680}`}
	}
	return rules
}

// TestGroupingCostBounded matches the costliest pattern NewGrouping
// accepts, (?:.*a){680} (2044 instructions, every thread live on a text
// of a's), against the longest value it matches, 1024 a's and a b, and
// against a 20 KB source like the probe's, which is not matched at all:
// the results hold; BenchmarkGroupingCostBounded times them (a speed is a
// benchmark, not a timed test).
func TestGroupingCostBounded(t *testing.T) {
	tests := []struct {
		name, source string
		rules        int
	}{
		{"longest value", strings.Repeat("a", attribution.MaxUTMValue-1) + "b", 1},
		{"probe: 20 KB", strings.Repeat("a", 20<<10), 1},
		{"most rules of the costliest pattern", strings.Repeat("a", attribution.MaxUTMValue-1) + "b", 32},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := mustGrouping(t, "rest", costliestRules(tc.rules)...)
			got, matched := g.Channel(tc.source, "", "")
			assert.Equal(t, "rest", got)
			assert.False(t, matched)
		})
	}
}

// BenchmarkGroupingCostBounded times TestGroupingCostBounded's rows: the
// costliest pattern accepted on the longest value matched (about 16 ms),
// the probe's 20 KB value, which is not matched at all (it took 48 s with
// a 120 KB pattern before the bounds), and the most rules of the
// costliest pattern a grouping accepts (32), on the longest value.
func BenchmarkGroupingCostBounded(b *testing.B) {
	for _, bc := range []struct{ rules, value int }{{1, attribution.MaxUTMValue}, {1, 20 << 10}, {32, attribution.MaxUTMValue}} {
		g, err := attribution.NewGrouping("rest", costliestRules(bc.rules)...)
		if err != nil {
			b.Fatal(err)
		}
		source := strings.Repeat("a", bc.value-1) + "b"
		b.Run(fmt.Sprintf("rules=%d/value=%d", bc.rules, bc.value), func(b *testing.B) {
			for b.Loop() {
				if got, _ := g.Channel(source, "", ""); got != "rest" {
					b.Fatal(got)
				}
			}
		})
	}
}

func TestGroupingOther(t *testing.T) {
	tests := []struct {
		name string
		g    *attribution.Grouping
		want string
	}{{"default", attribution.DefaultGrouping(), "Unassigned"}, {"zero", &attribution.Grouping{}, ""}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.g.Other())
			got, _ := tc.g.Channel("radio-ad", "offline", "")
			assert.Equal(t, tc.want, got)
		})
	}
}

// FuzzReadTouches checks that every row read is used or rejected and that
// the journeys' conversions never exceed the conversion rows used.
func FuzzReadTouches(f *testing.F) {
	f.Add(utmLog)
	f.Add("\xEF\xBB\xBFid,channel,time,conversion,value\r\n1,a,1735689600000,1,9.99\r\n1,,0001-01-01,1,\r\n\xff,b,x,,\r\n\"2,c\n")
	f.Fuzz(func(t *testing.T, in string) {
		js, h, err := attribution.ReadTouches(strings.NewReader(in), attribution.TouchLog{})
		if err != nil {
			return
		}
		assert.Equal(t, h.Read, h.Used+h.Rejected)
		assert.LessOrEqual(t, js.Conversions(), h.Used)
	})
}

// TestReadTouchesManyChannels reads a log of 10⁶ distinct channels (10⁵
// with -short or the race detector), one touch each and every tenth a
// conversion: all are used,
// rule models credit them, and the Markov model, which takes at most
// MaxChannels, refuses with an error naming the count. A UTM log of as
// many distinct sources, past the reader's cache of groupings, is grouped
// row by row into DefaultGrouping's channels, and its unmapped values are
// listed up to kpi.MaxUnmapped while every unmapped row is counted.
func TestReadTouchesManyChannels(t *testing.T) {
	n := 1_000_000
	if testing.Short() || raceEnabled {
		n = 100_000
	}
	var ch, utm strings.Builder
	ch.WriteString("id,channel,time,conversion\n")
	utm.WriteString("id,utm_source,utm_medium,time,conversion\n")
	for i := range n {
		conv := ""
		if i%10 == 9 {
			conv = "1"
		}
		fmt.Fprintf(&ch, "%d,c%d,%d,%s\n", i/10, i, 1735689600+i, conv)
		if i < n/5 {
			fmt.Fprintf(&utm, "%d,s%d,%s,%d,%s\n", i/10, i, []string{"cpc", "zz"}[i%2], 1735689600+i, conv)
		}
	}
	tests := []struct {
		name      string
		in        string
		used      int64
		channels  int
		unmapped  int64
		journeys  int
		markovErr string
	}{
		{"channel column", ch.String(), int64(n), n, 0, n / 10,
			fmt.Sprintf("attribution.Markov.Attribute: channels %d: more than 1000 (MaxChannels)", n)},
		{"UTM sources", utm.String(), int64(n / 5), 2, int64(n / 10), n / 50, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			js, h, err := attribution.ReadTouches(strings.NewReader(tc.in), attribution.TouchLog{})
			require.NoError(t, err)
			assert.Equal(t, tc.used, h.Read)
			assert.Equal(t, tc.used, h.Used)
			assert.Equal(t, tc.unmapped, h.UnmappedRows)
			assert.LessOrEqual(t, len(h.Unmapped), kpi.MaxUnmapped)
			assert.Len(t, js.Channels(), tc.channels)
			assert.Equal(t, tc.journeys, js.Len())
			r, err := attribution.Linear{}.Attribute(js)
			require.NoError(t, err)
			var credit float64
			for _, c := range r.Credits {
				credit += c.Conversions
			}
			assert.InEpsilon(t, float64(js.Conversions()), credit, 1e-9)
			_, err = attribution.Markov{}.Attribute(js)
			if tc.markovErr == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.markovErr)
		})
	}
}

// TestReadTouchesOutOfOrder counts rows earlier than their entity's
// previous row, in logs that come in order for a while first (the reader
// keeps no latest times until then): counted by hand in each row's comment.
func TestReadTouchesOutOfOrder(t *testing.T) {
	const head = "id,channel,time\n"
	tests := []struct {
		name       string
		in         string
		outOfOrder int64
	}{
		{"in order", head + "a,x,1\na,y,2\nb,x,1\n", 0},
		{"entity again, later", head +
			"a,x,1\n" +
			"b,x,1\n" +
			"a,y,5\n" + // a's latest is 1: in time, though out of the entities' order
			"b,y,2\n", 0},
		{"earlier after the break", head +
			"a,x,1\n" +
			"a,y,2\n" +
			"b,x,5\n" +
			"b,y,3\n" + // b's latest is 5: 1
			"a,z,1\n" + // a's latest is 2: 2
			"c,x,1\n" + // new
			"c,x,0\n" + // c's latest is 1: 3
			"a,x,2\n", 3}, // a's latest is 2: not earlier
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, h, err := attribution.ReadTouches(strings.NewReader(tc.in), attribution.TouchLog{})
			require.NoError(t, err)
			assert.Equal(t, tc.outOfOrder, h.OutOfOrder)
			assert.Equal(t, h.Read, h.Used)
		})
	}
}
