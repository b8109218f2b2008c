package funnel_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
	"github.com/kpiflow/kpi/internal/jsontest"
)

// wireInterval is what a test reads back of an interval.
type wireInterval struct {
	Lo, Hi float64
	Level  float64
	Method string
}

func TestStepMarshalJSON(t *testing.T) {
	f := month()
	tests := []struct {
		name   string
		step   funnel.Step
		lo, hi float64 // R 4.2.2: prop.test(x, n, correct = FALSE)$conf.int
		none   bool
	}{
		{"Visit to Lead", f.Steps()[0], 0.0176444319041036, 0.0226627864543292, false},
		{"MQL to SQL", f.Steps()[2], 0.323115610713307, 0.516630320596306, false},
		{"no trials", counts(t, []string{"a", "b"}, 0, 0).Steps()[0], 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.step.MarshalJSON()
			require.NoError(t, err)
			var got struct {
				From, To                  string
				Rate, DropOff, Cumulative kpi.Rate
				Interval                  *wireInterval
			}
			require.NoError(t, json.Unmarshal(b, &got))
			assert.Equal(t, tt.step.From, got.From)
			assert.Equal(t, tt.step.To, got.To)
			assert.Equal(t, tt.step.Rate, got.Rate)
			assert.Equal(t, tt.step.DropOff, got.DropOff)
			assert.Equal(t, tt.step.Cumulative, got.Cumulative)
			if tt.none {
				assert.Nil(t, got.Interval)
				return
			}
			require.NotNil(t, got.Interval)
			assert.InEpsilon(t, tt.lo, got.Interval.Lo, 1e-9)
			assert.InEpsilon(t, tt.hi, got.Interval.Hi, 1e-9)
			assert.Equal(t, "Wilson", got.Interval.Method)
			assert.InDelta(t, 0.95, got.Interval.Level, 0)
		})
	}
}

func TestFunnelJSON(t *testing.T) {
	tests := []struct {
		name string
		f    *funnel.Funnel
	}{
		{"six stages", month()},
		{"empty steps", counts(t, []string{"a", "b", "c"}, 5, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.f.MarshalJSON()
			require.NoError(t, err)
			var back funnel.Funnel
			require.NoError(t, back.UnmarshalJSON(b))
			assert.Equal(t, tt.f.Stages(), back.Stages())
			assert.Equal(t, tt.f.Steps(), back.Steps())
			// The stages alone are enough.
			var stages funnel.Funnel
			in, err := json.Marshal(map[string]any{"stages": tt.f.Stages()})
			require.NoError(t, err)
			require.NoError(t, stages.UnmarshalJSON(in))
			assert.Equal(t, tt.f.String(), stages.String())
		})
	}
}

func TestFunnelUnmarshalJSONErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"later stage larger", `{"stages":[{"name":"MQL","count":96},{"name":"SQL","count":120}]}`, `funnel.Funnel.UnmarshalJSON: stage "SQL" count 120: exceeds "MQL" count 96`},
		{"one stage", `{"stages":[{"name":"MQL","count":96}]}`, `funnel.Funnel.UnmarshalJSON: stages 1: a funnel needs at least two stages`},
		{"unknown key", `{"stages":[{"name":"a","count":1,"rate":2}]}`, `funnel.Funnel.UnmarshalJSON: stages[0] document: json: unknown field "rate"`},
		{"count as a string", `{"stages":[{"name":"a","count":"1"}]}`, `funnel.Funnel.UnmarshalJSON: stages[0].count string: cannot be decoded into int64`},
		{"count beyond int64", `{"stages":[{"name":"a","count":1e19}]}`, `funnel.Funnel.UnmarshalJSON: stages[0].count number 1e19: cannot be decoded into int64`},
		{"steps that differ", `{"stages":[{"name":"a","count":2},{"name":"b","count":1}],"steps":[]}`, `funnel.Funnel.UnmarshalJSON: steps given: differ from the steps of the stages; leave them out`},
		{"nothing", ``, `funnel.Funnel.UnmarshalJSON: JSON document: EOF`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f funnel.Funnel
			err := f.UnmarshalJSON([]byte(tt.in))
			require.Error(t, err)
			assert.True(t, errors.Is(err, kpi.ErrInvalid))
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func TestVerdictText(t *testing.T) {
	tests := []struct {
		name string
		v    funnel.Verdict
	}{
		{"TooLittleData", funnel.TooLittleData},
		{"Met", funnel.Met},
		{"Below", funnel.Below},
		{"BelowConfident", funnel.BelowConfident},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.v.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.name, string(b))
			var back funnel.Verdict
			require.NoError(t, back.UnmarshalText(b))
			assert.Equal(t, tt.v, back)
		})
	}
}

func TestTextErrors(t *testing.T) {
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"unknown verdict", func() error { _, err := funnel.Verdict(7).MarshalText(); return err }, "funnel.Verdict.MarshalText: verdict 7: unknown verdict"},
		{"verdict in words", func() error { var v funnel.Verdict; return v.UnmarshalText([]byte("met")) }, `funnel.Verdict.UnmarshalText: verdict "met": unknown verdict`},
		{"unknown mode flag", func() error { _, err := funnel.Mode(64).MarshalText(); return err }, "funnel.Mode.MarshalText: mode 64: unknown mode"},
		{"unknown mode name", func() error { var m funnel.Mode; return m.UnmarshalText([]byte("strict_order|fast")) }, `funnel.Mode.UnmarshalText: mode "fast": unknown mode`},
		{"empty mode", func() error { var m funnel.Mode; return m.UnmarshalText(nil) }, `funnel.Mode.UnmarshalText: mode "": unknown mode`},
		{"unknown counting", func() error { _, err := funnel.Counting(2).MarshalText(); return err }, "funnel.Counting.MarshalText: counting 2: unknown counting"},
		{"counting in capitals", func() error { var c funnel.Counting; return c.UnmarshalText([]byte("Unique")) }, `funnel.Counting.UnmarshalText: counting "Unique": unknown counting`},
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

func TestModeText(t *testing.T) {
	tests := []struct {
		name string
		m    funnel.Mode
		want string
	}{
		{"default", funnel.Default, "default"},
		{"one flag", funnel.StrictDedup, "strict_deduplication"},
		{"all flags", funnel.StrictOrder | funnel.StrictDedup | funnel.StrictIncrease | funnel.StrictOnce, "strict_order|strict_deduplication|strict_increase|strict_once"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.m.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
			var back funnel.Mode
			require.NoError(t, back.UnmarshalText(b))
			assert.Equal(t, tt.m, back)
		})
	}
}

func TestCountingText(t *testing.T) {
	tests := []struct {
		name string
		c    funnel.Counting
	}{
		{"unique", funnel.Unique},
		{"totals", funnel.Totals},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.c.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.name, string(b))
			var back funnel.Counting
			require.NoError(t, back.UnmarshalText(b))
			assert.Equal(t, tt.c, back)
		})
	}
}

func TestBottleneckMarshalJSON(t *testing.T) {
	f := month()
	bs, err := f.Bottlenecks(funnel.Targets{"SQL": 0.5, "Won": 0.3}, 0.95)
	require.NoError(t, err)
	require.Len(t, bs, 2)
	dry, err := counts(t, []string{"a", "b", "c"}, 10, 0, 0).Bottlenecks(funnel.Targets{"b": 0.5}, 0.95)
	require.NoError(t, err)
	require.Len(t, dry, 1)
	tests := []struct {
		name    string
		b       funnel.Bottleneck
		gain    *float64
		verdict string
	}{
		// Won: (0.3 − 6/25)·25 = 1.5 deals; no later step. By hand.
		{"Won", bs[0], ptr(1.5), "Below"},
		// SQL: (0.5 − 40/96)·96·(25/40)·(6/25) = 8·0.15 = 1.2 deals by hand.
		{"SQL", bs[1], ptr(1.2), "Below"},
		// 0 of 10 against 0.5: R's binom.test(0, 10, 0.5, "less") p = 0.5^10.
		{"not estimated", dry[0], nil, "BelowConfident"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.b.MarshalJSON()
			require.NoError(t, err)
			var got struct {
				Step      struct{ To string }
				Target    float64
				Verdict   string
				P         float64
				Gain      *float64
				Estimated bool
			}
			require.NoError(t, json.Unmarshal(b, &got))
			assert.Equal(t, tt.b.Step.To, got.Step.To)
			assert.Equal(t, tt.verdict, got.Verdict)
			assert.InDelta(t, tt.b.P, got.P, 0)
			assert.Equal(t, tt.gain != nil, got.Estimated)
			if tt.gain == nil {
				assert.Nil(t, got.Gain)
				return
			}
			require.NotNil(t, got.Gain)
			assert.InDelta(t, *tt.gain, *got.Gain, 1e-12)
		})
	}
}

func ptr(v float64) *float64 { return &v }

func TestChangeMarshalJSON(t *testing.T) {
	changes, err := funnel.Compare(lastMonth(), month(), 0.95)
	require.NoError(t, err)
	dry, err := funnel.Compare(counts(t, []string{"a", "b", "c"}, 4, 0, 0), counts(t, []string{"a", "b", "c"}, 4, 2, 1), 0.95)
	require.NoError(t, err)
	tests := []struct {
		name    string
		c       funnel.Change
		fisherP float64
	}{
		// R 4.2.2: fisher.test(matrix(c(52, 58, 40, 56), 2, byrow = TRUE))$p.value
		{"SQL", changes[2], 0.482842164393},
		{"untested", dry[1], 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.c.MarshalJSON()
			require.NoError(t, err)
			var got struct {
				Step        string
				A, B        kpi.Rate
				Tested      bool
				Significant bool
				Comparison  *struct{ FisherP float64 }
			}
			require.NoError(t, json.Unmarshal(b, &got))
			assert.Equal(t, tt.c.Step, got.Step)
			assert.Equal(t, tt.c.A, got.A)
			assert.Equal(t, tt.c.B, got.B)
			assert.Equal(t, tt.c.Tested, got.Tested)
			if !tt.c.Tested {
				assert.Nil(t, got.Comparison)
				return
			}
			require.NotNil(t, got.Comparison)
			assert.InEpsilon(t, tt.fisherP, got.Comparison.FisherP, 1e-9)
		})
	}
}

func TestModelUnmarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		m    funnel.Model
	}{
		{"with costs", funnel.Model{Stages: []string{"Lead", "MQL", "Won"}, Rates: []float64{0.4, 0.25},
			DealSize: decimal.RequireFromString("24000.00"), Costs: map[string]decimal.Decimal{"Lead": decimal.RequireFromString("45")}}},
		{"without costs", funnel.Model{Stages: []string{"Lead", "Won"}, Rates: []float64{1.0 / 3}, DealSize: decimal.RequireFromString("9.99")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.m)
			require.NoError(t, err)
			var back funnel.Model
			require.NoError(t, back.UnmarshalJSON(b))
			assert.Equal(t, tt.m.Stages, back.Stages)
			assert.Equal(t, tt.m.Rates, back.Rates)
			assert.True(t, tt.m.DealSize.Equal(back.DealSize))
			assert.Equal(t, tt.m.DealSize.String(), back.DealSize.String())
			require.Len(t, back.Costs, len(tt.m.Costs))
			for k, v := range tt.m.Costs {
				assert.True(t, v.Equal(back.Costs[k]), k)
			}
		})
	}
}

func TestModelUnmarshalJSONErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"rate above 1", `{"stages":["a","b"],"rates":[1.5],"dealSize":"10"}`, `funnel.Model.UnmarshalJSON: step "a→b" rate 1.5: must lie in (0, 1]`},
		{"rate NaN as a string", `{"stages":["a","b"],"rates":["NaN"],"dealSize":"10"}`, `funnel.Model.UnmarshalJSON: rates[0] string: cannot be decoded into float64`},
		{"no deal size", `{"stages":["a","b"],"rates":[0.5]}`, `funnel.Model.UnmarshalJSON: deal size 0: must be > 0`},
		{"bad money", `{"stages":["a","b"],"rates":[0.5],"dealSize":"ten"}`, `funnel.Model.UnmarshalJSON: dealSize "ten": not a number`},
		// The bound on money: 30 digits before the point, 18 after it.
		// decimal reads 1e1000000000 as 1 and 10⁹ zeros (or refuses it
		// beyond its MaxDecodeExponent, 10 000, with its own error).
		{"deal size of a billion digits", `{"stages":["a","b"],"rates":[0.5],"dealSize":"1e1000000000"}`,
			`funnel.Model.UnmarshalJSON: dealSize "1e1000000000": more than 30 digits before the point`},
		{"deal size as a number", `{"stages":["a","b"],"rates":[0.5],"dealSize":1E+31}`,
			`funnel.Model.UnmarshalJSON: dealSize "1E+31": more than 30 digits before the point`},
		{"deal size within decimal's exponents", `{"stages":["a","b"],"rates":[0.5],"dealSize":"1e9999"}`,
			`funnel.Model.UnmarshalJSON: dealSize "1e9999": more than 30 digits before the point`},
		{"cost of a billion places", `{"stages":["a","b"],"rates":[0.5],"dealSize":"10","costs":{"a":"1","b":"-2.5e-1000000000"}}`,
			`funnel.Model.UnmarshalJSON: costs.b "-2.5e-1000000000": more than 18 decimal places`},
		{"exponent beyond int64", `{"stages":["a","b"],"rates":[0.5],"dealSize":"1e99999999999999999999"}`,
			`funnel.Model.UnmarshalJSON: dealSize "1e99999999999999999999": not a number`},
		// 65 bytes: refused before decimal parses it (quadratic in the
		// digits), the text cut to 64 bytes.
		{"deal size of 65 digits", `{"stages":["a","b"],"rates":[0.5],"dealSize":"` + strings.Repeat("1", 65) + `"}`,
			`funnel.Model.UnmarshalJSON: dealSize "` + strings.Repeat("1", 64) + `"…: a value of 65 bytes: more than 64`},
		{"cost of a million digits", `{"stages":["a","b"],"rates":[0.5],"dealSize":"10","costs":{"a":` + strings.Repeat("9", 1e6) + `}}`,
			`funnel.Model.UnmarshalJSON: costs.a "` + strings.Repeat("9", 64) + `"…: a value of 1000000 bytes: more than 64`},
		{"unknown cost stage", `{"stages":["a","b"],"rates":[0.5],"dealSize":"10","costs":{"c":"1"}}`, `funnel.Model.UnmarshalJSON: cost "c" 1: the model has no such stage`},
		{"unknown key", `{"stages":["a","b"],"rates":[0.5],"dealSize":"10","goal":"1"}`, `funnel.Model.UnmarshalJSON: JSON document: json: unknown field "goal"`},
		// Issue 13's probe: the two maps were merged.
		{"costs in two cases", `{"stages":["a","b"],"rates":[0.5],"dealSize":"10","costs":{"a":"1"},"Costs":{"b":"2"}}`, `funnel.Model.UnmarshalJSON: JSON "Costs": key differs in case from "costs"`},
		{"a cost given twice", `{"stages":["a","b"],"rates":[0.5],"dealSize":"10","costs":{"a":"1","a":"2"}}`, `funnel.Model.UnmarshalJSON: costs "a": repeated key`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m funnel.Model
			err := m.UnmarshalJSON([]byte(tt.in))
			require.Error(t, err)
			assert.True(t, errors.Is(err, kpi.ErrInvalid))
			assert.Equal(t, tt.want, err.Error())
			assert.Less(t, len(err.Error()), 200)
		})
	}
}

func TestTargetsUnmarshalJSON(t *testing.T) {
	tests := []struct {
		name, in string
		want     funnel.Targets
		err      string
	}{
		{"two targets", `{"SQL":0.5,"Won":0.25}`, funnel.Targets{"SQL": 0.5, "Won": 0.25}, ""},
		{"none", `{}`, funnel.Targets{}, ""},
		{"above 1", `{"SQL":1.5}`, nil, `funnel.Targets.UnmarshalJSON: target "SQL" 1.5: must lie in (0, 1]`},
		{"zero", `{"SQL":0}`, nil, `funnel.Targets.UnmarshalJSON: target "SQL" 0: must lie in (0, 1]`},
		{"a string", `{"SQL":"0.5"}`, nil, `funnel.Targets.UnmarshalJSON: SQL string: cannot be decoded into float64`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got funnel.Targets
			err := got.UnmarshalJSON([]byte(tt.in))
			if tt.err != "" {
				require.Error(t, err)
				assert.True(t, errors.Is(err, kpi.ErrInvalid))
				assert.Equal(t, tt.err, err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			b, err := json.Marshal(got)
			require.NoError(t, err)
			var back funnel.Targets
			require.NoError(t, back.UnmarshalJSON(b))
			assert.Equal(t, got, back)
		})
	}
}

// fullDefinition uses every key of a Definition.
func fullDefinition() funnel.Definition {
	return funnel.Definition{
		Steps: []funnel.Match{
			{Step: "Lead", Event: "lead"},
			{Step: "Demo", Event: "meeting", Where: map[string]string{"type": "demo"}, Within: 7 * 24 * time.Hour,
				Optional: true, Later: true, Any: []funnel.Match{{Event: "trial_start", Where: map[string]string{"plan": "pro"}}}},
			{Event: "won", Within: 90*time.Minute + 1},
		},
		Window:     30 * 24 * time.Hour,
		Mode:       funnel.StrictOrder | funnel.StrictIncrease,
		Counting:   funnel.Totals,
		Exclusions: []funnel.Exclusion{{Match: funnel.Match{Event: "unsubscribe"}, From: 0, To: 2}},
		Hold:       "deal",
		Breakdown:  []string{"month", "channel"},
		Bins:       []time.Duration{time.Minute, 250 * time.Millisecond * 4 * 3600},
		Quantiles:  []float64{0.75, 0.99},
	}
}

func TestDefinitionJSON(t *testing.T) {
	tests := []struct {
		name string
		d    funnel.Definition
	}{
		{"every key", fullDefinition()},
		{"the examples' definition", funnel.Definition{Steps: []funnel.Match{{Event: "a"}, {Event: "b"}}, Window: time.Hour}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.d.MarshalJSON()
			require.NoError(t, err)
			var back funnel.Definition
			require.NoError(t, back.UnmarshalJSON(b))
			assert.Equal(t, tt.d, back)
		})
	}
}

func TestDefinitionJSONErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"one step", `{"steps":[{"event":"a"}],"window":60}`, `funnel.Definition.UnmarshalJSON: steps 1: a funnel needs at least two steps`},
		{"no window", `{"steps":[{"event":"a"},{"event":"b"}]}`, `funnel.Definition.UnmarshalJSON: window 0s: must be > 0`},
		{"window as text", `{"steps":[{"event":"a"},{"event":"b"}],"window":"1h"}`, `funnel.Definition.UnmarshalJSON: window.duration "1h": want a number of seconds`},
		{"unknown mode", `{"steps":[{"event":"a"},{"event":"b"}],"window":60,"mode":"fast"}`, `funnel.Definition.UnmarshalJSON: mode "fast": unknown mode`},
		{"wrong type of a later step's window", `{"steps":[{"event":"a"},{"event":"b"},{"event":"c","within":"1h"}],"window":60}`, `funnel.Definition.UnmarshalJSON: steps[2].within.duration "1h": want a number of seconds`},
		{"an exclusion's window", `{"steps":[{"event":"a"},{"event":"b"}],"window":60,"exclusions":[{"event":"x","from":0,"to":1},{"event":"y","from":0,"to":1,"within":1e-12}]}`, `funnel.Definition.UnmarshalJSON: exclusions[1].within.duration 1e-12: finer than a nanosecond`},
		{"a bin", `{"steps":[{"event":"a"},{"event":"b"}],"window":60,"bins":[60,3600,"x"]}`, `funnel.Definition.UnmarshalJSON: bins[2].duration "x": want a number of seconds`},
		{"unknown key in a step", `{"steps":[{"event":"a","name":"x"},{"event":"b"}],"window":60}`, `funnel.Definition.UnmarshalJSON: steps[0] document: json: unknown field "name"`},
		{"exclusion backwards", `{"steps":[{"event":"a"},{"event":"b"}],"window":60,"exclusions":[{"event":"x","from":1,"to":0}]}`, `funnel.Definition.UnmarshalJSON: exclusions[0] steps 1→0: need 0 ≤ From < To < 2`},
		{"unknown key", `{"steps":[{"event":"a"},{"event":"b"}],"window":60,"limit":3}`, `funnel.Definition.UnmarshalJSON: JSON document: json: unknown field "limit"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d funnel.Definition
			err := d.UnmarshalJSON([]byte(tt.in))
			require.Error(t, err)
			assert.True(t, errors.Is(err, kpi.ErrInvalid))
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func TestDefinitionMarshalJSONErrors(t *testing.T) {
	tests := []struct {
		name string
		d    funnel.Definition
		want string
	}{
		{"unknown mode", funnel.Definition{Mode: 64}, "funnel.Definition.MarshalJSON: mode 64: unknown mode"},
		{"unknown counting", funnel.Definition{Counting: 5}, "funnel.Counting.MarshalText: counting 5: unknown counting"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.d.MarshalJSON()
			require.Error(t, err)
			assert.True(t, errors.Is(err, kpi.ErrInvalid))
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestMatchJSON(t *testing.T) {
	tests := []struct {
		name string
		m    funnel.Match
		want string
	}{
		{"bare", funnel.Match{Event: "lead"}, `{"event":"lead"}`},
		{"every key", funnel.Match{Step: "Demo", Event: "meeting", Where: map[string]string{"type": "demo"}, Within: 36 * time.Hour},
			`{"step":"Demo","event":"meeting","where":{"type":"demo"},"within":129600}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.m.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
			var back funnel.Match
			require.NoError(t, back.UnmarshalJSON(b))
			assert.Equal(t, tt.m, back)
		})
	}
}

func TestExclusionJSON(t *testing.T) {
	tests := []struct {
		name string
		x    funnel.Exclusion
		want string
	}{
		{"bare", funnel.Exclusion{Match: funnel.Match{Event: "unsubscribe"}, To: 2}, `{"event":"unsubscribe","from":0,"to":2}`},
		{"with conditions", funnel.Exclusion{Match: funnel.Match{Event: "lost", Where: map[string]string{"why": "price"}}, From: 1, To: 3},
			`{"event":"lost","where":{"why":"price"},"from":1,"to":3}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.x.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
			var back funnel.Exclusion
			require.NoError(t, back.UnmarshalJSON(b))
			assert.Equal(t, tt.x, back)
		})
	}
}

func TestMatchUnmarshalJSONErrors(t *testing.T) {
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"match with an unknown key", func() error { var m funnel.Match; return m.UnmarshalJSON([]byte(`{"event":"a","when":1}`)) }, `funnel.Match.UnmarshalJSON: JSON document: json: unknown field "when"`},
		{"match within as text", func() error { var m funnel.Match; return m.UnmarshalJSON([]byte(`{"event":"a","within":"1h"}`)) }, `funnel.Match.UnmarshalJSON: within.duration "1h": want a number of seconds`},
		{"exclusion from as text", func() error { var x funnel.Exclusion; return x.UnmarshalJSON([]byte(`{"event":"a","from":"0"}`)) }, `funnel.Exclusion.UnmarshalJSON: from string: cannot be decoded into int`},
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

// eventResult counts the examples' CRM export, broken down by source.
func eventResult(t testing.TB) *funnel.Result {
	t.Helper()
	d := leadToSQL
	d.Breakdown = []string{"source"}
	c, err := funnel.NewCounter(d)
	require.NoError(t, err)
	require.NoError(t, c.AddAll(func(yield func(funnel.Event) bool) {
		for _, e := range crm() {
			if !yield(e) {
				return
			}
		}
	}))
	r, err := c.Result()
	require.NoError(t, err)
	return r
}

func TestStepResultMarshalJSON(t *testing.T) {
	r := eventResult(t)
	tests := []struct {
		name     string
		s        funnel.StepResult
		interval bool
		median   *float64
	}{
		// Hand count of crm(): ana's MQL comes 3 days after her lead, ben's
		// 7 days after his; the empirical median (R's type 1) is 3 days.
		{"MQL", r.Steps[1], true, ptr(3 * 86400)},
		{"Lead", r.Steps[0], true, nil},
		{"no trials", funnel.StepResult{Step: "x"}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.s.MarshalJSON()
			require.NoError(t, err)
			var got struct {
				Step     string
				Reached  int64
				Rate     kpi.Rate
				Interval *wireInterval
				Time     struct {
					N      int64
					Median *float64
				}
			}
			require.NoError(t, json.Unmarshal(b, &got))
			assert.Equal(t, tt.s.Step, got.Step)
			assert.Equal(t, tt.s.Reached, got.Reached)
			assert.Equal(t, tt.s.Rate, got.Rate)
			assert.Equal(t, tt.interval, got.Interval != nil)
			assert.Equal(t, tt.median, got.Time.Median)
		})
	}
}

func TestDurationsMarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		d    funnel.Durations
		want string
	}{
		{"none", funnel.Durations{}, `{"n":0,"median":null,"p90":null,"mean":null,"bins":[]}`},
		{"two", funnel.Durations{N: 2, Median: time.Hour, P90: 2 * time.Hour, Mean: 90 * time.Minute,
			Bins: []funnel.Bin{{Upper: time.Hour, Count: 1}, {Upper: math.MaxInt64, Count: 1}}},
			`{"n":2,"median":3600,"p90":7200,"mean":5400,"bins":[{"upper":3600,"count":1},{"upper":null,"count":1}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.d.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
		})
	}
}

func TestBinMarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		b    funnel.Bin
		want string
	}{
		{"a day", funnel.Bin{Upper: 24 * time.Hour, Count: 3}, `{"upper":86400,"count":3}`},
		{"last", funnel.Bin{Upper: math.MaxInt64, Count: 2}, `{"upper":null,"count":2}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.b.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
		})
	}
}

func TestFunnelWriteCSV(t *testing.T) {
	tests := []struct {
		name string
		f    *funnel.Funnel
		want string
	}{
		// Intervals: R 4.2.2 prop.test(x, n, correct = FALSE)$conf.int.
		{"two stages", counts(t, []string{"MQL", "SQL"}, 96, 40), "name,count,rate,lo,hi,method,level,cumulative,dropOff\n" +
			"MQL,96,,,,,,,\n" +
			"SQL,40,0.4166666666666667,0.32311561071330" + "7,0.51663032059630" + "6,Wilson,0.95,0.4166666666666667,0.5833333333333334\n"},
		{"dry step", counts(t, []string{"a, the top", "b"}, 0, 0), "name,count,rate,lo,hi,method,level,cumulative,dropOff\n" +
			"\"a, the top\",0,,,,,,,\n" +
			"b,0,,,,,,,\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, tt.f.WriteCSV(&buf))
			got := buf.String()
			if tt.name == "two stages" { // the last digits of the ends are float64's
				assert.True(t, strings.HasPrefix(got, "name,count"))
				assert.Contains(t, got, "SQL,40,0.4166666666666667,0.3231156107133")
				assert.Contains(t, got, ",0.5166303205963")
				assert.Contains(t, got, ",Wilson,0.95,0.4166666666666667,0.5833333333333334\n")
				return
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestResultWriteCSV(t *testing.T) {
	tests := []struct {
		name  string
		r     *funnel.Result
		lines []string
	}{
		// Hand count of crm() by source: ads has ben (lead, MQL 7 days
		// later) and cho (lead only, MQL after the window); webinar has ana.
		{"breakdown", eventResult(t), []string{
			"breakdown,values.source,step,reached,rate,lo,hi,method,level,cumulative,n,median,p90,mean",
			"true,ads,MQL,1,0.5,",
			",Wilson,0.95,0.5,1,604800,604800,604800",
			"true,webinar,SQL,1,1,",
		}},
		{"empty", &funnel.Result{Steps: []funnel.StepResult{{Step: "a"}}}, []string{
			"breakdown,step,",
			"false,a,0,,,,,,,0,,,\n",
		}},
		// Steps (here built by hand) whose quantiles differ: a column per
		// probability, in the order first met, each step's time under its
		// own probability and empty under the others; the first step's
		// 0.99 quantile once took the q0.75 column of the second.
		{"quantiles differ by step", &funnel.Result{Steps: []funnel.StepResult{
			{Step: "a", Time: funnel.Durations{N: 2, Median: time.Second, P90: 2 * time.Second, Mean: time.Second,
				Quantiles: []funnel.Quantile{{P: 0.99, Time: 3 * time.Second}}}},
			{Step: "b", Time: funnel.Durations{N: 1, Median: time.Minute, P90: time.Minute, Mean: time.Minute,
				Quantiles: []funnel.Quantile{{P: 0.75, Time: 4 * time.Second}, {P: 0.99, Time: 5 * time.Second}}}},
		}}, []string{
			"n,median,p90,mean,q0.99,q0.75\n",
			",2,1,2,1,3,\n",
			",1,60,60,60,5,4\n",
		}},
		// A cross of two properties: a column per property; a group short
		// of values (not made by a Counter) leaves the rest empty.
		{"cross", &funnel.Result{Keys: []string{"month", "source"}, Steps: []funnel.StepResult{{Step: "a"}},
			Breakdown: []funnel.Result{
				{Values: []string{"2026-04", "ads"}, Steps: []funnel.StepResult{{Step: "a", Reached: 2}}},
				{Values: []string{"2026-05"}, Steps: []funnel.StepResult{{Step: "a"}}},
			}}, []string{
			"breakdown,values.month,values.source,step,reached,",
			"false,,,a,0,",
			"true,2026-04,ads,a,2,",
			"true,2026-05,,a,0,",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, tt.r.WriteCSV(&buf))
			for _, l := range tt.lines {
				assert.Contains(t, buf.String(), l)
			}
		})
	}
}

func TestProjectionWriteCSV(t *testing.T) {
	m := funnel.Model{Stages: []string{"Lead", "MQL", "Won"}, Rates: []float64{0.4, 0.25},
		DealSize: decimal.RequireFromString("24000"), Costs: map[string]decimal.Decimal{"Lead": decimal.RequireFromString("45.50")}}
	plan, err := funnel.Plan(m, decimal.RequireFromString("240000"))
	require.NoError(t, err)
	tests := []struct {
		name string
		p    funnel.Projection
		want string
	}{
		// By hand: 240000/24000 = 10 deals, 10/0.25 = 40 MQLs, 40/0.4 =
		// 100 leads at 45.50 = 4550.
		{"plan", plan, "stage,count,cost\nLead,100,4550\nMQL,40,0\nWon,10,0\n"},
		{"empty", funnel.Projection{}, "stage,count,cost\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, tt.p.WriteCSV(&buf))
			assert.Equal(t, tt.want, buf.String())
		})
	}
}

func TestWriteCSVErrors(t *testing.T) {
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"funnel to nil", func() error { return month().WriteCSV(nil) }, "funnel.Funnel.WriteCSV: w <nil>: nil writer"},
		{"result to nil", func() error { return (&funnel.Result{}).WriteCSV(nil) }, "funnel.Result.WriteCSV: w <nil>: nil writer"},
		{"projection to nil", func() error { return funnel.Projection{}.WriteCSV(nil) }, "funnel.Projection.WriteCSV: w <nil>: nil writer"},
		{"funnel to a full disk", func() error { return month().WriteCSV(&failWriter{}) }, "disk full"},
		{"result to a full disk", func() error { return eventResult(t).WriteCSV(&failWriter{}) }, "disk full"},
		{"projection to a full disk", func() error {
			return funnel.Projection{Volumes: []funnel.Volume{{Stage: "a"}}}.WriteCSV(&failWriter{})
		}, "disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

// TestProjectionWriteCSVMoneyErrors writes projections built by hand that
// hold a cost of decimal.New(1, 1<<30), 1 and 2³⁰ zeros: WriteCSV returns
// an error wrapping kpi.ErrInvalid that names the line (the header is line
// 1) and the column and quotes the cost short, and w holds the lines
// before it, not a billion digits.
func TestProjectionWriteCSVMoneyErrors(t *testing.T) {
	huge := decimal.New(1, 1<<30)
	tests := []struct {
		name string
		p    funnel.Projection
		want string
		out  string
	}{
		{"first stage", funnel.Projection{Volumes: []funnel.Volume{{Stage: "Lead", Count: 100, Cost: huge}}},
			"funnel.Projection.WriteCSV: line 2 cost 1e1073741824: more than 30 digits before the point", "stage,count,cost\n"},
		{"second stage", funnel.Projection{Volumes: []funnel.Volume{{Stage: "Lead", Count: 100}, {Stage: "MQL", Count: 40, Cost: decimal.New(-1, -(1 << 30))}}},
			"funnel.Projection.WriteCSV: line 3 cost -1e-1073741824: more than 18 decimal places", "stage,count,cost\nLead,100,0\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := tt.p.WriteCSV(&buf)
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Equal(t, tt.want, err.Error())
			assert.Less(t, len(err.Error()), 200)
			assert.Equal(t, tt.out, buf.String())
		})
	}
}

// TestGoldenJSON pins the JSON forms of the package's values; go test
// -update rewrites testdata/*.json.
func TestGoldenJSON(t *testing.T) {
	f := month()
	checks, err := f.Check(funnel.Targets{"SQL": 0.5, "Won": 0.3}, 0.95)
	require.NoError(t, err)
	bs, err := f.Bottlenecks(funnel.Targets{"SQL": 0.5, "Won": 0.3}, 0.95)
	require.NoError(t, err)
	changes, err := funnel.Compare(lastMonth(), f, 0.95)
	require.NoError(t, err)
	spread, err := funnel.CompareSegments([]funnel.Segment{{Name: "ads", Funnel: lastMonth()}, {Name: "events", Funnel: f}}, kpi.Wilson, 0.95)
	require.NoError(t, err)
	m := funnel.Model{Stages: []string{"Lead", "MQL", "Won"}, Rates: []float64{0.4, 0.25},
		DealSize: decimal.RequireFromString("24000"), Costs: map[string]decimal.Decimal{"Lead": decimal.RequireFromString("45.50")}}
	plan, err := funnel.Plan(m, decimal.RequireFromString("240000"))
	require.NoError(t, err)
	tests := []struct {
		name string
		v    any
	}{
		{"funnel.json", f},
		{"checks.json", checks},
		{"bottlenecks.json", bs},
		{"changes.json", changes[:3]},
		{"spread.json", spread[:1]},
		{"model.json", m},
		{"plan.json", plan},
		{"targets.json", funnel.Targets{"SQL": 0.5, "Won": 0.3}},
		{"definition.json", fullDefinition()},
		{"result.json", eventResult(t)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.MarshalIndent(tt.v, "", "\t")
			require.NoError(t, err)
			jsontest.Golden(t, tt.name, append(b, '\n'))
		})
	}
}

// TestEveryTypeMarshals checks that no exported type of the package
// marshals to {} or loses a field.
func TestEveryTypeMarshals(t *testing.T) {
	f := month()
	checks, err := f.Check(funnel.Targets{"SQL": 0.5}, 0.95)
	require.NoError(t, err)
	bs, err := f.Bottlenecks(funnel.Targets{"SQL": 0.5}, 0.95)
	require.NoError(t, err)
	changes, err := funnel.Compare(lastMonth(), f, 0.95)
	require.NoError(t, err)
	segments := []funnel.Segment{{Name: "ads", Funnel: lastMonth()}, {Name: "events", Funnel: f}}
	spread, err := funnel.CompareSegments(segments, kpi.Wilson, 0.95)
	require.NoError(t, err)
	m := funnel.Model{Stages: []string{"Lead", "Won"}, Rates: []float64{0.25}, DealSize: decimal.RequireFromString("24000"),
		Costs: map[string]decimal.Decimal{"Lead": decimal.RequireFromString("45")}}
	plan, err := funnel.Plan(m, decimal.RequireFromString("240000"))
	require.NoError(t, err)
	r := eventResult(t)
	optional := r.Steps[1]
	optional.Optional = true
	d := fullDefinition()
	series := quarterSeries(t)
	trends, err := fivePeriods().Trends(0.95, funnel.TrendOptions{})
	require.NoError(t, err)
	reach := &funnel.Reach{Stages: []funnel.StageReach{{Stage: "Lead", Reached: 2, Entered: 1, Skipped: 1, Time: r.Steps[1].Time}},
		Entities: 2, Skipped: 1, Backward: 1, Duplicates: 1, OutOfOrder: 1}
	jsontest.Check(t, ".", map[string]string{
		"Counter":               "an accumulator: its read-out, Result, has the JSON form",
		"History":               "an accumulator: its read-out, Reach, has the JSON form",
		"Lifecycle":             "built by NewLifecycle from its stage names, which are what to store",
		"Columns":               "reader options, with a *time.Location: not a value to send",
		"Exclusion.Match":       "the match's keys are written at the exclusion's level",
		"SegmentRate.Lo":        "in interval",
		"SegmentRate.Hi":        "in interval",
		"SegmentRate.Method":    "in interval",
		"SegmentRate.Level":     "in interval",
		"PeriodStep.StepResult": "the step result's keys are written at the period step's level",
		"TrendOptions":          "options of Series.Trends, not a value to send",
		"Quantile":              "written inside Durations, whose n says whether its time means anything",
		"Durations.Quantiles":   "left out when the Definition asks for none; TestDurations_MarshalJSONQuantiles has it",
	},
		f, f.Steps()[0], funnel.Stage{Name: "Lead", Count: 1}, checks[0], bs[0], changes[2], segments[0], spread[0].Rates[0], spread[0],
		m, plan.Volumes[0], plan, funnel.Targets{"SQL": 0.5}, funnel.Met, d, d.Steps[1], d.Exclusions[0], funnel.StrictOnce, funnel.Totals,
		funnel.Event{Entity: "ana", Name: "lead", Time: day, Props: map[string]string{"source": "ads"}},
		r, optional, r.Steps[1].Time, r.Steps[1].Time.Bins[0],
		funnel.Entry{Entity: "ana", Stage: "Lead", Time: day}, reach, reach.Stages[0], stepCurve(t),
		funnel.Month, series.Spec, series, series.Periods[2], series.Periods[2].Steps[1], trends[0], trends[0].Points[0])
}

// stepCurve is the young month's curve (see TestCurves).
func stepCurve(t *testing.T) funnel.StepCurve {
	c, err := funnel.NewCounter(leadSQL(10*24*time.Hour, 0))
	require.NoError(t, err)
	require.NoError(t, c.AddAll(slices.Values(youngMonth())))
	curves, err := c.Curves(t0.Add(20*24*time.Hour), 0.95)
	require.NoError(t, err)
	return curves[0]
}

func FuzzDefinitionUnmarshalJSON(f *testing.F) {
	b, err := fullDefinition().MarshalJSON()
	require.NoError(f, err)
	f.Add(b)
	f.Add([]byte(`{"steps":[{"event":"a"},{"event":"b","within":1e-9}],"window":1e9,"mode":"default","counting":"totals"}`))
	f.Add([]byte(`{"steps":[{"event":"a"},{"event":"a","where":{"x":"y"}}],"window":"NaN"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var d funnel.Definition
		if err := d.UnmarshalJSON(data); err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			return
		}
		out, err := d.MarshalJSON()
		require.NoError(t, err)
		var back funnel.Definition
		require.NoError(t, back.UnmarshalJSON(out), "%s", out)
		assert.Equal(t, d, back)
	})
}

func FuzzFunnelUnmarshalJSON(f *testing.F) {
	b, err := month().MarshalJSON()
	require.NoError(f, err)
	f.Add(b)
	f.Add([]byte(`{"stages":[{"name":"a","count":0},{"name":"b","count":0}]}`))
	f.Add([]byte(`{"stages":[{"name":"a","count":9223372036854775807},{"name":"b","count":1}],"steps":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var g funnel.Funnel
		if err := g.UnmarshalJSON(data); err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			return
		}
		out, err := g.MarshalJSON()
		require.NoError(t, err)
		var back funnel.Funnel
		require.NoError(t, back.UnmarshalJSON(out), "%s", out)
		assert.Equal(t, g.Stages(), back.Stages())
	})
}

func FuzzModelUnmarshalJSON(f *testing.F) {
	f.Add([]byte(`{"stages":["Lead","MQL","Won"],"rates":[0.4,0.25],"dealSize":"24000","costs":{"Lead":"45.50"}}`))
	f.Add([]byte(`{"stages":["a","b"],"rates":[1],"dealSize":1e-3,"costs":null}`))
	f.Add([]byte(`{"stages":["a","b"],"rates":[1],"dealSize":"1e1000000000","costs":{"a":"-1e-1000000000"}}`))
	f.Add([]byte(`{"stages":["a","b"],"rates":[1],"dealSize":"999999999999999999999999999999.999999999999999999","costs":{"a":"0e30"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m funnel.Model
		if err := m.UnmarshalJSON(data); err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			return
		}
		out, err := json.Marshal(m)
		require.NoError(t, err)
		var back funnel.Model
		require.NoError(t, back.UnmarshalJSON(out), "%s", out)
		assert.Equal(t, m.Stages, back.Stages)
		assert.Equal(t, m.Rates, back.Rates)
		assert.True(t, m.DealSize.Equal(back.DealSize))
	})
}

func FuzzTargetsUnmarshalJSON(f *testing.F) {
	f.Add([]byte(`{"SQL":0.5,"Won":0.25}`))
	f.Add([]byte(`{"SQL":1e-320}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var tg funnel.Targets
		if err := tg.UnmarshalJSON(data); err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			return
		}
		out, err := json.Marshal(tg)
		require.NoError(t, err)
		var back funnel.Targets
		require.NoError(t, back.UnmarshalJSON(out), "%s", out)
		assert.Equal(t, tg, back)
	})
}

// TestSegmentRateMarshalJSON checks that a segment's rate carries the
// interval it holds, as it is, with its method and level.
func TestSegmentRateMarshalJSON(t *testing.T) {
	r, err := kpi.NewRate(3, 120)
	require.NoError(t, err)
	tests := []struct {
		name string
		r    funnel.SegmentRate
		want string
	}{
		{"Wilson", funnel.SegmentRate{Segment: "ads", Rate: r, Lo: 0.01, Hi: 0.07, Method: kpi.Wilson, Level: 0.95},
			`{"segment":"ads","rate":{"successes":3,"trials":120,"value":0.025},"interval":{"lo":0.01,"hi":0.07,"level":0.95,"method":"Wilson"}}`},
		{"no trials", funnel.SegmentRate{Segment: "events", Lo: 0, Hi: 1, Method: kpi.Jeffreys, Level: 0.9},
			`{"segment":"events","rate":{"successes":0,"trials":0,"value":null},"interval":{"lo":0,"hi":1,"level":0.9,"method":"Jeffreys"}}`},
		{"zero", funnel.SegmentRate{}, `{"segment":"","rate":{"successes":0,"trials":0,"value":null},"interval":null}`},
		{"unknown method", funnel.SegmentRate{Segment: "x", Hi: 1, Method: kpi.Method(42), Level: 0.95},
			`{"segment":"x","rate":{"successes":0,"trials":0,"value":null},"interval":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.r.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
		})
	}
}

// A segment's rate in JSON with the interval the spread's table prints.
func ExampleSegmentRate_MarshalJSON() {
	f, _ := funnel.New(funnel.Stage{Name: "Lead", Count: 200}, funnel.Stage{Name: "MQL", Count: 50})
	g, _ := funnel.New(funnel.Stage{Name: "Lead", Count: 100}, funnel.Stage{Name: "MQL", Count: 40})
	spreads, _ := funnel.CompareSegments([]funnel.Segment{{Name: "ads", Funnel: f}, {Name: "events", Funnel: g}}, kpi.Wilson, 0.95)
	b, _ := json.Marshal(spreads[0].Rates[0])
	fmt.Println(string(b))
	// Output:
	// {"segment":"ads","rate":{"successes":50,"trials":200,"value":0.25},"interval":{"lo":0.19508168006817497,"hi":0.3143409831204583,"level":0.95,"method":"Wilson"}}
}
