package attribution_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
	"github.com/kpiflow/kpi/internal/jsontest"
)

func TestMarkText(t *testing.T) {
	tests := []struct {
		name string
		m    attribution.Mark
		want string
	}{
		{"none", 0, ""},
		{"lead", attribution.Lead, "lead"},
		{"all", attribution.Lead | attribution.Opportunity | attribution.Won, "lead|opportunity|won"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.m.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
			var back attribution.Mark
			require.NoError(t, back.UnmarshalText(b))
			assert.Equal(t, tt.m, back)
		})
	}
}

func TestMarkTextErrors(t *testing.T) {
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"unknown bit", func() error { _, err := attribution.Mark(8).MarshalText(); return err }, "attribution.Mark.MarshalText: marks 8: unknown milestone"},
		{"unknown name", func() error { var m attribution.Mark; return m.UnmarshalText([]byte("lead|sql")) }, `attribution.Mark.UnmarshalText: marks "sql": unknown milestone`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.Error(t, err)
			assert.True(t, errors.Is(err, kpi.ErrInvalid))
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

var jsonDay = time.Date(2026, 4, 1, 9, 30, 0, 0, time.UTC)

func TestJourneyJSON(t *testing.T) {
	tests := []struct {
		name string
		j    attribution.Journey
		want string
	}{
		{"timed and marked", attribution.Journey{Touches: []attribution.Touch{{Channel: "search", Time: jsonDay, Marks: attribution.Lead}, {Channel: "email"}},
			Conversions: 2, Value: decimal.RequireFromString("48000.50"), Nulls: 3},
			`{"touches":[{"channel":"search","time":"2026-04-01T09:30:00Z","marks":"lead"},{"channel":"email","marks":""}],"conversions":2,"value":"48000.5","nulls":3}`},
		{"no conversion", attribution.Journey{Touches: []attribution.Touch{{Channel: "social"}}, Nulls: 5},
			`{"touches":[{"channel":"social","marks":""}],"conversions":0,"value":"0","nulls":5}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.j)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
			var back attribution.Journey
			require.NoError(t, back.UnmarshalJSON(b))
			assert.Equal(t, tt.j.Touches, back.Touches)
			assert.Equal(t, tt.j.Conversions, back.Conversions)
			assert.Equal(t, tt.j.Nulls, back.Nulls)
			assert.True(t, tt.j.Value.Equal(back.Value))
		})
	}
}

func TestJourneyUnmarshalJSONErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"no touches", `{"touches":[],"conversions":1}`, "attribution.Journey.UnmarshalJSON: touches 0: empty path"},
		{"blank channel", `{"touches":[{"channel":" "}],"conversions":1}`, `attribution.Journey.UnmarshalJSON: touch 0 channel " ": empty channel name`},
		{"negative conversions", `{"touches":[{"channel":"a"}],"conversions":-1}`, "attribution.Journey.UnmarshalJSON: conversions -1: negative count"},
		{"unknown key", `{"touches":[{"channel":"a","medium":"cpc"}]}`, `attribution.Journey.UnmarshalJSON: touches[0] document: json: unknown field "medium"`},
		{"bad mark", `{"touches":[{"channel":"a","marks":"mql"}]}`, `attribution.Journey.UnmarshalJSON: touches[0].marks "mql": unknown milestone`},
		{"bad mark of a later touch", `{"touches":[{"channel":"a"},{"channel":"b","marks":"lead"},{"channel":"c","marks":"mql"}]}`, `attribution.Journey.UnmarshalJSON: touches[2].marks "mql": unknown milestone`},
		{"time as a number", `{"touches":[{"channel":"a","time":1}]}`, "attribution.Journey.UnmarshalJSON: touches[0].time document: Time.UnmarshalJSON: input is not a JSON string"},
		// The bound on money: 30 digits before the point, 18 after it, and
		// 64 bytes of text, refused before decimal parses it (quadratic in
		// the digits). decimal reads 1e1000000000 as 1 and 10⁹ zeros (or
		// refuses it beyond its MaxDecodeExponent, 10 000, with its own error).
		{"value of a billion digits", `{"touches":[{"channel":"a"}],"conversions":1,"value":"1e1000000000"}`,
			`attribution.Journey.UnmarshalJSON: value "1e1000000000": more than 30 digits before the point`},
		{"value of a billion places", `{"touches":[{"channel":"a"}],"conversions":1,"value":1e-1000000000}`,
			`attribution.Journey.UnmarshalJSON: value "1e-1000000000": more than 18 decimal places`},
		{"value within decimal's exponents", `{"touches":[{"channel":"a"}],"conversions":1,"value":"-1e9999"}`,
			`attribution.Journey.UnmarshalJSON: value "-1e9999": more than 30 digits before the point`},
		{"value of a million digits", `{"touches":[{"channel":"a"}],"conversions":1,"value":"` + strings.Repeat("9", 1e6) + `"}`,
			`attribution.Journey.UnmarshalJSON: value "` + strings.Repeat("9", 64) + `"…: a value of 1000000 bytes: more than 64`},
		{"value not a number", `{"touches":[{"channel":"a"}],"conversions":1,"value":"ten"}`,
			`attribution.Journey.UnmarshalJSON: value "ten": not a number`},
		// Issue 13's probe: this decoded, with 3 conversions.
		{"conversions in two cases", `{"touches":[{"channel":"a"}],"Conversions":2,"conversions":3}`,
			`attribution.Journey.UnmarshalJSON: JSON "Conversions": key differs in case from "conversions"`},
		{"channel given twice", `{"touches":[{"channel":"a","channel":"b"}],"conversions":1}`,
			`attribution.Journey.UnmarshalJSON: touches[0] "channel": repeated key`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var j attribution.Journey
			err := j.UnmarshalJSON([]byte(tt.in))
			require.Error(t, err)
			assert.True(t, errors.Is(err, kpi.ErrInvalid))
			assert.Contains(t, err.Error(), tt.want)
			assert.Less(t, len(err.Error()), 200)
		})
	}
}

// jsonResults attributes the package's sample journeys by last touch and
// Markov, with a bootstrap for intervals.
func jsonResults(t testing.TB) (*attribution.Journeys, *attribution.Result, *attribution.Result) {
	t.Helper()
	js := read(t, sample)
	last, err := attribution.Last{}.Attribute(js)
	require.NoError(t, err)
	boot, err := attribution.Bootstrap{Model: attribution.Linear{}, Replicates: 50, Seed: 1}.Attribute(js)
	require.NoError(t, err)
	return js, last, boot
}

// TestGoldenJSON pins the JSON forms of the package's results; go test
// -update rewrites testdata/*.json.
func TestGoldenJSON(t *testing.T) {
	js, last, boot := jsonResults(t)
	table, err := attribution.NewTable(last, boot)
	require.NoError(t, err)
	roi, err := last.ROI(map[string]decimal.Decimal{"search": decimal.RequireFromString("100"), "email": decimal.RequireFromString("0")})
	require.NoError(t, err)
	chain, err := attribution.Markov{}.Chain(js)
	require.NoError(t, err)
	tests := []struct {
		name string
		v    any
	}{
		{"result.json", last},
		{"bootstrap.json", boot},
		{"table.json", table},
		{"roi.json", roi},
		{"transitions.json", chain.Transitions()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.MarshalIndent(tt.v, "", "\t")
			require.NoError(t, err)
			jsontest.Golden(t, tt.name, append(b, '\n'))
		})
	}
}

// TestEveryTypeMarshals checks that no exported result type of the
// package marshals to {} or loses a field.
func TestEveryTypeMarshals(t *testing.T) {
	js, last, boot := jsonResults(t)
	table, err := attribution.NewTable(last, boot)
	require.NoError(t, err)
	roi, err := last.ROI(map[string]decimal.Decimal{"search": decimal.RequireFromString("100")})
	require.NoError(t, err)
	chain, err := attribution.Markov{}.Chain(js)
	require.NoError(t, err)
	choice, err := attribution.Markov{}.ChooseOrder(js, 2)
	require.NoError(t, err)
	shap, err := attribution.Shapley{Method: attribution.Ordered}.Attribute(js)
	require.NoError(t, err)
	credit := shap.Credits[0]
	credit.Interval = boot.Credits[0].Interval
	credit.ValueRemoval = 0.1
	credit.Removal = 0.2
	const model = "an attribution model's settings, not a result; the results have the JSON form"
	jsontest.Check(t, ".", map[string]string{
		"Journeys":      "an accumulator: the results read out of it have the JSON form",
		"Chain":         "an accumulator: its Transitions and Result have the JSON form",
		"Format":        "reader options, not a value to send",
		"TouchLog":      "reader options, not a value to send",
		"Rule":          "reader options (a channel grouping), not a value to send",
		"Grouping":      "reader options (a channel grouping), not a value to send",
		"Rules":         model,
		"ShapleyMethod": model,
		"First":         model, "Last": model, "LastNonDirect": model, "Linear": model, "Position": model,
		"WShaped": model, "FullPath": model, "TimeDecay": model, "Custom": model, "Markov": model,
		"Shapley": model, "Bootstrap": model,
	}, last, credit, table, table.Cells[0][1], roi, roi[0], boot.Credits[0].Interval,
		attribution.Touch{Channel: "search", Time: jsonDay, Marks: attribution.Won}, attribution.Lead,
		attribution.Journey{Touches: []attribution.Touch{{Channel: "a"}}, Conversions: 1, Value: decimal.New(5, 0), Nulls: 1},
		choice, choice.Fits[0], chain.Transitions()[0])
}

func FuzzJourneyUnmarshalJSON(f *testing.F) {
	f.Add([]byte(`{"touches":[{"channel":"search","time":"2026-04-01T09:30:00Z","marks":"lead|won"}],"conversions":2,"value":"48000.50","nulls":3}`))
	f.Add([]byte(`{"touches":[{"channel":"a"}],"value":1e999999999}`))
	f.Add([]byte(`{"touches":[{"channel":"a"}],"conversions":1,"value":"-2.5e-1000000000"}`))
	f.Add([]byte(`{"touches":[{"channel":"a"}],"conversions":1,"value":"999999999999999999999999999999.999999999999999999"}`))
	f.Add([]byte(`{"touches":[{"channel":"a","time":"0001-01-01T00:00:00Z"}],"nulls":9223372036854775807}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var j attribution.Journey
		if err := j.UnmarshalJSON(data); err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			return
		}
		b, err := json.Marshal(j)
		require.NoError(t, err)
		var back attribution.Journey
		require.NoError(t, back.UnmarshalJSON(b), "%s", b)
		require.Len(t, back.Touches, len(j.Touches))
		for i := range j.Touches {
			assert.Equal(t, j.Touches[i].Channel, back.Touches[i].Channel)
			assert.True(t, j.Touches[i].Time.Equal(back.Touches[i].Time))
			assert.Equal(t, j.Touches[i].Marks, back.Touches[i].Marks)
		}
		assert.True(t, j.Value.Equal(back.Value))
	})
}

// A touch's milestones read in JSON as their names.
func ExampleMark_MarshalText() {
	b, _ := json.Marshal(attribution.Touch{Channel: "webinar", Marks: attribution.Lead | attribution.Opportunity})
	fmt.Println(string(b))
	// Output:
	// {"channel":"webinar","marks":"lead|opportunity"}
}

// Milestones are read back from their names.
func ExampleMark_UnmarshalText() {
	var m attribution.Mark
	fmt.Println(m.UnmarshalText([]byte("opportunity|won")), m == attribution.Opportunity|attribution.Won)
	// Output:
	// <nil> true
}

// A journey is read from JSON and checked as Journeys.Add checks it.
func ExampleJourney_UnmarshalJSON() {
	var j attribution.Journey
	err := json.Unmarshal([]byte(`{"touches":[{"channel":"search"},{"channel":"email"}],"conversions":1,"value":"24000","nulls":0}`), &j)
	fmt.Println(err, len(j.Touches), j.Value)
	fmt.Println(json.Unmarshal([]byte(`{"touches":[],"conversions":1}`), &j))
	// Output:
	// <nil> 2 24000
	// attribution.Journey.UnmarshalJSON: touches 0: empty path
}
