package kpi_test

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
)

// TestSequenceJSON: a sequence stored and loaded goes on as it was; the
// forms are written out by hand here.
func TestSequenceJSON(t *testing.T) {
	tests := []struct {
		name string
		s    kpi.Sequence
		want string
	}{
		{"after 400 leads", kpi.Sequence{Alpha: 0.05, Successes: 161, Trials: 400}, `{"alpha":0.05,"successes":161,"trials":400}`},
		{"before any look", kpi.Sequence{Alpha: 0.1}, `{"alpha":0.1,"successes":0,"trials":0}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.s)
			require.NoError(t, err)
			assert.JSONEq(t, tc.want, string(b))
			var back kpi.Sequence
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, tc.s, back)
		})
	}
}

func TestDiffSequenceJSON(t *testing.T) {
	tests := []struct {
		name string
		s    kpi.DiffSequence
		want string
	}{
		{"after 8 000 visits a page", kpi.DiffSequence{Alpha: 0.05, A: must(kpi.NewRate(476, 8000)), B: must(kpi.NewRate(648, 8000))},
			`{"alpha":0.05,"a":{"successes":476,"trials":8000,"value":0.0595},"b":{"successes":648,"trials":8000,"value":0.081}}`},
		{"before any look", kpi.DiffSequence{Alpha: 0.1},
			`{"alpha":0.1,"a":{"successes":0,"trials":0,"value":null},"b":{"successes":0,"trials":0,"value":null}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.s)
			require.NoError(t, err)
			assert.JSONEq(t, tc.want, string(b))
			var back kpi.DiffSequence
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, tc.s, back)
		})
	}
}

// TestSequenceMarshalNotFinite: an Alpha that is not finite is written as
// 0, and does not make Marshal fail.
func TestSequenceMarshalNotFinite(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"sequence", kpi.Sequence{Alpha: math.NaN()}, `{"alpha":0,"successes":0,"trials":0}`},
		{"difference", kpi.DiffSequence{Alpha: math.Inf(1)}, `{"alpha":0,"a":{"successes":0,"trials":0,"value":null},"b":{"successes":0,"trials":0,"value":null}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b []byte
			var err error
			switch v := tc.v.(type) {
			case kpi.Sequence:
				b, err = v.MarshalJSON()
			case kpi.DiffSequence:
				b, err = v.MarshalJSON()
			}
			require.NoError(t, err)
			assert.JSONEq(t, tc.want, string(b))
		})
	}
}

func TestSequenceUnmarshalJSONErrors(t *testing.T) {
	tests := []struct {
		name, in, msg string
	}{
		{"unknown key", `{"alpha":0.05,"successes":1,"trials":2,"x":1}`, `kpi.Sequence.UnmarshalJSON: JSON document: json: unknown field "x"`},
		{"missing alpha", `{"successes":1,"trials":2}`, "kpi.Sequence.UnmarshalJSON: alpha missing: required"},
		{"missing successes", `{"alpha":0.05,"trials":2}`, "kpi.Sequence.UnmarshalJSON: successes missing: required"},
		{"missing trials", `{"alpha":0.05,"successes":1}`, "kpi.Sequence.UnmarshalJSON: trials missing: required"},
		{"alpha 0", `{"alpha":0,"successes":1,"trials":2}`, "kpi.Sequence.UnmarshalJSON: alpha 0: must lie in (0, 1)"},
		{"too many trials", `{"alpha":0.05,"successes":1,"trials":1099511627777}`, "kpi.Sequence.UnmarshalJSON: trials 1099511627777: exceeds MaxTrials (2^40)"},
		{"successes above trials", `{"alpha":0.05,"successes":3,"trials":2}`, "kpi.Sequence.UnmarshalJSON: successes 3: exceeds trials 2"},
		{"negative trials", `{"alpha":0.05,"successes":0,"trials":-2}`, "kpi.Sequence.UnmarshalJSON: trials -2: negative count"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s kpi.Sequence
			err := json.Unmarshal([]byte(tc.in), &s)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.msg)
			assert.Equal(t, kpi.Sequence{}, s)
		})
	}
}

func TestDiffSequenceUnmarshalJSONErrors(t *testing.T) {
	rate := `{"successes":1,"trials":2}`
	tests := []struct {
		name, in, msg string
	}{
		{"unknown key", `{"alpha":0.05,"a":` + rate + `,"b":` + rate + `,"x":1}`, `kpi.DiffSequence.UnmarshalJSON: JSON document: json: unknown field "x"`},
		{"missing alpha", `{"a":` + rate + `,"b":` + rate + `}`, "kpi.DiffSequence.UnmarshalJSON: alpha missing: required"},
		{"missing a", `{"alpha":0.05,"b":` + rate + `}`, "kpi.DiffSequence.UnmarshalJSON: a missing: required"},
		{"missing b", `{"alpha":0.05,"a":` + rate + `}`, "kpi.DiffSequence.UnmarshalJSON: b missing: required"},
		{"alpha 1", `{"alpha":1,"a":` + rate + `,"b":` + rate + `}`, "kpi.DiffSequence.UnmarshalJSON: alpha 1: must lie in (0, 1)"},
		{"a too large", `{"alpha":0.05,"a":{"successes":0,"trials":1099511627777},"b":` + rate + `}`, "kpi.DiffSequence.UnmarshalJSON: a.trials 1099511627777: exceeds MaxTrials (2^40)"},
		{"b too large", `{"alpha":0.05,"a":` + rate + `,"b":{"successes":0,"trials":1099511627777}}`, "kpi.DiffSequence.UnmarshalJSON: b.trials 1099511627777: exceeds MaxTrials (2^40)"},
		{"a bad rate", `{"alpha":0.05,"a":{"successes":3,"trials":2},"b":` + rate + `}`, "kpi.Rate.UnmarshalJSON: successes 3: exceeds trials 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s kpi.DiffSequence
			err := json.Unmarshal([]byte(tc.in), &s)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.msg)
			assert.Equal(t, kpi.DiffSequence{}, s)
		})
	}
}

// FuzzSequenceUnmarshalJSON: whatever decodes encodes and decodes back
// to the same sequence; every error wraps ErrInvalid.
func FuzzSequenceUnmarshalJSON(f *testing.F) {
	for _, s := range []string{
		`{"alpha":0.05,"successes":161,"trials":400}`,
		`{"alpha":1e-300,"successes":0,"trials":1099511627776}`,
		`{"alpha":0.05,"a":{"successes":476,"trials":8000},"b":{"successes":648,"trials":8000,"value":0.081}}`,
		`{"alpha":0.5,"a":{"successes":0,"trials":0,"value":null},"b":{"successes":0,"trials":0}}`,
		`{"alpha":"x"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var s kpi.Sequence
		if err := s.UnmarshalJSON(data); err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
		} else {
			b, err := s.MarshalJSON()
			require.NoError(t, err)
			var back kpi.Sequence
			require.NoError(t, back.UnmarshalJSON(b), "%s", b)
			assert.Equal(t, s, back)
		}
		var d kpi.DiffSequence
		if err := d.UnmarshalJSON(data); err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			return
		}
		b, err := d.MarshalJSON()
		require.NoError(t, err)
		var back kpi.DiffSequence
		require.NoError(t, back.UnmarshalJSON(b), "%s", b)
		assert.Equal(t, d, back)
	})
}

// A sequence in JSON is its level and its counts: store it, load it, and
// go on adding looks.
func ExampleSequence_MarshalJSON() {
	b, _ := json.Marshal(kpi.Sequence{Alpha: 0.05, Successes: 161, Trials: 400})
	fmt.Println(string(b))
	// Output: {"alpha":0.05,"successes":161,"trials":400}
}

// Loading a sequence checks it and names the key at fault.
func ExampleSequence_UnmarshalJSON() {
	var s kpi.Sequence
	fmt.Println(json.Unmarshal([]byte(`{"alpha":0.05,"successes":161,"trials":400}`), &s), s.Trials)
	fmt.Println(json.Unmarshal([]byte(`{"alpha":5,"successes":161,"trials":400}`), &s))
	// Output:
	// <nil> 400
	// kpi.Sequence.UnmarshalJSON: alpha 5: must lie in (0, 1)
}

// The A/B test's sequence in JSON: its level and the two arms' rates.
func ExampleDiffSequence_MarshalJSON() {
	s := kpi.DiffSequence{Alpha: 0.05, A: must(kpi.NewRate(476, 8000)), B: must(kpi.NewRate(648, 8000))}
	b, _ := json.Marshal(s)
	fmt.Println(string(b))
	// Output: {"alpha":0.05,"a":{"successes":476,"trials":8000,"value":0.0595},"b":{"successes":648,"trials":8000,"value":0.081}}
}

// Loading the A/B test's sequence and reading it on.
func ExampleDiffSequence_UnmarshalJSON() {
	var s kpi.DiffSequence
	err := json.Unmarshal([]byte(`{"alpha":0.05,"a":{"successes":476,"trials":8000},"b":{"successes":648,"trials":8000}}`), &s)
	out, _ := s.Excludes(0)
	fmt.Println(err, out)
	// Output: <nil> true
}
