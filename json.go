package kpi

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"

	"github.com/kpiflow/kpi/internal/strict"
)

// MarshalJSON writes the rate as an object with its counts and its value,
//
//	{"successes": 96, "trials": 240, "value": 0.4}
//
// A rate with no trials has no value: "value" is null. MarshalJSON never
// fails.
func (r Rate) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 64)
	b = append(b, `{"successes":`...)
	b = strconv.AppendInt(b, r.successes, 10)
	b = append(b, `,"trials":`...)
	b = strconv.AppendInt(b, r.trials, 10)
	b = append(b, `,"value":`...)
	if r.trials == 0 {
		b = append(b, "null"...)
	} else {
		b = appendFloat(b, r.p())
	}
	return append(b, '}'), nil
}

// appendFloat appends v as encoding/json writes a float64: the shortest
// decimal that reads back as v, in exponent form for very small or large
// values. v must be finite.
func appendFloat(b []byte, v float64) []byte {
	abs := math.Abs(v)
	f := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		f = 'e'
	}
	b = strconv.AppendFloat(b, v, f, -1, 64)
	if f == 'e' { // 1e-07 → 1e-7, as encoding/json writes it
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// rateJSON is the wire form of a Rate; pointers tell a missing key from a
// zero.
type rateJSON struct {
	Successes *int64          `json:"successes"`
	Trials    *int64          `json:"trials"`
	Value     json.RawMessage `json:"value"`
}

// UnmarshalJSON reads the form MarshalJSON writes. Decoding is strict:
// "successes" and "trials" are required, unknown keys are errors, the
// counts must pass NewRate, and "value", which may be left out, must be
// null for a rate with no trials and successes/trials (as MarshalJSON
// writes it) otherwise. Every error is an *Error wrapping ErrInvalid that
// names the key and its value.
func (r *Rate) UnmarshalJSON(data []byte) error {
	const fn = "kpi.Rate.UnmarshalJSON"
	var w rateJSON
	if err := decodeStrict(fn, data, &w); err != nil {
		return err
	}
	if w.Successes == nil {
		return invalid(fn, "successes", "missing", "required")
	}
	if w.Trials == nil {
		return invalid(fn, "trials", "missing", "required")
	}
	v, err := NewRate(*w.Successes, *w.Trials)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return invalid(fn, e.Arg, e.Value, e.Reason)
		}
		return err
	}
	if len(w.Value) > 0 {
		if err := checkValue(fn, v, w.Value); err != nil {
			return err
		}
	}
	*r = v
	return nil
}

// checkValue checks that the "value" key of a decoded rate agrees with its
// counts.
func checkValue(fn string, r Rate, raw json.RawMessage) error {
	if string(raw) == "null" {
		if r.trials != 0 {
			return invalid(fn, "value", "null", fmt.Sprintf("a rate with %d trials has a value", r.trials))
		}
		return nil
	}
	var got float64
	if err := json.Unmarshal(raw, &got); err != nil {
		return invalid(fn, "value", string(raw), "not a number")
	}
	if r.trials == 0 {
		return invalid(fn, "value", got, "a rate with no trials has no value: use null")
	}
	if got != r.p() {
		return invalid(fn, "value", got, fmt.Sprintf("differs from successes/trials %d/%d = %v", r.successes, r.trials, r.p()))
	}
	return nil
}

// decodeStrict decodes one JSON value from data into v, rejecting unknown
// keys, keys that match a field only when case is ignored, keys given
// twice in one object (internal/strict) and trailing data, and returns the decoder's errors as *Error
// values wrapping ErrInvalid that name the key and the offending value.
func decodeStrict(fn string, data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(fn, err)
	}
	if dec.More() {
		return invalid(fn, "JSON", "trailing data", "one value expected")
	}
	if path, key, reason := strict.Keys(data, reflect.TypeOf(v)); reason != "" {
		return invalid(fn, cmp.Or(path, "JSON"), strconv.Quote(key), reason)
	}
	return nil
}

// jsonError turns an error of encoding/json into an *Error.
func jsonError(fn string, err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	var e *Error
	switch {
	case errors.As(err, &e):
		return err
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "JSON"
		}
		return invalid(fn, field, te.Value, "cannot be decoded into "+te.Type.String())
	case errors.As(err, &se):
		return invalid(fn, "JSON", fmt.Sprintf("offset %d", se.Offset), se.Error())
	}
	return invalid(fn, "JSON", "document", err.Error())
}

// MarshalText returns the method's name, such as "Wilson", so that a
// Method reads in JSON as a string. A value that is not one of the
// constants is an error wrapping ErrInvalid.
func (m Method) MarshalText() ([]byte, error) {
	if m < 0 || m >= numMethods {
		return nil, invalid("kpi.Method.MarshalText", "method", int(m), "unknown interval method")
	}
	return []byte(methodNames[m]), nil
}

// UnmarshalText reads a method's name as MarshalText writes it, such as
// "ClopperPearson". Any other text is an error wrapping ErrInvalid.
func (m *Method) UnmarshalText(text []byte) error {
	for i, name := range methodNames {
		if string(text) == name {
			*m = Method(i)
			return nil
		}
	}
	return invalid("kpi.Method.UnmarshalText", "method", strconv.Quote(string(text)), "unknown interval method")
}

// comparisonJSON is the wire form of a Comparison.
type comparisonJSON struct {
	A           Rate     `json:"a"`
	B           Rate     `json:"b"`
	Diff        float64  `json:"diff"`
	Lift        *float64 `json:"lift"`
	Z           float64  `json:"z"`
	ZP          float64  `json:"zp"`
	ChiSquare   float64  `json:"chiSquare"`
	ChiSquareP  float64  `json:"chiSquareP"`
	Yates       float64  `json:"yates"`
	YatesP      float64  `json:"yatesP"`
	FisherP     float64  `json:"fisherP"`
	ProbBBetter float64  `json:"probBBetter"`
	// Alternative is the direction of the p-values, by name.
	Alternative Alternative `json:"alternative"`
}

// MarshalJSON writes the comparison as an object with the two rates and
// every statistic, keyed by the field names in camelCase, and the lift of
// Lift, which is null when A's rate is 0:
//
//	{"a": {...}, "b": {...}, "diff": -0.056, "lift": -0.12, "z": -0.79,
//	 "zp": 0.43, "chiSquare": 0.62, "chiSquareP": 0.43, "yates": 0.39,
//	 "yatesP": 0.53, "fisherP": 0.48, "probBBetter": 0.21,
//	 "alternative": "TwoSided"}
//
// A statistic that is not finite, which Compare never returns, is written
// as 0, so MarshalJSON never fails.
func (c Comparison) MarshalJSON() ([]byte, error) {
	w := comparisonJSON{
		A: c.A, B: c.B, Diff: finite(c.Diff),
		Z: finite(c.Z), ZP: finite(c.ZP),
		ChiSquare: finite(c.ChiSquare), ChiSquareP: finite(c.ChiSquareP),
		Yates: finite(c.Yates), YatesP: finite(c.YatesP),
		FisherP: finite(c.FisherP), ProbBBetter: finite(c.ProbBBetter),
		Alternative: c.Alternative,
	}
	if c.A.trials > 0 && c.B.trials > 0 {
		if l, err := c.Lift(); err == nil && !math.IsInf(l, 0) && !math.IsNaN(l) {
			w.Lift = &l
		}
	}
	return json.Marshal(w)
}

// finite returns v, or 0 when v is NaN or infinite.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}
