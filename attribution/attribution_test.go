package attribution_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
)

// sample is the data most tests use. Its converting journeys are
//
//	J1 search > email > direct   2 conversions, 300.00
//	J2 search                    1 conversion,  100.00
//	J3 email > search > email    1 conversion,   50.50
//	J5 direct                    1 conversion,   20
//
// and social (J4) never converts: 5 conversions, 470.50 in all, 12 nulls.
const sample = `path;total_conversions;total_conversion_value;total_null
search > email > direct;2;300.00;3
search;1;100.00;4
email > search > email;1;50.50;0
social;0;0;5
direct;1;20;0
`

func read(t testing.TB, s string) *attribution.Journeys {
	t.Helper()
	js, err := attribution.Read(strings.NewReader(s), attribution.Format{})
	require.NoError(t, err)
	return js
}

// credit is a channel's expected conversions and value.
type credit struct {
	conv  float64
	value string
}

// assertCredits checks a result against expected credits by channel;
// channels not listed must have none.
func assertCredits(t *testing.T, r *attribution.Result, want map[string]credit) {
	t.Helper()
	for _, c := range r.Credits {
		w := want[c.Channel]
		if w.value == "" {
			w.value = "0"
		}
		assert.InDelta(t, w.conv, c.Conversions, 1e-12, "%s conversions", c.Channel)
		assert.True(t, decimal.RequireFromString(w.value).Equal(c.Value), "%s value %v, want %s", c.Channel, c.Value, w.value)
	}
}

// checkInvariants checks what every result must satisfy: credits ≥ 0
// adding up to the conversions, values ≥ 0 adding up exactly to the total.
func checkInvariants(t testing.TB, js *attribution.Journeys, r *attribution.Result) {
	t.Helper()
	conv := 0.0
	value := decimal.Zero
	for _, c := range r.Credits {
		if c.Conversions < 0 || math.IsNaN(c.Conversions) || c.Value.Sign() < 0 {
			t.Fatalf("%s: channel %s has credit %v, value %v", r.Model, c.Channel, c.Conversions, c.Value)
		}
		conv += c.Conversions
		value = value.Add(c.Value)
	}
	if want := float64(js.Conversions()); math.Abs(conv-want) > 1e-9*max(1, want) {
		t.Fatalf("%s: credits add up to %v, want %v", r.Model, conv, want)
	}
	if !value.Equal(js.Value()) {
		t.Fatalf("%s: values add up to %v, want %v", r.Model, value, js.Value())
	}
}

// TestRules checks the rule-based models on sample against the shares
// worked out by hand in each row's comment.
func TestRules(t *testing.T) {
	js := read(t, sample)
	cases := []struct {
		name  string
		model attribution.Model
		want  map[string]credit
	}{
		// J1, J2 start with search, J3 with email, J5 with direct.
		{"first", attribution.First{}, map[string]credit{
			"search": {3, "400"}, "email": {1, "50.50"}, "direct": {1, "20"}}},
		// J1, J5 end with direct, J2 with search, J3 with email.
		{"last", attribution.Last{}, map[string]credit{
			"direct": {3, "320"}, "email": {1, "50.50"}, "search": {1, "100"}}},
		// J1's last non-direct touch is email; J5 is all direct.
		{"last non-direct", attribution.LastNonDirect{}, map[string]credit{
			"email": {3, "350.50"}, "search": {1, "100"}, "direct": {1, "20"}}},
		{"last non-direct, direct named", attribution.LastNonDirect{Direct: "search"}, map[string]credit{
			"direct": {3, "320"}, "email": {1, "50.50"}, "search": {1, "100"}}},
		// Thirds of J1 (2/3 conversion, 100.00 each), J3 gives email 2/3
		// and search 1/3 (33.666…, 16.833…): search 2/3+1+1/3 = 2, email
		// 4/3, direct 5/3; values 216.833…, 133.666…, 120, and the cent
		// left over by rounding goes to email, the largest remainder.
		{"linear", attribution.Linear{}, map[string]credit{
			"search": {2, "216.83"}, "email": {4.0 / 3, "133.67"}, "direct": {5.0 / 3, "120"}}},
		// J3 gives email and search 1/2 each (25.25).
		{"linear distinct", attribution.Linear{Distinct: true}, map[string]credit{
			"search": {13.0 / 6, "225.25"}, "email": {7.0 / 6, "125.25"}, "direct": {5.0 / 3, "120"}}},
		// J1 40/20/40: .8, .4, .8 conversions, 120, 60, 120; J3 email
		// .4 + .4, search .2 (40.40, 10.10).
		{"U-shaped", attribution.Position{}, map[string]credit{
			"search": {2, "230.10"}, "email": {1.2, "100.40"}, "direct": {1.8, "140"}}},
		// J1 20/20/60: .4, .4, 1.2; J3 email .2 + .6, search .2.
		{"J-shaped", attribution.JShaped, map[string]credit{
			"search": {1.6, "170.10"}, "email": {1.2, "100.40"}, "direct": {2.2, "200"}}},
		// J1 60/20/20: 1.2, .4, .4; J3 email .6 + .2, search .2.
		{"inverse J", attribution.InverseJ, map[string]credit{
			"search": {2.4, "290.10"}, "email": {1.2, "100.40"}, "direct": {1.4, "80"}}},
		// Without marks W-shaped gives the first touch .3/.4 = 3/4 and the
		// other two 1/8 each: J1 search 1.5, email .25, direct .25
		// (225, 37.50, 37.50); J3 email 3/4 + 1/8, search 1/8
		// (44.1875, 6.3125).
		{"W-shaped without marks", attribution.WShaped{}, map[string]credit{
			"search": {2.625, "331.31"}, "email": {1.125, "81.69"}, "direct": {1.25, "57.50"}}},
		// Full path: .225/.325 = 9/13 to the first touch and .05/.325 =
		// 2/13 to each other: J1 search 18/13, email and direct 4/13
		// (207.69…, 46.15…, 46.15…); J3 email 11/13, search 2/13
		// (42.73…, 7.769…). Values 315.46…, 88.88…, 66.15…; the cent
		// left over goes to email (remainder .46).
		{"full path without marks", attribution.FullPath{}, map[string]credit{
			"search": {18.0/13 + 1 + 2.0/13, "315.46"}, "email": {4.0/13 + 11.0/13, "88.89"}, "direct": {4.0/13 + 1, "66.15"}}},
		// Weights {0.5, 0.5} over three touches: 1/3, 1/3, 1/3 — linear.
		{"custom halves", attribution.Custom{Weights: []float64{0.5, 0.5}}, map[string]credit{
			"search": {2, "216.83"}, "email": {4.0 / 3, "133.67"}, "direct": {5.0 / 3, "120"}}},
		// Weights {1} is linear too.
		{"custom one", attribution.Custom{Weights: []float64{1}}, map[string]credit{
			"search": {2, "216.83"}, "email": {4.0 / 3, "133.67"}, "direct": {5.0 / 3, "120"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := c.model.Attribute(js)
			require.NoError(t, err)
			checkInvariants(t, js, r)
			assertCredits(t, r, c.want)
			assert.Equal(t, int64(5), r.Conversions)
			assert.Len(t, r.Credits, 4)
		})
	}
}

// journey builds a journey of one conversion worth 10.00 from touches
// written "channel@day+marks", such as "email@3L" (L lead, O opportunity,
// W won).
func journey(touches ...string) attribution.Journey {
	j := attribution.Journey{Conversions: 1, Value: decimal.RequireFromString("10.00")}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, s := range touches {
		var tc attribution.Touch
		name, rest, _ := strings.Cut(s, "@")
		tc.Channel = name
		day := 0
		for _, r := range rest {
			switch {
			case r >= '0' && r <= '9':
				day = 10*day + int(r-'0')
			case r == 'L':
				tc.Marks |= attribution.Lead
			case r == 'O':
				tc.Marks |= attribution.Opportunity
			case r == 'W':
				tc.Marks |= attribution.Won
			}
		}
		if rest != "" {
			tc.Time = start.AddDate(0, 0, day)
		}
		j.Touches = append(j.Touches, tc)
	}
	return j
}

// shares runs a model on one journey and returns each channel's credit.
func shares(t *testing.T, m attribution.Model, j attribution.Journey) map[string]float64 {
	t.Helper()
	var js attribution.Journeys
	require.NoError(t, js.Add(j))
	r, err := m.Attribute(&js)
	require.NoError(t, err)
	checkInvariants(t, &js, r)
	out := map[string]float64{}
	for _, c := range r.Credits {
		out[c.Channel] = c.Conversions
	}
	return out
}

// TestPositionEndsShareTheWhole holds helper-49's probe: a First + Last
// above 1 by less than the 10⁻¹² tolerance was accepted and credited the
// ends with First + Last conversions, 1.0000000000005 for
// Position{0.5, 0.5 + 5e-13}. The ends now take First/(First + Last)
// and Last/(First + Last); by hand, 0.5/(1 + 5e-13) = 0.49999999999975
// and (0.5 + 5e-13)/(1 + 5e-13) = 0.50000000000025, and a sum below 1
// by less than the tolerance is scaled up the same way.
func TestPositionEndsShareTheWhole(t *testing.T) {
	cases := []struct {
		name        string
		m           attribution.Position
		first, last float64
	}{
		{"above 1", attribution.Position{First: 0.5, Last: 0.5 + 5e-13}, 0.49999999999975, 0.50000000000025},
		{"below 1", attribution.Position{First: 0.5, Last: 0.5 - 5e-13}, 0.50000000000025, 0.49999999999975},
		{"exactly 1", attribution.Position{First: 0.7, Last: 0.3}, 0.7, 0.3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := shares(t, c.m, journey("a", "b", "c"))
			assert.InDelta(t, c.first, got["a"], 1e-16, "within two ulp of the hand value")
			assert.InDelta(t, c.last, got["c"], 1e-16)
			assert.Zero(t, got["b"])
			assert.InDelta(t, 1, got["a"]+got["c"], 1.2e-16, "the ends hold one conversion")
		})
	}
}

// TestShares checks how the models share a single journey, with the
// shares worked out by hand in the comments.
func TestShares(t *testing.T) {
	cases := []struct {
		name  string
		model attribution.Model
		j     attribution.Journey
		want  map[string]float64
	}{
		{"linear repeats", attribution.Linear{}, journey("a", "a", "b"), map[string]float64{"a": 2.0 / 3, "b": 1.0 / 3}},
		{"linear distinct", attribution.Linear{Distinct: true}, journey("a", "a", "b"), map[string]float64{"a": 0.5, "b": 0.5}},
		{"U one touch", attribution.UShaped, journey("a"), map[string]float64{"a": 1}},
		{"U two touches", attribution.UShaped, journey("a", "b"), map[string]float64{"a": 0.5, "b": 0.5}},
		// J: 20 : 60 = 25 % : 75 %.
		{"J two touches", attribution.JShaped, journey("a", "b"), map[string]float64{"a": 0.25, "b": 0.75}},
		{"inverse J two touches", attribution.InverseJ, journey("a", "b"), map[string]float64{"a": 0.75, "b": 0.25}},
		// 30/40/30 over five touches: .3, .4/3 ×3, .3.
		{"position 30/40/30", attribution.Position{First: 0.3, Last: 0.3}, journey("a", "b", "c", "d", "e"),
			map[string]float64{"a": 0.3, "b": 0.4 / 3, "c": 0.4 / 3, "d": 0.4 / 3, "e": 0.3}},
		{"position last only", attribution.Position{Last: 1}, journey("a", "b", "c"), map[string]float64{"c": 1}},
		// A probe: 1 − 0.7 − 0.3 is 5.55e-17 in float64, which b got; by
		// hand the middle gets 1 − 0.7 − 0.3 = 0.
		{"position 70/0/30", attribution.Position{First: 0.7, Last: 0.3}, journey("a", "b", "c"), map[string]float64{"a": 0.7, "c": 0.3}},
		// .3 first, .3 lead, .3 opportunity, .1 over c and e.
		{"W all milestones", attribution.WShaped{}, journey("a", "b@L", "c", "d@O", "e"),
			map[string]float64{"a": 0.3, "b": 0.3, "c": 0.05, "d": 0.3, "e": 0.05}},
		// Lead on the first touch: a .6, c .3, b and d .05.
		{"W lead on first touch", attribution.WShaped{}, journey("a@L", "b", "c@O", "d"),
			map[string]float64{"a": 0.6, "b": 0.05, "c": 0.3, "d": 0.05}},
		// No opportunity: a .3, b .3, .1 over c, d; scaled by 1/.7.
		{"W no opportunity", attribution.WShaped{}, journey("a", "b@L", "c", "d"),
			map[string]float64{"a": 3.0 / 7, "b": 3.0 / 7, "c": 0.5 / 7, "d": 0.5 / 7}},
		// Every touch a milestone: .3 each, scaled by 1/.9.
		{"W no others", attribution.WShaped{}, journey("a", "b@L", "c@O"),
			map[string]float64{"a": 1.0 / 3, "b": 1.0 / 3, "c": 1.0 / 3}},
		{"W one touch", attribution.WShaped{}, journey("a@LO"), map[string]float64{"a": 1}},
		// .225 to a, b, d, f; .1 over c and e.
		{"full path", attribution.FullPath{}, journey("a", "b@L", "c", "d@O", "e", "f@W"),
			map[string]float64{"a": 0.225, "b": 0.225, "c": 0.05, "d": 0.225, "e": 0.05, "f": 0.225}},
		// Lead and opportunity on one touch: b .45.
		{"full path coinciding", attribution.FullPath{}, journey("a", "b@LO", "c", "d@W"),
			map[string]float64{"a": 0.225, "b": 0.45, "c": 0.1, "d": 0.225}},
		// Days 0, 7, 14 with a 7-day half-life: 1/4 : 1/2 : 1 = 1/7, 2/7, 4/7.
		{"time decay", attribution.TimeDecay{}, journey("a@0", "b@7", "c@14"),
			map[string]float64{"a": 1.0 / 7, "b": 2.0 / 7, "c": 4.0 / 7}},
		// A 14-day half-life: 2^-1, 2^-½, 1.
		{"time decay 14 days", attribution.TimeDecay{HalfLife: 14 * 24 * time.Hour}, journey("a@0", "b@7", "c@14"),
			map[string]float64{"a": 0.5 / (1.5 + math.Sqrt2/2), "b": math.Sqrt2 / 2 / (1.5 + math.Sqrt2/2), "c": 1 / (1.5 + math.Sqrt2/2)}},
		{"time decay same day", attribution.TimeDecay{}, journey("a@3", "b@3"), map[string]float64{"a": 0.5, "b": 0.5}},
		// Issue 13's probe: touches 1680 and 2260 overflowed int64
		// nanoseconds and gave the oldest all the credit. Over the whole
		// time range, 1900 to 2149, a 7-day half-life leaves the oldest
		// 2^(−13 000) = 0 and the newest all of it.
		{"time decay across the time range", attribution.TimeDecay{}, attribution.Journey{Conversions: 1, Touches: []attribution.Touch{
			{Channel: "a", Time: time.Date(kpi.MinYear, 1, 1, 0, 0, 0, 0, time.UTC)},
			{Channel: "b", Time: time.Date(kpi.MaxYear, 12, 31, 23, 59, 59, 999999999, time.UTC)}}},
			map[string]float64{"b": 1}},
		// 250 years with a 250-year half-life: 1/2 : 1 = 1/3, 2/3.
		{"time decay 250-year half-life", attribution.TimeDecay{HalfLife: time.Date(2150, 1, 1, 0, 0, 0, 0, time.UTC).Sub(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC))},
			attribution.Journey{Conversions: 1, Touches: []attribution.Touch{
				{Channel: "a", Time: time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)},
				{Channel: "b", Time: time.Date(2150, 1, 1, 0, 0, 0, -1, time.UTC)}}},
			map[string]float64{"a": 1.0 / 3, "b": 2.0 / 3}},
		// {.4, .2, .4} over six touches: .2, .2, .1, .1, .2, .2.
		{"custom six", attribution.Custom{Weights: []float64{0.4, 0.2, 0.4}}, journey("a", "b", "c", "d", "e", "f"),
			map[string]float64{"a": 0.2, "b": 0.2, "c": 0.1, "d": 0.1, "e": 0.2, "f": 0.2}},
		// {.4, .2, .4} over two touches: .4 + .1 each.
		{"custom two", attribution.Custom{Weights: []float64{0.4, 0.2, 0.4}}, journey("a", "b"), map[string]float64{"a": 0.5, "b": 0.5}},
		// {.1, .2, .3, .4} over three: .1 + .2/3·... in units of 1/12:
		// a [0,4) = .1·3/3 + .2·1/3, b [4,8) = .2·2/3 + .3·2/3, c = .3/3 + .4.
		{"custom four over three", attribution.Custom{Weights: []float64{0.1, 0.2, 0.3, 0.4}}, journey("a", "b", "c"),
			map[string]float64{"a": 0.1 + 0.2/3, "b": 0.2*2/3 + 0.3*2/3, "c": 0.3/3 + 0.4}},
		// Journeys more than 8 times shorter than the curve take the
		// prefix sums. Twenty weights, .1 ×5, .02 ×5, .04 ×10, over two
		// touches: .5 + .1 = .6 and .4.
		{"custom twenty over two", attribution.Custom{Weights: []float64{0.1, 0.1, 0.1, 0.1, 0.1, 0.02, 0.02, 0.02, 0.02, 0.02,
			0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04}}, journey("a", "b"), map[string]float64{"a": 0.6, "b": 0.4}},
		// Weights (j+1)/325, j = 0 … 24, over three touches: in units of
		// 1/75, a [0, 25) holds segments 0 … 7 and a third of 8,
		// (36 + 9/3)/325 = 39/325; b [25, 50) two thirds of 8, 9 … 15 and
		// two thirds of 16, (6 + 91 + 34/3)/325 = 1/3; c the rest,
		// (17/3 + 172)/325 = 533/975.
		{"custom twenty-five over three", attribution.Custom{Weights: ramp(25)}, journey("a", "b", "c"),
			map[string]float64{"a": 39.0 / 325, "b": 1.0 / 3, "c": 533.0 / 975}},
		{"shapley", attribution.Shapley{}, journey("a", "a", "b"), map[string]float64{"a": 0.5, "b": 0.5}},
		{"shapley exact", attribution.Shapley{Method: attribution.Exact}, journey("a", "b", "a", "c"),
			map[string]float64{"a": 1.0 / 3, "b": 1.0 / 3, "c": 1.0 / 3}},
		{"markov", attribution.Markov{}, journey("a", "b"), map[string]float64{"a": 0.5, "b": 0.5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := shares(t, c.model, c.j)
			for ch, w := range c.want {
				assert.InDelta(t, w, got[ch], 1e-12, ch)
			}
			for ch, g := range got {
				if _, ok := c.want[ch]; !ok {
					assert.Zero(t, g, ch)
				}
			}
		})
	}
}

// TestModelErrors checks the models' bad-input errors.
func TestModelErrors(t *testing.T) {
	js := read(t, sample)
	var timed attribution.Journeys
	require.NoError(t, timed.Add(journey("a@1", "b@3")))
	require.NoError(t, timed.Add(journey("a@5", "b@3")))
	var untimed attribution.Journeys
	require.NoError(t, untimed.Add(journey("a@1", "b")))
	rich := read(t, "path;total_conversions;total_conversion_value;total_null\na > b;1;900000000000000000000000000000;0\nb;2;900000000000000000000000000000;1\n")
	cases := []struct {
		name  string
		model attribution.Model
		js    *attribution.Journeys
		want  string
		class error
	}{
		{"position negative", attribution.Position{First: -0.1, Last: 0.5}, js, "First -0.1", kpi.ErrInvalid},
		{"position NaN", attribution.Position{First: 0.2, Last: math.NaN()}, js, "Last NaN", kpi.ErrInvalid},
		{"position over 1", attribution.Position{First: 0.6, Last: 0.6}, js, "First + Last 1.2", kpi.ErrInvalid},
		{"half-life negative", attribution.TimeDecay{HalfLife: -time.Hour}, js, "HalfLife -1h0m0s", kpi.ErrInvalid},
		{"time decay no times", attribution.TimeDecay{}, js, "journey 0 touch 0 time", kpi.ErrInvalid},
		{"time decay missing time", attribution.TimeDecay{}, &untimed, "journey 0 touch 1 time", kpi.ErrInvalid},
		{"time decay out of order", attribution.TimeDecay{}, &timed, "journey 1 touch 1 time", kpi.ErrInvalid},
		{"custom none", attribution.Custom{}, js, "Weights 0: no weights", kpi.ErrInvalid},
		{"custom negative", attribution.Custom{Weights: []float64{1.5, -0.5}}, js, "Weights[0] 1.5", kpi.ErrInvalid},
		{"custom infinite", attribution.Custom{Weights: []float64{0.5, math.Inf(1)}}, js, "Weights[1] +Inf", kpi.ErrInvalid},
		{"custom sum", attribution.Custom{Weights: []float64{0.5, 0.4}}, js, "sum to 0.9", kpi.ErrInvalid},
		{"markov order", attribution.Markov{Order: -1}, js, "attribution.Markov.Attribute: Order -1: must be ≥ 0", kpi.ErrInvalid},
		// A probe: two journeys of 9·10²⁹ each, within the bound, add up
		// to 1.8·10³⁰ (31 digits) beyond it; the result was returned, and
		// its own UnmarshalJSON, Table.WriteCSV and ROI refused it.
		{"total value beyond the bound: last", attribution.Last{}, rich, "attribution.Last.Attribute: total value 1800000000000000000000000000000: more than 30 digits before the point", kpi.ErrInvalid},
		{"total value beyond the bound: markov", attribution.Markov{}, rich, "attribution.Markov.Attribute: total value 1800000000000000000000000000000: more than 30 digits", kpi.ErrInvalid},
		{"total value beyond the bound: shapley ordered", attribution.Shapley{Method: attribution.Ordered}, rich, "total value 1800000000000000000000000000000: more than 30 digits", kpi.ErrInvalid},
		{"total value beyond the bound: bootstrap", attribution.Bootstrap{Model: attribution.Linear{}}, rich, "attribution.Linear.Attribute: total value 1800000000000000000000000000000: more than 30 digits", kpi.ErrInvalid},
		{"markov no conversions", attribution.Markov{}, read(t, "path;total_conversions;total_null\na;0;3\n"), "no conversions", kpi.ErrUndefined},
		{"shapley method", attribution.Shapley{Method: 7}, js, "Method 7", kpi.ErrInvalid},
		{"shapley too many", attribution.Shapley{Method: attribution.Exact}, manyChannels(t, 20), "channels 21", kpi.ErrInvalid},
		// A probe: one journey of 20 000 distinct channels asked the
		// Ordered method for 2·10⁸ positions (6.5 GB). 2 896 channels are
		// the fewest past MaxPositions: 2 896·2 897/2 = 4 194 856.
		{"shapley ordered positions", attribution.Shapley{Method: attribution.Ordered}, wide(t, 2896),
			"positions 4194856: more than MaxPositions (4194304) by journey 0", kpi.ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.model.Attribute(c.js)
			require.Error(t, err)
			assert.ErrorIs(t, err, c.class)
			assert.Contains(t, err.Error(), c.want)
			var ke *kpi.Error
			assert.True(t, errors.As(err, &ke))
		})
	}
}

// ramp returns the weights (j+1)/(n(n+1)/2), j = 0 … n−1, which add up to 1.
func ramp(n int) []float64 {
	w := make([]float64, n)
	for j := range w {
		w[j] = float64(j+1) / float64(n*(n+1)/2)
	}
	return w
}

// wide returns one converting journey through n distinct channels.
func wide(t testing.TB, n int) *attribution.Journeys {
	t.Helper()
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprint("c", i)
	}
	var js attribution.Journeys
	require.NoError(t, js.Add(journey(names...)))
	return &js
}

// TestWideInputs holds the probes of inputs wide in one direction: a
// Custom curve of 10⁶ weights over 2·10⁴ one-touch journeys (each journey
// summed every weight: 79 s) and the Ordered Shapley positions of one
// journey through 2 895 distinct channels, the most MaxPositions allows
// (2 895·2 896/2 = 4 191 960 positions, by hand). It checks results; their
// cost is for benchmarks, not a timed test (at the old costs this test ran
// for minutes).
func TestWideInputs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		check func(t *testing.T)
	}{
		{"custom of 10⁶ weights", func(t *testing.T) {
			var js attribution.Journeys
			for range 20_000 {
				require.NoError(t, js.Add(journey("a")))
			}
			w := make([]float64, 1_000_000)
			for i := range w {
				w[i] = 1e-6
			}
			r, err := attribution.Custom{Weights: w}.Attribute(&js)
			require.NoError(t, err)
			require.Len(t, r.Credits, 1)
			assert.InDelta(t, 20_000, r.Credits[0].Conversions, 1e-9) // each journey's one touch gets it all
		}},
		{"ordered Shapley of 2 895 channels", func(t *testing.T) {
			r, err := attribution.Shapley{Method: attribution.Ordered}.Attribute(wide(t, 2895))
			require.NoError(t, err)
			n := 0
			for _, c := range r.Credits {
				n += len(c.Positions)
			}
			assert.Equal(t, 4_191_960, n)
		}},
	} {
		t.Run(tc.name, tc.check)
	}
}

// manyChannels returns journeys over n+1 channels.
func manyChannels(t testing.TB, n int) *attribution.Journeys {
	var js attribution.Journeys
	for i := range n {
		j := journey(string(rune('A'+i)), "z")
		require.NoError(t, js.Add(j))
	}
	return &js
}

// TestShapley checks the three Shapley methods on sample: Simplified and
// Exact give R(S)/|S| to each channel of S (the closed form of Zhao et al. 2018), so
// search 2/3 + 1 + 1/2 = 13/6, email 2/3 + 1/2 = 7/6, direct 2/3 + 1 =
// 5/3; Ordered records search first in J1 and J2 (2/3 + 1) and second in
// J3 (1/2), email second in J1 (2/3) and first in J3 (1/2), direct third
// in J1 (2/3) and first in J5 (1).
func TestShapley(t *testing.T) {
	js := read(t, sample)
	want := map[string]credit{"search": {13.0 / 6, "225.25"}, "email": {7.0 / 6, "125.25"}, "direct": {5.0 / 3, "120"}}
	positions := map[string][]float64{"search": {5.0 / 3, 0.5}, "email": {0.5, 2.0 / 3}, "direct": {1, 0, 2.0 / 3}}
	cases := []struct {
		name   string
		method attribution.ShapleyMethod
		model  string
	}{
		{"simplified", attribution.Simplified, "shapley"},
		{"ordered", attribution.Ordered, "shapley (ordered)"},
		{"exact", attribution.Exact, "shapley (exact)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := attribution.Shapley{Method: c.method}.Attribute(js)
			require.NoError(t, err)
			checkInvariants(t, js, r)
			assert.Equal(t, c.model, r.Model)
			assertCredits(t, r, want)
			if c.method == attribution.Ordered {
				for _, cr := range r.Credits {
					assert.InDeltaSlice(t, positions[cr.Channel], cr.Positions, 1e-12, cr.Channel)
				}
			}
		})
	}
}

// TestShapleyExactMatchesSimplified checks Zhao et al.'s identity on
// journeys over many channels.
func TestShapleyExactMatchesSimplified(t *testing.T) {
	cases := []struct {
		name     string
		channels int
	}{{"few", 3}, {"twelve", 12}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var js attribution.Journeys
			for i := range 3 * c.channels {
				j := journey(string(rune('a'+i%c.channels)), string(rune('a'+(i*7+3)%c.channels)), string(rune('a'+(i*i)%c.channels)))
				j.Conversions = int64(1 + i%4)
				require.NoError(t, js.Add(j))
			}
			s, err := attribution.Shapley{}.Attribute(&js)
			require.NoError(t, err)
			e, err := attribution.Shapley{Method: attribution.Exact}.Attribute(&js)
			require.NoError(t, err)
			for k := range s.Credits {
				assert.InDelta(t, s.Credits[k].Conversions, e.Credits[k].Conversions, 1e-9)
			}
			checkInvariants(t, &js, e)
		})
	}
}

// TestOutputsDeterministic checks that a model run twice gives the same
// result, bit for bit.
func TestOutputsDeterministic(t *testing.T) {
	js := read(t, sample)
	cases := []struct {
		name  string
		model attribution.Model
	}{{"markov 1", attribution.Markov{Order: 1}}, {"markov 3", attribution.Markov{Order: 3}}, {"shapley exact", attribution.Shapley{Method: attribution.Exact}}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := c.model.Attribute(js)
			require.NoError(t, err)
			b, err := c.model.Attribute(js)
			require.NoError(t, err)
			assert.Equal(t, a, b)
		})
	}
}

func TestWriteThenRead(t *testing.T) {
	cases := []struct {
		name string
		data string
		f    attribution.Format
	}{
		{"sample", sample, attribution.Format{}},
		{"comma", strings.ReplaceAll(sample, ";", ","), attribution.Format{Comma: ','}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			js, err := attribution.Read(strings.NewReader(c.data), c.f)
			require.NoError(t, err)
			var buf bytes.Buffer
			require.NoError(t, attribution.Write(&buf, js, c.f))
			assert.Equal(t, c.data, buf.String())
		})
	}
}
